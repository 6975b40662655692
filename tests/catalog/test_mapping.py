"""Competence mapping through the JSON API, on every backend: the leader opens and closes a
round, each employee answers once (and changes it while it is open), the leader sees the
profile per area and role against the required levels with the gaps and last year beside it,
the county sees aggregates of five or more; and the denials."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from openpyxl import load_workbook

from catalog import CatalogInvalid, load_catalog
from catalog._mapping import Answer, CompetenceMapping
from kompetanse.app import create_app
from kompetanse.settings import Settings
from tests.catalog.test_api import PASSWORD, signed_in
from tests.catalog.test_load import ROLES, write

pytestmark = pytest.mark.anyio
YEAR = date.today().year


def person(number: int, office: str, roles: list[str]) -> dict[str, Any]:
    return {
        "employee_id": f"M{number}",
        "name": f"Ansatt {number}",
        "email": f"m{number}@nav.no",
        "office": office,
        "region": "oslo",
        "roles": roles,
        "employer": "state",
        "start_date": "2020-01-01",
    }


# nav-sagene: six follow-up counsellors (M1-M6) and its leader (M7); nav-frogner: three (M8-M10)
PEOPLE = [
    *(person(n, "nav-sagene", ["veileder-oppfolging"]) for n in range(1, 7)),
    person(7, "nav-sagene", ["leder"]),
    *(person(n, "nav-frogner", ["veileder-oppfolging"]) for n in range(8, 11)),
]
USERS = [
    ("admin", "admin", {}),
    ("lise", "leader", {"office": "nav-sagene", "person": "M7"}),
    ("per", "leader", {"office": "nav-frogner"}),
    ("fylke", "coordinator", {"region": "oslo"}),
    ("direktorat", "directorate", {}),
    *((f"m{n}", "learner", {"person": f"M{n}"}) for n in range(1, 11)),
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


def ratings(level: int) -> dict[str, Any]:
    return {
        "ratings": {"oppfolging-og-veiledning": level, "arbeidsevnevurdering": 4},
        "education": {"level": "bachelor", "field": "Sosialt arbeid", "year": 2015},
    }


async def answer_all(app: FastAPI, levels: dict[int, int]) -> None:
    for number, level in levels.items():
        http = await signed_in(app, f"m{number}")
        answered = await http.put("/api/me/mapping", json=ratings(level))
        assert answered.status_code == 200, answered.text


async def test_a_round_opened_answered_and_closed_gives_the_profile(app: FastAPI) -> None:
    lise = await signed_in(app, "lise")
    opened = await lise.post("/api/offices/nav-sagene/mapping-rounds")
    assert opened.status_code == 201, opened.text
    assert (opened.json()["year"], opened.json()["status"]) == (YEAR, "open")
    again = await lise.post("/api/offices/nav-sagene/mapping-rounds")
    assert again.status_code == 409

    await answer_all(app, {1: 2, 2: 2, 3: 3, 4: 3, 5: 4, 6: 1})
    m1 = await signed_in(app, "m1")
    changed = await m1.put("/api/me/mapping", json=ratings(3))  # editable while open
    assert changed.status_code == 200
    mine = (await m1.get("/api/me/mapping")).json()
    assert mine["answer"]["ratings"]["oppfolging-og-veiledning"] == 3
    assert mine["answer"]["education"] == {
        "level": "bachelor",
        "field": "Sosialt arbeid",
        "year": 2015,
    }
    assert [a["year"] for a in mine["history"]] == [YEAR]  # answered once per round

    profile = (await lise.get("/api/offices/nav-sagene/mapping-profile")).json()
    assert profile["individual"] is True and profile["answered"] == 6
    area = next(a for a in profile["areas"] if a["area"] == "oppfolging-og-veiledning")
    assert (area["answered"], area["mean"]) == (6, 2.67)
    assert area["levels"] == {"1": 1, "2": 1, "3": 3, "4": 1}
    [role] = profile["roles"]
    cell = next(c for c in role["areas"] if c["area"] == "oppfolging-og-veiledning")
    assert (cell["required"], cell["people"], cell["below"], cell["share"]) == (3, 6, 2, 0.333)
    unrated = next(c for c in role["areas"] if c["area"] == "basiskompetanse")
    assert (unrated["unrated"], unrated["below"]) == (6, 0)
    below = {(g["person"], g["area"]) for g in profile["gaps"]}
    assert ("M2", "oppfolging-og-veiledning") in below and (
        "M6",
        "oppfolging-og-veiledning",
    ) in below
    assert next(g for g in profile["gaps"] if g["person"] == "M2")["name"] == "Ansatt 2"
    assert profile["education"]["bachelor"] == 6
    first = profile["needs"][0]  # what a competence plan's priorities start from
    assert first == {"area": "oppfolging-og-veiledning", "people": 6, "below": 2, "share": 0.333}

    closed = await lise.post(f"/api/offices/nav-sagene/mapping-rounds/{YEAR}/close")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    late = await m1.put("/api/me/mapping", json=ratings(4))
    assert late.status_code == 409  # not editable once closed
    [held] = (await lise.get("/api/offices/nav-sagene/mapping-rounds")).json()
    assert (held["answered"], held["people"], held["status"]) == (6, 7, "closed")
    audit = await app.state.accounts.audit.entries(action="mapping-round", target="nav-sagene")
    assert sorted((e["actor"], e["detail"]["change"]) for e in audit) == [
        ("lise", "closed"),
        ("lise", "opened"),
    ]


async def test_last_year_beside_this_year(app: FastAPI) -> None:
    mapping: CompetenceMapping = app.state.catalog.mapping
    then = datetime(YEAR - 1, 3, 1, tzinfo=UTC)
    held = await mapping.store.open("nav-sagene", "oslo", YEAR - 1, "lise", then)
    for number in range(1, 7):
        document = await mapping.people.person_document(f"M{number}")
        assert document is not None
        await mapping.store.save(held, document, Answer({"oppfolging-og-veiledning": 1}), then)
    await mapping.store.close("nav-sagene", YEAR - 1, "lise", then, 7)
    lise = await signed_in(app, "lise")
    await lise.post("/api/offices/nav-sagene/mapping-rounds")
    await answer_all(app, {1: 3, 2: 3, 3: 3, 4: 2, 5: 4, 6: 4})

    profile = (await lise.get("/api/offices/nav-sagene/mapping-profile")).json()
    assert profile["previous_year"] == YEAR - 1
    area = next(a for a in profile["areas"] if a["area"] == "oppfolging-og-veiledning")
    assert (area["mean"], area["previous_mean"]) == (3.17, 1.0)
    cell = next(c for c in profile["roles"][0]["areas"] if c["area"] == "oppfolging-og-veiledning")
    assert (cell["below"], cell["previous_below"]) == (1, 6)
    old = await lise.get("/api/offices/nav-sagene/mapping-profile", params={"year": YEAR - 1})
    assert old.json()["round"]["status"] == "closed" and old.json()["answered"] == 6

    exported = await lise.get("/api/offices/nav-sagene/mapping-profile", params={"format": "csv"})
    assert exported.status_code == 200
    assert "attachment" in exported.headers["content-disposition"]
    lines = exported.text.splitlines()
    assert lines[0].startswith("Kontor,Kartlegging,Åpnet,Lukket,Rolle,Kompetanseområde")
    row = next(line for line in lines if "Veileder oppfølging,Oppfølging og veiledning" in line)
    opened = date.today().strftime("%d.%m.%Y")
    assert f",{YEAR},{opened},," in row and ',3,6,"3,2",1,17,0,,6,' in row
    xlsx = await lise.get("/api/offices/nav-sagene/mapping-profile", params={"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None and sheet["F1"].value == "Kompetanseområde"


async def test_the_county_sees_aggregates_of_five_or_more(app: FastAPI) -> None:
    for leader, office in (("lise", "nav-sagene"), ("per", "nav-frogner")):
        http = await signed_in(app, leader)
        assert (await http.post(f"/api/offices/{office}/mapping-rounds")).status_code == 201
    await answer_all(app, {1: 2, 2: 2, 3: 3, 4: 3, 5: 4, 6: 1, 8: 1, 9: 2, 10: 3})

    fylke = await signed_in(app, "fylke")
    county = (await fylke.get("/api/regions/oslo/mapping")).json()
    offices = {o["office"]: o for o in county["offices"]}
    sagene, frogner = offices["nav-sagene"], offices["nav-frogner"]
    assert sagene["answered"] == 6 and sagene["gaps"] is None  # no one's gaps
    area = next(a for a in sagene["areas"] if a["area"] == "oppfolging-og-veiledning")
    assert area["mean"] == 2.5
    assert frogner == {**frogner, "answered": None, "suppressed": "fewer than 5 people"}
    assert frogner["areas"] == [] and frogner["roles"] == []

    office = (await fylke.get("/api/offices/nav-sagene/mapping-profile")).json()
    assert office["individual"] is False and office["gaps"] is None
    small = (await fylke.get("/api/offices/nav-frogner/mapping-profile")).json()
    assert small["suppressed"] == "fewer than 5 people" and small["areas"] == []
    exported = await fylke.get("/api/offices/nav-frogner/mapping-profile", params={"format": "csv"})
    assert "Utelatt: færre enn 5 personer" in exported.text and "Oppfølging" not in exported.text
    national = await signed_in(app, "direktorat")
    assert (await national.get("/api/offices/nav-frogner/mapping-profile")).json()["areas"] == []


@pytest.mark.parametrize(
    ("username", "method", "path"),
    [
        pytest.param(
            "per", "POST", "/api/offices/nav-sagene/mapping-rounds", id="other-leader-opens"
        ),
        pytest.param(
            "per", "GET", "/api/offices/nav-sagene/mapping-profile", id="other-leader-profile"
        ),
        pytest.param(
            "per",
            "GET",
            f"/api/offices/nav-sagene/mapping-rounds/{YEAR}/answers",
            id="other-answers",
        ),
        pytest.param("m1", "POST", "/api/offices/nav-sagene/mapping-rounds", id="learner-opens"),
        pytest.param("m1", "GET", "/api/people/M2/mapping", id="learner-another-person"),
        pytest.param(
            "m1", "GET", f"/api/offices/nav-sagene/mapping-rounds/{YEAR}/answers", id="learner-all"
        ),
        pytest.param("fylke", "GET", "/api/people/M2/mapping", id="county-a-person"),
        pytest.param(
            "fylke",
            "GET",
            f"/api/offices/nav-sagene/mapping-rounds/{YEAR}/answers",
            id="county-all",
        ),
        pytest.param("fylke", "POST", "/api/offices/nav-sagene/mapping-rounds", id="county-opens"),
        pytest.param("admin", "GET", "/api/people/M2/mapping", id="admin-a-person"),
        pytest.param("lise", "GET", "/api/regions/oslo/mapping", id="leader-the-county"),
        pytest.param("per", "GET", "/api/people/M2/mapping", id="other-leader-a-person"),
    ],
)
async def test_denials(app: FastAPI, username: str, method: str, path: str) -> None:
    lise = await signed_in(app, "lise")
    await lise.post("/api/offices/nav-sagene/mapping-rounds")
    await answer_all(app, {2: 3})
    http = await signed_in(app, username)
    response = await http.request(method, path)
    assert response.status_code == 403, response.text
    assert response.json()["message"].startswith("you may not see")


async def test_the_person_and_their_leader_see_the_answers(app: FastAPI) -> None:
    lise = await signed_in(app, "lise")
    await lise.post("/api/offices/nav-sagene/mapping-rounds")
    await answer_all(app, {2: 3})
    for username in ("m2", "lise"):
        http = await signed_in(app, username)
        [found] = (await http.get("/api/people/M2/mapping")).json()
        assert found["ratings"]["oppfolging-og-veiledning"] == 3
    [every] = (await lise.get(f"/api/offices/nav-sagene/mapping-rounds/{YEAR}/answers")).json()
    assert every["person"] == "M2"
    nobody = await (await signed_in(app, "m1")).get("/api/people/NOBODY/mapping")
    assert nobody.status_code == 403  # the same answer as for someone else


@pytest.mark.parametrize(
    ("body", "where"),
    [
        pytest.param({"ratings": {"basiskompetanse": 5}}, "ratings.basiskompetanse", id="level"),
        pytest.param({"ratings": {"ukjent": 2}}, "ratings.ukjent", id="unknown-area"),
        pytest.param({"ratings": {}}, "ratings", id="nothing-rated"),
        pytest.param(
            {"ratings": {"basiskompetanse": 2}, "education": {"level": "phd"}},
            "education.level",
            id="education-level",
        ),
        pytest.param(
            {"ratings": {"basiskompetanse": 2}, "education": {"field": "Jus"}},
            "education.level",
            id="field-without-level",
        ),
        pytest.param(
            {"ratings": {"basiskompetanse": 2}, "education": {"level": "master", "year": 3000}},
            "education.year",
            id="year",
        ),
        pytest.param([], "body", id="not-an-object"),
    ],
)
async def test_bad_answers_are_refused_naming_where(app: FastAPI, body: Any, where: str) -> None:
    lise = await signed_in(app, "lise")
    await lise.post("/api/offices/nav-sagene/mapping-rounds")
    m1 = await signed_in(app, "m1")
    refused = await m1.put("/api/me/mapping", json=body)
    assert refused.status_code == 400
    assert refused.json()["message"].startswith(f"{where}: ")


async def test_no_round_no_answer(app: FastAPI) -> None:
    m1 = await signed_in(app, "m1")
    assert (await m1.get("/api/me/mapping")).json()["round"] is None
    assert (await m1.put("/api/me/mapping", json=ratings(2))).status_code == 409
    lise = await signed_in(app, "lise")
    closing = await lise.post(f"/api/offices/nav-sagene/mapping-rounds/{YEAR}/close")
    assert closing.status_code == 409
    assert (await lise.get("/api/offices/nav-nowhere/mapping-rounds")).status_code == 404


@pytest.mark.parametrize(
    ("levels", "problem"),
    [
        pytest.param(
            "{ukjent: 2}", "roles[0].requires.levels.ukjent: no such competence area", id="area"
        ),
        pytest.param(
            "{a: 5}",
            "roles[0].requires.levels.a: Input should be less than or equal to 4",
            id="level",
        ),
    ],
)
def test_role_requirements_are_checked(tmp_path: Path, levels: str, problem: str) -> None:
    directory = write(tmp_path / "catalog")
    requires = f"    requires:\n      levels: {levels}\n      source: {{illustrative: true}}\n"
    (directory / "roles.yaml").write_text(ROLES + requires)
    with pytest.raises(CatalogInvalid) as raised:
        load_catalog(directory)
    assert f"roles.yaml: {problem}" in {str(p) for p in raised.value.problems}


async def test_answers_are_exported_and_erased_with_the_person(app: FastAPI) -> None:
    lise = await signed_in(app, "lise")
    await lise.post("/api/offices/nav-sagene/mapping-rounds")
    await answer_all(app, {2: 3, 3: 2})
    admin = await signed_in(app, "admin")
    export = (await admin.get("/api/people/M2/export")).json()
    assert [a["person"] for a in export["mapping_answers"]] == ["M2"]
    erased = await admin.post("/api/people/M2/erasure", json={"reason": "ønsket"})
    assert erased.status_code == 200, erased.text
    erasing_lise = await admin.post("/api/people/M7/erasure", json={"reason": "ønsket"})
    assert erasing_lise.status_code == 200
    mapping: CompetenceMapping = app.state.catalog.mapping
    assert [a["person"] for a in await mapping.store.answers_in(f"nav-sagene:{YEAR}")] == ["M3"]
    held = await mapping.store.round("nav-sagene", YEAR)
    assert held is not None and held["opened_by"].startswith("erased:")
