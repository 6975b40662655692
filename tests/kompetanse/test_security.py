"""Security headers, the same-origin and Content-Type rules on state-changing requests, and
the API documentation behind a setting: through HTTP, denials first."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from kompetanse.app import create_app
from kompetanse.settings import Settings
from tests.catalog.test_load import write

pytestmark = pytest.mark.anyio
PASSWORD = "korrekt hest batteri"
EVIL = "http://evil.example"
PERSON = {
    "employee_id": "A1",
    "name": "Kari",
    "email": "kari@nav.no",
    "office": "nav-sagene",
    "region": "oslo",
    "roles": ["leder"],
    "employer": "state",
    "start_date": "2026-09-01",
}


@pytest.fixture
async def app(tmp_path: Path) -> AsyncIterator[FastAPI]:
    settings = Settings(data_dir=tmp_path / "data", catalog_dir=write(tmp_path / "catalog"))
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        await application.state.accounts.add_user("admin", PASSWORD, "admin")
        await application.state.accounts.add_user("lise", PASSWORD, "leader", office="nav-sagene")
        yield application


def browser(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://site.test")


async def signed_in(app: FastAPI, username: str) -> httpx.AsyncClient:
    http = browser(app)
    answer = await http.post("/api/session", json={"username": username, "password": PASSWORD})
    assert answer.status_code == 204, answer.text
    return http


async def test_a_session_from_another_site_is_refused(app: FastAPI) -> None:
    http = browser(app)
    body = '{"username": "lise", "password": "korrekt hest batteri"}'
    forged = await http.post(
        "/api/session", content=body, headers={"Origin": EVIL, "Content-Type": "text/plain"}
    )
    assert forged.status_code == 403
    assert forged.json()["message"].startswith(f"Origin: {EVIL} is not this site")
    assert "set-cookie" not in forged.headers
    plain = await http.post("/api/session", content=body, headers={"Content-Type": "text/plain"})
    assert plain.status_code == 415
    assert plain.json()["message"] == "Content-Type: application/json is required (not text/plain)"
    fetched = await http.post(
        "/api/session",
        content=body,
        headers={"Content-Type": "application/json", "Sec-Fetch-Site": "cross-site"},
    )
    assert fetched.status_code == 403
    same = await http.post(
        "/api/session",
        content=body,
        headers={"Content-Type": "application/json", "Origin": "http://site.test"},
    )
    assert same.status_code == 204


async def test_an_exemption_from_another_site_is_refused_and_not_granted(app: FastAPI) -> None:
    admin = await signed_in(app, "admin")
    assert (
        await admin.post("/api/people", params={"accept_new_offices": "true"}, json=[PERSON])
    ).status_code == 200
    lise = await signed_in(app, "lise")
    body = '{"package": "pakke", "reason": "forged"}'
    for headers, status in [
        ({"Origin": EVIL, "Content-Type": "text/plain"}, 403),
        ({"Origin": EVIL, "Content-Type": "application/json"}, 403),
        ({"Origin": "null", "Content-Type": "application/json"}, 403),
        ({"Content-Type": "text/plain"}, 415),
        ({"Content-Type": "application/x-www-form-urlencoded"}, 415),
        ({"Content-Type": "multipart/form-data; boundary=x"}, 415),
    ]:
        refused = await lise.post("/api/people/A1/exemptions", content=body, headers=headers)
        assert refused.status_code == status, (headers, refused.text)
    record = (await lise.get("/api/people/A1/requirements")).json()
    assert all(row["status"] != "waived" for row in record)
    granted = await lise.post(
        "/api/people/A1/exemptions",
        json={"package": "pakke", "reason": "har tilsvarende kurs"},
        headers={"Origin": "http://site.test"},
    )
    assert granted.status_code == 204, granted.text


async def test_sign_out_from_another_site_is_refused(app: FastAPI) -> None:
    lise = await signed_in(app, "lise")
    assert (await lise.delete("/api/session", headers={"Origin": EVIL})).status_code == 403
    assert (await lise.get("/api/me")).status_code == 200


async def test_the_page_sign_in_needs_its_token_and_this_site(app: FastAPI) -> None:
    async with browser(app) as http:
        form = {"username": "lise", "password": PASSWORD}
        page = await http.get("/logg-inn")
        assert "kompetanse_presession" in page.headers["set-cookie"]
        no_token = await http.post("/logg-inn", data=form)
        assert no_token.status_code == 400
        assert "Skjemaet var utløpt" in no_token.text
        token = page.text.split('name="csrf" value="')[1].split('"')[0]
        forged = await http.post(
            "/logg-inn", data={**form, "csrf": token}, headers={"Origin": EVIL}
        )
        assert forged.status_code == 403
        other = browser(app)
        stolen = await other.post("/logg-inn", data={**form, "csrf": token})  # not its cookie
        assert stolen.status_code == 400
        signed = await http.post("/logg-inn", data={**form, "csrf": token})
        assert signed.status_code == 303
        assert "kompetanse_session" in signed.headers["set-cookie"]


async def test_pages_carry_the_security_headers(app: FastAPI) -> None:
    async with browser(app) as http:
        page = await http.get("/logg-inn")
        behind_tls = await http.get("/logg-inn", headers={"X-Forwarded-Proto": "https"})
        api = await http.get("/api/me")
    policy = page.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy and "script-src 'self'" in policy
    assert "unsafe-inline" not in policy and "object-src 'none'" in policy
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["referrer-policy"] == "same-origin"
    assert "strict-transport-security" not in page.headers
    assert behind_tls.headers["strict-transport-security"].startswith("max-age=")
    assert api.status_code == 401 and api.headers["x-frame-options"] == "DENY"


async def test_api_documentation_is_off_unless_asked_for(app: FastAPI, tmp_path: Path) -> None:
    async with browser(app) as http:
        for path in ("/docs", "/redoc", "/openapi.json"):
            assert (await http.get(path)).status_code == 404, path
    documented = create_app(Settings(data_dir=tmp_path / "other", api_docs=True))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=documented), base_url="http://site.test"
    ) as http:
        assert (await http.get("/openapi.json")).json()["info"]["title"] == "kompetanse"
        assert (await http.get("/docs")).status_code == 200
