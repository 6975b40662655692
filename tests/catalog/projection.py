"""What the completion projection holds, in a form two projections can be compared by: the
effective evidence (voided statements as a set of ids), the kept statuses and the summaries,
without the bookkeeping (versions, writers) that differs between equal projections."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from catalog import CatalogService
from kompetanse.services import Services, compose
from kompetanse.settings import Settings
from lrs.auth import Credential, Scope
from lrs.store import Database

_BOOKKEEPING = {"version", "writer", "wanted", "done"}


async def projection_state(service: CatalogService) -> dict[str, Any]:
    store, statuses = service.store, service.statuses
    await statuses.flush()
    await statuses.settle_summaries()
    evidence = await store.evidence.find({}).to_list()
    return {
        "evidence": {
            doc["_id"]: {k: v for k, v in doc.items() if k != "_id"}
            for doc in evidence
            if not doc.get("voided")
        },
        "voided": sorted(doc["_id"] for doc in evidence if doc.get("voided")),
        "statuses": {
            doc["_id"]: {k: v for k, v in doc.items() if k not in _BOOKKEEPING}
            for doc in await statuses.statuses.find({}).to_list()
        },
        "summaries": {
            doc["_id"]: {k: v for k, v in doc.items() if k not in _BOOKKEEPING}
            for doc in await statuses.summaries.find({}).to_list()
            if doc.get("people")
        },
        "unmatched": [doc["_id"] for doc in await store.unmatched_actors()],
    }


async def composed(
    database: Database, catalog_dir: Path, today: date, *, listening: bool = True, **settings: Any
) -> Services:
    """Every service on `database`, composed as the app composes them, with this catalog and
    this day; the projection's consumer reads up to now (no settling time). `listening=False`:
    only the consumer credits what is stored (`compose`)."""
    return await compose(
        database,
        Settings(catalog_dir=catalog_dir, **{"projection_settle_seconds": 0, **settings}),
        today=lambda: today,
        listening=listening,
    )


WRITER = Credential(
    key="tests",
    scopes=frozenset({Scope.ALL}),
    authority={"objectType": "Agent", "account": {"homePage": "https://x.example", "name": "t"}},
)


async def post(services: Services, statements: list[dict[str, Any]]) -> list[str]:
    """Store statements through the LRS as a client's POST would."""
    return await services.statements.save(statements, version="2.0.0", credential=WRITER)
