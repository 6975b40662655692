"""Concurrent writers of the same statements, on every backend: no acknowledged statement is
ever lost, identical statements are stored once, a conflicting batch is refused whole.

Two `StatementStore` objects on one database stand for two server processes."""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from lrs.errors import Conflict, LrsError
from lrs.model import format_timestamp, same_statement
from lrs.store import EmbeddedClient, StatementQuery, StatementStore

pytestmark = pytest.mark.anyio
COMPLETED = "http://adlnet.gov/expapi/verbs/completed"


@pytest.fixture
async def stores(database: Any) -> tuple[StatementStore, StatementStore]:
    first, second = StatementStore(database["statements"]), StatementStore(database["statements"])
    await first.create_indexes()
    return first, second


def make(
    number: int, *, verb: str = "http://adlnet.gov/expapi/verbs/experienced"
) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "actor": {"mbox": f"mailto:learner{number}@nav.example"},
        "verb": {"id": verb},
        "object": {"id": f"https://kompetanse.example/a/{number}"},
        "stored": f"2026-11-23T10:00:{number % 60:02d}.000Z",
        "timestamp": f"2026-11-23T10:00:{number % 60:02d}.000Z",
        "authority": {"mbox": "mailto:lrs@nav.example"},
    }


async def outcome(store: StatementStore, statements: list[dict[str, Any]]) -> str:
    try:
        await store.save(statements, same_statement)
    except Conflict:
        return "conflict"
    return "stored"


async def everything(store: StatementStore) -> dict[str, dict[str, Any]]:
    page = await store.query(StatementQuery(), 1000)
    return {statement["id"]: statement for statement in page.statements}


async def test_identical_concurrent_writes_all_succeed_and_store_once(
    stores: tuple[StatementStore, StatementStore],
) -> None:
    first, second = stores
    statements = [make(n) for n in range(40)]
    results = await asyncio.gather(
        *(outcome(store, [s]) for s in statements for store in (first, second))
    )
    assert results == ["stored"] * 80
    stored = await everything(first)
    assert sorted(stored) == sorted(s["id"] for s in statements)
    for statement in statements:
        assert await second.get(statement["id"], voided=False) == statement


async def test_differing_concurrent_writes_store_exactly_one(
    stores: tuple[StatementStore, StatementStore],
) -> None:
    first, _ = stores
    pairs = []
    for n in range(20):
        one = make(n)
        other = {**one, "verb": {"id": COMPLETED}}
        pairs.append((one, other))
    results = await asyncio.gather(
        *(outcome(store, [s]) for pair in pairs for store, s in zip(stores, pair, strict=True))
    )
    stored = await everything(first)
    for index, (one, other) in enumerate(pairs):
        got = results[2 * index : 2 * index + 2]
        assert sorted(got) == ["conflict", "stored"]
        winner = one if got[0] == "stored" else other
        assert stored[one["id"]] == winner


async def test_a_refused_batch_removes_nothing_another_request_stored(
    stores: tuple[StatementStore, StatementStore],
) -> None:
    """Batch [a, b] races a request storing b' (differing) and one storing a (identical): the
    request for a is answered success, so a must stay stored whatever the batch's outcome."""
    first, second = stores
    for n in range(15):
        a, b = make(2 * n), make(2 * n + 1)
        changed_b = {**b, "verb": {"id": COMPLETED}}
        batch, single_a, single_b = await asyncio.gather(
            outcome(first, [a, b]), outcome(second, [a]), outcome(second, [changed_b])
        )
        assert single_a == "stored"
        assert await first.get(a["id"], voided=False) == a
        stored_b = await first.get(b["id"], voided=False)
        if batch == "stored":
            assert single_b == "conflict"
            assert stored_b == b
        else:
            assert single_b == "stored"
            assert stored_b == changed_b


async def test_a_batch_sent_again_while_the_first_is_stored(
    stores: tuple[StatementStore, StatementStore],
) -> None:
    """An emitter's retry racing its first try: both succeed, every statement stored once."""
    first, second = stores
    batch = [make(n) for n in range(30)]
    assert await asyncio.gather(outcome(first, batch), outcome(second, batch)) == [
        "stored",
        "stored",
    ]
    assert sorted(await everything(first)) == sorted(s["id"] for s in batch)


