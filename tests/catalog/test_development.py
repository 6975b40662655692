"""Development plans through the JSON API: the leader records the talk and the goals (linked
to an area, a package or a local measure), the employee agrees, raises needs the leader
turns into goals or answers; progress from statements; the office's goals as CSV; and the
denials for every role."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import pytest
from fastapi import FastAPI
from openpyxl import load_workbook

from kompetanse.app import create_app
from kompetanse.settings import Settings
from tests.catalog.test_api import PASSWORD, signed_in
from tests.catalog.test_mapping import PEOPLE

pytestmark = pytest.mark.anyio
YEAR = date.today().year
DUE = f"{YEAR + 1}-01-31"  # not late whatever the day
PLANS = "/api/people/M2/development-plans"

USERS = [
    ("admin", "admin", {}),
    ("lise", "leader", {"office": "nav-sagene", "person": "M7"}),
    ("per", "leader", {"office": "nav-frogner"}),
    ("fylke", "coordinator", {"region": "oslo"}),
    ("direktorat", "directorate", {}),
    ("m1", "learner", {"person": "M1"}),
    ("m2", "learner", {"person": "M2"}),
    ("m7", "learner", {"person": "M7"}),
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
        yield application


async def plan_with_goals(app: FastAPI) -> dict[str, Any]:
    lise = await signed_in(app, "lise")
    created = await lise.post(
        PLANS, json={"year": YEAR, "talk": {"day": f"{YEAR}-02-01", "summary": "God samtale."}}
    )
    assert created.status_code == 201, created.text
    for goal in (
        {"text": "Fullføre AEV", "package": "arbeidsevnevurdering", "due": DUE},
        {
            "text": "Bedre veiledning",
            "area": "oppfolging-og-veiledning",
            "due": "31.01." + str(YEAR + 1),
        },
        {"text": "Hospitere", "measure": "To dager på NAV Frogner", "due": f"{YEAR - 1}-12-01"},
    ):
        added = await lise.post(f"{PLANS}/{YEAR}/goals", json=goal)
        assert added.status_code == 201, added.text
    plan: dict[str, Any] = added.json()
    return plan


async def test_the_leader_records_the_talk_and_goals_and_the_employee_agrees(
    app: FastAPI,
) -> None:
    plan = await plan_with_goals(app)
    assert plan["talk"]["day"] == f"{YEAR}-02-01" and plan["talk"]["summary"] == "God samtale."
    assert [g["due"] for g in plan["goals"]] == [DUE, DUE, f"{YEAR - 1}-12-01"]
    assert plan["agreed"] is False and plan["leader_agreed_at"] is not None
    late = plan["goals"][2]
    assert late["late"] is True and late["measure"] == "To dager på NAV Frogner"
    package = plan["goals"][0]["progress"]
    assert package["status"] in ("not_started", "due_soon", "overdue", "not_assigned")

    m2 = await signed_in(app, "m2")
    agreed = await m2.post(f"{PLANS}/{YEAR}/agree")
    assert agreed.status_code == 200 and agreed.json()["agreed"] is True
    [seen] = (await m2.get(PLANS)).json()
    assert seen["agreed"] and len(seen["goals"]) == 3

    lise = await signed_in(app, "lise")
    goal = plan["goals"][0]["id"]
    done = await lise.patch(f"{PLANS}/{YEAR}/goals/{goal}", json={"status": "done"})
    assert done.status_code == 200 and done.json()["agreed"] is True  # status: still agreed
    moved = await lise.patch(f"{PLANS}/{YEAR}/goals/{goal}", json={"due": f"{YEAR + 1}-02-20"})
    assert moved.json()["agreed"] is False  # a new due day: the employee agrees again
    again = await lise.post(PLANS, json={"year": YEAR})
    assert again.status_code == 409

    talk = await lise.put(
        f"{PLANS}/{YEAR}/talk", json={"day": "03.02." + str(YEAR), "summary": "Rettet."}
    )
    assert talk.json()["talk"]["day"] == f"{YEAR}-02-03"


async def test_progress_comes_from_statements(app: FastAPI) -> None:
    await plan_with_goals(app)
    service = app.state.catalog
    package = service.catalog.package("arbeidsevnevurdering")
    module = package.modules[0]
    row = await service.statuses.person_row("M2")
    assert row is not None
    assigned = {s.package_id: s.status for s in row.statuses}
    lise = await signed_in(app, "lise")
    [plan] = (await lise.get(PLANS)).json()
    shown = plan["goals"][0]["progress"]["status"]
    assert shown == assigned.get("arbeidsevnevurdering", "not_assigned")
    assert plan["goals"][1]["progress"] == {"completed": []}
    assert module.id  # the package has modules the statements would complete


async def test_needs_are_raised_turned_into_goals_or_answered(app: FastAPI) -> None:
    m2 = await signed_in(app, "m2")
    first = await m2.post(
        "/api/people/M2/development-needs",
        json={"area": "sykefravaersoppfolging", "text": "Jeg mangler kurs."},
    )
    assert first.status_code == 201, first.text
    second = await m2.post(
        "/api/people/M2/development-needs", json={"area": "pensjonsreformen", "text": "Pensjon"}
    )
    lise = await signed_in(app, "lise")
    open_needs = (await lise.get("/api/offices/nav-sagene/development-needs")).json()
    assert [n["text"] for n in open_needs] == ["Jeg mangler kurs.", "Pensjon"]
    assert open_needs[0]["name"] == "Ansatt 2"

    made = await lise.post(
        f"/api/offices/nav-sagene/development-needs/{first.json()['id']}/goal",
        json={"due": DUE, "answer": "Vi tar det inn i planen."},
    )
    assert made.status_code == 200, made.text
    [goal] = made.json()["goals"]  # the plan was made for it
    assert (goal["area"], goal["text"], goal["need"]) == (
        "sykefravaersoppfolging",
        "Jeg mangler kurs.",
        first.json()["id"],
    )
    closed = await lise.post(
        f"/api/offices/nav-sagene/development-needs/{second.json()['id']}/close",
        json={"answer": "Ikke i år."},
    )
    assert closed.json()["status"] == "closed"
    twice = await lise.post(
        f"/api/offices/nav-sagene/development-needs/{second.json()['id']}/close",
        json={"answer": "Igjen"},
    )
    assert twice.status_code == 409
    assert (await lise.get("/api/offices/nav-sagene/development-needs")).json() == []
    mine = (await m2.get("/api/people/M2/development-needs")).json()
    assert {n["status"] for n in mine} == {"goal", "closed"}
    assert next(n for n in mine if n["status"] == "closed")["answer"] == "Ikke i år."

    overview = (await lise.get("/api/offices/nav-sagene/development-plans")).json()
    m2_row = next(p for p in overview["people"] if p["person"] == "M2")
    assert (m2_row["plan"], m2_row["goals"], m2_row["open_needs"]) == ("waiting", 1, 0)
    assert next(p for p in overview["people"] if p["person"] == "M1")["plan"] == "none"


async def test_the_office_goals_download(app: FastAPI) -> None:
    await plan_with_goals(app)
    lise = await signed_in(app, "lise")
    exported = await lise.get("/api/offices/nav-sagene/development-goals", params={"format": "csv"})
    assert exported.status_code == 200 and "attachment" in exported.headers["content-disposition"]
    lines = exported.text.splitlines()
    assert lines[0] == "Ansattnummer,Navn,År,Mål,Kobling,Frist,Status,Forsinket,Fremdrift,Enige"
    assert f"M2,Ansatt 2,{YEAR},Fullføre AEV,Pakke: " in lines[1]
    assert f",31.01.{YEAR + 1},Åpent,Nei," in lines[1]
    assert "Kompetanseområde: Oppfølging og veiledning" in lines[2]
    assert "Ingen fullførte pakker" in lines[2]
    assert f"Lokalt tiltak: To dager på NAV Frogner,01.12.{YEAR - 1},Åpent,Ja" in lines[3]
    xlsx = await lise.get("/api/offices/nav-sagene/development-goals", params={"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None and sheet["D1"].value == "Mål"
    audit = (await (await signed_in(app, "admin")).get("/api/audit")).json()
    assert any(e.get("action") == "development-plan" for e in audit)


@pytest.mark.parametrize(
    ("username", "method", "path", "body"),
    [
        pytest.param("m1", "GET", PLANS, None, id="learner-another-person"),
        pytest.param("m1", "GET", "/api/people/M2/development-needs", None, id="learner-needs"),
        pytest.param(
            "m1",
            "POST",
            "/api/people/M2/development-needs",
            {"area": "basiskompetanse", "text": "x"},
            id="learner-raises-for-another",
        ),
        pytest.param("m2", "POST", PLANS, {"year": YEAR}, id="learner-makes-own-plan"),
        pytest.param(
            "m2",
            "POST",
            f"{PLANS}/{YEAR}/goals",
            {"text": "x", "area": "basiskompetanse", "due": DUE},
            id="learner-adds-goal",
        ),
        pytest.param(
            "m2", "GET", "/api/offices/nav-sagene/development-needs", None, id="learner-office"
        ),
        pytest.param("m1", "POST", f"{PLANS}/{YEAR}/agree", None, id="learner-agrees-for-another"),
        pytest.param("per", "GET", PLANS, None, id="other-leader-plans"),
        pytest.param("per", "POST", PLANS, {"year": YEAR}, id="other-leader-creates"),
        pytest.param(
            "per", "GET", "/api/offices/nav-sagene/development-needs", None, id="other-leader-needs"
        ),
        pytest.param(
            "per", "GET", "/api/offices/nav-sagene/development-goals", None, id="other-leader-csv"
        ),
        pytest.param("lise", "POST", f"{PLANS}/{YEAR}/agree", None, id="leader-agrees-for-them"),
        pytest.param(
            "lise",
            "POST",
            "/api/people/M2/development-needs",
            {"area": "basiskompetanse", "text": "x"},
            id="leader-raises-for-them",
        ),
        pytest.param(
            "lise", "POST", "/api/people/M7/development-plans", {"year": YEAR}, id="leader-own"
        ),
        pytest.param("fylke", "GET", PLANS, None, id="county-plans"),
        pytest.param(
            "fylke", "GET", "/api/offices/nav-sagene/development-needs", None, id="county-needs"
        ),
        pytest.param(
            "fylke", "GET", "/api/offices/nav-sagene/development-goals", None, id="county-csv"
        ),
        pytest.param("direktorat", "GET", PLANS, None, id="directorate-plans"),
        pytest.param(
            "direktorat",
            "GET",
            "/api/offices/nav-sagene/development-plans",
            None,
            id="directorate-office",
        ),
        pytest.param("admin", "GET", PLANS, None, id="admin-plans"),
        pytest.param("admin", "POST", PLANS, {"year": YEAR}, id="admin-creates"),
        pytest.param(
            "admin", "GET", "/api/offices/nav-sagene/development-needs", None, id="admin-needs"
        ),
        pytest.param("m1", "GET", "/api/people/NOBODY/development-plans", None, id="nobody"),
    ],
)
async def test_denials(
    app: FastAPI, username: str, method: str, path: str, body: dict[str, Any] | None
) -> None:
    await plan_with_goals(app)
    http = await signed_in(app, username)
    response = await http.request(method, path, json=body)
    assert response.status_code == 403, response.text
    assert response.json()["message"].startswith("you may not")


async def test_the_person_and_their_leader_see_the_plan(app: FastAPI) -> None:
    await plan_with_goals(app)
    for username in ("m2", "lise"):
        http = await signed_in(app, username)
        [plan] = (await http.get(PLANS)).json()
        assert len(plan["goals"]) == 3
    m7 = await signed_in(app, "m7")  # the leader's own plans: theirs to see, not to make
    assert (await m7.get("/api/people/M7/development-plans")).json() == []


@pytest.mark.parametrize(
    ("path", "body", "where"),
    [
        pytest.param("goals", {"text": "x", "due": DUE}, "link", id="no-link"),
        pytest.param(
            "goals",
            {"text": "x", "due": DUE, "area": "basiskompetanse", "measure": "y"},
            "link",
            id="two-links",
        ),
        pytest.param("goals", {"text": "x", "due": DUE, "area": "ukjent"}, "area", id="area"),
        pytest.param("goals", {"text": "x", "due": DUE, "package": "nei"}, "package", id="pkg"),
        pytest.param(
            "goals", {"text": "x", "due": "31.02.2026", "area": "basiskompetanse"}, "due", id="day"
        ),
        pytest.param("goals", {"due": DUE, "area": "basiskompetanse"}, "text", id="text"),
        pytest.param("talk", {"day": "i går", "summary": "x"}, "day", id="talk-day"),
        pytest.param("talk", {"day": DUE}, "summary", id="talk-summary"),
        pytest.param("talk", [], "body", id="not-an-object"),
    ],
)
async def test_bad_input_is_refused_naming_where(
    app: FastAPI, path: str, body: Any, where: str
) -> None:
    await plan_with_goals(app)
    lise = await signed_in(app, "lise")
    method = "PUT" if path == "talk" else "POST"
    refused = await lise.request(method, f"{PLANS}/{YEAR}/{path}", json=body)
    assert refused.status_code == 400, refused.text
    assert refused.json()["message"].startswith(f"{where}: ")
    status = await lise.patch(f"{PLANS}/{YEAR}/goals/nope", json={"status": "maybe"})
    assert status.status_code == 400 and status.json()["message"].startswith("status: ")
    need = await (await signed_in(app, "m2")).post(
        "/api/people/M2/development-needs", json={"area": "ukjent", "text": ""}
    )
    assert need.status_code == 400 and need.json()["message"].startswith("area: ")
    far = await lise.post("/api/people/M1/development-plans", json={"year": YEAR + 5})
    assert far.status_code == 400 and far.json()["message"].startswith("year: ")


async def test_plans_and_needs_are_exported_and_erased_with_the_person(app: FastAPI) -> None:
    await plan_with_goals(app)
    m2 = await signed_in(app, "m2")
    await m2.post(
        "/api/people/M2/development-needs", json={"area": "pensjonsreformen", "text": "Pensjon"}
    )
    admin = await signed_in(app, "admin")
    export = (await admin.get("/api/people/M2/export")).json()
    assert [p["person"] for p in export["development_plans"]] == ["M2"]
    assert [n["text"] for n in export["development_needs"]] == ["Pensjon"]
    erased = await admin.post("/api/people/M2/erasure", json={"reason": "ønsket"})
    assert erased.status_code == 200, erased.text
    store = app.state.catalog.development.store
    assert await store.plans_of("M2") == [] and await store.needs_of("M2") == []
