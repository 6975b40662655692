"""The same statement-store contract on every backend: the embedded engine always, and a real
MongoDB when KOMPETANSE_TEST_MONGODB_URI is set (skipped otherwise)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from lrs.errors import Conflict, StatementInvalid
from lrs.model import same_statement
from lrs.store import Cursor, StatementQuery, StatementStore

pytestmark = pytest.mark.anyio


@pytest.fixture
async def store(database: Any) -> StatementStore:
    statements = StatementStore(database["statements"])
    await statements.create_indexes()
    return statements


def make(
    number: int, *, verb: str = "http://adlnet.gov/expapi/verbs/experienced"
) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "actor": {"mbox": f"mailto:learner{number % 3}@nav.example"},
        "verb": {"id": verb},
        "object": {"id": f"https://kompetanse.example/a/{number % 2}"},
        "stored": f"2026-11-23T10:00:{number:02d}.000Z",
        "timestamp": f"2026-11-23T10:00:{number:02d}.000Z",
        "authority": {"mbox": "mailto:lrs@nav.example"},
    }


async def test_save_and_get(store: StatementStore) -> None:
    statement = make(1)
    assert await store.save([statement], same_statement) == [statement["id"]]
    assert await store.get(statement["id"], voided=False) == statement
    assert await store.get(statement["id"], voided=True) is None


async def test_conflicting_batch_stores_nothing(store: StatementStore) -> None:
    first = make(1)
    await store.save([first], same_statement)
    fresh = make(2)
    changed = {**first, "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"}}
    with pytest.raises(Conflict):
        await store.save([fresh, changed], same_statement)
    assert await store.get(fresh["id"], voided=False) is None


async def test_voiding(store: StatementStore) -> None:
    target = make(1)
    voiding = {
        **make(2, verb="http://adlnet.gov/expapi/verbs/voided"),
        "object": {"objectType": "StatementRef", "id": target["id"]},
    }
    await store.save([target, voiding], same_statement)
    assert await store.get(target["id"], voided=True) == target
    page = await store.query(StatementQuery(), 10)
    assert [s["id"] for s in page.statements] == [voiding["id"]]
    again = {
        **make(3, verb="http://adlnet.gov/expapi/verbs/voided"),
        "object": {"objectType": "StatementRef", "id": voiding["id"]},
    }
    with pytest.raises(StatementInvalid):
        await store.save([again], same_statement)


async def test_paging_by_cursor_returns_each_statement_once(store: StatementStore) -> None:
    statements = [make(n) for n in range(12)]
    await store.save(statements, same_statement)
    for ascending in (False, True):
        seen: list[str] = []
        cursor: Cursor | None = None
        while True:
            page = await store.query(StatementQuery(ascending=ascending, cursor=cursor), 5)
            seen += [s["id"] for s in page.statements]
            if page.next is None:
                break
            cursor = page.next
        expected = [s["id"].lower() for s in statements]
        assert seen == (expected if ascending else expected[::-1])


async def test_filters(store: StatementStore) -> None:
    statements = [make(n) for n in range(6)]
    await store.save(statements, same_statement)
    by_agent = await store.query(StatementQuery(agent={"mbox": "mailto:learner0@nav.example"}), 10)
    assert {s["id"] for s in by_agent.statements} == {statements[0]["id"], statements[3]["id"]}
    by_activity = await store.query(StatementQuery(activity="https://kompetanse.example/a/1"), 10)
    assert len(by_activity.statements) == 3
    since = await store.query(StatementQuery(since="2026-11-23T10:00:03.000Z"), 10)
    assert len(since.statements) == 2
