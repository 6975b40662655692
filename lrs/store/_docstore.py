"""Documents of the State, Activity Profile and Agent Profile resources, written by compare-and-set.

A stored document::

    {
      "_id": "<sha256 of kind, activity, agent, registration and document id>",
      "kind": "state" | "activity_profile" | "agent_profile",
      "activity": "<activity IRI>" | None,
      "agent": "<IFI key>" | None,
      "registration": "<uuid>" | None,
      "doc_id": "<stateId or profileId>",
      "content": <bytes>, "content_type": "application/json",
      "etag": "<sha1 hex of content>",
      "updated": "2026-11-23T10:00:00.123Z",
    }

Every write names the ETag it expects (or that the document must be absent), so two writers
never silently overwrite each other: the loser learns it and tries again or reports 412.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from pymongo.errors import DuplicateKeyError

from lrs.store._errors import call, check_size, translated
from lrs.store._seam import Collection

Document = dict[str, Any]
DOCUMENT_INDEXES: list[tuple[list[tuple[str, int]], dict[str, Any]]] = [
    (
        [("kind", 1), ("activity", 1), ("agent", 1), ("registration", 1), ("updated", 1)],
        {"name": "scope_updated"},
    ),
]


@dataclass(frozen=True)
class DocumentScope:
    """Where documents live: a kind plus the activity, agent and registration that apply."""

    kind: str
    activity: str | None = None
    agent: str | None = None
    registration: str | None = None

    def fields(self) -> Document:
        return {
            "kind": self.kind,
            "activity": self.activity,
            "agent": self.agent,
            "registration": self.registration,
        }

    def key(self, doc_id: str) -> str:
        raw = json.dumps([*self.fields().values(), doc_id], separators=(",", ":"))
        return hashlib.sha256(raw.encode()).hexdigest()


@dataclass(frozen=True)
class StoredDocument:
    content: bytes
    content_type: str
    etag: str
    updated: str


def etag_of(content: bytes) -> str:
    """The document's ETag value (unquoted): the SHA-1 of its content, as xAPI recommends."""
    return hashlib.sha1(content, usedforsecurity=False).hexdigest()


class DocumentStore:
    def __init__(self, collection: Collection) -> None:
        self._collection = collection

    async def create_indexes(self) -> None:
        for keys, options in DOCUMENT_INDEXES:
            await self._collection.create_index(keys, **options)

    async def get(self, scope: DocumentScope, doc_id: str) -> StoredDocument | None:
        found = await self._call(self._collection.find_one, {"_id": scope.key(doc_id)})
        if found is None:
            return None
        return StoredDocument(
            bytes(found["content"]), found["content_type"], found["etag"], found["updated"]
        )

    async def ids(self, scope: DocumentScope, since: str | None) -> list[tuple[str, str]]:
        """(document id, updated) of every document in scope, updated after `since` if given."""
        filter = scope.fields()
        if since is not None:
            filter["updated"] = {"$gt": since}
        cursor = self._collection.find(filter, {"doc_id": 1, "updated": 1}).sort([("doc_id", 1)])
        found = await self._call(cursor.to_list)
        return [(doc["doc_id"], doc["updated"]) for doc in found]

    async def write(
        self,
        scope: DocumentScope,
        doc_id: str,
        content: bytes,
        content_type: str,
        updated: str,
        expected: str | None,
    ) -> bool:
        """Store the document if its current ETag is `expected` (None: it must be absent)."""
        document = {
            **scope.fields(),
            "doc_id": doc_id,
            "content": content,
            "content_type": content_type,
            "etag": etag_of(content),
            "updated": updated,
        }
        key = scope.key(doc_id)
        check_size({"_id": key, **document}, "body", "the document")
        if expected is None:
            with translated("document"):
                try:
                    await self._collection.insert_one({"_id": key, **document})
                except DuplicateKeyError:
                    return False
            return True
        result = await self._call(
            self._collection.update_one, {"_id": key, "etag": expected}, {"$set": document}
        )
        return bool(result.matched_count)

    async def delete(self, scope: DocumentScope, doc_id: str, expected: str) -> bool:
        """Delete the document if its current ETag is `expected`."""
        result = await self._call(
            self._collection.delete_one, {"_id": scope.key(doc_id), "etag": expected}
        )
        return bool(result.deleted_count)

    async def delete_all(self, scope: DocumentScope) -> None:
        await self._call(self._collection.delete_many, scope.fields())

    async def _call(self, method: Any, *args: Any) -> Any:
        return await call("document", method, *args)
