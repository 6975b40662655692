"""The catalog's errors reach the client with their status and message: as the LRS's JSON error
shape under /api (one handler, `catalog.install_error_handler`), as an HTML error page on a
page (`PageRoute`). Probed with a route of each kind on the app as `create_app` builds it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from http import HTTPStatus

import httpx
import pytest
from fastapi import APIRouter, FastAPI

from catalog.errors import (
    CatalogError,
    Conflict,
    Forbidden,
    Invalid,
    NotFound,
    TooManyRequests,
    Unauthorized,
)
from kompetanse.pages._web import PageRoute
from lrs.errors import LrsError

pytestmark = pytest.mark.anyio

RAISED: dict[str, CatalogError] = {
    "invalid": Invalid("a whole number is required", path="seats"),
    "unauthorized": Unauthorized("sign in first"),
    "forbidden": Forbidden("you may not see office nav-frogner"),
    "not-found": NotFound("no office 'nav-nowhere'"),
    "conflict": Conflict("the session is full"),
    "too-many": TooManyRequests("too many failed sign-ins: try again in 7 s", 7),
}
CASES = [
    pytest.param(kind, error.status_code, error.message, id=type(error).__name__)
    for kind, error in RAISED.items()
]


async def _raise(kind: str) -> None:
    raise RAISED[kind]


@pytest.fixture
async def probed(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    api = APIRouter(prefix="/api")
    api.add_api_route("/probe/{kind}", _raise)
    page = APIRouter(route_class=PageRoute)
    page.add_api_route("/probe/{kind}", _raise)
    app.include_router(api)
    app.include_router(page)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://sider.test") as http:
        yield http


def test_every_error_is_the_catalog_s_own() -> None:
    assert {type(e) for e in RAISED.values()} == set(CatalogError.__subclasses__())
    assert not any(isinstance(e, LrsError) for e in RAISED.values())
    assert [e.status_code for e in RAISED.values()] == [400, 401, 403, 404, 409, 429]


@pytest.mark.parametrize(("kind", "status", "message"), CASES)
async def test_through_the_api_as_the_lrs_s_json_error(
    probed: httpx.AsyncClient, kind: str, status: int, message: str
) -> None:
    response = await probed.get(f"/api/probe/{kind}")
    assert response.status_code == status
    expected = {"status": status, "error": HTTPStatus(status).phrase, "message": message}
    if kind == "invalid":
        expected["path"] = "seats"
    assert response.json() == expected
    assert "www-authenticate" not in response.headers  # a session cookie, no Basic prompt
    assert response.headers.get("retry-after") == ("7" if kind == "too-many" else None)


@pytest.mark.parametrize(("kind", "status", "message"), CASES)
async def test_through_a_page_as_an_html_error_page(
    probed: httpx.AsyncClient, kind: str, status: int, message: str
) -> None:
    response = await probed.get(f"/probe/{kind}")
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    assert PAGE_WORDS.get(kind, message).replace("'", "&#39;") in response.text


# refusals of a known kind are said in the page's language, with names where there are any
# (kompetanse.pages._errors; this app has no offices, so the id stands for the name)
PAGE_WORDS = {
    "forbidden": "Du har ikke tilgang til nav-frogner.",
    "not-found": "Fant ikke kontoret «nav-nowhere».",
}


async def test_a_real_refusal_and_bad_input_through_the_api(app: FastAPI) -> None:
    """The catalog's own routes: no session (401), then a body that is not JSON (400, path)."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://lrs.test") as http:
        refused = await http.get("/api/me")
        bad = await http.post(
            "/api/session", content=b"{", headers={"Content-Type": "application/json"}
        )
    assert refused.status_code == 401
    assert refused.json()["message"] == "sign in first (POST /api/session)"
    assert bad.status_code == 400
    assert bad.json() == {
        "status": 400,
        "error": "Bad Request",
        "message": "body: JSON with username and password",
        "path": "body",
    }
