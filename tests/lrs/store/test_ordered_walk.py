"""The embedded engine's walk of its ordered index: a range on the ordered field is met by the
walk itself (not checked again document by document), so the walk must stop exactly at the
range's bounds, whichever way it goes and wherever a bound falls in the index's chunks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from lrs.store import EmbeddedClient

pytestmark = pytest.mark.anyio
MOMENTS = ["2026-11-01T10:00:00.000Z", "2026-11-01T10:00:00.001Z", "2026-11-01T10:00:00.002Z"]


def documents() -> list[dict[str, Any]]:
    """1 000 documents in three moments (300, 400, 300): bounds fall inside index chunks."""
    sizes = [300, 400, 300]
    found = []
    for moment, size in zip(MOMENTS, sizes, strict=True):
        found += [{"_id": f"{moment}-{n:04d}", "stored": moment, "n": n} for n in range(size)]
    return found


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        pytest.param({"$gte": MOMENTS[1], "$lte": MOMENTS[1]}, {MOMENTS[1]}, id="one-moment"),
        pytest.param({"$gt": MOMENTS[0], "$lte": MOMENTS[1]}, {MOMENTS[1]}, id="gt-lte"),
        pytest.param({"$gte": MOMENTS[0], "$lt": MOMENTS[2]}, set(MOMENTS[:2]), id="gte-lt"),
        pytest.param({"$gt": MOMENTS[1]}, {MOMENTS[2]}, id="open-above"),
        pytest.param({"$lt": MOMENTS[1]}, {MOMENTS[0]}, id="open-below"),
        pytest.param({"$gt": MOMENTS[0], "$gte": MOMENTS[0]}, set(MOMENTS[1:]), id="gt-and-gte"),
    ],
)
@pytest.mark.parametrize("direction", [1, -1], ids=["ascending", "descending"])
async def test_a_range_walk_returns_exactly_the_range(
    tmp_path: Path, condition: dict[str, str], expected: set[str], direction: int
) -> None:
    client = EmbeddedClient(tmp_path)
    try:
        collection = client["k"]["log"]
        await collection.create_index([("stored", -1), ("_id", -1)], name="stored_id")
        await collection.insert_many(documents())
        sort = [("stored", direction), ("_id", direction)]
        found = await collection.find({"stored": condition}).sort(sort).to_list()
        wanted = sorted(
            (d for d in documents() if d["stored"] in expected),
            key=lambda d: (d["stored"], d["_id"]),
            reverse=direction < 0,
        )
        assert [d["_id"] for d in found] == [d["_id"] for d in wanted]
        limited = await collection.find({"stored": condition}).sort(sort).limit(350).to_list()
        assert [d["_id"] for d in limited] == [d["_id"] for d in wanted[:350]]
    finally:
        await client.aclose()
