"""A merge that loses a race with another writer merges again: no update is lost."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from lrs.documents import DocumentService, Preconditions
from lrs.errors import PreconditionFailed
from lrs.store import EmbeddedClient
from lrs.store._docstore import DocumentScope, DocumentStore

pytestmark = pytest.mark.anyio
SCOPE = DocumentScope("state", activity="https://kompetanse.example/a", agent="mbox|x")


class RacingStore(DocumentStore):
    """Lets another writer in between this writer's read and its first write."""

    def __init__(self, collection: object) -> None:
        super().__init__(collection)
        self.raced = False

    async def write(self, scope, doc_id, content, content_type, updated, expected):  # type: ignore[no-untyped-def]
        if not self.raced:
            self.raced = True
            current = await self.get(scope, doc_id)
            other = json.dumps({**json.loads(current.content), "other": True}).encode()  # type: ignore[union-attr]
            assert await super().write(
                scope,
                doc_id,
                other,
                "application/json",
                updated,
                current.etag,  # type: ignore[union-attr]
            )
        return await super().write(scope, doc_id, content, content_type, updated, expected)


async def test_a_merge_that_lost_a_race_merges_again(tmp_path: Path) -> None:
    client = EmbeddedClient(tmp_path)
    store = RacingStore(client["db"]["documents"])
    plain = DocumentService(DocumentStore(client["db"]["documents"]), lambda: datetime.now(UTC))
    await plain.post(SCOPE, "doc", b'{"first": 1}', "application/json", Preconditions())
    racing = DocumentService(store, lambda: datetime.now(UTC))
    await racing.post(SCOPE, "doc", b'{"mine": 2}', "application/json", Preconditions())
    stored = await store.get(SCOPE, "doc")
    assert stored is not None
    assert json.loads(stored.content) == {"first": 1, "other": True, "mine": 2}
    await client.aclose()


async def test_a_put_with_if_match_that_lost_a_race_fails(tmp_path: Path) -> None:
    client = EmbeddedClient(tmp_path)
    store = RacingStore(client["db"]["documents"])
    plain = DocumentService(DocumentStore(client["db"]["documents"]), lambda: datetime.now(UTC))
    etag = await plain.post(SCOPE, "doc", b'{"first": 1}', "application/json", Preconditions())
    racing = DocumentService(store, lambda: datetime.now(UTC))
    with pytest.raises(PreconditionFailed):
        await racing.put(
            SCOPE, "doc", b"{}", "application/json", Preconditions(if_match=f'"{etag}"'), "2.0.0"
        )
    await client.aclose()
