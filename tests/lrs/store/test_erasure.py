"""Erasing an agent from the statement store (GDPR article 17), on every backend: their own
statements deleted with the voiding statements that target them, and every other mention
replaced by an anonymous agent, with the StatementRef `via` fields kept consistent."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from lrs.model import same_statement
from lrs.store import StatementQuery, StatementStore

pytestmark = pytest.mark.anyio
KARI = {"mbox": "mailto:kari@nav.example", "name": "Kari Nordmann"}
KARI_KEY = "mbox|mailto:kari@nav.example"
PER = {"mbox": "mailto:per@nav.example"}
ANONYMOUS = {"account": {"homePage": "https://kompetanse.example/xapi/erased", "name": "x1"}}
VOIDED = "http://adlnet.gov/expapi/verbs/voided"
_clock = iter(range(10_000))


@pytest.fixture
async def store(database: Any) -> StatementStore:
    statements = StatementStore(database["statements"])
    await statements.create_indexes()
    return statements


def statement(actor: dict[str, Any], **parts: Any) -> dict[str, Any]:
    tick = next(_clock)
    moment = f"2026-11-23T10:{tick // 60 % 60:02d}:{tick % 60:02d}.000Z"
    return {
        "id": str(uuid.uuid4()),
        "actor": actor,
        "verb": {"id": "http://adlnet.gov/expapi/verbs/attended"},
        "object": {"id": "https://kompetanse.example/a/kurs"},
        "stored": moment,
        "timestamp": moment,
        "authority": {"mbox": "mailto:lrs@nav.example"},
        **parts,
    }


def ref(actor: dict[str, Any], target: dict[str, Any], verb: str) -> dict[str, Any]:
    return statement(
        actor, verb={"id": verb}, object={"objectType": "StatementRef", "id": target["id"]}
    )


async def ids(store: StatementStore, agent: dict[str, Any], *, related: bool = False) -> set[str]:
    query = StatementQuery(agent=agent, related_agents=related)
    return {s["id"] for s in (await store.query(query, 100)).statements}


async def test_delete_by_actor_removes_their_statements_and_the_voiding_of_them(
    store: StatementStore,
) -> None:
    mine, voided_mine, theirs = statement(KARI), statement(KARI), statement(PER)
    voiding = ref(PER, voided_mine, VOIDED)
    pointing = ref(PER, mine, "http://adlnet.gov/expapi/verbs/experienced")
    for item in (mine, voided_mine, theirs, voiding, pointing):
        await store.save([item], same_statement)
    assert pointing["id"] in await ids(store, KARI)  # through its `via`, before

    deleted = await store.delete_by_actor([KARI_KEY])

    assert {s["id"] for s in deleted} == {mine["id"], voided_mine["id"], voiding["id"]}
    assert next(s for s in deleted if s["id"] == voiding["id"]) == voiding
    assert await ids(store, KARI, related=True) == set()  # the StatementRef no longer leads here
    assert await store.get(mine["id"], voided=False) is None
    assert await store.get(voided_mine["id"], voided=True) is None
    assert await store.get(theirs["id"], voided=False) == theirs
    assert await store.get(pointing["id"], voided=False) == pointing
    assert await store.naming([KARI_KEY]) == []
    assert await store.delete_by_actor([KARI_KEY]) == []  # nothing left: idempotent


async def test_their_voiding_of_another_statement_is_kept_so_it_stays_voided(
    store: StatementStore,
) -> None:
    theirs = statement(PER)
    voiding = ref(KARI, theirs, VOIDED)
    await store.save([theirs], same_statement)
    await store.save([voiding], same_statement)

    assert await store.delete_by_actor([KARI_KEY]) == []
    assert await store.get(theirs["id"], voided=True) == theirs
    assert await store.replace_agent([KARI_KEY], ANONYMOUS) == [voiding["id"]]
    kept = await store.get(voiding["id"], voided=False)
    assert kept is not None and kept["actor"] == {"objectType": "Agent", **ANONYMOUS}
    assert await store.get(theirs["id"], voided=True) == theirs


async def test_replace_agent_redacts_every_mention_and_the_via_of_references(
    store: StatementStore,
) -> None:
    team = {"objectType": "Group", "member": [KARI, PER]}
    taught = statement(PER, context={"instructor": KARI, "team": team})
    about = statement(
        PER,
        verb={"id": "http://id.tincanapi.com/verb/mentored"},
        object={"objectType": "Agent", **KARI},
    )
    pointing = ref(PER, about, "http://adlnet.gov/expapi/verbs/experienced")
    untouched = statement(PER)
    for item in (taught, about, pointing, untouched):
        await store.save([item], same_statement)
    assert await ids(store, KARI, related=True) == {taught["id"], about["id"], pointing["id"]}

    changed = await store.replace_agent([KARI_KEY], ANONYMOUS)

    assert set(changed) == {taught["id"], about["id"]}
    assert await ids(store, KARI, related=True) == set()
    assert await ids(store, KARI) == set()
    assert await ids(store, ANONYMOUS, related=True) == {taught["id"], about["id"], pointing["id"]}
    stored = await store.get(taught["id"], voided=False)
    assert stored is not None
    assert stored["context"]["instructor"] == {"objectType": "Agent", **ANONYMOUS}
    assert stored["context"]["team"]["member"] == [{"objectType": "Agent", **ANONYMOUS}, PER]
    anonymous_key = "account|https://kompetanse.example/xapi/erased|x1"
    assert len(await store.naming([anonymous_key])) == 2
    assert "Kari" not in str(await store.naming([anonymous_key]))
    assert await store.get(untouched["id"], voided=False) == untouched
    assert await store.replace_agent([KARI_KEY], ANONYMOUS) == []
