"""The storage seam: what the stores ask of a database, as typed Protocols.

Every store in `lrs.store` and `catalog` takes a `Database` or a `Collection` and calls only the
methods below. PyMongo's `AsyncDatabase`/`AsyncCollection` and the embedded engine's classes
both satisfy them; mypy checks both at the bottom of this module, so the embedded engine
cannot drift from the driver's API without the type check failing.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any, Protocol

from pymongo import UpdateOne
from pymongo.results import (
    BulkWriteResult,
    DeleteResult,
    InsertManyResult,
    InsertOneResult,
    UpdateResult,
)

Document = dict[str, Any]
SortKeys = list[tuple[str, int]]


class Cursor(Protocol):
    """A query's cursor: chained `sort` and `limit`, then `to_list` or `async for`."""

    def sort(self, keys: SortKeys, /) -> Cursor: ...

    def limit(self, count: int, /) -> Cursor: ...

    async def to_list(self, length: int | None = None, /) -> list[Document]: ...

    def __aiter__(self) -> AsyncIterator[Document]: ...


class Collection(Protocol):
    """The collection methods the stores use (PyMongo's names and meanings)."""

    def find(self, filter: Document, projection: Document | None = None, /) -> Cursor: ...

    async def find_one(
        self, filter: Document, projection: Document | None = None, /
    ) -> Document | None: ...

    async def count_documents(self, filter: Document, /) -> int: ...

    async def insert_one(self, document: Document, /) -> InsertOneResult: ...

    async def insert_many(
        self, documents: list[Document], /, ordered: bool = True
    ) -> InsertManyResult: ...

    async def update_one(
        self, filter: Document, update: Document, /, upsert: bool = False
    ) -> UpdateResult: ...

    async def update_many(
        self, filter: Document, update: Document, /, upsert: bool = False
    ) -> UpdateResult: ...

    async def bulk_write(
        self, requests: list[UpdateOne], /, ordered: bool = True
    ) -> BulkWriteResult: ...

    async def delete_one(self, filter: Document, /) -> DeleteResult: ...

    async def delete_many(self, filter: Document, /) -> DeleteResult: ...

    async def create_index(
        self,
        keys: SortKeys,
        /,
        *,
        name: str = ...,
        unique: bool = ...,
        sparse: bool = ...,
        partialFilterExpression: Document = ...,
    ) -> str: ...


class Database(Protocol):
    """A database: its collections by name."""

    def __getitem__(self, name: str, /) -> Collection: ...


if TYPE_CHECKING:  # the two implementations, checked by mypy against the seam
    from pymongo.asynchronous.collection import AsyncCollection
    from pymongo.asynchronous.database import AsyncDatabase

    from lrs.store._embedded import EmbeddedCollection, EmbeddedDatabase

    def _driver_collection(collection: AsyncCollection[Document]) -> Collection:
        return collection

    def _driver_database(database: AsyncDatabase[Document]) -> Database:
        return database

    def _embedded_collection(collection: EmbeddedCollection) -> Collection:
        return collection

    def _embedded_database(database: EmbeddedDatabase) -> Database:
        return database
