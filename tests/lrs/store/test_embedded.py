"""The embedded engine: durable across restarts and torn writes, and indexes that never change
an answer (checked against plain mongomock)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import mongomock
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pymongo.errors import BulkWriteError, DocumentTooLarge

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


@pytest.mark.parametrize(
    ("bad", "error"),
    [
        pytest.param({"n": 2**63}, OverflowError, id="integer-of-2^63"),
        pytest.param({"text": "\ud800"}, UnicodeEncodeError, id="lone-surrogate"),
        pytest.param({"text": "x" * 2**24}, DocumentTooLarge, id="over-16-MiB"),
    ],
)
async def test_a_batch_with_one_unencodable_document_stores_none(
    tmp_path: Path, bad: dict[str, Any], error: type[Exception]
) -> None:
    client = EmbeddedClient(tmp_path)
    things = client["db"]["things"]
    batch = [{"_id": "first"}, {"_id": "second"}, {"_id": "bad", **bad}, {"_id": "last"}]
    with pytest.raises(error):
        await things.insert_many(batch)
    assert await things.find({}).to_list() == []
    assert await things.count_documents({}) == 0
    client._journal.close()  # as if killed
    again = EmbeddedClient(tmp_path)
    assert await again["db"]["things"].find({}).to_list() == []
    await again.aclose()


async def test_a_duplicate_id_stores_and_journals_the_others_as_mongodb_does(
    tmp_path: Path,
) -> None:
    client = EmbeddedClient(tmp_path)
    things = client["db"]["things"]
    await things.insert_one({"_id": "b"})
    with pytest.raises(BulkWriteError) as raised:
        await things.insert_many([{"_id": "a"}, {"_id": "b"}, {"_id": "c"}], ordered=False)
    assert [e["index"] for e in raised.value.details["writeErrors"]] == [1]
    client._journal.close()
    again = EmbeddedClient(tmp_path)
    assert sorted(d["_id"] for d in await again["db"]["things"].find({}).to_list()) == [
        "a",
        "b",
        "c",
    ]
    await again.aclose()


async def test_writes_go_on_while_a_compaction_runs_and_all_survive(tmp_path: Path) -> None:
    client = EmbeddedClient(tmp_path)
    things = client["db"]["things"]
    await things.insert_many([{"_id": i, "n": 0, "part": {"k": "shared"}} for i in range(2000)])
    compaction = client.compact_in_background()
    # Meanwhile (the compaction reads the documents as they were when it began):
    await things.update_many({"_id": {"$in": list(range(100))}}, {"$inc": {"n": 1}})
    await things.update_one({"_id": 100}, {"$set": {"part.k": "changed"}})
    await things.delete_many({"_id": {"$in": list(range(1900, 2000))}})
    await things.insert_one({"_id": "new"})
    assert await things.find_one({"_id": 101}) == {"_id": 101, "n": 0, "part": {"k": "shared"}}
    compaction.join()
    assert (tmp_path / "snapshot.bson").exists()
    await things.update_one({"_id": 0}, {"$inc": {"n": 10}})
    client._journal.close()  # as if killed after the compaction

    again = EmbeddedClient(tmp_path)
    found = {d["_id"]: d for d in await again["db"]["things"].find({}).to_list()}
    assert len(found) == 1901
    assert found[0]["n"] == 11 and found[99]["n"] == 1 and found[150]["n"] == 0
    assert found[100]["part"] == {"k": "changed"} and found[101]["part"] == {"k": "shared"}
    assert "new" in found and 1950 not in found
    await again.aclose()


async def test_a_kill_during_compaction_loses_nothing(tmp_path: Path) -> None:
    client = EmbeddedClient(tmp_path)
    things = client["db"]["things"]
    await things.insert_many([{"_id": "old"}])
    client.compact()
    await things.insert_many([{"_id": "journaled"}])
    client._journal.rotate()  # a compaction began: writes go to the next journal ...
    await things.update_one({"_id": "old"}, {"$set": {"after": True}})
    (tmp_path / "snapshot.bson.tmp").write_bytes(b"\x10\x00")  # ... and died half-written
    client._journal.close()
    again = EmbeddedClient(tmp_path)
    found = await again["db"]["things"].find({}).sort([("_id", 1)]).to_list()
    assert found == [{"_id": "journaled"}, {"_id": "old", "after": True}]
    again.compact()
    await again.aclose()
    third = EmbeddedClient(tmp_path)
    assert await third["db"]["things"].find({}).sort([("_id", 1)]).to_list() == found
    await third.aclose()


async def test_a_long_read_lets_other_requests_run(tmp_path: Path) -> None:
    client = EmbeddedClient(tmp_path)
    things = client["db"]["things"]
    await things.insert_many([{"_id": i, "text": "x" * 200} for i in range(20_000)])
    answered_during_read: list[bool] = []
    reading = True

    async def read_everything() -> int:
        nonlocal reading
        try:
            return len(await things.find({}).sort([("text", 1)]).to_list())
        finally:
            reading = False

    async def small_request() -> None:
        await asyncio.sleep(0)
        assert await things.find_one({"_id": 7}) == {"_id": 7, "text": "x" * 200}
        answered_during_read.append(reading)

    count, _ = await asyncio.gather(read_everything(), small_request())
    assert count == 20_000
    assert answered_during_read == [True]
    await client.aclose()


async def test_shutdown_leaves_the_journal_and_a_restart_replays_it(tmp_path: Path) -> None:
    client = EmbeddedClient(tmp_path)
    await client["db"]["things"].insert_one({"_id": "a"})
    await client.aclose()
    assert not (tmp_path / "snapshot.bson").exists()  # no compaction on the way out
    again = EmbeddedClient(tmp_path)
    assert await again["db"]["things"].find({}).to_list() == [{"_id": "a"}]
    await again.aclose()


async def test_an_update_of_an_indexed_field_moves_the_documents_between_index_entries(
    tmp_path: Path,
) -> None:
    client = EmbeddedClient(tmp_path)
    things = client["db"]["things"]
    await things.create_index([("kind", 1), ("stored", -1), ("_id", -1)])
    await things.create_index([("stored", -1), ("_id", -1)])
    await things.insert_many([{"_id": i, "kind": "x", "stored": f"{i:03d}"} for i in range(10)])
    await things.update_many({"_id": {"$in": [1, 2, 3]}}, {"$set": {"kind": "y"}})
    await things.update_one({"_id": 4}, {"$unset": {"kind": ""}})
    newest_y = await things.find({"kind": "y"}).sort([("stored", -1), ("_id", -1)]).to_list()
    assert [d["_id"] for d in newest_y] == [3, 2, 1]
    assert await things.count_documents({"kind": "x"}) == 6
    assert await things.find_one({"_id": 4}) == {"_id": 4, "stored": "004"}
    client._journal.close()
    again = EmbeddedClient(tmp_path)
    assert await again["db"]["things"].count_documents({"kind": "y"}) == 3
    await again.aclose()


_bound_values = st.one_of(
    st.sampled_from(["", "2026-01-01", "2026-06-30", "z"]),
    st.integers(-3, 3),
    st.floats(-3, 3, allow_nan=False),
)
_old_values = st.one_of(_bound_values, st.booleans(), st.none(), st.just(["2026-01-01"]))
_bounded_updates = st.dictionaries(
    st.sampled_from(["$min", "$max", "$set", "$unset"]),
    st.dictionaries(st.sampled_from(["first", "last", "n"]), _bound_values, max_size=2),
    min_size=1,
    max_size=3,
)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    old=st.dictionaries(st.sampled_from(["first", "last", "n"]), _old_values, max_size=3),
    update=_bounded_updates,
    upsert=st.booleans(),
    exists=st.booleans(),
)
async def test_min_and_max_updates_end_as_mongomock_ends_them(
    tmp_path_factory: pytest.TempPathFactory,
    old: dict[str, Any],
    update: dict[str, Any],
    upsert: bool,
    exists: bool,
) -> None:
    """The engine applies `$min`/`$max` of strings or numbers itself (the projection's
    first/last seen, on every statement): the document and the answer are mongomock's."""
    directory = tmp_path_factory.mktemp("bounded")
    client = EmbeddedClient(directory)
    indexed = client["db"]["seen"]
    await indexed.create_index([("last", -1)])
    plain = mongomock.MongoClient()["db"]["seen"]
    if exists:
        await indexed.insert_one({"_id": "a", **old})
        plain.insert_one({"_id": "a", **old})

    def outcome(run: Any) -> Any:
        try:
            return run()
        except Exception as error:
            return type(error).__name__

    expected = outcome(lambda: plain.update_one({"_id": "a"}, update, upsert=upsert).raw_result)
    try:
        got: Any = (await indexed.update_one({"_id": "a"}, update, upsert=upsert)).raw_result
    except Exception as error:
        got = type(error).__name__
    if isinstance(expected, dict):
        assert isinstance(got, dict)
        fields = ("n", "nModified", "updatedExisting")
        assert {k: got.get(k) for k in fields} == {k: expected.get(k) for k in fields}
        after = plain.find_one({"_id": "a"})
    else:  # mongomock fails (comparing across types) halfway: ours leaves the document as it was
        assert isinstance(got, str)
        after = {"_id": "a", **old} if exists else None
    assert await indexed.find_one({"_id": "a"}) == after
    last = await indexed.find({"last": {"$exists": True}}).sort([("last", -1)]).to_list()
    assert last == ([after] if after is not None and "last" in after else [])
    client._journal.close()
    again = EmbeddedClient(directory)
    assert await again["db"]["seen"].find_one({"_id": "a"}) == after
    await again.aclose()


