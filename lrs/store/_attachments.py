"""Attachment bytes, stored once per SHA-256 (the `sha2` of the attachment metadata).

MongoDB documents are limited to 16 MB, so the bytes are cut into chunks of 1 MiB (GridFS's
layout, kept in two plain collections so the embedded engine stores them too)::

    attachments        {"_id": sha2, "contentType": ..., "length": n, "chunks": k}
    attachment_chunks  {"_id": "<sha2>:<i>", "sha2": sha2, "n": i, "data": <bytes>}

The metadata document is written after every chunk, so a reader never sees a partial file.
"""

from __future__ import annotations

from typing import Any

from pymongo.errors import DuplicateKeyError

from lrs.store._errors import translated
from lrs.store._seam import Collection

CHUNK_BYTES = 1024 * 1024


class AttachmentStore:
    def __init__(self, files: Collection, chunks: Collection) -> None:
        self._files = files
        self._chunks = chunks

    async def create_indexes(self) -> None:
        await self._chunks.create_index([("sha2", 1), ("n", 1)], name="sha2_n")

    async def save(self, attachments: dict[str, tuple[str, bytes]]) -> None:
        """Store (content type, bytes) by sha2; storing the same bytes again changes nothing."""
        with translated("attachment"):
            for sha2, (content_type, content) in attachments.items():
                if await self._files.find_one({"_id": sha2}, {"_id": 1}) is not None:
                    continue
                pieces = [
                    content[start : start + CHUNK_BYTES]
                    for start in range(0, len(content), CHUNK_BYTES)
                ] or [b""]
                for number, piece in enumerate(pieces):
                    await _insert_once(
                        self._chunks,
                        {"_id": f"{sha2}:{number}", "sha2": sha2, "n": number, "data": piece},
                    )
                await _insert_once(
                    self._files,
                    {
                        "_id": sha2,
                        "contentType": content_type,
                        "length": len(content),
                        "chunks": len(pieces),
                    },
                )

    async def get_many(self, sha2s: list[str]) -> dict[str, tuple[str, bytes]]:
        """(content type, bytes) of each stored attachment among `sha2s`."""
        with translated("attachment"):
            files = await self._files.find({"_id": {"$in": sha2s}}).to_list()
            found = {}
            for file in files:
                cursor = self._chunks.find({"sha2": file["_id"]}).sort([("n", 1)])
                pieces = [bytes(chunk["data"]) for chunk in await cursor.to_list()]
                found[file["_id"]] = (file["contentType"], b"".join(pieces))
        return found


async def _insert_once(collection: Collection, document: dict[str, Any]) -> None:
    """Insert; a concurrent writer that stored the same (content-addressed) piece is fine."""
    try:
        await collection.insert_one(document)
    except DuplicateKeyError:
        pass
