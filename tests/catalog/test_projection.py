"""The completion projection as a durable consumer of the statement log: whatever the order of
events (people imported after their statements, voiding before its target, retries,
overlapping batches, two server processes, a failing update) it ends in exactly what a rebuild
computes. On every backend (tests/backends.py)."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path
from typing import Any

import pytest

from catalog._access import Viewer
from catalog._people import parse_rows
from kompetanse.services import Services
from lrs.store import Database
from tests.catalog.projection import composed, post, projection_state
from tests.catalog.test_load import write

pytestmark = pytest.mark.anyio
TODAY = __import__("datetime").date(2026, 11, 23)
ADMIN = Viewer("ada", "admin")
BASE = "https://kompetanse.nav.no/xapi/activities/pakke"
COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
ATTENDED = "http://adlnet.gov/expapi/verbs/attended"
VOIDED = "http://adlnet.gov/expapi/verbs/voided"
PACKAGE = f"""id: pakke
name: {{nb: Pakke, en: Package}}
description: {{nb: En pakke, en: A package}}
owner: directorate
competence_areas: [basiskompetanse]
audiences: [{{priority: skal, all_employees: true}}]
modules:
  - id: e-laering
    name: {{nb: E-læring, en: E-learning}}
    method: e-laering
    activities: ["{BASE}/e-laering"]
    estimated_hours: 3
  - id: samling
    name: {{nb: Samling, en: Gathering}}
    method: e-laering
    activities: ["{BASE}/samling"]
    criterion: {{verbs: ["{ATTENDED}"]}}
    estimated_hours: 6
