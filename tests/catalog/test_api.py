"""The catalog through HTTP: sign-in, statements feeding completion, reports and denials."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import openpyxl
import pytest
from fastapi import FastAPI

from kompetanse.app import create_app
from kompetanse.settings import Settings
from tests.catalog.projection import projection_state
from tests.catalog.test_load import write
from tests.conftest import make_client

pytestmark = pytest.mark.anyio
PASSWORD = "korrekt hest batteri"
ACTIVITY = "https://kompetanse.nav.no/xapi/activities/pakke/modul"
PEOPLE = [
    {
        "employee_id": "A1",
        "name": "Kari",
        "email": "kari@nav.no",
        "office": "nav-sagene",
        "region": "oslo",
        "roles": ["leder"],
        "employer": "state",
        "start_date": "2026-09-01",
    },
    {
        "employee_id": "B1",
        "name": "Per",
        "email": "per@nav.no",
        "office": "nav-frogner",
        "region": "oslo",
        "roles": ["leder"],
        "employer": "state",
        "start_date": "2020-01-01",
    },
]


@pytest.fixture
async def app(settings: Settings, tmp_path: Path) -> AsyncIterator[FastAPI]:
    settings.catalog_dir = write(tmp_path / "catalog")
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        accounts = application.state.accounts
        await accounts.add_user("admin", PASSWORD, "admin")
        await accounts.add_user("kari", PASSWORD, "learner", person="A1")
        await accounts.add_user("lise", PASSWORD, "leader", office="nav-sagene")
        await accounts.add_user("per", PASSWORD, "leader", office="nav-frogner", person="B1")
        yield application


async def signed_in(app: FastAPI, username: str) -> httpx.AsyncClient:
    http = make_client(app, auth=None, version="")
    response = await http.post("/api/session", json={"username": username, "password": PASSWORD})
    assert response.status_code == 204, response.text
    return http


async def test_statements_become_requirements_and_matrix(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    admin = await signed_in(app, "admin")
    imported = await admin.post("/api/people", params={"accept_new_offices": "true"}, json=PEOPLE)
    assert imported.json() == {"created": 2, "updated": 0, "unchanged": 0}
    statement: dict[str, Any] = {
        "actor": {"account": {"homePage": "https://ident.nav.no", "name": "A1"}},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
        "object": {"id": ACTIVITY},
    }
    assert (await client.post("/xapi/statements", json=statement)).status_code == 200
    stranger = {**statement, "actor": {"mbox": "mailto:who@elsewhere.example"}}
    await client.post("/xapi/statements", json=stranger)

    kari = await signed_in(app, "kari")
    [requirement] = (await kari.get("/api/me/requirements")).json()
    assert (requirement["package_id"], requirement["status"]) == ("pakke", "completed")
    lise = await signed_in(app, "lise")
    matrix = (await lise.get("/api/offices/nav-sagene/matrix")).json()
    assert matrix["rows"][0]["statuses"] == {"pakke": "completed"}
    csv_export = await lise.get("/api/offices/nav-sagene/matrix", params={"format": "csv"})
    assert csv_export.text.splitlines()[1] == "A1,Kari,leder,completed"
    xlsx = await lise.get("/api/offices/nav-sagene/matrix", params={"format": "xlsx"})
    assert xlsx.content[:2] == b"PK"
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None and sheet.title == "nav-sagene"  # named, not "Sheet"
    assert [c.value for c in sheet[2]] == ["A1", "Kari", "leder", "completed"]
    unmatched = (await admin.get("/api/unmatched-actors")).json()
    assert [u["key"] for u in unmatched] == ["mbox|mailto:who@elsewhere.example"]


async def test_voiding_removes_the_completion(app: FastAPI, client: httpx.AsyncClient) -> None:
    admin = await signed_in(app, "admin")
    await admin.post("/api/people", params={"accept_new_offices": "true"}, json=PEOPLE)
    statement = {
        "actor": {"mbox": "mailto:kari@nav.no"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
        "object": {"id": ACTIVITY},
    }
    [statement_id] = (await client.post("/xapi/statements", json=statement)).json()
    kari = await signed_in(app, "kari")
    assert (await kari.get("/api/me/requirements")).json()[0]["status"] == "completed"
    voiding = {
        "actor": {"mbox": "mailto:lise@nav.no"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/voided"},
        "object": {"objectType": "StatementRef", "id": statement_id},
    }
    await client.post("/xapi/statements", json=voiding)
    assert (await kari.get("/api/me/requirements")).json()[0]["status"] != "completed"


@pytest.mark.parametrize(
    ("username", "path"),
    [
        pytest.param("kari", "/api/people/B1/requirements", id="learner-other-person"),
        pytest.param("lise", "/api/offices/nav-frogner/matrix", id="leader-other-office"),
        pytest.param("lise", "/api/regions/oslo/offices", id="leader-county"),
        pytest.param("per", "/api/unmatched-actors", id="leader-admin-list"),
    ],
)
async def test_denials_over_http(app: FastAPI, username: str, path: str) -> None:
    admin = await signed_in(app, "admin")
    await admin.post("/api/people", params={"accept_new_offices": "true"}, json=PEOPLE)
    http = await signed_in(app, username)
    response = await http.get(path)
    assert response.status_code == 403
    assert response.json()["message"].startswith("you may not see")


async def test_session_cookie_flags_and_sign_out(app: FastAPI) -> None:
    http = make_client(app, auth=None, version="")
    refused = await http.post("/api/session", json={"username": "kari", "password": "wrong"})
    assert refused.status_code == 401
    assert "WWW-Authenticate" not in refused.headers
    response = await http.post("/api/session", json={"username": "kari", "password": PASSWORD})
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie
    assert (await http.get("/api/me")).json()["person"] == "A1"
    assert (await http.delete("/api/session")).status_code == 204
    behind_tls = await http.post(
        "/api/session",
        json={"username": "kari", "password": PASSWORD},
        headers={"X-Forwarded-Proto": "https"},
    )
    assert "secure" in behind_tls.headers["set-cookie"].lower()
    assert (await make_client(app, auth=None, version="").get("/api/me")).status_code == 401


async def test_bad_people_rows_import_nothing(app: FastAPI) -> None:
    admin = await signed_in(app, "admin")
    rows = [PEOPLE[0], {**PEOPLE[1], "email": "not-an-email"}]
    response = await admin.post("/api/people", params={"accept_new_offices": "true"}, json=rows)
    assert response.status_code == 400
    assert "row 3, email" in response.json()["message"]
    assert (await admin.get("/api/people/A1/requirements")).status_code == 404


async def test_leader_exempts_with_a_reason_and_it_is_audited(app: FastAPI) -> None:
    admin = await signed_in(app, "admin")
    await admin.post("/api/people", params={"accept_new_offices": "true"}, json=PEOPLE)
    lise = await signed_in(app, "lise")
    no_reason = await lise.post(
        "/api/people/A1/exemptions", json={"package": "pakke", "reason": " "}
    )
    assert no_reason.status_code == 400
    granted = await lise.post(
        "/api/people/A1/exemptions", json={"package": "pakke", "reason": "Har tilsvarende kurs"}
    )
    assert granted.status_code == 204
    kari = await signed_in(app, "kari")
    assert (await kari.get("/api/me/requirements")).json()[0]["status"] == "waived"
    [granted_event] = (await lise.get("/api/people/A1/exemptions")).json()["history"]
    assert (granted_event["by"], granted_event["reason"]) == ("lise", "Har tilsvarende kurs")
    other = await lise.post(
        "/api/people/B1/exemptions", json={"package": "pakke", "reason": "Ikke min"}
    )
    assert other.status_code == 403
    learner = await kari.post("/api/people/A1/exemptions", json={"package": "pakke", "reason": "x"})
    assert learner.status_code == 403


async def test_rebuild_from_the_lrs_equals_the_incremental_projection(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    admin = await signed_in(app, "admin")
    await admin.post("/api/people", params={"accept_new_offices": "true"}, json=PEOPLE)
    ids = []
    for actor in ("kari@nav.no", "per@nav.no", "kari@nav.no"):
        statement = {
            "actor": {"mbox": f"mailto:{actor}"},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
            "object": {"id": ACTIVITY},
        }
        ids += (await client.post("/xapi/statements", json=statement)).json()
    voiding = {
        "actor": {"mbox": "mailto:lise@nav.no"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/voided"},
        "object": {"objectType": "StatementRef", "id": ids[1]},
    }
    await client.post("/xapi/statements", json=voiding)
    service = app.state.catalog
    incremental = await projection_state(service)
    assert len(incremental["evidence"]) == 2
    assert incremental["voided"] == [ids[1]]
    count = await service.rebuild()
    assert count == 4  # every statement of the log, the voided one too (it credits nothing)
    assert await projection_state(service) == incremental
