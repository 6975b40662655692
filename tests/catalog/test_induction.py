"""Induction plans with a buddy through the JSON API, on every backend: the leader keeps the
office's template, importing a new hire makes their plan (once), the leader names a buddy of
the office, the buddy confirms learning shoulder to shoulder (an xAPI statement) and marks
items done, the leader sees what is late and downloads the plans; and every role's denials."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi import FastAPI

from catalog._induction import parse_items, with_lateness
from catalog._load import load_catalog
from kompetanse.app import create_app
from kompetanse.settings import Settings
from tests.catalog.test_api import PASSWORD, signed_in

pytestmark = pytest.mark.anyio
TODAY = date.today()
STARTED = (TODAY - timedelta(days=10)).isoformat()


def person(ident: str, office: str, start: str = "2020-01-01") -> dict[str, Any]:
    return {
        "employee_id": ident,
        "name": f"Ansatt {ident}",
        "email": f"{ident.lower()}@nav.no",
        "office": office,
        "region": "oslo" if office != "nav-bergen" else "vestland",
        "roles": ["veileder-oppfolging"],
        "employer": "state",
        "start_date": start,
    }


# nav-sagene: the leader (S1), a colleague to be buddy (S2), another colleague (S4), a new hire
# (S3, started ten days ago); nav-frogner: F1; nav-bergen (another county): B1.
PEOPLE = [
    person("S1", "nav-sagene"),
    person("S2", "nav-sagene"),
    person("S4", "nav-sagene"),
    person("F1", "nav-frogner"),
    person("B1", "nav-bergen"),
]
NEW_HIRE = person("S3", "nav-sagene", STARTED)
USERS = [
    ("admin", "admin", {}),
    ("lise", "leader", {"office": "nav-sagene", "person": "S1"}),
    ("per", "leader", {"office": "nav-frogner", "person": "F1"}),
    ("fylke", "coordinator", {"region": "oslo"}),
    ("vest", "coordinator", {"region": "vestland"}),
    ("direktorat", "directorate", {}),
    ("s2", "learner", {"person": "S2"}),
    ("s3", "learner", {"person": "S3"}),
    ("s4", "learner", {"person": "S4"}),
]
ITEMS = [
    {
        "id": "velkommen",
        "title": {"nb": "Velkomstsamtale med leder", "en": "Welcome talk with the leader"},
        "days": 0,
        "responsible": "leader",
    },
    {
        "id": "ny-i-nav",
        "title": {"nb": "E-læring i Ny i NAV", "en": "Ny i NAV e-learning"},
        "days": 30,
        "responsible": "new_hire",
        "package": "ny-i-nav",
        "module": "e-laering",
    },
    {
        "id": "brukersamtaler",
        "title": {"nb": "Brukersamtaler med fadder", "en": "User conversations with the buddy"},
        "days": 40,
        "responsible": "new_hire",
        "measure": "Fem brukersamtaler sammen med fadder",
    },
]


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[FastAPI]:
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        accounts = application.state.accounts
        for username, role, unit in USERS:
            await accounts.add_user(username, PASSWORD, role, **unit)
        admin = await signed_in(application, "admin")
        imported = await admin.post(
            "/api/people", params={"accept_new_offices": "true"}, json=PEOPLE
        )
        assert imported.status_code == 200, imported.text
        lise = await signed_in(application, "lise")
        saved = await lise.put("/api/offices/nav-sagene/induction-template", json={"items": ITEMS})
        assert saved.status_code == 200, saved.text
        yield application


async def hire(app: FastAPI) -> None:
    admin = await signed_in(app, "admin")
    imported = await admin.post("/api/people", json=[NEW_HIRE])
    assert imported.status_code == 200, imported.text


async def test_importing_a_new_hire_makes_their_plan_once(app: FastAPI) -> None:
    lise = await signed_in(app, "lise")
    assert (await lise.get("/api/offices/nav-sagene/induction-plans")).json() == []  # none
    await hire(app)
    await hire(app)  # again: the same plan, not a second one
    [plan] = (await lise.get("/api/offices/nav-sagene/induction-plans")).json()
    assert (plan["person"], plan["start_date"], plan["source"]) == ("S3", STARTED, "import")
    due = {item["id"]: item["due"] for item in plan["items"]}
    assert due["ny-i-nav"] == (TODAY + timedelta(days=20)).isoformat()
    assert plan["late"] == 1  # the welcome talk was due on the start date
    assert [i["id"] for i in plan["items"] if i["late"]] == ["velkommen"]
    assert (await lise.get("/api/people/S2/induction-plan")).status_code == 404  # no new hire
    s3 = await signed_in(app, "s3")
    mine = (await s3.get("/api/me/induction-plan")).json()
    assert mine["person"] == "S3" and len(mine["items"]) == 3


async def test_the_leader_names_a_buddy_who_confirms_learning(app: FastAPI) -> None:
    await hire(app)
    lise = await signed_in(app, "lise")
    wrong = await lise.put("/api/people/S3/induction-plan/buddy", json={"buddy": "F1"})
    assert (wrong.status_code, wrong.json()["path"]) == (400, "buddy")  # another office
    named = await lise.put("/api/people/S3/induction-plan/buddy", json={"buddy": "S2"})
    assert named.status_code == 200 and named.json()["buddy_name"] == "Ansatt S2"

    s2 = await signed_in(app, "s2")
    [mine] = (await s2.get("/api/me/induction-buddies")).json()
    assert mine["person"] == "S3"
    done = await s2.post("/api/people/S3/induction-plan/items/brukersamtaler/done")
    assert done.status_code == 200, done.text
    item = next(i for i in done.json()["items"] if i["id"] == "brukersamtaler")
    assert item["confirmed_by"] == "S2" and item["statement"]
    stored = await app.state.statements.get(item["statement"], voided=False, credential_mine=None)
    assert stored["actor"]["account"]["name"] == "S3"
    assert stored["context"]["instructor"]["account"]["name"] == "S2"
    again = await s2.post("/api/people/S3/induction-plan/items/brukersamtaler/done")
    assert again.status_code == 409

    # An e-learning module is credited by its own statements, never on a buddy's word.
    course = await s2.post("/api/people/S3/induction-plan/items/ny-i-nav/done")
    marked = next(i for i in course.json()["items"] if i["id"] == "ny-i-nav")
    assert marked["done_by"] == "S2" and "statement" not in marked and "confirmed_by" not in marked

    welcome = await lise.post("/api/people/S3/induction-plan/items/velkommen/done")
    held = next(i for i in welcome.json()["items"] if i["id"] == "velkommen")
    assert held["done_by"] == "S1" and "statement" not in held  # plan state, not learning
    assert welcome.json()["late"] == 0
    audit = await app.state.accounts.audit.entries(action="induction", target="S3")
    assert {e["detail"]["change"] for e in audit} == {"buddy", "done"}


async def test_the_new_hire_marks_only_their_own_items(app: FastAPI) -> None:
    await hire(app)
    s3 = await signed_in(app, "s3")
    refused = await s3.post("/api/people/S3/induction-plan/items/velkommen/done")
    assert refused.status_code == 403  # the leader's item
    own = await s3.post("/api/people/S3/induction-plan/items/ny-i-nav/done")
    item = next(i for i in own.json()["items"] if i["id"] == "ny-i-nav")
    assert own.status_code == 200 and "confirmed_by" not in item  # not their own confirmation


async def test_the_leader_makes_a_plan_by_hand_and_downloads_the_plans(app: FastAPI) -> None:
    lise = await signed_in(app, "lise")
    made = await lise.post("/api/offices/nav-sagene/induction-plans", json={"person": "S4"})
    assert made.status_code == 201 and made.json()["source"] == "leader"
    again = await lise.post("/api/offices/nav-sagene/induction-plans", json={"person": "S4"})
    assert again.status_code == 409
    elsewhere = await lise.post("/api/offices/nav-sagene/induction-plans", json={"person": "F1"})
    assert (elsewhere.status_code, elsewhere.json()["path"]) == (400, "person")
    exported = await lise.get("/api/offices/nav-sagene/induction-plans", params={"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert len(rows) == 3 and rows[0]["Navn"] == "Ansatt S4"
    assert rows[0]["Startdato"] == "01.01.2020" and rows[0]["Forsinket"] == "Ja"
    fylke = await signed_in(app, "fylke")
    assert (await fylke.get("/api/offices/nav-sagene/induction-plans")).status_code == 200
    assert (await fylke.get("/api/people/S4/induction-plan")).status_code == 200


@pytest.mark.parametrize(
    ("items", "path"),
    [
        pytest.param([{**ITEMS[0], "days": -1}], "items[0].days", id="negative-days"),
        pytest.param([{**ITEMS[0], "responsible": "buddy"}], "items[0].responsible", id="whom"),
        pytest.param([{**ITEMS[0], "title": {"nb": ""}}], "items[0].title.nb", id="no-title"),
        pytest.param([ITEMS[0], ITEMS[0]], "items[1].id", id="same-id"),
        pytest.param([{**ITEMS[1], "module": "nei"}], "items[0].module", id="no-such-module"),
        pytest.param([{**ITEMS[1], "measure": "x"}], "items[0].measure", id="module-and-measure"),
        pytest.param("punkt", "items", id="not-a-list"),
    ],
)
async def test_a_bad_template_names_the_field(app: FastAPI, items: Any, path: str) -> None:
    lise = await signed_in(app, "lise")
    refused = await lise.put("/api/offices/nav-sagene/induction-template", json={"items": items})
    assert (refused.status_code, refused.json()["path"]) == (400, path), refused.text
    kept = (await lise.get("/api/offices/nav-sagene/induction-template")).json()
    assert len(kept["items"]) == 3  # unchanged


TEMPLATE = "/api/offices/nav-sagene/induction-template"
PLANS = "/api/offices/nav-sagene/induction-plans"
PLAN = "/api/people/S3/induction-plan"
BUDDY = {"buddy": "S2"}
DONE = f"{PLAN}/items/ny-i-nav/done"


@pytest.mark.parametrize(
    ("username", "method", "path", "body"),
    [
        pytest.param("s2", "PUT", TEMPLATE, {}, id="learner-template"),
        pytest.param("per", "PUT", TEMPLATE, {}, id="other-leader-template"),
        pytest.param("fylke", "PUT", TEMPLATE, {}, id="coordinator-template"),
        pytest.param("direktorat", "PUT", TEMPLATE, {}, id="directorate-template"),
        pytest.param("admin", "PUT", TEMPLATE, {}, id="admin-template"),
        pytest.param("s2", "GET", PLANS, None, id="learner-plans"),
        pytest.param("per", "GET", PLANS, None, id="other-leader-plans"),
        pytest.param("vest", "GET", PLANS, None, id="other-county-plans"),
        pytest.param("s4", "GET", PLAN, None, id="colleague-a-plan"),
        pytest.param("per", "GET", PLAN, None, id="other-leader-a-plan"),
        pytest.param("vest", "GET", PLAN, None, id="other-county-a-plan"),
        pytest.param("s2", "PUT", f"{PLAN}/buddy", BUDDY, id="learner-names-buddy"),
        pytest.param("fylke", "PUT", f"{PLAN}/buddy", BUDDY, id="coordinator-names-buddy"),
        pytest.param("per", "PUT", f"{PLAN}/buddy", BUDDY, id="other-leader-names-buddy"),
        pytest.param("admin", "PUT", f"{PLAN}/buddy", BUDDY, id="admin-names-buddy"),
        pytest.param("s4", "POST", DONE, None, id="colleague-marks"),
        pytest.param("fylke", "POST", DONE, None, id="coordinator-marks"),
        pytest.param("direktorat", "POST", DONE, None, id="directorate-marks"),
        pytest.param("per", "POST", PLANS, {"person": "S4"}, id="other-leader-makes"),
        pytest.param("s3", "POST", PLANS, {"person": "S4"}, id="learner-makes"),
    ],
)
async def test_denials(
    app: FastAPI, username: str, method: str, path: str, body: dict[str, Any] | None
) -> None:
    await hire(app)
    http = await signed_in(app, username)
    response = await http.request(method, path, json=body)
    assert response.status_code == 403, response.text
    assert response.json()["message"].startswith("you may not")


async def test_a_buddy_sees_only_their_own_new_hires(app: FastAPI) -> None:
    await hire(app)
    lise = await signed_in(app, "lise")
    await lise.post("/api/offices/nav-sagene/induction-plans", json={"person": "S4"})
    await lise.put("/api/people/S3/induction-plan/buddy", json={"buddy": "S2"})
    s2 = await signed_in(app, "s2")
    assert (await s2.get("/api/people/S3/induction-plan")).status_code == 200
    assert (await s2.get("/api/people/S4/induction-plan")).status_code == 403
    assert [p["person"] for p in (await s2.get("/api/me/induction-buddies")).json()] == ["S3"]
    await lise.put("/api/people/S3/induction-plan/buddy", json={"buddy": None})
    assert (await s2.get("/api/people/S3/induction-plan")).status_code == 403  # no longer


def test_lateness_is_a_passed_due_day_not_done() -> None:
    catalog = load_catalog()
    items, problems = parse_items(catalog, ITEMS)
    assert problems == {}
    plan = {
        "person": "X",
        "items": [
            {**items[0], "due": "2026-01-01"},
            {**items[1], "due": "2026-01-01", "done_at": "2026-01-02T09:00:00+00:00"},
            {**items[2], "due": "2026-02-01"},
        ],
    }
    shown = with_lateness(plan, date(2026, 2, 1))
    assert [i["late"] for i in shown["items"]] == [True, False, False]  # due today: not late
    assert (shown["late"], shown["done"]) == (1, 1)
    assert [i["learning"] for i in shown["items"]] == [False, True, True]