due: {{relative_to: start_date, period: P6M}}
source: {{illustrative: true}}
"""
KARI = {
    "employee_id": "A1",
    "name": "Kari Nordmann",
    "email": "kari@nav.no",
    "office": "nav-sagene",
    "region": "oslo",
    "employer": "state",
    "start_date": "2026-09-01",
}
OLA = {**KARI, "employee_id": "B1", "name": "Ola Nordmann", "email": "ola@nav.no"}


def statement(mail: str, module: str, verb: str = COMPLETED, **extra: Any) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "actor": {"mbox": f"mailto:{mail}"},
        "verb": {"id": verb},
        "object": {"id": f"{BASE}/{module}"},
        "timestamp": "2026-11-01T10:00:00.000Z",
        **extra,
    }


def voiding(target: str) -> dict[str, Any]:
    return {
        "actor": {"mbox": "mailto:lrs-admin@nav.no"},
        "verb": {"id": VOIDED},
        "object": {"objectType": "StatementRef", "id": target},
    }


@pytest.fixture
def catalog_dir(tmp_path: Path) -> Path:
    return write(tmp_path / "catalog", package=PACKAGE)


@pytest.fixture
async def services(database: Database, catalog_dir: Path) -> Services:
    return await composed(database, catalog_dir, TODAY)


async def people(services: Services, *rows: dict[str, Any]) -> None:
    parsed = parse_rows(iter({k: str(v) for k, v in row.items()} for row in rows))
    assert not parsed.problems, parsed.problems
    await services.catalog.import_people(parsed.records)


async def status(services: Services, person: str) -> str:
    [requirement] = await services.catalog.reports.requirements(ADMIN, person)
    return requirement.status


async def equals_rebuild(services: Services) -> dict[str, Any]:
    """The projection as kept; asserts a rebuild computes the same."""
    kept = await projection_state(services.catalog)
    await services.catalog.rebuild()
    assert await projection_state(services.catalog) == kept
    return kept


async def test_people_imported_after_their_statements_are_credited_at_once(
    services: Services,
) -> None:
    await post(
        services,
        [statement("kari@nav.no", "e-laering"), statement("kari@nav.no", "samling", ATTENDED)],
    )
    unmatched = await services.catalog.store.unmatched_actors()
    assert [u["_id"] for u in unmatched] == ["mbox|mailto:kari@nav.no"]
    await people(services, KARI)
    assert await status(services, "A1") == "completed"
    assert await services.catalog.store.unmatched_actors() == []
    await equals_rebuild(services)


async def test_a_new_identifier_credits_and_a_removed_one_takes_its_evidence(
    services: Services,
) -> None:
    private = {"mbox": "mailto:kari.privat@example.com"}
    await post(
        services,
        [
            {**statement("x@example.com", "e-laering"), "actor": private},
            {**statement("x@example.com", "samling", ATTENDED), "actor": private},
        ],
    )
    await people(services, KARI)
    assert await status(services, "A1") == "not_started"
    await people(services, {**KARI, "identifiers": __import__("json").dumps([private])})
    assert await status(services, "A1") == "completed"
    await equals_rebuild(services)
    await people(services, KARI)
    assert await status(services, "A1") == "not_started"
    await equals_rebuild(services)


async def test_voiding_before_or_after_its_target_credits_nothing(services: Services) -> None:
    await people(services, KARI, OLA)
    first = statement("kari@nav.no", "e-laering")
    await post(services, [first])
    await post(services, [statement("kari@nav.no", "samling", ATTENDED)])
    assert await status(services, "A1") == "completed"
    await post(services, [voiding(first["id"])])
    assert await status(services, "A1") == "in_progress"
    later = statement("ola@nav.no", "e-laering")
    await post(services, [voiding(later["id"])])  # the voiding statement arrives first
    await post(services, [later])
    assert await status(services, "B1") == "not_started"
    kept = await equals_rebuild(services)
    assert sorted(kept["voided"]) == sorted([first["id"], later["id"]])


async def test_retries_and_overlapping_batches_from_eight_clients_end_as_a_rebuild(
    services: Services,
) -> None:
    await people(services, KARI, OLA)
    stranger = [statement(f"s{n}@elsewhere.example", "e-laering") for n in range(3)]
    pool = [
        statement("kari@nav.no", "e-laering"),
        statement("kari@nav.no", "samling", ATTENDED),
        statement("ola@nav.no", "e-laering"),
        *stranger,
    ]
    batches = [[pool[(start + k) % len(pool)] for k in range(3)] for start in range(40)]

    async def client(number: int) -> None:
        for batch in batches[number::8]:
            await post(services, batch)
            await post(services, batch)  # the emitter's retry

    await asyncio.gather(*(client(n) for n in range(8)))
    assert await status(services, "A1") == "completed"
    assert await status(services, "B1") == "in_progress"
    kept = await equals_rebuild(services)
    assert len(kept["unmatched"]) == 3


async def test_two_server_processes_on_one_database_end_as_a_rebuild(
    database: Database, catalog_dir: Path
) -> None:
    one = await composed(database, catalog_dir, TODAY)
    other = await composed(database, catalog_dir, TODAY)
    await people(one, KARI, OLA)
    work = [
        [statement("kari@nav.no", "e-laering")],
        [statement("kari@nav.no", "samling", ATTENDED)],
        [statement("ola@nav.no", "samling", ATTENDED), statement("ola@nav.no", "e-laering")],
    ]
    await asyncio.gather(post(one, work[0]), post(other, work[1]), post(one, work[2]))
    for side in (one, other):
        assert await status(side, "A1") == "completed"
        assert await status(side, "B1") == "completed"
    await other.catalog.catch_up()
    await equals_rebuild(one)


async def test_a_failing_update_is_retried_until_it_succeeds_and_its_lag_shows(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    await people(services, KARI)
    store = services.catalog.store
    real = store.write_credits
    failures = {"left": 3}

    async def flaky(credits: Any) -> None:
        if failures["left"]:
            failures["left"] -= 1
            raise ConnectionError("the database is away")
        await real(credits)

    monkeypatch.setattr(store, "write_credits", flaky)
    await post(services, [statement("kari@nav.no", "e-laering")])  # stored; credit failed
    await post(services, [statement("kari@nav.no", "samling", ATTENDED)])  # and again
    assert await status(services, "A1") == "not_started"  # not yet credited ...
    services.catalog.projection.behind_after = 0.0  # (no settling either: any wait is late)
    lag = await services.catalog.lag()
    assert lag.behind and lag.seconds > 0  # ... and it says so
    projection = services.catalog.projection
    projection.poll = 0.05
    consumer = asyncio.create_task(projection.run())
    try:
        for _ in range(400):
            lag = await services.catalog.lag()
            if not lag.behind:
                break
            await asyncio.sleep(0.05)
    finally:
        consumer.cancel()
    assert not lag.behind, lag
    assert projection.failures >= 1  # the consumer met the third failure and retried
    assert await status(services, "A1") == "completed"
    await equals_rebuild(services)


async def test_the_consumer_credits_what_the_listener_never_saw(
    database: Database, catalog_dir: Path
) -> None:
    # As if the process died right after storing: no listener hears the statements.
    services = await composed(database, catalog_dir, TODAY, listening=False)
    await people(services, KARI)
    await post(services, [statement("kari@nav.no", "e-laering")])
    await post(services, [statement("kari@nav.no", "samling", ATTENDED)])
    assert await status(services, "A1") == "not_started"
    assert await services.catalog.catch_up() == 2
    assert await status(services, "A1") == "completed"
    assert await services.catalog.catch_up() == 0  # the checkpoint moved over them
    await equals_rebuild(services)


async def test_the_consumer_reads_no_closer_to_now_than_it_settles(
    database: Database, catalog_dir: Path
) -> None:
    services = await composed(
        database, catalog_dir, TODAY, listening=False, projection_settle_seconds=3600
    )
    await people(services, KARI)
    await post(services, [statement("kari@nav.no", "e-laering")])
    assert await services.catalog.catch_up() == 0  # stored less than an hour ago
    lag = await services.catalog.lag()
    assert 0 < lag.seconds < lag.allowed and not lag.behind  # waiting as it should, not late
