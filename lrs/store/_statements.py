"""The statement store: writes (all-or-nothing, with voiding) and queries, on PyMongo's async API.

The same code runs on MongoDB (``AsyncMongoClient``) and on the embedded engine.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pymongo.errors import BulkWriteError, DuplicateKeyError, PyMongoError

from lrs.errors import Conflict, StatementInvalid, StoreUnavailable
from lrs.store._documents import STATEMENT_INDEXES, to_document
from lrs.store._query import Cursor, StatementQuery, match_filter, page_filter, sort_order

Document = dict[str, Any]
_MAX_REF_DEPTH = 10


@dataclass(frozen=True)
class Page:
    """One page of a statement query; `next` is the cursor of the following page, if any."""

    statements: list[Document]
    next: Cursor | None


class StatementStore:
    """Statements in one collection (see `lrs.store._documents` for the document shape)."""

    def __init__(self, collection: Any) -> None:
        self._collection = collection

    async def create_indexes(self) -> None:
        """Create every index the queries need (idempotent; run at start)."""
        for keys, options in STATEMENT_INDEXES:
            await self._collection.create_index(keys, **options)

    async def get(self, statement_id: str, *, voided: bool) -> Document | None:
        """The statement with this id if its voided state is `voided`, else None."""
        document = await self._call(
            self._collection.find_one, {"_id": statement_id.lower()}, {"statement": 1, "voided": 1}
        )
        if document is None or bool(document["voided"]) != voided:
            return None
        statement: Document = document["statement"]
        return statement

    async def last_stored(self) -> str | None:
        """The `stored` time of the newest statement."""
        found = await self._call(
            self._collection.find({}, {"stored": 1})
            .sort([("stored", -1), ("_id", -1)])
            .limit(1)
            .to_list
        )
        return str(found[0]["stored"]) if found else None

    async def save(
        self, statements: list[Document], same: Callable[[Document, Document], bool]
    ) -> list[str]:
        """Store complete statements, all or none; return their ids.

        A statement whose id is already stored with equal content (by `same`) is not stored
        again; with other content it is a Conflict. Voiding statements void their targets.
        """
        ids = [statement["id"].lower() for statement in statements]
        seen: dict[str, int] = {}
        for index, statement_id in enumerate(ids):
            if statement_id in seen:
                raise StatementInvalid(
                    f"statement[{index}].id",
                    f"{statement_id} is also the id of statement[{seen[statement_id]}] "
                    "in this request",
                )
            seen[statement_id] = index
        existing = {
            doc["_id"]: doc["statement"]
            for doc in await self._find({"_id": {"$in": ids}}, {"statement": 1})
        }
        fresh = []
        for index, statement in enumerate(statements):
            stored = existing.get(ids[index])
            if stored is None:
                fresh.append(statement)
            elif not same(stored, statement):
                raise Conflict(
                    f"statement[{index}].id: a different statement with id {ids[index]} "
                    "is already stored"
                )
        if fresh:
            await self._insert(fresh, statements)
        return ids

    async def _insert(self, fresh: list[Document], batch: list[Document]) -> None:
        documents = [to_document(statement) for statement in fresh]
        targets = {doc["voids"]: i for i, doc in enumerate(documents) if "voids" in doc}
        await self._check_void_targets(targets, documents, batch)
        new_ids = [doc["_id"] for doc in documents]
        already_voided = {
            doc["voids"] for doc in await self._find({"voids": {"$in": new_ids}}, {"voids": 1})
        }
        for document in documents:
            if document["_id"] in already_voided:
                document["voided"] = True
        try:
            await self._collection.insert_many(documents, ordered=True)
        except (BulkWriteError, DuplicateKeyError) as exc:
            # Another writer stored one of these ids meanwhile: undo ours, all or nothing.
            await self._call(self._collection.delete_many, {"_id": {"$in": new_ids}})
            raise Conflict("statement: another request stored one of these ids; retry") from exc
        except PyMongoError as exc:
            raise StoreUnavailable(f"the statement store failed: {exc}") from exc
        if targets:
            await self._call(
                self._collection.update_many,
                {"_id": {"$in": sorted(targets)}},
                {"$set": {"voided": True}},
            )

    async def _check_void_targets(
        self, targets: dict[str, int], documents: list[Document], batch: list[Document]
    ) -> None:
        """A voiding statement cannot target another voiding statement (Data §2.3.2)."""
        if not targets:
            return
        positions = {statement["id"].lower(): i for i, statement in enumerate(batch)}
        voiding_in_batch = {doc["_id"] for doc in documents if "voids" in doc}
        stored_voiding = {
            doc["_id"]
            for doc in await self._find({"_id": {"$in": sorted(targets)}}, {"voids": 1})
            if "voids" in doc
        }
        for target in targets:
            if target in voiding_in_batch or target in stored_voiding:
                index = positions[documents[targets[target]]["_id"]]
                raise StatementInvalid(
                    f"statement[{index}].object.id",
                    f"{target} is a voiding statement, and a voiding statement cannot be voided",
                )

    async def query(self, query: StatementQuery, limit: int) -> Page:
        """One page of statements matching `query`, newest first unless ascending."""
        matches = match_filter(query)
        if query.has_filters():
            referring = await self._referring(matches)
            if referring:
                matches = {"$or": [matches, {"_id": {"$in": sorted(referring)}}]}
        found = await self._call(
            self._collection.find(page_filter(query, matches), {"statement": 1, "stored": 1})
            .sort(sort_order(query))
            .limit(limit + 1)
            .to_list
        )
        following = None
        if len(found) > limit:
            found = found[:limit]
            following = Cursor(stored=found[-1]["stored"], id=found[-1]["_id"])
        return Page([doc["statement"] for doc in found], following)

    async def _referring(self, matches: Document) -> set[str]:
        """Ids of statements that target a matching statement through StatementRefs, at depth."""
        if await self._call(self._collection.find_one, {"is_ref": True}, {"_id": 1}) is None:
            return set()
        targets = {doc["_id"] for doc in await self._find(matches, {"_id": 1})}
        referring: set[str] = set()
        for _ in range(_MAX_REF_DEPTH):
            if not targets:
                break
            found = {doc["_id"] for doc in await self._find({"ref": {"$in": sorted(targets)}}, {})}
            targets = found - referring
            referring |= found
        return referring

    async def _find(self, filter: Document, projection: Document) -> list[Document]:
        cursor = self._collection.find(filter, {"_id": 1, **projection})
        found: list[Document] = await self._call(cursor.to_list)
        return found

    async def _call(self, method: Callable[..., Any], *args: Any) -> Any:
        """Run one driver call, translating driver errors at this boundary."""
        try:
            return await method(*args)
        except PyMongoError as exc:
            raise StoreUnavailable(f"the statement store failed: {exc}") from exc
