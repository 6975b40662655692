"""Office summaries as the county and national pages read them: kept as one JSON text with a
digest, decoded once per process, and still current when another process changed them. On
every backend."""

from __future__ import annotations

from pathlib import Path

import pytest

from lrs.store import Database
from tests.catalog.projection import composed, post
from tests.catalog.test_load import write
from tests.catalog.test_projection import (
    ADMIN,
    ATTENDED,
    KARI,
    OLA,
    PACKAGE,
    TODAY,
    equals_rebuild,
    people,
    statement,
)

pytestmark = pytest.mark.anyio


@pytest.fixture
def catalog_dir(tmp_path: Path) -> Path:
    return write(tmp_path / "catalog", package=PACKAGE)


async def test_a_summary_another_process_changed_is_read_as_it_is_now(
    database: Database, catalog_dir: Path
) -> None:
    reader = await composed(database, catalog_dir, TODAY)
    writer = await composed(database, catalog_dir, TODAY)  # another server process
    await people(writer, KARI, OLA)
    [before] = await reader.catalog.statuses.office_summaries()
    assert before["people"] == 2 and dict(before["counts"]["pakke"]) == {"not_started": 2}
    with pytest.raises(TypeError):  # shared between readers: not to be changed by one
        before["counts"]["pakke"]["completed"] = 1  # type: ignore[index]

    await post(writer, [statement("kari@nav.no", "e-laering")])
    await post(writer, [statement("kari@nav.no", "samling", ATTENDED)])
    await writer.catalog.statuses.flush()
    [after] = await reader.catalog.statuses.office_summaries()
    assert dict(after["counts"]["pakke"]) == {"completed": 1, "not_started": 1}
    assert after["digest"] != before["digest"]
    [region] = await reader.catalog.reports.regions(ADMIN)
    assert region["people"] == 2 and region["statuses"] == {"completed": 1, "not_started": 1}
    [nation] = await reader.catalog.reports.compliance(ADMIN, levels=frozenset({"nation"}))
    assert nation["measured"] == 2 and nation["completed_on_time"] == 1
    await equals_rebuild(reader)
