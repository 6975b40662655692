"""A person's data under GDPR through HTTP: the export, the erasure and its receipt, the
audit log of reads and changes with its retention, and one answer for every person id a
viewer may not see."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from catalog import NOT_PERSONAL, PERSONAL_COLLECTIONS
from kompetanse.app import create_app
from kompetanse.settings import Settings
from lrs.store import EmbeddedDatabase
from tests.catalog.projection import projection_state
from tests.catalog.test_api import ACTIVITY, PASSWORD, PEOPLE, signed_in
from tests.catalog.test_load import write

pytestmark = pytest.mark.anyio
KARI = {"mbox": "mailto:kari@nav.no"}
KARI_ACCOUNT = {"account": {"homePage": "https://ident.nav.no", "name": "A1"}}
PER = {"mbox": "mailto:per@nav.no"}
COMPLETED = {"id": "http://adlnet.gov/expapi/verbs/completed"}


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


async def populate(app: FastAPI, client: httpx.AsyncClient) -> dict[str, Any]:
    """Kari (A1) with statements, one of them voided by her leader, taught Per; an agent
    profile; an exemption granted and revoked; a classroom seat; her leader read her record."""
    admin = await signed_in(app, "admin")
    imported = await admin.post("/api/people", params={"accept_new_offices": "true"}, json=PEOPLE)
    assert imported.status_code == 200, imported.text
    statement = {"actor": KARI, "verb": COMPLETED, "object": {"id": ACTIVITY}}
    [own] = (await client.post("/xapi/statements", json=statement)).json()
    again = {**statement, "actor": KARI_ACCOUNT}
    [other] = (await client.post("/xapi/statements", json=again)).json()
    voiding = {
        "actor": {"mbox": "mailto:lise@nav.no"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/voided"},
        "object": {"objectType": "StatementRef", "id": other},
    }
    [voided_by] = (await client.post("/xapi/statements", json=voiding)).json()
    taught = {**statement, "actor": PER, "context": {"instructor": {**KARI, "name": "Kari N"}}}
    [per_statement] = (await client.post("/xapi/statements", json=taught)).json()
    profile = await client.put(
        "/xapi/agents/profile",
        params={"agent": json.dumps(KARI), "profileId": "preferanser"},
        json={"språk": "nb"},
        headers={"If-None-Match": "*"},
    )
    assert profile.status_code == 204, profile.text
    lise = await signed_in(app, "lise")
    for reason in ("Har tilsvarende kurs",):
        granted = await lise.post(
            "/api/people/A1/exemptions", json={"package": "pakke", "reason": reason}
        )
        assert granted.status_code == 204
    classroom = app.state.catalog.reports.classroom
    session = await classroom.add("pakke", "modul", "oslo", date(2027, 1, 4), 1)
    await classroom.enrol(session.id, "B1")
    await classroom.enrol(session.id, "A1")  # the waitlist
    assert (await lise.get("/api/people/A1/requirements")).status_code == 200
    return {
        "own": [own, other],
        "voided_by": voided_by,
        "per_statement": per_statement,
        "admin": admin,
        "lise": lise,
    }


async def test_the_export_holds_everything_about_the_person(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    made = await populate(app, client)
    response = await made["admin"].get("/api/people/A1/export")
    assert response.status_code == 200
    assert response.headers["content-disposition"] == 'attachment; filename="innsyn-A1.json"'
    found = response.json()
    assert found["people"][0]["email"] == "kari@nav.no"
    assert {s["statement"]["id"] for s in found["statements"]} == set(made["own"])
    assert [s["voided"] for s in found["statements"]].count(True) == 1
    assert [s["statement"]["id"] for s in found["mentioned_in_statements"]] == [
        made["per_statement"]
    ]
    assert [e["action"] for e in found["exemption_events"]] == ["grant"]
    assert found["classroom_sessions"][0]["waitlist"] == ["A1"]
    assert [u["_id"] for u in found["users"]] == ["kari"]
    assert "password_hash" not in found["users"][0]
    assert found["statuses"][0]["_id"] == "A1"
    assert {a["action"] for a in found["audit"]} >= {"read-record", "exemption"}
    assert json.loads(found["documents"][0]["content"]) == {"språk": "nb"}
    assert found["evidence"] and found["agents"]
    entries = (await made["admin"].get("/api/audit", params={"action": "export"})).json()
    assert [(e["actor"], e["target"]) for e in entries] == [("admin", "A1")]


@pytest.mark.parametrize("username", ["kari", "lise", "per"])
async def test_only_administrators_export_and_erase(
    app: FastAPI, client: httpx.AsyncClient, username: str
) -> None:
    made = await populate(app, client)
    http = await signed_in(app, username)
    export = await http.get("/api/people/A1/export")
    erasure = await http.post("/api/people/A1/erasure", json={"reason": "ønsket"})
    audit = await http.get("/api/audit")
    assert [export.status_code, erasure.status_code, audit.status_code] == [403, 403, 403]
    assert (await made["admin"].get("/api/people/A1/requirements")).status_code == 200


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        pytest.param({}, "reason: a string is required", id="no-reason"),
        pytest.param({"reason": "  "}, "reason: an erasure needs a reason", id="blank-reason"),
        pytest.param([1], "body: a JSON object with reason", id="not-an-object"),
    ],
)
async def test_erasure_needs_a_reason(app: FastAPI, body: Any, fragment: str) -> None:
    admin = await signed_in(app, "admin")
    await admin.post("/api/people", params={"accept_new_offices": "true"}, json=PEOPLE)
    response = await admin.post("/api/people/A1/erasure", json=body)
    assert response.status_code == 400
    assert fragment in response.json()["message"]
    garbled = await admin.post(
        "/api/people/A1/erasure", content=b"{", headers={"Content-Type": "application/json"}
    )
    assert garbled.status_code == 400 and "reason" in garbled.json()["message"]
    missing = await admin.post("/api/people/NOBODY/erasure", json={"reason": "x"})
    assert missing.status_code == 404 and "no person" in missing.json()["message"]
    assert (await admin.get("/api/people/NOBODY/export")).status_code == 404


async def test_erasure_leaves_nothing_and_a_receipt_without_personal_data(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    made = await populate(app, client)
    admin = made["admin"]
    response = await admin.post(
        "/api/people/A1/erasure", json={"reason": "Sletteanmodning sak 2026/17"}
    )
    assert response.status_code == 200, response.text
    receipt = response.json()
    assert receipt["erased_by"] == "admin"
    assert receipt["removed"]["statements"] == 3  # hers, and the voiding of one of them
    assert receipt["removed"]["people"] == 1 and receipt["removed"]["users"] == 1
    assert receipt["redacted"]["statements"] == 1  # Per's, where she was the instructor
    assert receipt["removed"]["classroom_sessions:waitlist"] == 1
    for personal in ("A1", "kari", "Kari"):
        assert personal not in json.dumps(receipt)

    assert (await admin.get("/api/people/A1/requirements")).status_code == 404
    for related in ("false", "true"):
        found = await client.get(
            "/xapi/statements", params={"agent": json.dumps(KARI), "related_agents": related}
        )
        assert found.json()["statements"] == []
    kept = await client.get("/xapi/statements", params={"statementId": made["per_statement"]})
    instructor = kept.json()["context"]["instructor"]
    assert instructor == {"objectType": "Agent", **receipt["anonymous_agent"]}
    profile = await client.get(
        "/xapi/agents/profile", params={"agent": json.dumps(KARI), "profileId": "preferanser"}
    )
    assert profile.status_code == 404

    database = app.state.services.database
    keys = ["mbox|mailto:kari@nav.no", "account|https://ident.nav.no|A1"]
    values = {"person": ["A1"], "identifiers": keys, "usernames": ["kari"]}
    values["subject"] = ["A1", "kari"]
    for holding in PERSONAL_COLLECTIONS:
        if holding.by == "attachments":
            continue
        for field in holding.fields:
            count = await database[holding.collection].count_documents(
                {field: {"$in": values[holding.by]}}
            )
            assert count == 0, (holding.collection, field)

    entries = (await admin.get("/api/audit")).json()
    assert not [e for e in entries if e["target"] in ("A1", "kari") or e["actor"] == "kari"]
    [kept_receipt] = [e for e in entries if e["action"] == "erasure"]
    assert kept_receipt["detail"]["receipt"] == receipt["receipt"]
    assert kept_receipt["target"] == f"erased:{receipt['receipt']}"

    assert await app.state.accounts.sign_in("kari", PASSWORD) is None  # no account now
    service = app.state.catalog
    before = await projection_state(service)
    await service.rebuild()
    assert await projection_state(service) == before
    assert "A1" not in before["statuses"] and "B1" in before["statuses"]


async def test_every_collection_written_is_listed_as_personal_or_not(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    await populate(app, client)
    database = app.state.services.database
    if isinstance(database, EmbeddedDatabase):
        prefix = f"{database.name}."
        names = {ns[len(prefix) :] for ns in database._client._collections if ns.startswith(prefix)}
    else:
        names = set(await database.list_collection_names())
    written = {name for name in names if await database[name].count_documents({})}
    assert {"people", "statements", "audit", "classroom_sessions"} <= written
    listed = {h.collection for h in PERSONAL_COLLECTIONS} | set(NOT_PERSONAL)
    assert written - listed == set()


async def test_a_person_outside_ones_unit_gets_the_same_answer_as_no_person(
    app: FastAPI,
) -> None:
    admin = await signed_in(app, "admin")
    await admin.post("/api/people", params={"accept_new_offices": "true"}, json=PEOPLE)
    for username, exists in (("kari", "B1"), ("lise", "B1")):
        http = await signed_in(app, username)
        for path in ("requirements", "record", "exemptions"):
            there = await http.get(f"/api/people/{exists}/{path}")
            nobody = await http.get(f"/api/people/NOBODY/{path}")
            assert (there.status_code, nobody.status_code) == (403, 403), (username, path)
            assert there.json()["message"] == f"you may not see the record of {exists}"
            assert nobody.json()["message"] == "you may not see the record of NOBODY"
    lise = await signed_in(app, "lise")
    pages = [
        await lise.get("/kontoret/nav-frogner/personer/B1"),
        await lise.get("/kontoret/nav-frogner/personer/NOBODY"),
        await lise.get("/kontoret/nav-sagene/personer/NOBODY"),
    ]
    assert [page.status_code for page in pages] == [403, 403, 403]
    assert (await admin.get("/api/people/NOBODY/requirements")).status_code == 404


async def test_reads_and_changes_are_in_the_audit_log(app: FastAPI) -> None:
    admin = await signed_in(app, "admin")
    await admin.post("/api/people", params={"accept_new_offices": "true"}, json=PEOPLE)
    lise = await signed_in(app, "lise")
    await lise.get("/api/people/A1/requirements")
    await lise.get("/api/people/A1/record")
    await lise.get("/kontoret/nav-sagene/personer/A1")
    await lise.post("/api/people/A1/exemptions", json={"package": "pakke", "reason": "Kurs"})
    await lise.request("DELETE", "/api/people/A1/exemptions/pakke", json={"reason": "Feil person"})
    kari = await signed_in(app, "kari")
    await kari.get("/api/people/A1/record")  # her own: not a read of another's record

    about = (await admin.get("/api/audit", params={"person": "A1"})).json()
    reads = [e for e in about if e["action"] == "read-record"]
    assert [(e["actor"], e["detail"]["role"]) for e in reads] == [("lise", "leader")]
    changes = [e["detail"]["change"] for e in about if e["action"] == "exemption"]
    assert changes == ["revoke", "grant"]  # newest first
    imports = (await admin.get("/api/audit", params={"action": "import"})).json()
    assert imports[0]["actor"] == "admin" and imports[0]["detail"]["created"] == 2
    by_lise = (await admin.get("/api/audit", params={"actor": "lise"})).json()
    assert {e["action"] for e in by_lise} == {"sign-in", "read-record", "exemption"}
    assert (await admin.get("/api/audit", params={"since": "2999-01-01"})).json() == []
    assert len((await admin.get("/api/audit", params={"since": "2000-01-01"})).json()) > 5
    bad = await admin.get("/api/audit", params={"since": "i går"})
    assert bad.status_code == 400 and bad.json()["message"].startswith("since:")
    csv_export = await admin.get("/api/audit", params={"person": "A1", "format": "csv"})
    lines = csv_export.text.splitlines()
    assert lines[0] == "at,actor,action,target,detail" and len(lines) == len(about) + 1


async def test_audit_retention_removes_old_entries_at_start_but_keeps_receipts(
    settings: Settings,
) -> None:
    first = create_app(settings)
    async with first.router.lifespan_context(first):
        audit = first.state.accounts.audit
        await audit.record("sign-in", actor="gammel", target="gammel")
        old = datetime(2020, 1, 1, tzinfo=UTC).isoformat(timespec="milliseconds")
        await audit.record("erasure", actor="gammel", target="erased:kvittering")
        await audit.collection.update_many({"actor": "gammel"}, {"$set": {"at": old}})
        await audit.record("sign-in", actor="ny", target="ny")
    settings.audit_retention_days = 365
    second = create_app(settings)
    async with second.router.lifespan_context(second):
        audit = second.state.accounts.audit
        for _ in range(100):  # the retention task runs at start
            if await audit.entries(action="retention"):
                break
            await _tick()
        actors = [(e["actor"], e["action"]) for e in await audit.entries()]
        [retention] = await audit.entries(action="retention")
    assert ("gammel", "sign-in") not in actors and ("ny", "sign-in") in actors
    assert ("gammel", "erasure") in actors  # an erasure receipt is kept
    assert (retention["detail"]["removed"], retention["detail"]["days"]) == (1, 365)


async def _tick() -> None:
    import asyncio

    await asyncio.sleep(0.01)


async def test_the_planning_cycle_keeps_no_trace_of_an_erased_leader(app: FastAPI) -> None:
    """Per (B1, leader account `per`) with his own induction plan, network seat and sharing
    back, and his marks on others' records: a talk he held and a goal he added to Kari's
    development plan, the buddy and a confirmation on her induction plan, a comment on the
    office's competence plan, a local measure he marked done in an earlier revision. The export
    shows them; the erasure deletes his own, and on others' records clears the buddy and puts
    the erasure's pseudonym where he acted, leaving everyone else's marks as they were."""
    admin = await signed_in(app, "admin")
    await admin.post("/api/people", params={"accept_new_offices": "true"}, json=PEOPLE)
    db = app.state.services.database
    at = "2026-11-11T09:00:00+00:00"
    await db["induction_templates"].insert_one({"_id": "nav-frogner", "updated_by": "per"})
    await db["induction_plans"].insert_many(
        [
            {"_id": "B1", "person": "B1", "office": "nav-frogner", "created_by": "lise"},
            {
                "_id": "A1",
                "person": "A1",
                "buddy": "B1",
                "created_by": "per",
                "items": [
                    {"id": "fadder", "done_at": at, "done_by": "B1"},
                    {"id": "velkomst", "done_at": at, "done_by": "lise"},
                    {"id": "navet"},
                ],
            },
        ]
    )
    await db["development_plans"].insert_one(
        {
            "_id": "A1:2026",
            "person": "A1",
            "talk": {"day": "2026-11-11", "by": "per", "at": at},
            "goals": [
                {"id": "g1", "text": "AEV", "added_by": "per"},
                {"id": "g2", "text": "Fadder", "added_by": "kari"},
            ],
        }
    )
    await db["competence_plans"].insert_one(
        {
            "_id": "nav-frogner:2026",
            "created_by": "lise",
            "approved_by": "per",
            "comments": [
                {"id": "c1", "author": "per", "text": "Bra"},
                {"id": "c2", "author": "lise", "text": "Takk"},
            ],
            "priorities": [{"id": "p1", "done_by": "lise"}],
            "revisions": [{"approved_by": "lise", "priorities": [{"id": "p1", "done_by": "per"}]}],
        }
    )
    await db["networks"].insert_one({"_id": "oslo:n", "members": ["A1", "B1"], "created_by": "x"})
    await db["network_meetings"].insert_one(
        {"_id": "oslo:n:m", "attended": ["B1", "A1"], "recorded_by": "per"}
    )
    await db["network_shares"].insert_many(
        [{"_id": "oslo:n:m:B1", "person": "B1"}, {"_id": "oslo:n:m:A1", "person": "A1"}]
    )

    exported = (await admin.get("/api/people/B1/export")).json()
    assert sorted(d["_id"] for d in exported["induction_plans"]) == ["A1", "B1"]
    assert [d["_id"] for d in exported["network_shares"]] == ["oslo:n:m:B1"]
    assert [d["_id"] for d in exported["development_plans"]] == ["A1:2026"]
    assert [d["_id"] for d in exported["competence_plans"]] == ["nav-frogner:2026"]
    erased = await admin.post("/api/people/B1/erasure", json={"reason": "Sluttet"})
    assert erased.status_code == 200, erased.text
    pseudonym = f"erased:{erased.json()['receipt']}"

    assert await db["induction_plans"].find_one({"_id": "B1"}) is None
    plan = await db["induction_plans"].find_one({"_id": "A1"})
    assert (plan["buddy"], plan["created_by"]) == (None, pseudonym)
    assert [i.get("done_by") for i in plan["items"]] == [pseudonym, "lise", None]
    assert (await db["induction_templates"].find_one({}))["updated_by"] == pseudonym
    development = await db["development_plans"].find_one({"_id": "A1:2026"})
    assert development["talk"] == {"day": "2026-11-11", "by": pseudonym, "at": at}
    assert [g["added_by"] for g in development["goals"]] == [pseudonym, "kari"]
    competence = await db["competence_plans"].find_one({})
    assert (competence["created_by"], competence["approved_by"]) == ("lise", pseudonym)
    assert [c["author"] for c in competence["comments"]] == [pseudonym, "lise"]
    assert competence["priorities"] == [{"id": "p1", "done_by": "lise"}]
    assert competence["revisions"][0]["priorities"][0]["done_by"] == pseudonym
    assert (await db["networks"].find_one({}))["members"] == ["A1"]
    meeting = await db["network_meetings"].find_one({})
    assert (meeting["attended"], meeting["recorded_by"]) == (["A1"], pseudonym)
    assert [s["_id"] for s in await db["network_shares"].find({}).to_list()] == ["oslo:n:m:A1"]
    values = {"person": ["B1"], "usernames": ["per"], "subject": ["B1", "per"]}
    for holding in PERSONAL_COLLECTIONS:
        if holding.by not in values:
            continue
        for field in holding.fields:
            count = await db[holding.collection].count_documents(
                {field: {"$in": values[holding.by]}}
            )
            assert count == 0, (holding.collection, field)
