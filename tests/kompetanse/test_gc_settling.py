"""The served app settles the garbage collector once the store is open; test apps do not."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from kompetanse.app import create_app
from kompetanse.settings import Settings

pytestmark = pytest.mark.anyio


@pytest.fixture
def restored_gc() -> Iterator[None]:
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


@pytest.mark.usefixtures("restored_gc")
@pytest.mark.parametrize("settle", [True, False])
async def test_the_collector_is_settled_only_for_the_served_app(
    settings: Settings, settle: bool
) -> None:
    before = gc.get_threshold()
    app = create_app(settings, settle_gc=settle)
    async with app.router.lifespan_context(app):
        frozen = gc.get_freeze_count()
        threshold = gc.get_threshold()
    if settle:
        assert threshold == (50_000, 20, 20) and frozen > 0
    else:
        assert threshold == before
