"""A failure the LRS did not foresee is one JSON 500, logged, and the exception does not reach
the server (which would close the client's keep-alive connection)."""

from __future__ import annotations

import base64
import logging

import httpx
import pytest
from fastapi import FastAPI

from tests.conftest import make_client

pytestmark = pytest.mark.anyio


class Broken:
    """A statements service whose first use fails as a bug would."""

    @property
    def clock(self) -> None:
        raise RuntimeError("a bug")


async def test_an_unexpected_error_is_a_json_500_and_not_raised(
    app: FastAPI, caplog: pytest.LogCaptureFixture
) -> None:
    working = app.state.statements
    app.state.statements = Broken()
    # ASGITransport raises whatever escapes the app, as a server would see it.
    async with make_client(app) as client:
        with caplog.at_level(logging.ERROR):
            response = await client.get("/xapi/statements")
        assert response.status_code == 500
        assert response.json()["message"] == "the server failed; the error is logged"
        assert response.headers["X-Experience-API-Version"] == "1.0.3"
        assert "a bug" in caplog.text
        app.state.statements = working
        assert (await client.get("/xapi/statements")).status_code == 200


async def test_a_more_token_nested_too_deep_is_a_400(client: httpx.AsyncClient) -> None:
    token = base64.urlsafe_b64encode(b"[" * 5000 + b"]" * 5000).decode().rstrip("=")
    response = await client.get("/xapi/statements", params={"more": token})
    assert response.status_code == 400
    assert response.json()["message"].startswith("more:")
