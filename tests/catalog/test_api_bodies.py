"""Every route of the catalog's JSON API that takes a body, sent bodies it cannot read (not
JSON, not UTF-8, not an object, nested far too deep), by each kind of user: a clear refusal,
never a server error, and where it is the body that is wrong the answer names `body`."""

from __future__ import annotations

import json
import re

import pytest
from fastapi import FastAPI

from tests.catalog import test_api
from tests.catalog.test_api import PASSWORD, signed_in

pytestmark = pytest.mark.anyio
app = test_api.app  # the fixture: admin, kari, lise, per (`with_coordinator` adds kim)

BODIES = {
    "not-json": b"{",
    "not-utf8": b'{"name": "\xff"}',
    "not-an-object": b"[1, 2]",
    "too-deep": b"[" * 100_000 + b"]" * 100_000,
}
PATH_VALUES = {"office": "nav-sagene", "region": "oslo", "person": "A1", "year": "2026"}


@pytest.fixture
async def with_coordinator(app: FastAPI) -> FastAPI:
    """test_api's app (admin, kari, lise, per) with a county coordinator besides."""
    await app.state.accounts.add_user("kim", PASSWORD, "coordinator", region="oslo")
    return app


def routes_with_bodies(app: FastAPI) -> list[tuple[str, str]]:
    """(method, path) of each POST, PUT and PATCH under /api, its path parameters filled."""
    found = []
    for template, operations in app.openapi()["paths"].items():
        if not template.startswith("/api/"):
            continue
        path = re.sub(r"\{(\w+)\}", lambda m: PATH_VALUES.get(m.group(1), "x"), template)
        found += [(m.upper(), path) for m in operations if m in ("post", "put", "patch")]
    return found


@pytest.mark.parametrize("user", ["admin", "lise", "kim", "kari"])
async def test_no_unreadable_body_is_a_server_error(with_coordinator: FastAPI, user: str) -> None:
    http = await signed_in(with_coordinator, user)
    routes = routes_with_bodies(with_coordinator)
    assert len(routes) > 30  # the catalog's, the planning cycle's and the sessions' routes
    answers = []
    for method, path in routes:
        for kind, body in BODIES.items():
            response = await http.request(
                method, path, content=body, headers={"Content-Type": "application/json"}
            )
            answers.append((method, path, kind, response.status_code, response.text))
    assert [a for a in answers if a[3] >= 500] == []
    refused = [a for a in answers if a[3] == 400]
    assert len(refused) > len(BODIES)  # the ones that read a body at all say what is wrong
    assert [a for a in refused if "body" not in json.loads(a[4])["message"]] == []
