"""Attachment bytes, stored once per SHA-256 (the `sha2` of the attachment metadata)."""

from __future__ import annotations

from typing import Any

from pymongo.errors import PyMongoError

from lrs.errors import StoreUnavailable

Document = dict[str, Any]


class AttachmentStore:
    def __init__(self, collection: Any) -> None:
        self._collection = collection

    async def save(self, attachments: dict[str, tuple[str, bytes]]) -> None:
        """Store (content type, bytes) by sha2; storing the same bytes again changes nothing."""
        try:
            for sha2, (content_type, content) in attachments.items():
                await self._collection.update_one(
                    {"_id": sha2},
                    {"$setOnInsert": {"contentType": content_type, "content": content}},
                    upsert=True,
                )
        except PyMongoError as exc:
            raise StoreUnavailable(f"the attachment store failed: {exc}") from exc

    async def get_many(self, sha2s: list[str]) -> dict[str, tuple[str, bytes]]:
        try:
            found = await self._collection.find({"_id": {"$in": sha2s}}).to_list()
        except PyMongoError as exc:
            raise StoreUnavailable(f"the attachment store failed: {exc}") from exc
        return {doc["_id"]: (doc["contentType"], bytes(doc["content"])) for doc in found}
