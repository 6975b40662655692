"""The statement log as its consumer reads it: in order, from a position, up to a horizon, and
(on the embedded engine) looking only at the statements it returns, wherever the position is."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from lrs.store import Cursor, EmbeddedClient, StatementStore, _indexed

pytestmark = pytest.mark.anyio


def statement(number: int) -> dict[str, Any]:
    return {
        "id": f"00000000-0000-4000-8000-{number:012d}",
        "actor": {"mbox": f"mailto:p{number}@nav.example"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
        "object": {"id": "https://kompetanse.example/a"},
        "stored": f"2026-11-01T10:{number // 600:02d}:{number // 10 % 60:02d}.000Z",  # 10 a second
        "authority": {"mbox": "mailto:lrs@nav.example"},
    }


async def test_the_log_is_read_in_order_from_any_position_looking_only_at_what_it_returns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = EmbeddedClient(tmp_path)
    try:
        store = StatementStore(client["k"]["statements"])
        await store.create_indexes()
        for start in range(0, 3000, 500):
            await store.save([statement(n) for n in range(start, start + 500)], lambda a, b: True)
        entries = await store.log_after(None, "9999", 3000)
        order = [(e.position.stored, e.position.id) for e in entries]
        assert order == sorted(order) and len(order) == 3000
        looked = {"count": 0}
        real = _indexed.filter_applies

        def counting(filter: Any, document: Any) -> bool:
            looked["count"] += 1
            return real(filter, document)

        monkeypatch.setattr(_indexed, "filter_applies", counting)
        middle = entries[2504].position  # in the middle of a millisecond's ten statements
        page = await store.log_after(Cursor(middle.stored, middle.id), "9999", 100)
        assert [e.position for e in page] == [e.position for e in entries[2505:2605]]
        assert looked["count"] < 1000  # a few index chunks, not the 2 500 before the position
        horizon = entries[2700].position.stored
        rest = await store.log_after(Cursor(middle.stored, middle.id), horizon, 1000)
        assert rest[-1].position.stored == horizon
    finally:
        await client.aclose()
