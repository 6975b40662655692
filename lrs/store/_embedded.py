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

from pathlib import Path
from typing import Any

import mongomock
from pymongo import UpdateOne
from pymongo.results import (
    BulkWriteResult,
    DeleteResult,
    InsertManyResult,
    InsertOneResult,
    UpdateResult,
)

from lrs.store._indexed import IndexedCollection
from lrs.store._journal import Journal

Document = dict[str, Any]
_COMPACT_AFTER = 50_000  # journal lines


class EmbeddedClient:
    """Stands in for ``AsyncMongoClient``: ``client[database][collection]``."""

    def __init__(self, data_dir: Path) -> None:
        self._mongomock: Any = mongomock.MongoClient(tz_aware=True)
        self._collections: dict[str, EmbeddedCollection] = {}
        self._journal = Journal(data_dir)
        collections, operations = self._journal.load()
        for namespace, documents in collections.items():
            if documents:
                self._collection(namespace).raw.insert_many(documents)
        for operation in operations:
            self._collection(operation["ns"]).apply(operation)
        if self._journal.writes_since_snapshot > _COMPACT_AFTER:
            self.compact()

    def __getitem__(self, name: str) -> EmbeddedDatabase:
        return EmbeddedDatabase(self, name)

    def _collection(self, namespace: str) -> EmbeddedCollection:
        found = self._collections.get(namespace)
        if found is None:
            database, _, name = namespace.partition(".")
            raw = IndexedCollection(self._mongomock[database], name)
            found = self._collections[namespace] = EmbeddedCollection(self, namespace, raw)
        return found

    def record(self, operation: Document) -> None:
        self._journal.append(operation)
        if self._journal.writes_since_snapshot > _COMPACT_AFTER:
            self.compact()

    async def sync(self) -> None:
        await self._journal.sync()

    def compact(self) -> None:
        """Write a snapshot of everything and start a fresh journal."""
        self._journal.snapshot({ns: list(c.raw.find({})) for ns, c in self._collections.items()})

    async def aclose(self) -> None:
        """Leave a snapshot behind (a fast next start) and release the data directory."""
        if self._journal.writes_since_snapshot:
            self.compact()
        self._journal.close()

    close = aclose


class EmbeddedDatabase:
    def __init__(self, client: EmbeddedClient, name: str) -> None:
        self._client = client
        self.name = name

    def __getitem__(self, name: str) -> EmbeddedCollection:
        return self._client._collection(f"{self.name}.{name}")

    get_collection = __getitem__


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
            self.raw.insert_many(operation["docs"])
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
        await self._client.sync()

    # -- the async API ------------------------------------------------------------------------

    async def create_index(self, keys: list[tuple[str, int]], **options: Any) -> str:
        self.raw.declare_index(keys)
        if options.get("unique"):
            return str(self.raw.create_index(keys, **options))
        return str(options.get("name") or "_".join(f"{f}_{d}" for f, d in keys))

    async def insert_one(self, document: Document) -> InsertOneResult:
        result = self.raw.insert_one(document)
        await self._durable({"op": "insert", "ns": self.namespace, "docs": [document]})
        return result  # type: ignore[no-any-return]

    async def insert_many(
        self, documents: list[Document], ordered: bool = True
    ) -> InsertManyResult:
        result = self.raw.insert_many(documents, ordered=ordered)
        await self._durable({"op": "insert", "ns": self.namespace, "docs": documents})
        return result  # type: ignore[no-any-return]

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
        found: Document | None = self.raw.find_one(filter, projection)
        return found

    async def count_documents(self, filter: Document) -> int:
        return int(self.raw.count_documents(filter))

    def find(self, filter: Document, projection: Document | None = None) -> EmbeddedCursor:
        return EmbeddedCursor(self.raw, filter, projection)


class EmbeddedCursor:
    """``AsyncCursor``'s chaining and ``to_list``."""

    def __init__(
        self, raw: IndexedCollection, filter: Document, projection: Document | None
    ) -> None:
        self._raw: Any = raw
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
        found = None
        if self._sort:
            found = self._raw.find_sorted(self._filter, self._sort, self._limit, self._projection)
        if found is None:
            cursor = self._raw.find(self._filter, self._projection)
            if self._sort:
                cursor = cursor.sort(self._sort)
            if self._limit:
                cursor = cursor.limit(self._limit)
            found = list(cursor)
        return found if length is None else found[:length]

    def __aiter__(self) -> Any:
        return self._iterate()

    async def _iterate(self) -> Any:
        for document in await self.to_list():
            yield document


__all__ = ["EmbeddedClient"]
