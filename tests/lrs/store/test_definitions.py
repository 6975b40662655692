"""The definition store on every backend (the embedded engine always, MongoDB when
KOMPETANSE_TEST_MONGODB_URI is set): merging by paths, escaped keys, persons, durability."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from lrs.store import AgentFacts, DefinitionStore, EmbeddedClient

pytestmark = pytest.mark.anyio
ACTIVITY = "https://kompetanse.example/activities/ny-i-nav"
KARI = "mbox|mailto:kari@nav.example"


def store_on(database: Any, trust_seconds: float = 10.0) -> DefinitionStore:
    return DefinitionStore(database["activities"], database["agents"], trust_seconds=trust_seconds)


async def test_keys_that_mongodb_paths_cannot_hold_round_trip(database: Any) -> None:
    store = store_on(database)
    extensions = {
        "https://kompetanse.example/ext/a.b": 1,
        "https://kompetanse.example/ext/$c%2E": {"$d.e": [None, True, 1.5]},
    }
    await store.record({ACTIVITY: {"extensions": extensions}}, {})
    await store.record({ACTIVITY: {"extensions": {"https://kompetanse.example/ext/a.b": 2}}}, {})
    assert await store.definition(ACTIVITY) == {
        "extensions": {**extensions, "https://kompetanse.example/ext/a.b": 2}
    }


async def test_a_process_that_trusts_nothing_sees_another_processs_change(database: Any) -> None:
    first, second = store_on(database, trust_seconds=0), store_on(database, trust_seconds=0)
    await first.record({ACTIVITY: {"name": {"en-US": "One"}}}, {})
    await second.record({ACTIVITY: {"name": {"en-US": "Two"}}}, {})
    await first.record({ACTIVITY: {"name": {"en-US": "One"}}}, {})
    assert await second.definition(ACTIVITY) == {"name": {"en-US": "One"}}


async def test_names_grow_and_persons_join_identifiers(database: Any) -> None:
    store = store_on(database)
    account = "account|https://ident.nav.example|N000123"
    await store.record({}, {KARI: AgentFacts({"mbox": "mailto:kari@nav.example"}, ["Kari"])})
    await store.record({}, {KARI: AgentFacts({"mbox": "mailto:kari@nav.example"}, ["K", "Kari"])})
    assert await store.identifiers(account) is None
    await store.link(
        "employee|N000123",
        {KARI: {"mbox": "mailto:kari@nav.example"}, account: {"account": {"name": "N000123"}}},
    )
    found = await store.identifiers(account)
    assert found is not None
    assert [(doc["_id"], doc["names"]) for doc in found] == [(account, []), (KARI, ["Kari", "K"])]


async def test_definitions_survive_a_restart(tmp_path: Path) -> None:
    client = EmbeddedClient(tmp_path)
    store = store_on(client["kompetanse"])
    await store.record(
        {ACTIVITY: {"name": {"nb": "Ny i NAV"}}, f"{ACTIVITY}/bare": None},
        {KARI: AgentFacts({"mbox": "mailto:kari@nav.example"}, ["Kari"])},
    )
    client._journal.close()  # as if killed: only the journal is left
    again = EmbeddedClient(tmp_path)
    reopened = store_on(again["kompetanse"])
    assert await reopened.definition(ACTIVITY) == {"name": {"nb": "Ny i NAV"}}
    assert await reopened.definition(f"{ACTIVITY}/bare") == {}
    found = await reopened.identifiers(KARI)
    assert found is not None
    assert found[0]["names"] == ["Kari"]
    await again.aclose()
