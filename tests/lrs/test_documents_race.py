"""A merge that loses a race with another writer merges again: no update is lost (on every
backend, see tests/backends.py)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from lrs.documents import DocumentService, Preconditions
from lrs.errors import PreconditionFailed
from lrs.store import DocumentScope, DocumentStore
from tests.backends import BACKENDS

pytestmark = pytest.mark.anyio
SCOPE = DocumentScope("state", activity="https://kompetanse.example/a", agent="mbox|x")


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


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


async def test_a_merge_that_lost_a_race_merges_again(database: Any) -> None:
    store = RacingStore(database["documents"])
    plain = DocumentService(DocumentStore(database["documents"]), lambda: datetime.now(UTC))
    await plain.post(SCOPE, "doc", b'{"first": 1}', "application/json", Preconditions())
    racing = DocumentService(store, lambda: datetime.now(UTC))
    await racing.post(SCOPE, "doc", b'{"mine": 2}', "application/json", Preconditions())
    stored = await store.get(SCOPE, "doc")
    assert stored is not None
    assert json.loads(stored.content) == {"first": 1, "other": True, "mine": 2}


async def test_a_put_with_if_match_that_lost_a_race_fails(database: Any) -> None:
    store = RacingStore(database["documents"])
    plain = DocumentService(DocumentStore(database["documents"]), lambda: datetime.now(UTC))
    etag = await plain.post(SCOPE, "doc", b'{"first": 1}', "application/json", Preconditions())
    racing = DocumentService(store, lambda: datetime.now(UTC))
    with pytest.raises(PreconditionFailed):
        await racing.put(
            SCOPE, "doc", b"{}", "application/json", Preconditions(if_match=f'"{etag}"'), "2.0.0"
        )
