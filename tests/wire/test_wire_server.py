"""The wire test server answers the real AsyncMongoClient as mongod would: cursors and their
batches, per-document write results, limits on stored documents, retried writes, indexes."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest
from bson import Int64
from pymongo import AsyncMongoClient, InsertOne, MongoClient, UpdateOne
from pymongo.errors import BulkWriteError, DuplicateKeyError, OperationFailure, WriteError

from tests.wire import WireServer

pytestmark = pytest.mark.anyio
MIB = 1024 * 1024


@pytest.fixture
def backend() -> str:
    return "wire"


def nested(levels: int) -> dict[str, Any]:
    """A document `levels` deep, itself included."""
    document: dict[str, Any] = {}
    for _ in range(levels - 1):
        document = {"a": document}
    return document


async def test_a_find_past_the_first_101_documents_continues_with_get_more(
    database: Any,
) -> None:
    await database.c.insert_many([{"_id": i} for i in range(250)])
    first = await database.command("find", "c", sort={"_id": 1})
    assert len(first["cursor"]["firstBatch"]) == 101
    assert first["cursor"]["id"] != 0
    more = await database.command("getMore", first["cursor"]["id"], collection="c")
    assert [d["_id"] for d in more["cursor"]["nextBatch"]] == list(range(101, 250))
    assert more["cursor"]["id"] == 0
    found = await database.c.find({}, batch_size=40).sort("_id", -1).to_list()
    assert [d["_id"] for d in found] == list(reversed(range(250)))


async def test_a_batch_holds_at_most_16_mib(database: Any) -> None:
    await database.c.insert_many([{"_id": i, "data": bytes([i]) * MIB} for i in range(20)])
    first = await database.command("find", "c")
    assert len(first["cursor"]["firstBatch"]) == 15  # 16 documents of 1 MiB and a bit do not fit
    found = await database.c.find({}).sort("_id", 1).to_list()
    assert [d["data"] for d in found] == [bytes([i]) * MIB for i in range(20)]


async def test_a_killed_cursor_is_not_found(database: Any) -> None:
    await database.c.insert_many([{"_id": i} for i in range(5)])
    first = await database.command("find", "c", batchSize=2)
    cursor_id = first["cursor"]["id"]
    killed = await database.command("killCursors", "c", cursors=[cursor_id])
    assert killed["cursorsKilled"] == [cursor_id]
    with pytest.raises(OperationFailure) as error:
        await database.command("getMore", cursor_id, collection="c")
    assert error.value.code == 43


async def test_a_duplicate_key_names_its_index_and_value(database: Any) -> None:
    await database.c.create_index([("email", 1)], unique=True, name="email")
    await database.c.insert_one({"_id": 1, "email": "kari@nav.no"})
    with pytest.raises(DuplicateKeyError) as error:
        await database.c.insert_one({"_id": 2, "email": "kari@nav.no"})
    assert error.value.code == 11000
    assert error.value.details is not None
    assert error.value.details["keyPattern"] == {"email": 1}
    assert error.value.details["keyValue"] == {"email": "kari@nav.no"}
    with pytest.raises(BulkWriteError) as bulk:
        await database.c.insert_many([{"_id": 3}, {"_id": 1}, {"_id": 4}])
    assert bulk.value.details["nInserted"] == 1
    [write_error] = bulk.value.details["writeErrors"]
    assert (write_error["index"], write_error["code"]) == (1, 11000)
    assert write_error["keyPattern"] == {"_id": 1}
    assert sorted(await database.c.distinct("_id")) == [1, 3]


async def test_an_unordered_insert_goes_on_after_an_error(database: Any) -> None:
    await database.c.insert_one({"_id": 1})
    with pytest.raises(BulkWriteError) as bulk:
        await database.c.insert_many([{"_id": 0}, {"_id": 1}, {"_id": 2}], ordered=False)
    assert bulk.value.details["nInserted"] == 2
    assert [e["index"] for e in bulk.value.details["writeErrors"]] == [1]
    assert sorted(await database.c.distinct("_id")) == [0, 1, 2]


async def test_upserts_report_their_ids_by_index(database: Any) -> None:
    await database.c.insert_one({"_id": "kept", "n": 0})
    result = await database.c.bulk_write(
        [
            UpdateOne({"_id": "kept"}, {"$set": {"n": 1}}, upsert=True),
            UpdateOne({"_id": "new-1"}, {"$set": {"n": 2}}, upsert=True),
            UpdateOne({"_id": "new-2"}, {"$inc": {"n": 3}}, upsert=True),
            InsertOne({"_id": "inserted"}),
        ]
    )
    assert result.upserted_ids == {1: "new-1", 2: "new-2"}
    assert (result.matched_count, result.modified_count, result.inserted_count) == (1, 1, 1)
    assert await database.c.find_one({"_id": "new-2"}) == {"_id": "new-2", "n": 3}


async def test_a_document_over_16_mib_is_refused(database: Any) -> None:
    # The driver refuses such a document before sending it; a command a little larger than
    # 16 MiB it still sends (its allowance for the command's own fields), and mongod refuses.
    too_large = {"_id": 1, "data": b"x" * (16 * MIB)}
    reply = await database.command("insert", "c", documents=[too_large, {"_id": 2}])
    [write_error] = reply["writeErrors"]
    assert (write_error["index"], write_error["code"]) == (0, 2)
    assert write_error["errmsg"].startswith("object to insert too large")
    assert await database.c.count_documents({}) == 0  # ordered: stopped at the first error


async def test_a_document_over_100_levels_deep_is_refused(database: Any) -> None:
    await database.c.insert_one({"_id": "deep", **nested(100)})
    with pytest.raises(WriteError) as error:
        await database.c.insert_one({"_id": "too-deep", **nested(101)})
    assert error.value.code == 15
    assert await database.c.distinct("_id") == ["deep"]


async def test_field_names_mongod_does_not_store_are_refused(database: Any) -> None:
    with pytest.raises(WriteError) as dollar:
        await database.c.insert_one({"$where": "x"})
    assert dollar.value.code == 52
    await database.c.insert_one({"_id": 1})
    with pytest.raises(WriteError) as empty:
        await database.c.update_one({"_id": 1}, {"$set": {"a..b": 1}})
    assert empty.value.code == 56
    assert await database.c.find_one({"_id": 1}) == {"_id": 1}


async def test_updates_mongod_refuses_change_nothing(database: Any) -> None:
    await database.c.insert_one({"_id": 1, "a": {"b": 1}, "data": b""})
    refused = [
        ({"$set": {"a.b": 2}, "$unset": {"a": ""}}, 40),
        ({"$set": {"_id": 2}}, 66),
        ({"$set": {"data": b"x" * (16 * MIB)}}, 17419),
    ]
    for change, code in refused:
        with pytest.raises(WriteError) as error:
            await database.c.update_one({"_id": 1}, change)
        assert error.value.code == code, change
    assert await database.c.find_one({"_id": 1}) == {"_id": 1, "a": {"b": 1}, "data": b""}


async def test_a_retried_write_is_answered_from_its_first_reply(database: Any) -> None:
    async with database.client.start_session() as session:
        once = {"documents": [{"_id": 1}], "txnNumber": Int64(7), "session": session}
        first = await database.command("insert", "c", **once)
        again = await database.command("insert", "c", **once)
        other = await database.command(
            "insert", "c", documents=[{"_id": 1}], txnNumber=Int64(8), session=session
        )
    assert first["n"] == again["n"] == 1
    assert "writeErrors" not in again
    assert other["writeErrors"][0]["code"] == 11000
    assert await database.c.count_documents({}) == 1


async def test_index_conflicts_are_refused_and_the_same_index_is_no_change(
    database: Any,
) -> None:
    await database.c.create_index([("a", 1)], name="a")
    await database.c.create_index([("a", 1)], name="a")
    with pytest.raises(OperationFailure) as other_key:
        await database.c.create_index([("b", 1)], name="a")
    assert other_key.value.code == 86
    with pytest.raises(OperationFailure) as other_options:
        await database.c.create_index([("a", 1)], name="a", unique=True)
    assert other_options.value.code == 85
    with pytest.raises(OperationFailure) as other_name:
        await database.c.create_index([("a", 1)], name="a_again")
    assert other_name.value.code == 85
    assert sorted(await database.c.index_information()) == ["_id_", "a"]


async def test_transactions_are_refused(database: Any) -> None:
    async with database.client.start_session() as session:
        with pytest.raises(OperationFailure) as error:
            async with await session.start_transaction():
                await database.c.insert_one({"_id": 1}, session=session)
    assert error.value.code == 20
    assert await database.c.count_documents({}) == 0


async def test_find_and_modify_count_and_aggregate(database: Any) -> None:
    await database.c.insert_many([{"_id": i, "even": i % 2 == 0} for i in range(6)])
    before = await database.c.find_one_and_update({"_id": 2}, {"$set": {"seen": True}})
    assert before == {"_id": 2, "even": True}
    assert await database.c.count_documents({"even": True}, skip=1) == 2
    grouped = await (
        await database.c.aggregate([{"$group": {"_id": "$even", "n": {"$sum": 1}}}])
    ).to_list()
    assert sorted((g["_id"], g["n"]) for g in grouped) == [(False, 3), (True, 3)]


async def test_a_standalone_server_gossips_no_cluster_time() -> None:
    with WireServer(replica_set=False) as server:
        client: Any = AsyncMongoClient(server.uri, tz_aware=True)
        try:
            reply = await client.admin.command("ping")
            assert client.topology_description.topology_type_name == "Single"
            assert "$clusterTime" not in reply
            await client.k.c.insert_one({"_id": 1})
            assert await client.k.c.find_one() == {"_id": 1}
        finally:
            await client.close()


async def test_a_replica_set_member_gossips_cluster_time(database: Any) -> None:
    reply = await database.command("ping")
    assert database.client.topology_description.topology_type_name == "ReplicaSetWithPrimary"
    assert reply["$clusterTime"]["clusterTime"] == reply["operationTime"]


def test_the_server_runs_as_its_own_process() -> None:
    with subprocess.Popen(
        [sys.executable, "-m", "tests.wire", "--standalone"], stdout=subprocess.PIPE, text=True
    ) as process:
        try:
            assert process.stdout is not None
            uri = process.stdout.readline().strip()
            assert uri.startswith("mongodb://127.0.0.1:")
            assert uri.endswith("/?directConnection=true")
            with MongoClient(uri, serverSelectionTimeoutMS=5000) as client:
                assert client.admin.command("ping") == {"ok": 1.0}
        finally:
            process.terminate()
        assert process.wait(timeout=10) == 0
