"""The document resources' decisions, without HTTP (Communication §2.2, §2.3, §2.6, §2.7, §3.1).

- PUT stores a document as sent; POST stores it, or merges a JSON object into a stored JSON
  object (top-level properties of the new one win), and refuses to merge anything else.
- Preconditions: `If-Match` (the stored document's ETag, or `*`) and `If-None-Match` (`*`, or
  ETags) answer 412 when they fail. A PUT that would overwrite an existing profile without
  either header is a 409 (and a State document too, from xAPI 2.0 on); a PUT to a profile
  without either header is refused with 400 even when none exists, since the client MUST send
  one (§3.1.s3.b1).
- Every write is a compare-and-set on the ETag read just before, so concurrent writers never
  lose an update: a POST that lost a race merges again into the new content.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from lrs.errors import BadRequest, Conflict, NotFound, PreconditionFailed
from lrs.model import XapiVersion, check_json, format_timestamp
from lrs.store import DocumentScope, DocumentStore, StoredDocument, etag_of

_RETRIES = 20
JSON = "application/json"


@dataclass(frozen=True)
class Preconditions:
    """The request's `If-Match` and `If-None-Match` values (None when the header is absent)."""

    if_match: str | None = None
    if_none_match: str | None = None

    @property
    def given(self) -> bool:
        return self.if_match is not None or self.if_none_match is not None

    def check(self, current: StoredDocument | None) -> None:
        """412 unless the stored document (None: absent) satisfies both headers."""
        etag = None if current is None else current.etag
        if self.if_match is not None:
            wanted = _etags(self.if_match)
            if etag is None or ("*" not in wanted and etag not in wanted):
                raise PreconditionFailed(
                    f"If-Match: {self.if_match} does not match the stored document "
                    f"({_quoted(etag) if etag else 'none'})"
                )
        if self.if_none_match is not None and etag is not None:
            unwanted = _etags(self.if_none_match)
            if "*" in unwanted or etag in unwanted:
                raise PreconditionFailed(
                    f"If-None-Match: {self.if_none_match} matches the stored document "
                    f"({_quoted(etag)})"
                )


@dataclass(frozen=True)
class DocumentList:
    ids: list[str]
    last_modified: str | None


class DocumentService:
    """Documents of one kind of resource; the routes call one method per request."""

    def __init__(self, store: DocumentStore, now: Callable[[], datetime]) -> None:
        self.store = store
        self._now = now

    async def get(self, scope: DocumentScope, doc_id: str) -> StoredDocument:
        found = await self.store.get(scope, doc_id)
        if found is None:
            raise NotFound(f"no document {doc_id!r} here")
        return found

    async def ids(self, scope: DocumentScope, since: str | None) -> DocumentList:
        found = await self.store.ids(scope, since)
        newest = max((updated for _, updated in found), default=None)
        return DocumentList([doc_id for doc_id, _ in found], newest)

    async def put(
        self,
        scope: DocumentScope,
        doc_id: str,
        content: bytes,
        content_type: str,
        preconditions: Preconditions,
        version: XapiVersion,
    ) -> str:
        """Store the document as sent; return its ETag."""
        needs_precondition = scope.kind != "state" or version == "2.0.0"
        if scope.kind != "state" and not preconditions.given:
            current = await self.store.get(scope, doc_id)
            if current is None:
                raise BadRequest(
                    "If-Match or If-None-Match: a PUT to a profile must send one (If-None-Match: * "
                    "to create the document, If-Match with its ETag to replace it)"
                )

        def replace(current: StoredDocument | None) -> tuple[bytes, str]:
            if current is not None and needs_precondition and not preconditions.given:
                raise Conflict(
                    f"a document {doc_id!r} exists: send If-Match with its ETag to replace it "
                    "(or If-None-Match: * to create one only if none exists)"
                )
            return content, content_type

        return await self._write(scope, doc_id, preconditions, replace)

    async def post(
        self,
        scope: DocumentScope,
        doc_id: str,
        content: bytes,
        content_type: str,
        preconditions: Preconditions,
    ) -> str:
        """Store the document, or merge a JSON object into the stored JSON object."""
        incoming = _json_object(content, "body") if _is_json(content_type) else None

        def merge(current: StoredDocument | None) -> tuple[bytes, str]:
            if current is None:
                return content, content_type
            if incoming is None or not _is_json(current.content_type):
                raise BadRequest(
                    "Content-Type: only JSON objects merge (application/json); the stored "
                    f"document is {current.content_type} and this one {content_type}"
                )
            stored = _json_object(current.content, "stored document")
            merged = json.dumps({**stored, **incoming}, separators=(",", ":"))
            return merged.encode(), JSON

        return await self._write(scope, doc_id, preconditions, merge)

    async def delete(self, scope: DocumentScope, doc_id: str, preconditions: Preconditions) -> None:
        for _ in range(_RETRIES):
            current = await self.store.get(scope, doc_id)
            preconditions.check(current)
            if current is None or await self.store.delete(scope, doc_id, current.etag):
                return
        raise Conflict("the document kept changing while it was being deleted; try again")

    async def delete_all(self, scope: DocumentScope) -> None:
        await self.store.delete_all(scope)

    async def _write(
        self,
        scope: DocumentScope,
        doc_id: str,
        preconditions: Preconditions,
        change: Callable[[StoredDocument | None], tuple[bytes, str]],
    ) -> str:
        for _ in range(_RETRIES):
            current = await self.store.get(scope, doc_id)
            preconditions.check(current)
            content, content_type = change(current)
            expected = None if current is None else current.etag
            updated = format_timestamp(self._now())
            if await self.store.write(scope, doc_id, content, content_type, updated, expected):
                return etag_of(content)
        raise Conflict("the document kept changing while it was being written; try again")


def _is_json(content_type: str) -> bool:
    return content_type.split(";")[0].strip().lower() == JSON


def _json_object(content: bytes, where: str) -> dict[str, Any]:
    """The JSON object to merge; it must write back as JSON (`check_json`: finite, not too deep)."""
    try:
        value = json.loads(content)  # NaN and Infinity parse, and check_json refuses them
    except (ValueError, RecursionError) as exc:
        raise BadRequest(f"{where}: Content-Type is application/json but it is not JSON") from exc
    if not isinstance(value, dict):
        raise BadRequest(f"{where}: a JSON document to merge must be an object")
    check_json(value, where)
    return value


def _etags(header: str) -> set[str]:
    """The ETags of an If-Match/If-None-Match header, unquoted (weak tags compare by value)."""
    tags = set()
    for item in header.split(","):
        tag = item.strip().removeprefix("W/").strip()
        tags.add(tag[1:-1] if len(tag) >= 2 and tag[0] == tag[-1] == '"' else tag)
    return tags


def _quoted(etag: str) -> str:
    return f'"{etag}"'
