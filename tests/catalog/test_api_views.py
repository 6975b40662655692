"""Leader overview, learner record, county pipeline and sessions, directorate view, over HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from catalog._access import Viewer
from catalog._people import parse_rows
from kompetanse.app import create_app
from kompetanse.settings import Settings
from tests.catalog.projection import composed
from tests.catalog.test_api import PASSWORD, signed_in
from tests.catalog.test_load import PACKAGE, write

pytestmark = pytest.mark.anyio
BASE = "https://kompetanse.nav.no/xapi/activities/pakke"
CLASSROOM = PACKAGE.replace(
    "audiences: [{priority: skal, roles: [leder]}]",
    "audiences: [{priority: skal, all_employees: true}]",
).replace(
    "source: {illustrative: true}\n",
    f"""  - id: samling
    name: {{nb: Samling, en: Gathering}}
    method: e-laering
    activities: ["{BASE}/samling"]
    classroom: true
    estimated_hours: 7
due: {{relative_to: start_date, period: P6M}}
pipeline: true
source: {{illustrative: true}}
""",
)
TODAY = date.today()


def hired(days_ago: int) -> str:
    return (TODAY - timedelta(days=days_ago)).isoformat()


PEOPLE = [
    {
        "employee_id": "A1",
        "name": "Kari",
        "email": "kari@nav.no",
        "office": "nav-sagene",
        "region": "oslo",
        "roles": ["leder"],
        "employer": "state",
        "start_date": hired(170),
    },
    {
        "employee_id": "A2",
        "name": "Ola",
        "email": "ola@nav.no",
        "office": "nav-sagene",
        "region": "oslo",
        "roles": [],
        "employer": "state",
        "start_date": hired(20),
    },
    {
        "employee_id": "C1",
        "name": "Siv",
        "email": "siv@nav.no",
        "office": "nav-bergenhus",
        "region": "vestland",
        "roles": [],
        "employer": "state",
        "start_date": hired(20),
    },
]


ACCOUNTS: dict[str, tuple[str, dict[str, str]]] = {
    "admin": ("admin", {}),
    "dina": ("directorate", {}),
    "kim": ("coordinator", {"region": "oslo"}),
    "vera": ("coordinator", {"region": "vestland"}),
    "lise": ("leader", {"office": "nav-sagene"}),
    "kari": ("learner", {"person": "A1"}),
    "ola": ("learner", {"person": "A2"}),
    "siv": ("learner", {"person": "C1"}),
}


@asynccontextmanager
async def classroom_app(
    settings: Settings, tmp_path: Path, *usernames: str
) -> AsyncIterator[FastAPI]:
    """The app on the classroom package (CLASSROOM) with PEOPLE imported by the admin, and the
    users of ACCOUNTS named (the admin always)."""
    settings.catalog_dir = write(tmp_path / "catalog", package=CLASSROOM)
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        accounts = application.state.accounts
        for username in ("admin", *usernames):
            role, unit = ACCOUNTS[username]
            await accounts.add_user(username, PASSWORD, role, **unit)
        admin = await signed_in(application, "admin")
        imported = await admin.post(
            "/api/people", params={"accept_new_offices": "true"}, json=PEOPLE
        )
        assert imported.status_code == 200
        yield application


@pytest.fixture
async def app(settings: Settings, tmp_path: Path) -> AsyncIterator[FastAPI]:
    async with classroom_app(settings, tmp_path, "dina", "kim", "lise", "kari") as application:
        yield application


async def test_pipeline_lists_who_cannot_make_the_deadline(app: FastAPI) -> None:
    kim = await signed_in(app, "kim")
    starts = (TODAY + timedelta(days=60)).isoformat()
    created = await kim.post(
        "/api/regions/oslo/sessions",
        json={"package": "pakke", "module": "samling", "starts": starts, "seats": 1},
    )
    assert created.status_code == 201, created.text
    pipeline = (await kim.get("/api/regions/oslo/pipeline")).json()
    [module] = pipeline["modules"]
    assert [p["person"] for p in module["at_risk"]] == ["A1"]  # due in ~10 days
    assert [p["person"] for p in module["placed"]] == ["A2"]
    session_id = created.json()["id"]
    lise = await signed_in(app, "lise")
    first = await lise.post(f"/api/sessions/{session_id}/enrolments", json={"person": "A2"})
    second = await lise.post(f"/api/sessions/{session_id}/enrolments", json={"person": "A1"})
    assert (first.json(), second.json()) == ({"result": "enrolled"}, {"result": "waitlisted"})
    sessions = (await kim.get("/api/regions/oslo/sessions")).json()
    assert (sessions[0]["enrolled"], sessions[0]["waitlist"]) == (1, 1)
    kari = await signed_in(app, "kari")
    [requirement] = (await kari.get("/api/me/requirements")).json()
    [samling] = requirement["next_sessions"]
    assert samling["meets_deadline"] is None  # the only session starts after her deadline
    assert samling["booked"][0]["waitlisted"] is True


async def test_a_seat_in_a_session_already_held_is_not_a_booking(app: FastAPI) -> None:
    """Kari had a seat in last month's gathering but was not marked as attending: she still
    needs the module, so the pipeline places her again and her record offers the next one."""
    classroom = app.state.commands.classroom
    held = await classroom.add("pakke", "samling", "oslo", TODAY - timedelta(days=30), 5)
    await classroom.enrol(held.id, "A1")
    kim = await signed_in(app, "kim")
    starts = (TODAY + timedelta(days=5)).isoformat()
    created = await kim.post(
        "/api/regions/oslo/sessions",
        json={"package": "pakke", "module": "samling", "starts": starts, "seats": 2},
    )
    pipeline = (await kim.get("/api/regions/oslo/pipeline")).json()
    [module] = pipeline["modules"]
    kari_row = next(p for p in module["placed"] if p["person"] == "A1")
    assert kari_row["booked"] is None and kari_row["session"] == created.json()["id"]
    kari = await signed_in(app, "kari")
    [requirement] = (await kari.get("/api/me/requirements")).json()
    [samling] = requirement["next_sessions"]
    assert samling["booked"] == []
    assert [s["id"] for s in samling["upcoming"]] == [created.json()["id"]]


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        pytest.param(
            {"package": "pakke", "module": "modul", "starts": "2027-01-01", "seats": 9},
            "classroom",
            id="not-a-classroom-module",
        ),
        pytest.param(
            {"package": "pakke", "module": "samling", "starts": "soon", "seats": 9},
            "starts",
            id="bad-date",
        ),
        pytest.param(
            {"package": "pakke", "module": "samling", "starts": "2027-01-01", "seats": 0},
            "seats",
            id="no-seats",
        ),
    ],
)
async def test_bad_sessions_are_refused(
    app: FastAPI, body: dict[str, object], fragment: str
) -> None:
    kim = await signed_in(app, "kim")
    response = await kim.post("/api/regions/oslo/sessions", json=body)
    assert response.status_code == 400
    assert fragment in response.json()["message"]


async def test_coordinators_and_leaders_stay_in_their_units(app: FastAPI) -> None:
    kim = await signed_in(app, "kim")
    assert (await kim.get("/api/regions/vestland/pipeline")).status_code == 403
    refused = await kim.post(
        "/api/regions/vestland/sessions",
        json={"package": "pakke", "module": "samling", "starts": "2027-01-01", "seats": 5},
    )
    assert refused.status_code == 403
    lise = await signed_in(app, "lise")
    assert (await lise.get("/api/regions")).status_code == 403
    assert (await lise.get("/api/people/C1/record")).status_code == 403


async def test_leader_overview(app: FastAPI, client: httpx.AsyncClient) -> None:
    done = {
        "actor": {"mbox": "mailto:ola@nav.no"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
        "object": {"id": f"{BASE}/samling"},
    }
    await client.post("/xapi/statements", json=done)
    lise = await signed_in(app, "lise")
    overview = (await lise.get("/api/offices/nav-sagene/overview")).json()
    assert overview["people"] == 2
    assert [item["person"] for item in overview["due_soon"]] == ["A1"]
    assert overview["hours_by_month"][TODAY.strftime("%Y-%m")] == 7
    [package] = overview["packages"]
    assert (package["package"], package["people"]) == ("pakke", {"skal": 2})
    assert overview["coverage"]["basiskompetanse"]["leder"] == {"required": 1, "covered": 0}


async def test_learner_record_and_directorate(app: FastAPI, client: httpx.AsyncClient) -> None:
    done = {
        "actor": {"mbox": "mailto:kari@nav.no"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
        "object": {"id": f"{BASE}/samling"},
    }
    [statement_id] = (await client.post("/xapi/statements", json=done)).json()
    shadowing = {
        "actor": {"account": {"homePage": "https://ident.nav.no", "name": "A1"}},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/attended"},
        "object": {"id": "https://kompetanse.nav.no/xapi/activities/hospitering/nav-frogner"},
        "result": {"duration": "PT7H30M"},
        "context": {
            "extensions": {
                "https://kompetanse.nav.no/xapi/extensions/training-method": "https://kompetanse.nav.no/xapi/methods/hospitering"
            }
        },
    }
    [other_id] = (await client.post("/xapi/statements", json=shadowing)).json()
    kari = await signed_in(app, "kari")
    record = (await kari.get("/api/me/record")).json()
    assert record["by_competence_area"] == {
        "(utenfor katalogen)": [other_id],
        "basiskompetanse": [statement_id],
    }
    assert record["by_training_method"] == {"e-laering": [statement_id], "hospitering": [other_id]}
    assert record["hours_this_year"] == 14.5
    dina = await signed_in(app, "dina")
    regions = {r["region"]: r for r in (await dina.get("/api/regions")).json()}
    assert (regions["oslo"]["people"], regions["vestland"]["people"]) == (2, 1)
    packages = (await kari.get("/api/catalog/packages")).json()
    assert packages[0]["iri"].endswith("/packages/pakke")


async def test_exports_and_people_lists(app: FastAPI) -> None:
    kari = await signed_in(app, "kari")
    csv_text = (await kari.get("/api/me/requirements", params={"format": "csv"})).text
    assert csv_text.splitlines()[0] == (
        "package_id,priority,status,due,completed_at,expires,estimated_hours,owner"
    )
    kim = await signed_in(app, "kim")
    offices = await kim.get("/api/regions/oslo/offices", params={"format": "xlsx"})
    assert offices.headers["Content-Disposition"] == 'attachment; filename="kontorer-oslo.xlsx"'
    assert (await kim.get("/api/regions/oslo/offices", params={"format": "pdf"})).status_code == 400
    lise = await signed_in(app, "lise")
    listed = (await lise.get("/api/people", params={"office": "nav-sagene"})).json()
    assert [p["employee_id"] for p in listed] == ["A1", "A2"]
    assert (await lise.get("/api/people", params={"region": "oslo"})).status_code == 403
    assert (await lise.get("/api/people")).status_code == 403
    assert len((await kim.get("/api/people", params={"region": "oslo"})).json()) == 2


@pytest.mark.parametrize("marked", [True, False])
async def test_the_pipeline_covers_the_packages_marked_for_it(
    database: Any, tmp_path: Path, marked: bool
) -> None:
    package = CLASSROOM if marked else CLASSROOM.replace("pipeline: true\n", "")
    services = await composed(database, write(tmp_path / "catalog", package=package), TODAY)
    parsed = parse_rows(
        iter(
            {k: ";".join(v) if isinstance(v, list) else v for k, v in row.items()} for row in PEOPLE
        )
    )
    await services.catalog.import_people(parsed.records)
    found = await services.catalog.reports.pipeline(
        Viewer("kim", "coordinator", region="oslo"), "oslo"
    )
    assert [(m["package"], m["module"]) for m in found["modules"]] == (
        [("pakke", "samling")] if marked else []
    )