async def test_an_indexed_field_exists_whatever_it_holds(tmp_path: Path) -> None:
    """`$exists: true` is answered from the index: a field holding null, an empty list or an
    object exists as MongoDB says, at the top level and under a dotted path."""
    client = EmbeddedClient(tmp_path)
    things = client["db"]["things"]
    await things.create_index([("mark", 1)])
    await things.create_index([("part.mark", 1)])
    held = [None, [], {"x": 1}, [{"x": 1}], "a", ["a"], 0]
    rows = [{"_id": i, "mark": v, "part": {"mark": v}} for i, v in enumerate(held)]
    rows += [{"_id": 100}, {"_id": 101, "part": {}}, {"_id": 102, "part": []}]
    plain = mongomock.MongoClient()["db"]["things"]
    await things.insert_many([dict(r) for r in rows])
    plain.insert_many([dict(r) for r in rows])
    for field in ("mark", "part.mark"):
        for exists in (True, False):
            wanted = {field: {"$exists": exists}}
            got = await things.find(wanted).sort([("_id", 1)]).to_list()
            assert got == list(plain.find(wanted).sort([("_id", 1)])), wanted
    await things.update_many({"_id": {"$in": [0, 1]}}, {"$unset": {"mark": ""}})
    plain.update_many({"_id": {"$in": [0, 1]}}, {"$unset": {"mark": ""}})
    wanted = {"mark": {"$exists": True}}
    assert await things.find(wanted).to_list() == list(plain.find(wanted))
    await client.aclose()
