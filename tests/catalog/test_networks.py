"""Competence networks through the JSON API, on every backend: the county's coordinator creates
a network with members from two offices, records a meeting and who attended (each an xAPI
"attended" statement in the LRS); a member records that they shared it back at their office
(a "shared" statement); the office's leader sees their own people, who attended and who has not
shared back and for how many days, the coordinator the whole county, as JSON and CSV; and the
denials for every role."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi import FastAPI

from kompetanse.app import create_app
from kompetanse.settings import Settings
from tests.catalog.test_api import PASSWORD, signed_in
from tests.conftest import make_client

pytestmark = pytest.mark.anyio
TODAY = date.today()
HELD = TODAY - timedelta(days=10)


def person(number: int, office: str, region: str = "oslo") -> dict[str, Any]:
    return {
        "employee_id": f"N{number}",
        "name": f"Ansatt {number}",
        "email": f"n{number}@nav.no",
        "office": office,
        "region": region,
        "roles": ["ressursperson-fagnettverk"],
        "employer": "state",
        "start_date": "2020-01-01",
    }


# nav-sagene: N1, N2; nav-frogner: N3; nav-bergen (vestland): N4
PEOPLE = [
    person(1, "nav-sagene"),
    person(2, "nav-sagene"),
    person(3, "nav-frogner"),
    person(4, "nav-bergen", "vestland"),
]
USERS = [
    ("admin", "admin", {}),
    ("lise", "leader", {"office": "nav-sagene"}),
    ("per", "leader", {"office": "nav-frogner"}),
    ("fylke", "coordinator", {"region": "oslo"}),
    ("vest", "coordinator", {"region": "vestland"}),
    ("direktorat", "directorate", {}),
    *((f"n{n}", "learner", {"person": f"N{n}"}) for n in range(1, 5)),
]
NETWORK = "/api/regions/oslo/networks"


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


async def a_meeting(app: FastAPI) -> str:
    """The network with N1, N2 (Sagene) and N3 (Frogner), a meeting N1 and N3 attended."""
    fylke = await signed_in(app, "fylke")
    created = await fylke.post(
        NETWORK, json={"name": "Fagnettverk AAP", "id": "aap", "members": ["N1", "N2", "N3"]}
    )
    assert created.status_code == 201, created.text
    met = await fylke.post(
        f"{NETWORK}/aap/meetings",
        json={"held_on": HELD.isoformat(), "topic": "Ny rundskriv", "attended": ["N1", "N3"]},
    )
    assert met.status_code == 201, met.text
    key: str = met.json()["key"]
    return key


async def statements_of(app: FastAPI, person: str) -> list[dict[str, Any]]:
    found = await make_client(app).get(
        "/xapi/statements",
        params={
            "agent": f'{{"account": {{"homePage": "https://ident.nav.no", "name": "{person}"}}}}'
        },
    )
    assert found.status_code == 200, found.text
    statements: list[dict[str, Any]] = found.json()["statements"]
    return statements


async def test_a_meeting_attended_and_shared_back(app: FastAPI) -> None:
    key = await a_meeting(app)
    fylke = await signed_in(app, "fylke")
    [network] = (await fylke.get(NETWORK)).json()
    assert network["members"] == [
        {"office": "nav-frogner", "people": [{"person": "N3", "name": "Ansatt 3"}]},
        {
            "office": "nav-sagene",
            "people": [{"person": "N1", "name": "Ansatt 1"}, {"person": "N2", "name": "Ansatt 2"}],
        },
    ]
    [meeting] = network["meetings"]
    assert (meeting["topic"], meeting["held_on"], meeting["attended"]) == (
        "Ny rundskriv",
        HELD.isoformat(),
        ["N1", "N3"],
    )
    waiting = {a["person"]: a["days_waiting"] for a in meeting["attendance"]}
    assert waiting == {"N1": 10, "N2": None, "N3": 10}
    assert network["not_shared"] == 2

    [attended] = await statements_of(app, "N1")
    assert attended["verb"]["id"] == "http://adlnet.gov/expapi/verbs/attended"
    assert attended["object"]["id"].endswith("/oslo/aap/" + HELD.isoformat() + "/ny-rundskriv")

    n1 = await signed_in(app, "n1")
    mine = (await n1.get("/api/me/networks")).json()
    [row] = mine["networks"][0]["meetings"][0]["attendance"]
    assert (row["person"], row["attended"], row["shared"]) == ("N1", True, None)
    shared_on = (HELD + timedelta(days=3)).isoformat()
    shared = await n1.post(
        "/api/people/N1/networks/shared",
        json={
            "meeting": key,
            "shared_on": shared_on,
            "how": "personalmote",
            "text": "Gikk gjennom",
        },
    )
    assert shared.status_code == 201, shared.text
    assert shared.json()["office"] == "nav-sagene"
    again = await n1.post(
        "/api/people/N1/networks/shared",
        json={"meeting": key, "shared_on": shared_on, "how": "fagmote"},
    )
    assert again.status_code == 409
    verbs = sorted(s["verb"]["id"].rsplit("/", 1)[-1] for s in await statements_of(app, "N1"))
    assert verbs == ["attended", "shared"]
    sharing = next(s for s in await statements_of(app, "N1") if s["verb"]["id"].endswith("shared"))
    assert sharing["result"]["response"] == "personalmote: Gikk gjennom"

    lise = await signed_in(app, "lise")
    [office] = (await lise.get("/api/offices/nav-sagene/networks")).json()
    assert [m["office"] for m in office["members"]] == ["nav-sagene"]  # own people only
    attendance = {a["person"]: a for a in office["meetings"][0]["attendance"]}
    assert set(attendance) == {"N1", "N2"}
    assert attendance["N1"]["shared"]["how"] == "personalmote"
    assert attendance["N2"]["attended"] is False and office["not_shared"] == 0
    per = await signed_in(app, "per")
    [frogner] = (await per.get("/api/offices/nav-frogner/networks")).json()
    assert frogner["meetings"][0]["attendance"][0]["days_waiting"] == 10

    exported = await fylke.get(NETWORK, params={"format": "csv"})
    assert exported.status_code == 200 and "attachment" in exported.headers["content-disposition"]
    lines = exported.text.splitlines()
    assert lines[0] == "nettverk,møte,dato,ansatt,navn,kontor,deltok,delt,hvordan,dager_uten_deling"
    held = HELD.strftime("%d.%m.%Y")
    shared_day = (HELD + timedelta(days=3)).strftime("%d.%m.%Y")
    assert (
        f"Fagnettverk AAP,Ny rundskriv,{held},N1,Ansatt 1,nav-sagene,ja,{shared_day},personalmote,"
        in lines
    )
    assert f"Fagnettverk AAP,Ny rundskriv,{held},N3,Ansatt 3,nav-frogner,ja,,,10" in lines
    office_csv = await lise.get("/api/offices/nav-sagene/networks", params={"format": "csv"})
    assert "N3" not in office_csv.text and "N2" in office_csv.text


async def test_attendance_added_later(app: FastAPI) -> None:
    key = await a_meeting(app)
    fylke = await signed_in(app, "fylke")
    added = await fylke.put(
        f"{NETWORK}/aap/meetings/{key.split(':', 2)[2]}/attended", json={"attended": ["N2"]}
    )
    assert added.status_code == 200, added.text
    assert added.json()["attended"] == ["N1", "N2", "N3"]
    assert len(await statements_of(app, "N2")) == 1


@pytest.mark.parametrize(
    ("body", "path"),
    [
        pytest.param({"topic": "x", "attended": []}, "held_on", id="no-day"),
        pytest.param({"held_on": "2.3.2026", "topic": "x"}, "held_on", id="bad-day"),
        pytest.param({"held_on": "2099-01-01", "topic": "x"}, "held_on", id="future"),
        pytest.param({"held_on": "2026-01-01", "topic": " "}, "topic", id="no-topic"),
        pytest.param(
            {"held_on": "2026-01-01", "topic": "x", "attended": ["N4"]},
            "attended[0]",
            id="no-member",
        ),
        pytest.param(
            {"held_on": "2026-01-01", "topic": "x", "attended": "N1"}, "attended", id="not-list"
        ),
    ],
)
async def test_a_bad_meeting_names_the_field(app: FastAPI, body: dict[str, Any], path: str) -> None:
    await a_meeting(app)
    fylke = await signed_in(app, "fylke")
    refused = await fylke.post(f"{NETWORK}/aap/meetings", json=body)
    assert refused.status_code == 400, refused.text
    assert path in refused.text


async def test_bad_sharing_and_members_name_the_field(app: FastAPI) -> None:
    key = await a_meeting(app)
    n1 = await signed_in(app, "n1")
    for body, path in (
        ({"meeting": key, "shared_on": HELD.isoformat(), "how": "brev"}, "how"),
        (
            {"meeting": key, "shared_on": (HELD - timedelta(days=1)).isoformat(), "how": "fagmote"},
            "shared_on",
        ),
        ({"shared_on": HELD.isoformat(), "how": "fagmote"}, "meeting"),
    ):
        refused = await n1.post("/api/people/N1/networks/shared", json=body)
        assert refused.status_code == 400 and path in refused.text, refused.text
    n2 = await signed_in(app, "n2")  # a member who did not attend
    absent = await n2.post(
        "/api/people/N2/networks/shared",
        json={"meeting": key, "shared_on": TODAY.isoformat(), "how": "fagmote"},
    )
    assert absent.status_code == 404
    fylke = await signed_in(app, "fylke")
    outside = await fylke.put(f"{NETWORK}/aap/members", json={"members": ["N1", "N4"]})
    assert outside.status_code == 400 and "members[1]" in outside.text
    duplicate = await fylke.post(NETWORK, json={"name": "Fagnettverk AAP", "id": "aap"})
    assert duplicate.status_code == 409


@pytest.mark.parametrize(
    ("username", "method", "path"),
    [
        pytest.param("lise", "post", NETWORK, id="leader-creates"),
        pytest.param("n1", "post", NETWORK, id="learner-creates"),
        pytest.param("vest", "post", NETWORK, id="other-coordinator-creates"),
        pytest.param("direktorat", "post", NETWORK, id="directorate-creates"),
        pytest.param("lise", "put", f"{NETWORK}/aap/members", id="leader-members"),
        pytest.param("vest", "put", f"{NETWORK}/aap/members", id="other-coordinator-members"),
        pytest.param("lise", "post", f"{NETWORK}/aap/meetings", id="leader-meeting"),
        pytest.param("n1", "post", f"{NETWORK}/aap/meetings", id="learner-meeting"),
        pytest.param("vest", "post", f"{NETWORK}/aap/meetings", id="other-coordinator-meeting"),
        pytest.param("lise", "get", NETWORK, id="leader-county"),
        pytest.param("n1", "get", NETWORK, id="learner-county"),
        pytest.param("vest", "get", NETWORK, id="other-coordinator-county"),
        pytest.param("vest", "get", f"{NETWORK}/aap", id="other-coordinator-network"),
        pytest.param("per", "get", "/api/offices/nav-sagene/networks", id="other-leader-office"),
        pytest.param("n1", "get", "/api/offices/nav-sagene/networks", id="learner-office"),
        pytest.param(
            "vest", "get", "/api/offices/nav-sagene/networks", id="other-coordinator-office"
        ),
        pytest.param("n3", "post", "/api/people/N1/networks/shared", id="learner-shares-for-other"),
        pytest.param(
            "lise", "post", "/api/people/N1/networks/shared", id="leader-shares-for-member"
        ),
        pytest.param("fylke", "post", "/api/people/N1/networks/shared", id="coordinator-shares"),
        pytest.param("admin", "post", "/api/people/N1/networks/shared", id="admin-shares"),
    ],
)
async def test_denials(app: FastAPI, username: str, method: str, path: str) -> None:
    key = await a_meeting(app)
    http = await signed_in(app, username)
    body = {
        "name": "X",
        "members": ["N1"],
        "held_on": HELD.isoformat(),
        "topic": "Y",
        "attended": ["N1"],
        "meeting": key,
        "shared_on": TODAY.isoformat(),
        "how": "fagmote",
    }
    answer = await (http.get(path) if method == "get" else getattr(http, method)(path, json=body))
    assert answer.status_code == 403, answer.text
    assert "may not" in answer.text


async def test_who_may_see(app: FastAPI) -> None:
    await a_meeting(app)
    for username in ("fylke", "direktorat", "admin"):
        http = await signed_in(app, username)
        assert (await http.get(NETWORK)).status_code == 200
        assert (await http.get("/api/offices/nav-sagene/networks")).status_code == 200
    n4 = await signed_in(app, "n4")
    assert (await n4.get("/api/me/networks")).json()["networks"] == []


async def test_a_network_of_the_county_package_credits_its_modules(app: FastAPI) -> None:
    """Meetings of a network tied to the county's network package are its modules: attending
    the spring meeting and sharing it back complete two of its three modules."""
    fylke = await signed_in(app, "fylke")
    package = "fagnettverk-arbeidsavklaring-oslo"
    created = await fylke.post(
        NETWORK, json={"name": "Fagnettverket", "members": ["N1"], "package": package}
    )
    assert created.status_code == 201, created.text
    assert created.json()["package"] == package
    body = {"held_on": HELD.isoformat(), "topic": "Vår", "attended": ["N1"]}
    wrong = await fylke.post(f"{NETWORK}/fagnettverket/meetings", json={**body, "module": "deling"})
    assert wrong.status_code == 400 and "module" in wrong.text
    met = await fylke.post(
        f"{NETWORK}/fagnettverket/meetings", json={**body, "module": "samling-var"}
    )
    assert met.status_code == 201, met.text
    n1 = await signed_in(app, "n1")
    shared = await n1.post(
        "/api/people/N1/networks/shared",
        json={"meeting": met.json()["key"], "shared_on": TODAY.isoformat(), "how": "fagmote"},
    )
    assert shared.status_code == 201, shared.text
    activities = {s["object"]["id"] for s in await statements_of(app, "N1")}
    assert activities == {
        f"https://kompetanse.nav.no/xapi/activities/{package}/samling-var",
        f"https://kompetanse.nav.no/xapi/activities/{package}/deling",
    }
    [requirement] = [
        r for r in (await n1.get("/api/me/requirements")).json() if r["package_id"] == package
    ]
    assert requirement["status"] == "in_progress"
    modules = requirement["modules"]
    assert modules["samling-var"] is not None and modules["deling"] is not None
    assert modules["samling-host"] is None
    next_year = await fylke.post(  # the same module a year on: its own statements
        f"{NETWORK}/fagnettverket/meetings",
        json={**body, "held_on": TODAY.isoformat(), "topic": "Vår igjen", "module": "samling-var"},
    )
    assert next_year.status_code == 201, next_year.text
    assert len(await statements_of(app, "N1")) == 3

    elsewhere = await fylke.post(NETWORK, json={"name": "Y", "package": "ny-i-nav-x"})
    assert elsewhere.status_code == 400 and "package" in elsewhere.text
    unpackaged = await fylke.post(NETWORK, json={"name": "Z"})
    assert unpackaged.status_code == 201
    refused = await fylke.post(
        f"{NETWORK}/z/meetings", json={**body, "attended": [], "module": "x"}
    )
    assert refused.status_code == 400 and "module" in refused.text
