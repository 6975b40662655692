"""The projection's lag as administrators and the county and national pages see it: the
checkpoint trails the log by the settle horizon by design, so steady traffic is not "behind";
a statement the checkpoint has not passed after the settle horizon and `BEHIND_AFTER` more
seconds is. On every backend."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from catalog._projection import BEHIND_AFTER
from lrs.store import Database
from tests.catalog.projection import composed, post
from tests.catalog.test_load import write
from tests.catalog.test_projection import (
    ATTENDED,
    KARI,
    PACKAGE,
    TODAY,
    equals_rebuild,
    people,
    statement,
    status,
)

pytestmark = pytest.mark.anyio
SETTLE = 5.0


@pytest.fixture
def catalog_dir(tmp_path: Path) -> Path:
    return write(tmp_path / "catalog", package=PACKAGE)


async def test_steady_traffic_is_not_behind_and_a_statement_left_too_long_is(
    database: Database, catalog_dir: Path
) -> None:
    services = await composed(database, catalog_dir, TODAY, projection_settle_seconds=SETTLE)
    projection = services.catalog.projection
    await people(services, KARI)
    await post(services, [statement("kari@nav.no", "e-laering")])
    assert await services.catalog.catch_up() == 0  # within the settle horizon: not read yet
    lag = await services.catalog.lag()
    assert 0 < lag.seconds < SETTLE and lag.checkpoint is None
    assert lag.allowed == SETTLE + BEHIND_AFTER
    assert not lag.behind and lag.as_dict()["behind"] is False  # waiting by design
    assert await status(services, "A1") == "in_progress"  # credited as it was stored

    # A minute on, the consumer has still not passed it: that is behind.
    projection.clock = lambda: time.time() + 60
    lag = await services.catalog.lag()
    assert lag.seconds >= 60 and lag.behind and lag.as_dict()["behind"] is True

    assert await services.catalog.catch_up() == 1  # the horizon is past it now
    lag = await services.catalog.lag()
    assert lag.seconds == 0 and not lag.behind and lag.checkpoint is not None

    # The next statement after a quiet hour waits only as long as it has waited itself.
    projection.clock = lambda: time.time() + 3600
    await post(services, [statement("kari@nav.no", "samling", ATTENDED)])
    projection.clock = time.time
    lag = await services.catalog.lag()
    assert 0 < lag.seconds < SETTLE and not lag.behind
    await equals_rebuild(services)


async def test_a_rebuild_under_way_is_behind(database: Database, catalog_dir: Path) -> None:
    services = await composed(database, catalog_dir, TODAY)
    services.catalog.projection.rebuilding = True
    lag = await services.catalog.lag()
    assert lag.seconds == 0 and lag.behind
