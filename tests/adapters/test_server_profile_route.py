"""The LRS serves the xAPI Profile at its IRI, to anyone."""

from __future__ import annotations

import pytest
from fastapi import FastAPI

from adapters.profile import load_profile
from tests.conftest import make_client


@pytest.mark.anyio
@pytest.mark.parametrize("path", ["/xapi/profile", "/xapi/profile/v1"])
async def test_the_profile_is_served_at_its_iri(app: FastAPI, path: str) -> None:
    async with make_client(app, version="", auth=None) as anonymous:
        response = await anonymous.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/ld+json")
    assert response.json() == load_profile()
    assert response.json()["id"] == "https://kompetanse.nav.no" + "/xapi/profile"