async def test_a_statement_pending_from_a_writer_that_died_is_withdrawn(
    stores: tuple[StatementStore, StatementStore], database: Any
) -> None:
    first, _ = stores
    statement = make(1)
    orphan = {"_id": statement["id"], "statement": statement, "stored": "2020-01-01T00:00:00.000Z"}
    await database["statements"].insert_one(
        {**orphan, "voided": False, "pending": "dead", "pending_since": orphan["stored"]}
    )
    assert await first.get(statement["id"], voided=False) is None
    assert (await first.query(StatementQuery(), 10)).statements == []
    await first.save([statement], same_statement)
    assert await first.get(statement["id"], voided=False) == statement
    assert await first.sweep_pending() == 0


async def test_a_statement_the_database_refuses_refuses_its_batch(
    stores: tuple[StatementStore, StatementStore],
) -> None:
    """The service checks sizes first; should one still reach the database, the batch is
    refused whole with a client error, and nothing of it stays pending or stored."""
    first, _ = stores
    good, huge = make(1), make(2)
    huge["result"] = {"response": "x" * (17 * 1024 * 1024)}
    with pytest.raises(LrsError) as refused:
        await first.save([good, huge], same_statement)
    assert refused.value.status_code in (400, 413)
    assert await first.get(good["id"], voided=False) is None
    assert await first.sweep_pending() == 0
    await first.save([good], same_statement)
    assert await first.get(good["id"], voided=False) == good


async def test_the_embedded_store_withdraws_every_pending_statement_at_start(
    tmp_path: Path,
) -> None:
    """The embedded store has one process: what is pending at its start, a writer that died
    left, however recently (on MongoDB only those pending for a minute are withdrawn)."""
    from kompetanse.database import statement_service

    statement = make(1)
    client = EmbeddedClient(tmp_path)
    await client["kompetanse"]["statements"].insert_one(
        {
            "_id": statement["id"],
            "statement": statement,
            "stored": statement["stored"],
            "voided": False,
            "pending": "died",
            "pending_since": format_timestamp(datetime.now(UTC)),
        }
    )
    await client.aclose()
    client = EmbeddedClient(tmp_path)
    service = await statement_service(client["kompetanse"])
    assert await client["kompetanse"]["statements"].count_documents({}) == 0
    await service.store.save([statement], same_statement)
    assert await service.store.get(statement["id"], voided=False) == statement
    await client.aclose()


class SlowToCommit(StatementStore):
    """A writer that takes a while between inserting its batch (pending) and committing it."""

    async def _commit(self, ids: list[str], token: str) -> None:
        await asyncio.sleep(0.05)
        await super()._commit(ids, token)


async def test_a_writer_that_waited_answers_only_once_the_statement_is_on_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """B sends a statement that A's batch holds pending; A commits, then waits for a slow fsync.
    B sees the commit at once, but must not answer that the statement is stored before A's
    commit is on disk: a crash in between would lose a statement B was told is stored."""
    from lrs.store import _journal

    client = EmbeddedClient(tmp_path)
    collection = client["kompetanse"]["statements"]
    first, second = SlowToCommit(collection), StatementStore(collection)
    await first.create_indexes()
    journal = client._journal
    commit_index: list[int] = []
    real_append, real_fsync = journal.append, _journal.os.fsync

    def append(operation: dict[str, Any]) -> None:
        real_append(operation)
        if operation.get("op") == "update" and "$unset" in operation["update"]:
            commit_index.append(journal._appended)

    def slow_fsync(descriptor: int) -> None:
        time.sleep(0.2)
        real_fsync(descriptor)

    monkeypatch.setattr(journal, "append", append)
    monkeypatch.setattr(_journal.os, "fsync", slow_fsync)
    shared, other = make(1), make(2)

    async def second_writer() -> int:
        await asyncio.sleep(0.01)  # once the first writer's batch is in, pending
        await second.save([shared], same_statement)
        return int(journal._synced)

    _, synced_when_answered = await asyncio.gather(
        first.save([shared, other], same_statement), second_writer()
    )
    assert commit_index, "the first writer committed"
    assert synced_when_answered >= commit_index[0]
    assert await second.get(shared["id"], voided=False) == shared
    await client.aclose()
