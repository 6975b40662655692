"""Evaluation of training through the JSON API, on every backend: the learner evaluates what
she completed or attended and follows it up weeks later, as xAPI statements in the LRS that
follow the profile's templates and credit nothing; the owner sees the results with no names,
a group under five as counts only; and the denials for every role."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from adapters.profile import load_profile, validates
from adapters.vocabulary import BOOKKEEPING, EVALUATED, FOLLOWED_UP, template
from catalog import _evaluation
from catalog._evaluation import Answer, parse, summary
from kompetanse.app import create_app
from kompetanse.settings import Settings
from tests.adapters.test_adapter_profile import EVALUATION_TEMPLATES
from tests.catalog.test_api import PASSWORD, signed_in
from tests.catalog.test_load import PACKAGE, write

pytestmark = pytest.mark.anyio
TEMPLATES = load_profile()["templates"]
BASE = "https://kompetanse.nav.no/xapi"
LONG_AGO = datetime.now(UTC) - timedelta(days=60)


def person(number: int, office: str) -> dict[str, Any]:
    return {
        "employee_id": f"M{number}",
        "name": f"Ansatt {number}",
        "email": f"m{number}@nav.no",
        "office": office,
        "region": "oslo",
        "roles": ["leder"],
        "employer": "state",
        "start_date": "2020-01-01",
    }


PEOPLE = [*(person(n, "nav-sagene") for n in range(1, 8)), person(8, "nav-frogner")]
USERS = [
    ("admin", "admin", {}),
    ("lise", "leader", {"office": "nav-sagene"}),
    ("per", "leader", {"office": "nav-frogner"}),
    ("fylke", "coordinator", {"region": "oslo"}),
    ("viken", "coordinator", {"region": "viken"}),
    ("direktorat", "directorate", {}),
    *((f"m{n}", "learner", {"person": f"M{n}"}) for n in range(1, 9)),
]


def package(id: str, owner: str) -> str:
    return (
        PACKAGE.replace("id: pakke", f"id: {id}")
        .replace("owner: directorate", owner)
        .replace("activities/pakke/modul", f"activities/{id}/modul")
    )


@pytest.fixture
async def app(settings: Settings, tmp_path: Path) -> AsyncIterator[FastAPI]:
    directory = write(tmp_path / "catalog")
    (directory / "packages" / "fylke.yaml").write_text(
        package("fylkespakke", "owner: county\nowner_unit: oslo")
    )
    (directory / "packages" / "kontor.yaml").write_text(
        package("kontorpakke", "owner: office\nowner_unit: nav-sagene")
    )
    settings.catalog_dir = directory
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        for username, role, unit in USERS:
            await application.state.accounts.add_user(username, PASSWORD, role, **unit)
        admin = await signed_in(application, "admin")
        imported = await admin.post(
            "/api/people", params={"accept_new_offices": "true"}, json=PEOPLE
        )
        assert imported.status_code == 200, imported.text
        yield application


async def complete(client: httpx.AsyncClient, number: int, package: str = "pakke") -> None:
    statement = {
        "actor": {"account": {"homePage": "https://ident.nav.no", "name": f"M{number}"}},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
        "object": {"id": f"{BASE}/activities/{package}/modul"},
        "timestamp": LONG_AGO.isoformat(),
    }
    stored = await client.post("/xapi/statements", json=statement)
    assert stored.status_code == 200, stored.text


def evaluation(overall: int, relevance: int, comment: str = "", **more: Any) -> dict[str, Any]:
    return {
        "kind": "evaluation",
        "package": "pakke",
        "overall": overall,
        "relevance": relevance,
        "comment": comment,
        **more,
    }


async def test_evaluation_and_follow_up_are_profile_statements_that_credit_nothing(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    await complete(client, 1)
    m1 = await signed_in(app, "m1")
    requirements = (await m1.get("/api/me/requirements")).json()
    record_before = (await m1.get("/api/me/record")).json()
    [item] = (await m1.get("/api/me/evaluations")).json()["items"]
    assert (item["package"], item["session"], item["awaits"]) == ("pakke", None, "evaluation")
    assert item["follow_up_due"] == (LONG_AGO.date() + timedelta(weeks=6)).isoformat()

    given = await m1.post("/api/evaluations", json=evaluation(4, 5, "Nyttig"))
    assert given.status_code == 201, given.text
    built = given.json()["statement"]
    assert validates(built, TEMPLATES) == ("success", [template("training-evaluated")])
    stored = await client.get("/xapi/statements", params={"statementId": given.json()["id"]})
    assert stored.status_code == 200, stored.text
    found = stored.json()
    assert found["verb"]["id"] == EVALUATED and found["actor"]["account"]["name"] == "M1"
    assert found["object"]["id"] == f"{BASE}/packages/pakke"
    assert found["result"]["score"]["raw"] == 4 and found["result"]["response"] == "Nyttig"
    assert validates(found, TEMPLATES)[0] == "success"
    again = await m1.post("/api/evaluations", json=evaluation(2, 2))
    assert again.status_code == 409

    [item] = (await m1.get("/api/me/evaluations")).json()["items"]
    assert item["evaluated"] and item["awaits"] == "follow-up"  # 60 days ago: due
    followed = await m1.post(
        "/api/evaluations",
        json={"kind": "follow-up", "package": "pakke", "changed": "partly", "comment": "Litt"},
    )
    assert followed.status_code == 201, followed.text
    follow_up = followed.json()["statement"]
    assert follow_up["verb"]["id"] == FOLLOWED_UP
    assert follow_up["context"]["statement"] == {"objectType": "StatementRef", "id": found["id"]}
    assert validates(follow_up, TEMPLATES) == ("success", [template("training-followed-up")])
    [item] = (await m1.get("/api/me/evaluations")).json()["items"]
    assert item["followed_up"] and item["awaits"] is None

    # not completion evidence, not learning in the record, not an unknown activity
    assert (await m1.get("/api/me/requirements")).json() == requirements
    record = (await m1.get("/api/me/record")).json()
    assert record["entries"].keys() == record_before["entries"].keys()
    assert not {e["verb_id"] for e in record["entries"].values()} & BOOKKEEPING
    admin = await signed_in(app, "admin")
    unmapped = (await admin.get("/api/unmapped-activities")).json()
    assert f"{BASE}/packages/pakke" not in str(unmapped)


async def test_bad_answers_name_the_field(app: FastAPI, client: httpx.AsyncClient) -> None:
    await complete(client, 1)
    m1 = await signed_in(app, "m1")
    cases = [
        (evaluation(7, 3), "overall"),
        (evaluation(3, 0), "relevance"),
        ({**evaluation(3, 3), "overall": True}, "overall"),
        ({**evaluation(3, 3), "package": ""}, "package"),
        ({**evaluation(3, 3), "kind": "rating"}, "kind"),
        ({**evaluation(3, 3), "comment": "x" * 2001}, "comment"),
        ({"kind": "follow-up", "package": "pakke", "changed": "maybe"}, "changed"),
        (evaluation(3, 3, package="kontorpakke"), "package"),  # not completed
        (evaluation(3, 3, package="ingen", session="ingen"), "session"),
    ]
    for body, path in cases:
        refused = await m1.post("/api/evaluations", json=body)
        assert refused.status_code == 400, (body, refused.text)
        assert path in refused.text, (path, refused.text)
    broken = await m1.post(
        "/api/evaluations", content=b"{", headers={"content-type": "application/json"}
    )
    assert broken.status_code == 400 and "body" in broken.text


async def test_the_follow_up_waits_for_its_weeks(
    app: FastAPI, client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app.state.settings, "follow_up_weeks", 12)  # KOMPETANSE_FOLLOW_UP_WEEKS
    await complete(client, 2)
    m2 = await signed_in(app, "m2")
    assert (await m2.post("/api/evaluations", json=evaluation(3, 3))).status_code == 201
    [item] = (await m2.get("/api/me/evaluations")).json()["items"]
    assert item["awaits"] is None
    assert item["follow_up_due"] == (LONG_AGO.date() + timedelta(weeks=12)).isoformat()
    early = await m2.post(
        "/api/evaluations", json={"kind": "follow-up", "package": "pakke", "changed": "yes"}
    )
    assert early.status_code == 400 and "follow-up opens" in early.text


async def test_no_one_evaluates_for_another(app: FastAPI, client: httpx.AsyncClient) -> None:
    await complete(client, 1)
    await complete(client, 2)
    for username in ("m2", "lise", "fylke", "direktorat", "admin"):
        http = await signed_in(app, username)
        refused = await http.post("/api/evaluations", json=evaluation(1, 1, person="M1"))
        assert refused.status_code in (400, 403), (username, refused.text)
        if username == "m2":
            assert refused.status_code == 403
    m1 = await signed_in(app, "m1")
    assert (await m1.get("/api/me/evaluations")).json()["items"][0]["evaluated"] is None


async def test_the_owner_sees_results_without_names(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    for number in range(1, 7):
        await complete(client, number)
        await complete(client, number, "kontorpakke")
    direktorat = await signed_in(app, "direktorat")
    for number, (overall, relevance) in enumerate([(5, 4), (4, 4), (3, 2), (4, 5)], start=1):
        http = await signed_in(app, f"m{number}")
        given = await http.post("/api/evaluations", json=evaluation(overall, relevance, "Bra"))
        assert given.status_code == 201
    few = (await direktorat.get("/api/packages/pakke/evaluations")).json()
    assert few["evaluations"] == 4 and few["evaluation_suppressed"] is True
    assert "overall" not in few and "evaluation_comments" not in few  # under five: counts

    m5 = await signed_in(app, "m5")
    await m5.post("/api/evaluations", json=evaluation(2, 3, "For lang"))
    for number, changed in ((1, "yes"), (2, "partly"), (3, "no"), (4, "yes"), (5, "no")):
        http = await signed_in(app, f"m{number}")
        body = {"kind": "follow-up", "package": "pakke", "changed": changed}
        assert (await http.post("/api/evaluations", json=body)).status_code == 201
    result = (await direktorat.get("/api/packages/pakke/evaluations")).json()
    assert result["evaluations"] == 5 and result["follow_ups"] == 5
    assert result["overall"] == {
        "mean": 3.6,
        "distribution": {"1": 0, "2": 1, "3": 1, "4": 2, "5": 1},
    }
    assert result["relevance"]["mean"] == 3.6
    assert result["changed"] == {"yes": 2, "partly": 1, "no": 2}
    assert result["changed_share"] == 0.6
    assert result["evaluation_comments"] == ["Bra", "Bra", "Bra", "Bra", "For lang"]
    assert "M1" not in str(result) and "Ansatt" not in str(result)  # no names
    exported = await direktorat.get("/api/packages/pakke/evaluations", params={"format": "csv"})
    assert exported.status_code == 200
    lines = exported.text.splitlines()
    assert lines[0] == "Spørsmål,Svar,Antall,Andel (%),Snitt"
    assert "Endret praksis,Ja,2,40," in lines and 'Samlet inntrykk,,,,"3,6"' in lines
    xlsx = await direktorat.get("/api/packages/pakke/evaluations", params={"format": "xlsx"})
    assert xlsx.content[:2] == b"PK"

    lise = await signed_in(app, "lise")  # her office's package: the owner
    m6 = await signed_in(app, "m6")
    body = evaluation(5, 5, package="kontorpakke")
    assert (await m6.post("/api/evaluations", json=body)).status_code == 201
    office = (await lise.get("/api/packages/kontorpakke/evaluations")).json()
    assert office["evaluations"] == 1 and office["owner_unit"] == "nav-sagene"


@pytest.mark.parametrize(
    ("username", "package", "allowed"),
    [
        ("m1", "pakke", False),
        ("m1", "kontorpakke", False),
        ("lise", "pakke", False),  # national: the directorate's
        ("lise", "kontorpakke", True),
        ("per", "kontorpakke", False),  # another office's
        ("fylke", "fylkespakke", True),
        ("fylke", "pakke", False),
        ("fylke", "kontorpakke", False),
        ("viken", "fylkespakke", False),  # another county's
        ("direktorat", "pakke", True),
        ("direktorat", "fylkespakke", False),
        ("admin", "kontorpakke", True),
    ],
)
async def test_who_sees_a_packages_results(
    app: FastAPI, username: str, package: str, allowed: bool
) -> None:
    http = await signed_in(app, username)
    response = await http.get(f"/api/packages/{package}/evaluations")
    assert response.status_code == (200 if allowed else 403), response.text
    exported = await http.get(f"/api/packages/{package}/evaluations", params={"format": "csv"})
    assert exported.status_code == (200 if allowed else 403)


async def test_a_session_is_evaluated_by_who_attended(app: FastAPI) -> None:
    today = date.today()
    classroom = app.state.catalog.classroom
    past = await classroom.add("pakke", "modul", "oslo", today - timedelta(days=10), 10)
    coming = await classroom.add("pakke", "modul", "oslo", today + timedelta(days=10), 10)
    for number in (1, 2, 3):
        await classroom.enrol(past.id, f"M{number}")
        await classroom.enrol(coming.id, f"M{number}")
    m1 = await signed_in(app, "m1")
    [item] = (await m1.get("/api/me/evaluations")).json()["items"]  # not the coming one
    assert (item["session"], item["awaits"]) == (past.id, "evaluation")
    for number in (1, 2):
        http = await signed_in(app, f"m{number}")
        body = evaluation(4, 4, package="", session=past.id)
        given = await http.post("/api/evaluations", json=body)
        assert given.status_code == 201, given.text
        grouping = given.json()["statement"]["context"]["contextActivities"]["grouping"]
        assert grouping[0]["id"] == f"{BASE}/sessions/{past.id}"
        assert validates(given.json()["statement"], TEMPLATES)[0] == "success"
    early = await m1.post(
        "/api/evaluations", json={"kind": "follow-up", "session": past.id, "changed": "yes"}
    )
    assert early.status_code == 400  # six weeks after the last day
    m4 = await signed_in(app, "m4")  # not there
    absent = await m4.post("/api/evaluations", json=evaluation(1, 1, session=past.id))
    assert absent.status_code == 400 and "session" in absent.text
    future = await m1.post("/api/evaluations", json=evaluation(1, 1, session=coming.id))
    assert future.status_code == 400

    for username, allowed in (
        ("fylke", True),
        ("direktorat", True),  # the package's owner, and sees every county
        ("admin", True),
        ("viken", False),
        ("lise", False),
        ("per", False),
        ("m1", False),
    ):
        http = await signed_in(app, username)
        response = await http.get(f"/api/sessions/{past.id}/evaluations")
        assert response.status_code == (200 if allowed else 403), (username, response.text)
        if allowed:
            found = response.json()
            assert (found["evaluations"], found["enrolled"]) == (2, 3)
            assert found["evaluation_suppressed"] is True
    package = await (await signed_in(app, "direktorat")).get("/api/packages/pakke/evaluations")
    assert package.json()["evaluations"] == 2  # the package's results include its sessions'
    missing = await (await signed_in(app, "fylke")).get("/api/sessions/ingen/evaluations")
    assert missing.status_code == 404


def test_parse_and_summary_alone() -> None:
    answer, problems = parse({"kind": "evaluation", "package": "p", "overall": "3", "relevance": 5})
    assert problems == {} and answer == Answer("evaluation", "p", None, 3, 5, None, "")
    assert parse({"kind": "follow-up", "package": "p"})[1] == {"changed": "yes, partly or no"}
    empty = summary([])
    assert empty["evaluations"] == 0 and empty["evaluation_suppressed"] is True


def test_the_profile_test_knows_the_evaluation_templates() -> None:
    assert _evaluation.TEMPLATES == EVALUATION_TEMPLATES
