"""The Alternate Request Syntax (xAPI 1.0.3 only) and CORS for browser clients."""

from __future__ import annotations

import base64
import json

import httpx
import pytest
from fastapi import FastAPI

from tests.conftest import KEY, SECRET, make_client
from tests.lrs.api.helpers import new_id, statement

pytestmark = pytest.mark.anyio
BASIC = "Basic " + base64.b64encode(f"{KEY}:{SECRET}".encode()).decode()


@pytest.fixture
async def bare(app: FastAPI) -> httpx.AsyncClient:
    """A client that sends no headers of its own: the form carries them."""
    return make_client(app, version="", auth=None)


async def test_put_issued_as_a_post(bare: httpx.AsyncClient) -> None:
    statement_id = new_id()
    form = {
        "statementId": statement_id,
        "content": json.dumps(statement()),
        "Authorization": BASIC,
        "X-Experience-API-Version": "1.0.3",
    }
    async with bare as http:
        response = await http.post("/xapi/statements", params={"method": "PUT"}, data=form)
        assert response.status_code == 204, response.text
        fetched = await http.post(
            "/xapi/statements",
            params={"method": "GET"},
            data={
                "statementId": statement_id,
                "Authorization": BASIC,
                "X-Experience-API-Version": "1.0.3",
            },
        )
    assert fetched.status_code == 200
    assert fetched.json()["id"] == statement_id
    assert fetched.headers["X-Experience-API-Version"] == "1.0.3"


@pytest.mark.parametrize(
    ("params", "form", "content_type", "fragment"),
    [
        pytest.param(
            {"method": "PUT", "statementId": new_id()},
            {"content": "{}"},
            None,
            "only the method",
            id="extra-query-parameter",
        ),
        pytest.param(
            {"method": "PUT"}, {"statementId": new_id()}, None, "content", id="no-content"
        ),
        pytest.param({"method": "PATCH"}, {}, None, "PATCH", id="unknown-method"),
        pytest.param(
            {"method": "GET"}, {}, "application/json", "x-www-form-urlencoded", id="not-a-form"
        ),
        pytest.param(
            {"method": "GET"}, {"X-Experience-API-Version": "2.0.0"}, None, "2.0", id="version-2"
        ),
    ],
)
async def test_bad_alternate_requests_are_refused(
    bare: httpx.AsyncClient,
    params: dict[str, str],
    form: dict[str, str],
    content_type: str | None,
    fragment: str,
) -> None:
    fields = {"Authorization": BASIC, "X-Experience-API-Version": "1.0.3", **form}
    async with bare as http:
        if content_type is None:
            response = await http.post("/xapi/statements", params=params, data=fields)
        else:
            response = await http.post(
                "/xapi/statements",
                params=params,
                content=json.dumps(fields),
                headers={"Content-Type": content_type},
            )
    assert response.status_code == 400
    assert fragment in response.json()["message"]


async def test_alternate_syntax_is_off_when_1_0_3_is_not_served(settings: object) -> None:
    from kompetanse.app import create_app
    from kompetanse.settings import Settings

    assert isinstance(settings, Settings)
    settings.xapi_versions = ["2.0.0"]
    only = create_app(settings)
    async with only.router.lifespan_context(only), make_client(only, version="") as http:
        response = await http.post(
            "/xapi/statements",
            params={"method": "GET"},
            data={"Authorization": BASIC, "X-Experience-API-Version": "1.0.3"},
        )
    assert response.status_code == 400
    assert "not served" in response.json()["message"]


async def test_cors_preflight_allows_xapi_headers(app: FastAPI) -> None:
    async with make_client(app, version="", auth=None) as http:
        response = await http.options(
            "/xapi/statements",
            headers={
                "Origin": "https://elaering.nav.example",
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization,x-experience-api-version",
            },
        )
    assert response.status_code == 200
    allowed = response.headers["Access-Control-Allow-Headers"].lower()
    assert "x-experience-api-version" in allowed
    assert "authorization" in allowed


async def test_cors_exposes_xapi_response_headers(client: httpx.AsyncClient) -> None:
    response = await client.get(
        "/xapi/statements", headers={"Origin": "https://elaering.nav.example"}
    )
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    exposed = response.headers["Access-Control-Expose-Headers"]
    assert "X-Experience-API-Consistent-Through" in exposed
