"""The consumer passes what its own process credited inline without crediting it again (issue
10: single POSTs), and still credits everything else: a statement voided meanwhile, one stored
by another process, one whose inline credit failed, everything after a rebuild. What it passes
survives a crash: its credit was acknowledged before the checkpoint was written. On every
backend (tests/backends.py); the crash on the embedded engine's journal."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from catalog._credit import Credit
from kompetanse.services import Services
from lrs.model import format_timestamp
from lrs.store import Database, EmbeddedClient
from tests.catalog.projection import composed, post, projection_state
from tests.catalog.test_load import write
from tests.catalog.test_projection import (
    ATTENDED,
    KARI,
    OLA,
    PACKAGE,
    TODAY,
    equals_rebuild,
    people,
    statement,
    status,
    voiding,
)

pytestmark = pytest.mark.anyio


@pytest.fixture
def catalog_dir(tmp_path: Path) -> Path:
    return write(tmp_path / "catalog", package=PACKAGE)


def count_credits(services: Services, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ids of the statements credited from now on (inline or by the consumer)."""
    store = services.catalog.store
    real = store.write_credits
    seen: list[str] = []

    async def counting(credits: list[Credit]) -> None:
        seen.extend(c.statement_id for c in credits)
        await real(credits)

    monkeypatch.setattr(store, "write_credits", counting)
    return seen


async def checkpoint(services: Services) -> dict[str, Any] | None:
    state = await services.catalog.store.database["projection_state"].find_one(
        {"_id": "completion"}
    )
    return (state or {}).get("checkpoint")


async def test_the_consumer_passes_what_it_credited_inline_without_crediting_it_again(
    database: Database, catalog_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    services = await composed(database, catalog_dir, TODAY)
    await people(services, KARI)
    credited = count_credits(services, monkeypatch)
    first, second = (
        statement("kari@nav.no", "e-laering"),
        statement("kari@nav.no", "samling", ATTENDED),
    )
    await post(services, [first])
    await post(services, [second])
    assert credited == [first["id"], second["id"]]  # inline, once each
    assert await services.catalog.catch_up() == 2  # passed ...
    assert credited == [first["id"], second["id"]]  # ... without a second credit
    assert (await checkpoint(services) or {}).get("id") == second["id"]
    assert services.catalog.projection._inline == {}  # nothing left to remember
    assert await status(services, "A1") == "completed"
    await equals_rebuild(services)


async def test_what_was_voided_meanwhile_or_stored_by_another_process_is_credited(
    database: Database, catalog_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one = await composed(database, catalog_dir, TODAY)
    other = await composed(database, catalog_dir, TODAY)
    await people(one, KARI, OLA)
    target = statement("kari@nav.no", "e-laering")
    await post(one, [target])
    await post(one, [voiding(target["id"])])
    elsewhere = statement("ola@nav.no", "e-laering")
    await post(other, [elsewhere])  # credited inline by the other process
    credited = count_credits(one, monkeypatch)
    assert await one.catalog.projection.catch_up() == 3
    # The voided target (its tombstone), the voiding statement (its keys came from a
    # lookup), and the other process's statement are credited again; nothing else.
    assert len(credited) == 3
    assert {target["id"], elsewhere["id"]} <= set(credited)
    assert await status(one, "A1") == "not_started"
    assert await status(one, "B1") == "in_progress"
    await equals_rebuild(one)


async def test_a_rebuild_forgets_what_was_credited_inline_before_it(
    database: Database, catalog_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    services = await composed(database, catalog_dir, TODAY)
    await people(services, KARI)
    await post(services, [statement("kari@nav.no", "e-laering")])
    assert services.catalog.projection._inline
    await services.catalog.rebuild()
    assert services.catalog.projection._inline == {}
    assert await status(services, "A1") == "in_progress"
    credited = count_credits(services, monkeypatch)
    later = statement("kari@nav.no", "samling", ATTENDED)
    await post(services, [later])
    await services.catalog.catch_up()
    assert credited == [later["id"]]  # inline only: the rebuild set its checkpoint
    assert await status(services, "A1") == "completed"
    await equals_rebuild(services)


async def test_a_process_that_does_not_consume_remembers_nothing(
    database: Database, catalog_dir: Path
) -> None:
    one = await composed(database, catalog_dir, TODAY)
    other = await composed(database, catalog_dir, TODAY)
    await people(one, KARI)
    await one.catalog.projection.step()  # `one` holds the lease
    await post(other, [statement("kari@nav.no", "e-laering")])
    assert other.catalog.projection._inline
    assert await other.catalog.projection.step() == 0  # no lease: it never passes them
    assert other.catalog.projection._inline == {}
    assert await one.catalog.projection.catch_up() == 1


async def test_what_the_consumer_passed_survives_a_crash(tmp_path: Path, catalog_dir: Path) -> None:
    data = tmp_path / "data"
    first = EmbeddedClient(data)
    services = await composed(first["kompetanse"], catalog_dir, TODAY)
    await people(services, KARI, OLA)
    work = [
        statement("kari@nav.no", "e-laering"),
        statement("kari@nav.no", "samling", ATTENDED),
        statement("ola@nav.no", "e-laering"),
    ]
    for one in work:
        await post(services, [one])
    assert await services.catalog.catch_up() == 3
    kept = await projection_state(services.catalog)
    # kill -9: what the disk holds now, without the process closing anything.
    shutil.copytree(data, tmp_path / "after", ignore=shutil.ignore_patterns("LOCK"))
    await first.aclose()
    restarted = EmbeddedClient(tmp_path / "after")
    again = await composed(restarted["kompetanse"], catalog_dir, TODAY)
    assert (await checkpoint(again) or {}).get("id") == work[-1]["id"]
    assert await projection_state(again.catalog) == kept
    assert await status(again, "A1") == "completed"
    assert await status(again, "B1") == "in_progress"
    await equals_rebuild(again)
    await restarted.aclose()


async def test_a_batch_left_pending_by_a_killed_writer_does_not_hold_the_consumer_back(
    database: Database, catalog_dir: Path
) -> None:
    """A writer killed between inserting its batch pending and committing it (kill -9 of
    another server process on MongoDB): once that batch is stale, the consumer withdraws it
    and reads on, where its horizon would otherwise stay behind it for ever."""
    services = await composed(database, catalog_dir, TODAY)
    await people(services, KARI)
    orphan = statement("kari@nav.no", "samling", ATTENDED)
    long_ago = format_timestamp(datetime.now(UTC) - timedelta(minutes=2))
    await database["statements"].insert_one(
        {
            "_id": orphan["id"],
            "statement": orphan,
            "stored": long_ago,
            "voided": False,
            "pending": "a-writer-that-died",
            "pending_since": long_ago,
        }
    )
    later = statement("kari@nav.no", "e-laering")
    await post(services, [later])
    assert await services.catalog.catch_up() == 1
    assert (await checkpoint(services) or {}).get("id") == later["id"]
    assert await services.statements.store.oldest_pending() is None
    assert (await services.catalog.projection.lag()).seconds == 0.0
