"""Benchmark the catalog: office matrix, county pipeline, projection rebuild rate.

    make bench            (or: .venv/bin/python -m bench.catalog)

On the embedded store, in-process (the service the API calls), with a generated catalog of 30
packages (clearly synthetic; NAV's own catalog has fewer):
- the people × packages matrix of a 200-person office, p50/p95 over 50 runs;
- the Ny i NAV pipeline for a county of 3 000 people (new hires placed in sessions);
- rebuilding the completion projection from 20 000 statements, in statements per second.
"""

from __future__ import annotations

import asyncio
import json
import random
import statistics
import tempfile
import time
from collections.abc import AsyncIterator, Mapping
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

from bench.statements import table_head
from catalog import load_catalog
from catalog._access import Viewer
from catalog._people import parse_rows
from catalog._reports import Reports
from catalog._sessions import Candidate, Session, pipeline
from catalog._store import CatalogStore
from lrs.store import EmbeddedClient
from tests.catalog.test_load import AREAS, METHODS, ROLES

BASE = "https://kompetanse.nav.no/xapi"
TODAY = date(2026, 11, 23)
VERBS = [
    "http://adlnet.gov/expapi/verbs/completed",
    "http://adlnet.gov/expapi/verbs/passed",
    "http://adlnet.gov/expapi/verbs/experienced",
]


def synthetic_catalog(directory: Path, packages: int) -> Path:
    (directory / "packages").mkdir(parents=True)
    (directory / "catalog.yaml").write_text(f"base_iri: {BASE}\nname: synthetic benchmark\n")
    (directory / "areas.yaml").write_text(AREAS)
    (directory / "methods.yaml").write_text(METHODS)
    (directory / "roles.yaml").write_text(ROLES)
    for number in range(packages):
        package = {
            "id": f"pakke-{number}",
            "name": {"nb": f"Pakke {number}", "en": f"Package {number}"},
            "description": {"nb": "Syntetisk", "en": "Synthetic"},
            "owner": "directorate",
            "competence_areas": ["basiskompetanse"],
            "audiences": [{"priority": "skal", "all_employees": True}],
            "modules": [
                {
                    "id": f"modul-{m}",
                    "name": {"nb": "Modul", "en": "Module"},
                    "method": "e-laering",
                    "activities": [f"{BASE}/activities/pakke-{number}/modul-{m}"],
                }
                for m in range(3)
            ],
            "due": {"relative_to": "start_date", "period": "P6M"},
            "source": {"illustrative": True},
        }
        (directory / "packages" / f"pakke-{number}.yaml").write_text(yaml.safe_dump(package))
    return directory


def people(count: int, offices: int, rng: random.Random) -> list[dict[str, str]]:
    return [
        {
            "employee_id": f"E{n:06d}",
            "name": f"Person {n}",
            "email": f"p{n}@nav.no",
            "office": f"kontor-{n % offices}",
            "region": "oslo",
            "roles": "leder" if n % 10 == 0 else "",
            "employer": "state" if n % 2 else "municipal",
            "start_date": (TODAY - timedelta(days=rng.randrange(0, 730))).isoformat(),
        }
        for n in range(count)
    ]


def statements(count: int, persons: int, packages: int, rng: random.Random) -> list[dict[str, Any]]:
    return [
        {
            "id": f"00000000-0000-4000-8000-{n:012d}",
            "actor": {"mbox": f"mailto:p{rng.randrange(persons)}@nav.no"},
            "verb": {"id": rng.choice(VERBS)},
            "object": {
                "id": f"{BASE}/activities/pakke-{rng.randrange(packages)}/modul-{rng.randrange(3)}"
            },
            "stored": "2026-11-01T10:00:00.000Z",
        }
        for n in range(count)
    ]


async def run() -> dict[str, Any]:
    rng = random.Random(20261123)
    with tempfile.TemporaryDirectory() as work:
        catalog = load_catalog(synthetic_catalog(Path(work) / "catalog", packages=30))
        client = EmbeddedClient(Path(work) / "data")
        store = CatalogStore(client["kompetanse"])
        await store.create_indexes()
        await store.import_people(parse_rows(iter(people(3000, 15, rng))).records)
        generated = statements(20_000, 3000, 30, rng)

        async def every() -> AsyncIterator[Mapping[str, Any]]:
            for statement in generated:
                yield statement

        started = time.perf_counter()
        await store.rebuild(every(), catalog.packages)
        rebuild_rate = len(generated) / (time.perf_counter() - started)

        reports = Reports(catalog, store, lambda: TODAY)
        leader = Viewer("leder", "leader", office="kontor-0")
        timings = []
        for _ in range(50):
            started = time.perf_counter()
            rows = await reports.office_matrix(leader, "kontor-0")
            timings.append((time.perf_counter() - started) * 1000)
        timings.sort()

        candidates = [
            Candidate(f"E{n:06d}", "oslo", TODAY + timedelta(days=rng.randrange(1, 183)))
            for n in range(3000)
        ]
        sessions = [
            Session(f"s{n}", "ny-i-nav", "samling", "oslo", TODAY + timedelta(days=30 * n), 60)
            for n in range(1, 7)
        ]
        pipeline_timings = []
        for _ in range(20):
            started = time.perf_counter()
            placements = pipeline(candidates, sessions, TODAY)
            pipeline_timings.append((time.perf_counter() - started) * 1000)
        await client.aclose()
    return {
        "matrix": {
            "people": len(rows),
            "packages": 30,
            "p50": statistics.median(timings),
            "p95": timings[int(len(timings) * 0.95) - 1],
        },
        "pipeline": {"people": len(placements), "p50": statistics.median(pipeline_timings)},
        "rebuild": {"statements": len(generated), "per_second": rebuild_rate},
    }


def report(result: dict[str, Any]) -> str:
    matrix, line, rebuild = result["matrix"], result["pipeline"], result["rebuild"]
    return "\n".join(
        [
            *table_head(),
            f"| office matrix, {matrix['people']} people × {matrix['packages']} packages | "
            f"p50 {matrix['p50']:.0f} ms, p95 {matrix['p95']:.0f} ms |",
            f"| Ny i NAV pipeline, {line['people']} people | p50 {line['p50']:.0f} ms |",
            f"| projection rebuild, {rebuild['statements']} statements | "
            f"{rebuild['per_second']:.0f} statements/s |",
        ]
    )


def main() -> None:
    result = asyncio.run(run())
    out = Path("bench/results")
    out.mkdir(parents=True, exist_ok=True)
    (out / "catalog.json").write_text(json.dumps(result, indent=2))
    print(report(result))


if __name__ == "__main__":
    main()
