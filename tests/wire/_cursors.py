"""Server-side cursors: what a find, aggregate or list command has not yet returned.

As mongod: the first batch holds 101 documents (or `batchSize`), a getMore batch `batchSize`
or as many as fit, every batch at most 16 MiB (but at least one document); the cursor is
closed (id 0) once empty; an unknown id is CursorNotFound (43).
"""

from __future__ import annotations

import itertools
from collections import deque
from typing import Any

import bson
from bson import Int64

from tests.wire._errors import CommandError

Document = dict[str, Any]
MAX_BATCH_BYTES = 16 * 1024 * 1024
FIRST_BATCH = 101


class Cursors:
    def __init__(self) -> None:
        self._open: dict[int, tuple[str, deque[Document]]] = {}
        self._ids = itertools.count(7_000_000_001)

    def open(
        self, namespace: str, documents: list[Document], batch_size: int | None, single: bool
    ) -> Document:
        """The reply opening a cursor over `documents`: its first batch and its id."""
        remaining = deque(documents)
        first = _take(remaining, FIRST_BATCH if batch_size is None else batch_size)
        cursor_id = 0
        if remaining and not single:
            cursor_id = next(self._ids)
            self._open[cursor_id] = (namespace, remaining)
        return {"cursor": {"firstBatch": first, "id": Int64(cursor_id), "ns": namespace}}

    def get_more(self, cursor_id: int, namespace: str, batch_size: int | None) -> Document:
        if cursor_id not in self._open:
            raise CommandError(43, f"cursor id {cursor_id} not found")
        owner, remaining = self._open[cursor_id]
        if owner != namespace:
            raise CommandError(
                13,
                f"Requested getMore on namespace '{namespace}', but cursor belongs to a "
                f"different namespace {owner}",
            )
        batch = _take(remaining, batch_size or None)
        if not remaining:
            del self._open[cursor_id]
            cursor_id = 0
        return {"cursor": {"nextBatch": batch, "id": Int64(cursor_id), "ns": owner}}

    def kill(self, cursor_ids: list[int]) -> Document:
        killed = [i for i in cursor_ids if self._open.pop(int(i), None) is not None]
        return {
            "cursorsKilled": killed,
            "cursorsNotFound": [i for i in cursor_ids if i not in killed],
            "cursorsAlive": [],
            "cursorsUnknown": [],
        }

    def forget(self, database: str, collection: str | None = None) -> None:
        """Close the cursors of a dropped collection (or of every collection of a database)."""
        prefix = f"{database}.{collection}" if collection else f"{database}."
        for cursor_id, (namespace, _) in list(self._open.items()):
            if namespace == prefix or (collection is None and namespace.startswith(prefix)):
                del self._open[cursor_id]

    def __len__(self) -> int:
        return len(self._open)


def _take(remaining: deque[Document], count: int | None) -> list[Document]:
    """Up to `count` documents (None: no count) within the batch size limit."""
    batch: list[Document] = []
    size = 0
    while remaining and (count is None or len(batch) < count):
        doc_size = len(bson.encode(remaining[0]))
        if batch and size + doc_size > MAX_BATCH_BYTES:
            break
        batch.append(remaining.popleft())
        size += doc_size
    return batch
