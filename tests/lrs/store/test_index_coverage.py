"""Every query the statement store sends is served by a declared index.

The store runs a workload that uses every query shape (writes, voiding, StatementRefs arriving
before and after their targets, every filter, paging both ways) against a collection that
records each filter and sort; each is then checked against `STATEMENT_INDEXES`."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest

from lrs.model import same_statement
from lrs.store import STATEMENT_INDEXES, EmbeddedClient, StatementQuery, StatementStore

pytestmark = pytest.mark.anyio
Document = dict[str, Any]
VOIDED = "http://adlnet.gov/expapi/verbs/voided"
_ABSENT = object()


class Recorded:
    """A collection that notes (filter, sort) of every read and every filtered write."""

    def __init__(self, collection: Any) -> None:
        self._collection = collection
        self.queries: list[tuple[Document, list[tuple[str, int]] | None]] = []

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._collection, name)
        if name in ("find_one", "update_one", "update_many", "delete_one", "delete_many"):

            def recorded(filter: Document, *args: Any, **kwargs: Any) -> Any:
                self.queries.append((filter, None))
                return method(filter, *args, **kwargs)

            return recorded
        return method

    def find(self, filter: Document, projection: Document | None = None) -> Any:
        outer = self
        cursor = self._collection.find(filter, projection)
        entry: tuple[Document, list[tuple[str, int]] | None] = (filter, None)
        self.queries.append(entry)

        class Sorting:
            def sort(self, keys: list[tuple[str, int]]) -> Any:
                outer.queries[outer.queries.index(entry)] = (filter, list(keys))
                cursor.sort(keys)
                return self

            def limit(self, count: int) -> Any:
                cursor.limit(count)
                return self

            async def to_list(self, length: int | None = None) -> list[Document]:
                found: list[Document] = await cursor.to_list(length)
                return found

        return Sorting()


def conditions(filter: Document) -> dict[str, Any]:
    """The field conditions of a filter, its `$and` parts flattened."""
    flat: dict[str, Any] = {}
    for field, condition in filter.items():
        if field == "$and":
            for part in condition:
                flat.update(conditions(part))
        elif field == "$or":  # the `more` cursor: a range on the index's (stored, _id) tail
            assert all(set(branch) <= {"stored", "_id"} for branch in condition), condition
        else:
            assert not field.startswith("$"), f"an operator the indexes cannot serve: {field}"
            flat[field] = condition
    return flat


def is_equality(condition: Any) -> bool:
    return not isinstance(condition, dict) or set(condition) == {"$in"}


def served(filter: Document, sort: list[tuple[str, int]] | None) -> str | None:
    """The name of an index that serves this query, or None."""
    fields = conditions(filter)
    if "_id" in fields and is_equality(fields["_id"]) and sort is None:
        return "_id_"
    sort_fields = [field for field, _ in sort or []]
    # An index led by an equality first; the (stored, _id) walk only when none serves.
    for keys, options in sorted(STATEMENT_INDEXES, key=lambda index: index[0][0][0] == "stored"):
        partial = options.get("partialFilterExpression", {})
        if any(fields.get(field) != value for field, value in partial.items()):
            continue
        names = [field for field, _ in keys]
        if names[0] == "stored":
            # Walked in order with the rest of the filter checked: for a sorted query, or
            # a range on `stored`.
            if sort_fields == names or (sort is None and "stored" in fields):
                return str(options["name"])
            continue
        first = fields.get(names[0], _ABSENT)
        usable = is_equality(first) or (options.get("sparse") and first == {"$exists": True})
        if first is not _ABSENT and usable and (sort is None or names[1:] == sort_fields):
            return str(options["name"])
    return None


def statement(number: int, **extra: Any) -> Document:
    return {
        "id": str(uuid.uuid4()),
        "actor": {"mbox": f"mailto:learner{number % 3}@nav.example"},
        "verb": {"id": f"https://kompetanse.example/verbs/{number % 2}"},
        "object": {"id": f"https://kompetanse.example/a/{number % 4}"},
        "context": {"registration": str(uuid.UUID(int=number % 2))},
        "stored": f"2026-11-23T10:00:{number:02d}.000Z",
        "timestamp": f"2026-11-23T10:00:{number:02d}.000Z",
        "authority": {"mbox": "mailto:lrs@nav.example"},
        **extra,
    }


def reference(
    number: int, target: str, verb: str = "https://kompetanse.example/verbs/r"
) -> Document:
    return statement(number, verb={"id": verb}, object={"objectType": "StatementRef", "id": target})


async def test_every_query_the_store_sends_is_served_by_an_index(tmp_path: Path) -> None:
    client = EmbeddedClient(tmp_path)
    collection = Recorded(client["kompetanse"]["statements"])
    store = StatementStore(collection)
    await store.create_indexes()
    plain = [statement(n) for n in range(8)]
    await store.save(plain[:4], same_statement)
    late_target = statement(9)
    await store.save(
        [reference(10, late_target["id"]), reference(11, plain[0]["id"])], same_statement
    )
    await store.save([late_target, *plain[4:]], same_statement)
    await store.save([reference(12, plain[1]["id"], VOIDED)], same_statement)
    await store.save(plain[:2], same_statement)  # sent again
    await store.sweep_pending()
    await store.get(plain[2]["id"], voided=False)
    await store.last_stored()
    agent = {"mbox": "mailto:learner1@nav.example"}
    for ascending in (False, True):
        for query in (
            StatementQuery(ascending=ascending),
            StatementQuery(agent=agent, ascending=ascending),
            StatementQuery(agent=agent, related_agents=True, ascending=ascending),
            StatementQuery(verb="https://kompetanse.example/verbs/1", ascending=ascending),
            StatementQuery(activity="https://kompetanse.example/a/1", ascending=ascending),
            StatementQuery(activity="https://kompetanse.example/a/1", related_activities=True),
            StatementQuery(registration=str(uuid.UUID(int=1)), since="2026-11-23T10:00:02Z"),
            StatementQuery(agent=agent, verb="https://kompetanse.example/verbs/1"),
            StatementQuery(authority="mbox|mailto:lrs@nav.example"),
            StatementQuery(since="2026-11-23T10:00:02Z", until="2026-11-23T10:00:06Z"),
        ):
            page = await store.query(query, 2)
            while page.next is not None:
                page = await store.query(
                    StatementQuery(**{**query.__dict__, "cursor": page.next}), 2
                )
    assert len(collection.queries) > 60
    unserved = [(f, s) for f, s in collection.queries if served(f, s) is None]
    assert unserved == []
    await client.aclose()


def test_the_check_refuses_a_query_no_index_serves() -> None:
    assert served({"statement.result.score.raw": 1}, None) is None
    assert served({"$and": [{"voided": False}, {"verb": "x"}]}, [("timestamp", -1)]) is None
    assert served({"pending_since": {"$lt": "2026"}}, None) is None
    assert served({"verb": "x"}, [("stored", -1), ("_id", -1)]) == "verb_stored"
