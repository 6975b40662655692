"""The embedded engine: durable across restarts and torn writes, and indexes that never change
an answer (checked against plain mongomock)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import mongomock
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lrs.errors import StoreUnavailable
from lrs.store import EmbeddedClient

pytestmark = pytest.mark.anyio


async def test_acknowledged_writes_survive_a_restart(tmp_path: Path) -> None:
    client = EmbeddedClient(tmp_path)
    collection = client["db"]["things"]
    await collection.insert_many([{"_id": "a", "n": 1}, {"_id": "b", "n": 2}])
    await collection.update_one({"_id": "a"}, {"$set": {"n": 10}})
    await collection.delete_one({"_id": "b"})
    client._journal.close()  # as if killed: no snapshot written
    again = EmbeddedClient(tmp_path)
    assert await again["db"]["things"].find({}).to_list() == [{"_id": "a", "n": 10}]
    await again.aclose()


async def test_binary_content_survives_journal_and_snapshot(tmp_path: Path) -> None:
    client = EmbeddedClient(tmp_path)
    await client["db"]["files"].insert_one({"_id": "journaled", "content": b"\x00\xff"})
    client._journal.close()
    again = EmbeddedClient(tmp_path)
    await again["db"]["files"].insert_one({"_id": "snapshotted", "content": b"\x01"})
    await again.aclose()  # writes a snapshot
    third = EmbeddedClient(tmp_path)
    found = {d["_id"]: bytes(d["content"]) for d in await third["db"]["files"].find({}).to_list()}
    assert found == {"journaled": b"\x00\xff", "snapshotted": b"\x01"}
    await third.aclose()


async def test_a_torn_last_line_is_dropped(tmp_path: Path) -> None:
    client = EmbeddedClient(tmp_path)
    await client["db"]["things"].insert_one({"_id": "kept"})
    client._journal.close()
    [journal] = tmp_path.glob("journal-*.jsonl")
    with journal.open("a") as handle:
        handle.write('{"op": "insert", "ns": "db.things", "docs": [{"_id": "to')
    again = EmbeddedClient(tmp_path)
    assert await again["db"]["things"].find({}).to_list() == [{"_id": "kept"}]
    await again["db"]["things"].insert_one({"_id": "after"})
    await again.aclose()
    third = EmbeddedClient(tmp_path)
    ids = [d["_id"] for d in await third["db"]["things"].find({}).to_list()]
    assert ids == ["kept", "after"]
    await third.aclose()


async def test_snapshot_then_journal_restore_everything(tmp_path: Path) -> None:
    client = EmbeddedClient(tmp_path)
    await client["db"]["things"].insert_one({"_id": "before-snapshot"})
    client.compact()
    await client["db"]["things"].insert_one({"_id": "after-snapshot"})
    client._journal.close()
    again = EmbeddedClient(tmp_path)
    ids = sorted(d["_id"] for d in await again["db"]["things"].find({}).to_list())
    assert ids == ["after-snapshot", "before-snapshot"]
    await again.aclose()


async def test_a_second_process_cannot_open_the_same_store(tmp_path: Path) -> None:
    client = EmbeddedClient(tmp_path)
    with pytest.raises(StoreUnavailable, match="in use"):
        EmbeddedClient(tmp_path)
    await client.aclose()


_documents = st.lists(
    st.fixed_dictionaries(
        {
            "tags": st.lists(st.sampled_from(["a", "b", "c"]), max_size=3),
            "kind": st.sampled_from(["x", "y"]),
            "stored": st.sampled_from(["2026-01-01", "2026-01-02", "2026-01-03"]),
        }
    ),
    max_size=30,
)
_filters = st.one_of(
    st.just({}),
    st.fixed_dictionaries({"tags": st.sampled_from(["a", "b", "c", "d"])}),
    st.fixed_dictionaries({"kind": st.sampled_from(["x", "y"])}),
    st.fixed_dictionaries(
        {
            "$and": st.tuples(
                st.fixed_dictionaries({"tags": st.sampled_from(["a", "b"])}),
                st.fixed_dictionaries(
                    {
                        "stored": st.fixed_dictionaries(
                            {"$lte": st.sampled_from(["2026-01-01", "2026-01-02"])}
                        )
                    }
                ),
            ).map(list)
        }
    ),
    st.fixed_dictionaries({"kind": st.fixed_dictionaries({"$in": st.just(["x"])})}),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(documents=_documents, filter=_filters, descending=st.booleans(), limit=st.integers(0, 5))
async def test_indexed_answers_equal_plain_mongomock(
    tmp_path_factory: pytest.TempPathFactory,
    documents: list[dict[str, Any]],
    filter: dict[str, Any],
    descending: bool,
    limit: int,
) -> None:
    client = EmbeddedClient(tmp_path_factory.mktemp("indexed"))
    indexed = client["db"]["docs"]
    for keys in ([("stored", -1), ("_id", -1)], [("tags", 1), ("stored", -1)], [("kind", 1)]):
        await indexed.create_index(keys)
    plain = mongomock.MongoClient()["db"]["docs"]
    rows = [{"_id": f"{i:03d}", **doc} for i, doc in enumerate(documents)]
    if rows:
        await indexed.insert_many([dict(r) for r in rows])
        plain.insert_many([dict(r) for r in rows])
        await indexed.update_many({"kind": "y"}, {"$set": {"tags": ["d"]}})
        plain.update_many({"kind": "y"}, {"$set": {"tags": ["d"]}})
    direction = -1 if descending else 1
    sort = [("stored", direction), ("_id", direction)]
    expected = list(plain.find(filter).sort(sort).limit(limit))
    assert await indexed.find(filter).sort(sort).limit(limit).to_list() == expected
    assert await indexed.count_documents(filter) == plain.count_documents(filter)
    await client.aclose()
