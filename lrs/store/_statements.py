"""The statement store: writes (all-or-nothing, with voiding) and queries, on PyMongo's async API.

The same code runs on MongoDB (``AsyncMongoClient``) and on the embedded engine.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo.errors import BulkWriteError, DuplicateKeyError, PyMongoError

from lrs.errors import Conflict, StatementInvalid, StoreUnavailable
from lrs.model import format_timestamp
from lrs.store._documents import STATEMENT_INDEXES, to_document
from lrs.store._query import Cursor, StatementQuery, match_filter, page_filter, sort_order

Document = dict[str, Any]
_MAX_REF_DEPTH = 10
_DUPLICATE_KEY = 11000
_PENDING_WAIT = 10.0  # seconds a writer waits for another's pending statement
_PENDING_POLL = 0.01
_PENDING_STALE = 60.0  # seconds after which a pending statement's writer is taken for dead


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
            self._collection.find_one,
            {"_id": statement_id.lower()},
            {"statement": 1, "voided": 1, "pending": 1},
        )
        if document is None or "pending" in document or bool(document["voided"]) != voided:
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
        again; with other content it is a Conflict, and nothing of the batch is stored.
        Voiding statements void their targets.

        Safe against concurrent writers, in this process or others on one MongoDB: the batch is
        inserted as *pending* (invisible to reads), then committed with one update. A writer
        that meets another's pending statement waits for it to be committed or withdrawn, so
        identical concurrent requests all succeed and store the statement once, and a refused
        batch withdraws only its own pending statements, never one another request stored.
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
        position = {statement_id: index for index, statement_id in enumerate(ids)}
        documents = {doc["_id"]: doc for doc in map(to_document, statements)}
        await self._check_void_targets(documents, position)
        token = uuid.uuid4().hex
        since = format_timestamp(datetime.now(UTC))
        for document in documents.values():
            document["pending"] = token
            document["pending_since"] = since
        mine: set[str] = set()
        try:
            deadline = time.monotonic() + _PENDING_WAIT
            while open_ids := [i for i in ids if i in documents and i not in mine]:
                held = await self._held(open_ids, token)
                for doc_id, stored in held.items():
                    if stored is None:
                        continue  # another writer's, pending: wait for it
                    if not same(stored, documents[doc_id]["statement"]):
                        raise Conflict(
                            f"statement[{position[doc_id]}].id: a different statement with id "
                            f"{doc_id} is already stored"
                        )
                    del documents[doc_id]  # stored already, and equal: nothing to store
                free = [documents[i] for i in open_ids if i not in held]
                if free:
                    mine |= await self._insert_pending(free, token)
                elif any(stored is None for stored in held.values()):
                    if time.monotonic() > deadline:
                        raise StoreUnavailable(
                            "statement: another request is still storing one of these ids; retry"
                        )
                    await asyncio.sleep(_PENDING_POLL)
            await self._commit(sorted(mine), token)
        except BaseException:
            if mine:
                await self._call(
                    self._collection.delete_many, {"_id": {"$in": sorted(mine)}, "pending": token}
                )
            raise
        await self._void([documents[i] for i in sorted(mine)])
        return ids

    async def _insert_pending(self, documents: list[Document], token: str) -> set[str]:
        """Insert these documents (pending under `token`); the ids this call inserted.

        An id another writer holds is left out; any other write error refuses the batch.
        """
        try:
            await self._collection.insert_many(documents, ordered=False)
            return {doc["_id"] for doc in documents}
        except BulkWriteError as exc:
            errors = exc.details.get("writeErrors", [])
            if any(error.get("code") != _DUPLICATE_KEY for error in errors):
                raise StoreUnavailable(f"the statement store refused a write: {exc}") from exc
        except DuplicateKeyError:
            pass
        except PyMongoError as exc:
            raise StoreUnavailable(f"the statement store failed: {exc}") from exc
        wanted = [doc["_id"] for doc in documents]
        return {
            doc["_id"] for doc in await self._find({"_id": {"$in": wanted}, "pending": token}, {})
        }

    async def _held(self, ids: list[str], token: str) -> dict[str, Document | None]:
        """Which of `ids` another writer holds: the committed statement, or None while pending.

        A pending statement left longer than a request can take belongs to a writer that died
        mid-write: it is withdrawn, so that its id can be stored again.
        """
        held: dict[str, Document | None] = {}
        stale = format_timestamp(datetime.now(UTC) - timedelta(seconds=_PENDING_STALE))
        for doc in await self._find(
            {"_id": {"$in": ids}}, {"statement": 1, "pending": 1, "pending_since": 1}
        ):
            pending = doc.get("pending")
            if pending is None:
                held[doc["_id"]] = doc["statement"]
            elif pending == token:
                continue  # ours, from an insert that reported an error for another document
            elif doc["pending_since"] >= stale:
                held[doc["_id"]] = None
            else:
                await self._call(
                    self._collection.delete_one, {"_id": doc["_id"], "pending": pending}
                )
        return held

    async def _commit(self, ids: list[str], token: str) -> None:
        if not ids:
            return
        result = await self._call(
            self._collection.update_many,
            {"_id": {"$in": ids}, "pending": token},
            {"$unset": {"pending": "", "pending_since": ""}},
        )
        if result.matched_count != len(ids):
            raise StoreUnavailable("statement: the write took too long and was withdrawn; retry")

    async def _void(self, documents: list[Document]) -> None:
        """Apply voiding both ways for newly committed statements: a new voiding statement voids
        its target, and a new statement voided by one stored before it is voided at once."""
        new_ids = [doc["_id"] for doc in documents]
        if not new_ids:
            return
        voided = {
            doc["voids"]
            for doc in await self._find(
                {"voids": {"$in": new_ids}, "pending": {"$exists": False}}, {"voids": 1}
            )
        }
        targets = {doc["voids"] for doc in documents if "voids" in doc} | voided
        if targets:
            await self._call(
                self._collection.update_many,
                {"_id": {"$in": sorted(targets)}},
                {"$set": {"voided": True}},
            )

    async def sweep_pending(self) -> int:
        """Withdraw pending statements that no live writer will commit (it died mid-write)."""
        stale = format_timestamp(datetime.now(UTC) - timedelta(seconds=_PENDING_STALE))
        result = await self._call(
            self._collection.delete_many,
            {"pending": {"$exists": True}, "pending_since": {"$lt": stale}},
        )
        return int(result.deleted_count)

    async def _check_void_targets(
        self, documents: dict[str, Document], position: dict[str, int]
    ) -> None:
        """A voiding statement cannot target another voiding statement (Data §2.3.2)."""
        targets = {doc["voids"]: doc["_id"] for doc in documents.values() if "voids" in doc}
        if not targets:
            return
        voiding_in_batch = set(targets.values())
        stored_voiding = {
            doc["_id"]
            for doc in await self._find({"_id": {"$in": sorted(targets)}}, {"voids": 1})
            if "voids" in doc
        }
        for target, voiding in targets.items():
            if target in voiding_in_batch or target in stored_voiding:
                raise StatementInvalid(
                    f"statement[{position[voiding]}].object.id",
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
