"""The embedded engine: mongomock behind PyMongo's async API, made durable by a journal.

The statement store is written once, against PyMongo's async API (``AsyncMongoClient``). With no
MongoDB URI configured, it runs on this engine instead: the same calls (``insert_many``,
``find(...).sort(...).limit(...).to_list()``, ``update_one``, ...) answered by mongomock, with
:mod:`lrs.store._indexed` for index-assisted queries and :mod:`lrs.store._journal` for
durability. There is no second query implementation: every filter, update and projection is
mongomock's.

Why not a library: mongomock is the maintained in-memory MongoDB the project already tests with;
the journal it lacks is a hundred lines here, and the alternatives (litemongo, mongita) are young
single-maintainer projects or implement their own query language.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import mongomock
from pymongo import UpdateOne
from pymongo.errors import BulkWriteError, DuplicateKeyError
from pymongo.results import (
    BulkWriteResult,
    DeleteResult,
    InsertManyResult,
    InsertOneResult,
    UpdateResult,
)

from lrs.store._documents import PENDING
from lrs.store._indexed import TICK, IndexedCollection
from lrs.store._journal import Journal
from lrs.store._sharing import Sharing

log = logging.getLogger(__name__)

Document = dict[str, Any]
_COMPACT_AFTER = 50_000  # journal lines
_SLICE = 0.005  # seconds a read runs before it lets other tasks run
_SHUTDOWN_WAIT = 10.0  # seconds aclose waits for a compaction under way


class EmbeddedClient:
    """Stands in for ``AsyncMongoClient``: ``client[database][collection]``.

    Compaction (a snapshot of every collection, then a fresh journal) runs in a thread of its
    own, from the documents as they were when it began: stored documents are never changed in
    place, so it can read them while requests go on writing to the next journal.
    """

    def __init__(self, data_dir: Path) -> None:
        self._mongomock: Any = mongomock.MongoClient(tz_aware=True)
        self._collections: dict[str, EmbeddedCollection] = {}
        self._sharing = Sharing()
        self._compaction: threading.Thread | None = None
        self._derived: set[str] = set()  # namespaces whose writes need not wait for the disk
        self._journal = Journal(data_dir)
        snapshot, operations = self._journal.load()
        for namespace, documents in snapshot:
            self._collection(namespace).raw.load(documents)
        for operation in operations:
            self._collection(operation["ns"]).apply(operation)
        if self._journal.writes_since_snapshot > _COMPACT_AFTER:
            self.compact_in_background()

    def __getitem__(self, name: str) -> EmbeddedDatabase:
        return EmbeddedDatabase(self, name)

    def _collection(self, namespace: str) -> EmbeddedCollection:
        found = self._collections.get(namespace)
        if found is None:
            database, _, name = namespace.partition(".")
            raw = IndexedCollection(self._mongomock[database], name, self._sharing)
            found = self._collections[namespace] = EmbeddedCollection(self, namespace, raw)
        return found

    def record(self, operation: Document) -> None:
        self._journal.append(operation)
        if self._journal.writes_since_snapshot > _COMPACT_AFTER:
            self.compact_in_background()

    async def sync(self) -> None:
        await self._journal.sync()

    def compact_in_background(self) -> threading.Thread:
        """Start a compaction in a thread (or return the one under way)."""
        if self._compaction is not None and self._compaction.is_alive():
            return self._compaction
        covered = self._journal.rotate()
        view = {ns: list(c.raw._documents.values()) for ns, c in self._collections.items()}
        self._compaction = threading.Thread(
            target=self._write_snapshot, args=(covered, view), name="compaction", daemon=True
        )
        self._compaction.start()
        return self._compaction

    def _write_snapshot(self, covered: int, view: dict[str, list[Document]]) -> None:
        started = time.perf_counter()
        try:
            self._journal.write_snapshot(covered, view)
        except Exception:  # the journal still holds everything; the next compaction retries
            log.exception("the embedded store's compaction failed")
            return
        count = sum(map(len, view.values()))
        log.info("compacted %d documents in %.1f s", count, time.perf_counter() - started)

    def compact(self) -> None:
        """Write a snapshot of everything and start a fresh journal, waiting until it is done."""
        if self._compaction is not None:
            self._compaction.join()
        self.compact_in_background().join()

    async def aclose(self) -> None:
        """Release the data directory. No compaction: the journal is durable already, and the
        next start replays it. A compaction under way gets a few seconds to finish (if it does
        not, the snapshot it was writing is ignored, and the journals it covers stay)."""
        if self._compaction is not None and self._compaction.is_alive():
            await asyncio.to_thread(self._compaction.join, _SHUTDOWN_WAIT)
        self._journal.close()

    close = aclose


class EmbeddedDatabase:
    def __init__(self, client: EmbeddedClient, name: str) -> None:
        self._client = client
        self.name = name

    def __getitem__(self, name: str) -> EmbeddedCollection:
        return self._client._collection(f"{self.name}.{name}")

    get_collection = __getitem__

    def derived(self, names: set[str]) -> None:
        """Collections whose content is derived from others (a projection that can be computed
        again, and knows from a durable checkpoint of its own what it must): their writes are
        journaled in order but do not wait for the disk. A write that does wait (the
        checkpoint's) makes every earlier one durable too, the journal being one file."""
        self._client._derived |= {f"{self.name}.{name}" for name in names}


class EmbeddedCollection:
    """The async collection API the stores use, applied to mongomock and journaled."""

    def __init__(self, client: EmbeddedClient, namespace: str, raw: IndexedCollection) -> None:
        self._client = client
        self.namespace = namespace
        self.raw: Any = raw  # mongomock is untyped

    # -- journal replay ---------------------------------------------------------------------

    def apply(self, operation: Document) -> None:
        kind = operation["op"]
        if kind == "insert":
            self.raw.insert_all(operation["docs"])  # journaled: stored before, so again
        elif kind == "update":
            method = self.raw.update_many if operation["multi"] else self.raw.update_one
            method(operation["filter"], operation["update"], upsert=operation["upsert"])
        elif kind == "delete":
            method = self.raw.delete_many if operation["multi"] else self.raw.delete_one
            method(operation["filter"])
        elif kind == "bulk":
            for update in operation["updates"]:
                self.apply(update)

    async def _durable(self, operation: Document) -> None:
        self._client.record(operation)
        if self.namespace not in self._client._derived:
            await self._client.sync()

    async def _journaled(self, operation: Document, documents: list[Document]) -> None:
        """Journal an insert; wait for the disk unless every document is `PENDING`: nobody has
        been told of those, and the write that commits them waits, its sync covering this."""
        if all(PENDING in document for document in documents):
            self._client.record(operation)
        else:
            await self._durable(operation)

    # -- the async API ------------------------------------------------------------------------

    async def create_index(self, keys: list[tuple[str, int]], **options: Any) -> str:
        self.raw.declare_index(keys)
        if options.get("unique"):
            return str(self.raw.create_index(keys, **options))
        return str(options.get("name") or "_".join(f"{f}_{d}" for f, d in keys))

    async def insert_one(self, document: Document) -> InsertOneResult:
        inserted, errors = self.raw.insert_all([document])
        if inserted:
            await self._journaled(
                {"op": "insert", "ns": self.namespace, "docs": inserted}, inserted
            )
        if errors:
            await self._client.sync()  # what the duplicate is, is on disk before anyone learns it
            raise DuplicateKeyError(errors[0]["errmsg"], errors[0]["code"])
        return InsertOneResult(document["_id"], acknowledged=True)

    async def insert_many(
        self, documents: list[Document], ordered: bool = True
    ) -> InsertManyResult:
        """Insert as MongoDB does (a duplicate id is a write error in a BulkWriteError; the
        documents before it, or with `ordered=False` all others, are stored and journaled), but
        a document BSON cannot hold, or one over 16 MiB, refuses the whole batch (BSON's error or
        DocumentTooLarge, as pymongo raises them): every document is encoded before any is
        stored."""
        if not documents:
            raise TypeError("documents must be a non-empty list")
        inserted, errors = self.raw.insert_all(documents, ordered=ordered)
        if inserted:
            await self._journaled(
                {"op": "insert", "ns": self.namespace, "docs": inserted}, inserted
            )
        if errors:
            # A writer told that an id is taken may answer its client that the statement is
            # stored: the document holding it is on disk first (it may be in the journal's
            # unsynced tail, written a moment ago by another request still waiting for fsync).
            await self._client.sync()
            raise BulkWriteError({"writeErrors": errors, "nInserted": len(inserted)})
        return InsertManyResult([d["_id"] for d in documents], acknowledged=True)

    async def update_one(self, filter: Document, update: Any, upsert: bool = False) -> UpdateResult:
        return await self._update(filter, update, upsert=upsert, multi=False)

    async def update_many(
        self, filter: Document, update: Any, upsert: bool = False
    ) -> UpdateResult:
        return await self._update(filter, update, upsert=upsert, multi=True)

    async def _update(
        self, filter: Document, update: Any, *, upsert: bool, multi: bool
    ) -> UpdateResult:
        method = self.raw.update_many if multi else self.raw.update_one
        result: UpdateResult = method(filter, update, upsert=upsert)
        if result.modified_count or result.upserted_id is not None:
            await self._durable(
                {
                    "op": "update",
                    "ns": self.namespace,
                    "filter": filter,
                    "update": update,
                    "upsert": upsert,
                    "multi": multi,
                }
            )
        return result

    async def bulk_write(self, requests: list[UpdateOne], ordered: bool = True) -> BulkWriteResult:
        """Apply `UpdateOne` requests in order, journaled as one write with one fsync.

        Only what the stores send is supported: a filter, an update document and upsert, read
        from pymongo's request objects (attributes of these names since pymongo 3). A failing
        request stops the rest, as in an ordered bulk write; those applied before it are kept.
        """
        applied: list[Document] = []
        counts = {"nMatched": 0, "nModified": 0}
        upserted: list[Document] = []
        try:
            for index, request in enumerate(requests):
                if not isinstance(request, UpdateOne) or request._array_filters or request._hint:
                    raise TypeError(f"the embedded bulk_write takes plain UpdateOne: {request}")
                filter, update, upsert = request._filter, request._doc, bool(request._upsert)
                result: UpdateResult = self.raw.update_one(filter, update, upsert=upsert)
                counts["nMatched"] += result.matched_count
                counts["nModified"] += result.modified_count
                if result.upserted_id is not None:
                    upserted.append({"index": index, "_id": result.upserted_id})
                if result.modified_count or result.upserted_id is not None:
                    applied.append(
                        {
                            "op": "update",
                            "filter": filter,
                            "update": update,
                            "upsert": upsert,
                            "multi": False,
                        }
                    )
        finally:
            if applied:
                await self._durable({"op": "bulk", "ns": self.namespace, "updates": applied})
        return BulkWriteResult(
            {
                **counts,
                "nInserted": 0,
                "nRemoved": 0,
                "nUpserted": len(upserted),
                "upserted": upserted,
                "writeErrors": [],
                "writeConcernErrors": [],
            },
            acknowledged=True,
        )

    async def delete_one(self, filter: Document) -> DeleteResult:
        return await self._delete(filter, multi=False)

    async def delete_many(self, filter: Document) -> DeleteResult:
        return await self._delete(filter, multi=True)

    async def _delete(self, filter: Document, *, multi: bool) -> DeleteResult:
        method = self.raw.delete_many if multi else self.raw.delete_one
        result: DeleteResult = method(filter)
        if result.deleted_count:
            await self._durable(
                {"op": "delete", "ns": self.namespace, "filter": filter, "multi": multi}
            )
        return result

    async def find_one(
        self, filter: Document, projection: Document | None = None
    ) -> Document | None:
        async for document in self.find(filter, projection).limit(1):
            return document
        return None

    async def count_documents(self, filter: Document) -> int:
        count = 0
        pace = _Pace()
        for document in self.raw.scan(filter):
            if document is TICK:
                await pace()
            else:
                count += 1
        return count

    def find(self, filter: Document, projection: Document | None = None) -> EmbeddedCursor:
        return EmbeddedCursor(self.raw, filter, projection)


class _Pace:
    """Lets other tasks run (``await pace()``) once a read has had the loop for `_SLICE`."""

    def __init__(self) -> None:
        self._since = time.perf_counter()

    async def __call__(self) -> None:
        now = time.perf_counter()
        if now - self._since > _SLICE:
            await asyncio.sleep(0)
            self._since = time.perf_counter()


class EmbeddedCursor:
    """``AsyncCursor``'s chaining, ``to_list`` and ``async for``.

    Reads take time linear in what they look at and copy, and a long one lets other requests
    run every few milliseconds (`_SLICE`), so a report over 100 000 documents does not hold up
    a POST. A long read sees writes made meanwhile, or not, document by document, as on
    MongoDB.
    """

    def __init__(
        self, raw: IndexedCollection, filter: Document, projection: Document | None
    ) -> None:
        self._raw = raw
        self._filter = filter
        self._projection = projection
        self._sort: list[tuple[str, int]] = []
        self._limit = 0

    def sort(self, keys: list[tuple[str, int]]) -> EmbeddedCursor:
        self._sort = list(keys)
        return self

    def limit(self, count: int) -> EmbeddedCursor:
        self._limit = count
        return self

    async def to_list(self, length: int | None = None) -> list[Document]:
        found: list[Document] = []
        if length is not None and length <= 0:
            length = None  # pymongo: 0 or None is everything
        async for document in self:
            found.append(document)
            if length is not None and len(found) >= length:
                break
        return found

    def __aiter__(self) -> AsyncIterator[Document]:
        return self._iterate()

    async def _iterate(self) -> AsyncIterator[Document]:
        raw, pace = self._raw, _Pace()
        matches: Iterator[Any] | None = None
        if self._sort:
            matches = raw.scan_ordered(self._filter, self._sort, abs(self._limit))
        if matches is None:
            matches = raw.scan(self._filter)
            if self._sort:
                collected = []
                for document in matches:
                    if document is TICK:
                        await pace()
                    else:
                        collected.append(document)
                raw.sort_documents(collected, self._sort)
                matches = iter(collected)
        limit, emitted = abs(self._limit), 0
        for document in matches:
            await pace()
            if document is TICK:
                continue
            yield raw.project(document, self._projection)
            emitted += 1
            if emitted == limit:
                return


__all__ = ["EmbeddedClient"]
