"""Benchmark the catalog at national scale: kept statuses, the projection's catch-up and rebuild,
and the pages that read them.

    make bench            (or: .venv/bin/python -m bench.catalog [--statements 500000])

Generated data, clearly synthetic: 20 000 people in 400 offices and 12 counties (one office of
200 people, one county of 2 500), a catalog of 40 packages of 3 modules, and 500 000 statements
on their activities by random people. On the embedded store:

- projection catch-up: the statements are stored with the projection's listener detached (as
  if another process had stored them), then the consumer credits them all (statements/s), with
  the garbage collector settled as `kompetanse serve` settles it (the consumer runs there);
- rebuild: the whole projection recomputed from every statement;
- the pages, through the ASGI app as `kompetanse serve` builds it, p50/p95 over `--runs`:
  the leader page of the 200-person office, the county page of 2 500 people, the national
  page, and Min læring.

Targets (issue 11): leader ≤ 150 ms, county ≤ 300 ms, national ≤ 300 ms and Min læring ≤ 50 ms
at p95, catch-up ≥ 10 000 statements/s, rebuild of 500 000 statements ≤ 60 s.

Catch-up and rebuild also report the process's CPU time per statement, which a machine shared
with other work changes much less than the wall-clock figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import yaml

from bench.statements import latency, table_head
from catalog._people import parse_rows
from kompetanse.app import create_app, settle_garbage_collector
from kompetanse.services import opened
from kompetanse.settings import Settings
from lrs.auth import Credential, Scope
from tests.catalog.test_load import AREAS, METHODS, ROLES

BASE = "https://kompetanse.nav.no/xapi"
PASSWORD = "benchmark passord"  # noqa: S105 - a generated store, thrown away
COUNTIES, OFFICES, PEOPLE, PACKAGES = 12, 400, 20_000, 40
VERBS = [
    "http://adlnet.gov/expapi/verbs/completed",
    "http://adlnet.gov/expapi/verbs/passed",
    "http://adlnet.gov/expapi/verbs/experienced",
]
WRITER = Credential(
    key="bench",
    scopes=frozenset({Scope.ALL}),
    authority={"objectType": "Agent", "account": {"homePage": f"{BASE}/credentials", "name": "b"}},
)
TARGETS = {"leader": 150, "county": 300, "national": 300, "learner": 50}


def synthetic_catalog(directory: Path, packages: int = PACKAGES) -> Path:
    """A catalog of `packages` generated packages: every fourth for everyone (skal, due six
    months after the start), the others for a role, a county (bør) or an employer (kan)."""
    (directory / "packages").mkdir(parents=True)
    (directory / "catalog.yaml").write_text(f"base_iri: {BASE}\nname: synthetic benchmark\n")
    (directory / "areas.yaml").write_text(AREAS)
    (directory / "methods.yaml").write_text(METHODS)
    (directory / "roles.yaml").write_text(ROLES)
    for number in range(packages):
        audiences: list[dict[str, Any]] = [
            {"priority": "skal", "all_employees": True},
            {"priority": "skal", "roles": ["leder"]},
            {"priority": "bør", "regions": [f"fylke-{number % COUNTIES}"]},
            {"priority": "kan", "employers": ["municipal"]},
        ]
        audience = audiences[number % 4]
        package = {
            "id": f"pakke-{number}",
            "name": {"nb": f"Pakke {number} (syntetisk)", "en": f"Package {number} (synthetic)"},
            "description": {"nb": "Syntetisk", "en": "Synthetic"},
            "owner": "directorate",
            "competence_areas": ["basiskompetanse"],
            "audiences": [audience],
            "modules": [
                {
                    "id": f"modul-{m}",
                    "name": {"nb": f"Modul {m}", "en": f"Module {m}"},
                    "method": "e-laering",
                    "activities": [f"{BASE}/activities/pakke-{number}/modul-{m}"],
                    "estimated_hours": 1 + m,
                }
                for m in range(3)
            ],
            "due": {"relative_to": "start_date", "period": "P6M"},
            "source": {"illustrative": True},
        }
        (directory / "packages" / f"pakke-{number}.yaml").write_text(yaml.safe_dump(package))
    return directory


def people(rng: random.Random, today: date) -> list[dict[str, str]]:
    """20 000 people: office 0 has 200, county 0 has 2 500 (offices 0-29), the rest spread."""
    rows = []
    for n in range(PEOPLE):
        if n < 200:
            office = 0
        elif n < 2500:
            office = 1 + (n - 200) % 29
        else:
            office = 30 + (n - 2500) % (OFFICES - 30)
        county = 0 if office < 30 else 1 + office % (COUNTIES - 1)
        rows.append(
            {
                "employee_id": f"E{n:06d}",
                "name": f"Person {n} (syntetisk)",
                "email": f"p{n}@nav.no",
                "office": f"kontor-{office}",
                "office_name": f"Kontor {office}",
                "region": f"fylke-{county}",
                "region_name": f"Fylke {county}",
                "roles": "leder" if n % 10 == 0 else "",
                "employer": "state" if n % 2 else "municipal",
                "start_date": (today - timedelta(days=rng.randrange(0, 1500))).isoformat(),
            }
        )
    return rows


def statements(count: int, rng: random.Random) -> list[dict[str, Any]]:
    return [
        {
            "id": f"00000000-0000-4000-8000-{n:012d}",
            "actor": {"mbox": f"mailto:p{rng.randrange(PEOPLE)}@nav.no"},
            "verb": {"id": rng.choice(VERBS)},
            "object": {
                "id": f"{BASE}/activities/pakke-{rng.randrange(PACKAGES)}/modul-{rng.randrange(3)}"
            },
            "timestamp": f"2026-{rng.randrange(1, 12):02d}-{rng.randrange(1, 28):02d}T10:00:00Z",
        }
        for n in range(count)
    ]


async def load(settings: Settings, count: int) -> dict[str, Any]:
    rng = random.Random(20261201)
    today = date.today()
    # Statements stored by "another process": only the consumer, reading the log, credits them.
    async with opened(settings, listening=False) as services:
        catalog = services.catalog
        records = parse_rows(iter(people(rng, today))).records
        started = time.perf_counter()
        for start in range(0, len(records), 1000):
            await catalog.import_people(records[start : start + 1000])
        imported = time.perf_counter() - started
        accounts = catalog.accounts
        await accounts.add_user("leder", PASSWORD, "leader", office="kontor-0")
        await accounts.add_user("fylke", PASSWORD, "coordinator", region="fylke-0")
        await accounts.add_user("direktorat", PASSWORD, "directorate")
        await accounts.add_user("laerer", PASSWORD, "learner", person="E000010")
        generated = statements(count, rng)
        started = time.perf_counter()
        for start in range(0, len(generated), 1000):
            await services.statements.save(
                generated[start : start + 1000], version="2.0.0", credential=WRITER
            )
        stored = time.perf_counter() - started
        settle_garbage_collector()  # as the server's consumer runs
        started, cpu = time.perf_counter(), time.process_time()
        caught_up = await catalog.catch_up()
        catch_up, catch_up_cpu = time.perf_counter() - started, time.process_time() - cpu
        settle_garbage_collector()
        started, cpu = time.perf_counter(), time.process_time()
        rebuilt = await catalog.rebuild()
        rebuild, rebuild_cpu = time.perf_counter() - started, time.process_time() - cpu
    return {
        "people": len(records),
        "import_seconds": imported,
        "statements": count,
        "store_per_second": count / stored,
        "catch_up": {
            "statements": caught_up,
            "per_second": caught_up / catch_up,
            "cpu_us_per_statement": 1e6 * catch_up_cpu / max(caught_up, 1),
        },
        "rebuild": {
            "statements": rebuilt,
            "seconds": rebuild,
            "cpu_seconds": rebuild_cpu,
        },
    }


PAGES = [
    ("leader", "leder", "Kontoret (leader), 200 people × 40 packages", "/kontoret/kontor-0"),
    ("county", "fylke", "Fylket (county coordinator), 2 500 people", "/fylket/fylke-0"),
    ("national", "direktorat", "Nasjonalt (directorate), 20 000 people", "/nasjonalt"),
    ("learner", "laerer", "Min læring (learner)", "/min-laering"),
]


async def pages(settings: Settings, runs: int) -> dict[str, Any]:
    app = create_app(settings, settle_gc=True)  # as `kompetanse serve` builds it
    results = {}
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        for key, username, name, path in PAGES:
            async with httpx.AsyncClient(transport=transport, base_url="http://b") as http:
                signed_in = await http.post(
                    "/api/session", json={"username": username, "password": PASSWORD}
                )
                if signed_in.status_code != 204:
                    raise SystemExit(f"{username} could not sign in: {signed_in.text}")
                warm = await http.get(path)
                if warm.status_code != 200:
                    raise SystemExit(f"{path}: {warm.status_code} {warm.text[:300]}")

                async def call(http: httpx.AsyncClient = http, path: str = path) -> httpx.Response:
                    return await http.get(path)

                results[key] = {"name": name, **await latency(call, runs)}
    return results


async def run(count: int, runs: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as work:
        settings = Settings(
            data_dir=Path(work) / "data",
            mongodb_uri=None,
            catalog_dir=synthetic_catalog(Path(work) / "catalog"),
            projection_settle_seconds=0,
        )
        loaded = await load(settings, count)
        return {**loaded, "runs": runs, "pages": await pages(settings, runs)}


def report(result: dict[str, Any]) -> str:
    lines = [*table_head()[:2], "| measure | result | target |", "|---|---|---|"]
    for key, timing in result["pages"].items():
        lines.append(
            f"| {timing['name']} | p50 {timing['p50']:.0f} ms, p95 {timing['p95']:.0f} ms "
            f"| ≤ {TARGETS[key]} ms |"
        )
    lines.append(
        f"| projection catch-up, {result['catch_up']['statements']} statements | "
        f"{result['catch_up']['per_second']:.0f} statements/s "
        f"({result['catch_up']['cpu_us_per_statement']:.0f} µs CPU each) | ≥ 10 000 /s |"
    )
    lines.append(
        f"| rebuild, {result['rebuild']['statements']} statements | "
        f"{result['rebuild']['seconds']:.1f} s ({result['rebuild']['cpu_seconds']:.1f} s CPU) "
        "| ≤ 60 s |"
    )
    lines.append(
        f"| (loading: {result['people']} people imported in {result['import_seconds']:.1f} s, "
        f"statements stored at {result['store_per_second']:.0f}/s) | | |"
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--statements", type=int, default=500_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    result = asyncio.run(run(args.statements, args.runs))
    out = Path("bench/results")
    out.mkdir(parents=True, exist_ok=True)
    (out / "catalog.json").write_text(json.dumps(result, indent=2))
    print(report(result))


if __name__ == "__main__":
    main()
