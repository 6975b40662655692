"""Benchmark the Statements resource on the embedded store, through a real uvicorn server.

    make bench            (or: .venv/bin/python -m bench.statements --statements 10000)

Ingest: batches of 100 from 8 concurrent clients. Queries: p50/p95 latency of agent, verb,
activity, since and related-activity filters. Then a full `more` walk, which must return every
statement exactly once. Prints a Markdown table for BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx

from tests.server import KEY, SECRET, Server, running_server

VERSION = {"X-Experience-API-Version": "1.0.3"}


def lrs_client(server: Server, timeout: float = 120) -> httpx.AsyncClient:
    """A client of the running server's LRS with the bench credential and version header."""
    return httpx.AsyncClient(
        base_url=server.endpoint.removesuffix("/xapi"),
        auth=(KEY, SECRET),
        headers=VERSION,
        timeout=timeout,
    )


LEARNERS = 500
VERBS = [
    f"http://adlnet.gov/expapi/verbs/{v}"
    for v in ("experienced", "completed", "attended", "passed", "failed", "registered")
]
ACTIVITIES = [f"https://kompetanse.example/activities/module-{i}" for i in range(200)]
PACKAGES = [f"https://kompetanse.example/packages/package-{i}" for i in range(20)]


def make_statement(rng: random.Random) -> dict[str, Any]:
    learner = rng.randrange(LEARNERS)
    return {
        "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "actor": {
            "objectType": "Agent",
            "name": f"Learner {learner}",
            "account": {"homePage": "https://ident.nav.example", "name": f"N{learner:06d}"},
        },
        "verb": {"id": rng.choice(VERBS), "display": {"en-US": "did"}},
        "object": {"id": rng.choice(ACTIVITIES), "definition": {"name": {"nb": "Modul"}}},
        "result": {"completion": True, "duration": "PT45M", "score": {"scaled": 0.9}},
        "context": {
            "contextActivities": {"parent": [{"id": rng.choice(PACKAGES)}]},
            "platform": "bench",
        },
        "timestamp": "2026-11-23T10:00:00.000Z",
    }


async def ingest(http: httpx.AsyncClient, statements: list[dict[str, Any]], clients: int) -> float:
    # Encoded before timing: in production the clients are other machines.
    batches = [json.dumps(statements[i : i + 100]).encode() for i in range(0, len(statements), 100)]
    queue: asyncio.Queue[bytes] = asyncio.Queue()
    for batch in batches:
        queue.put_nowait(batch)

    async def worker() -> None:
        while not queue.empty():
            batch = queue.get_nowait()
            response = await http.post(
                "/xapi/statements", content=batch, headers={"Content-Type": "application/json"}
            )
            response.raise_for_status()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(clients)))
    return time.perf_counter() - started


async def latency(call: Callable[[], Awaitable[httpx.Response]], runs: int) -> dict[str, float]:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        response = await call()
        timings.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
    timings.sort()
    return {"p50": statistics.median(timings), "p95": timings[int(len(timings) * 0.95) - 1]}


async def walk(http: httpx.AsyncClient) -> tuple[int, int, float]:
    seen: list[str] = []
    started = time.perf_counter()
    response = await http.get("/xapi/statements", params={"limit": "100"})
    while True:
        page = response.json()
        seen += [s["id"] for s in page["statements"]]
        if not page["more"]:
            break
        response = await http.get(page["more"])
    return len(seen), len(set(seen)), time.perf_counter() - started


async def run(count: int, clients: int, runs: int) -> dict[str, Any]:
    rng = random.Random(20261123)
    statements = [make_statement(rng) for _ in range(count)]
    with tempfile.TemporaryDirectory() as data_dir, running_server(Path(data_dir)) as server:
        async with lrs_client(server, timeout=60) as http:
            seconds = await ingest(http, statements, clients)
            agent = json.dumps(statements[0]["actor"])
            queries = {
                "agent": {"agent": agent},
                "verb": {"verb": VERBS[1]},
                "activity": {"activity": ACTIVITIES[7]},
                "since": {"since": "2000-01-01T00:00:00Z"},
                "related activity": {"activity": PACKAGES[3], "related_activities": "true"},
                "no": {},
            }
            results = {}
            for name, params in queries.items():

                async def call(params: dict[str, str] = params) -> httpx.Response:
                    return await http.get("/xapi/statements", params={**params, "limit": "25"})

                results[name] = await latency(call, runs)
            walked, unique, walk_seconds = await walk(http)
    return {
        "statements": count,
        "clients": clients,
        "ingest_seconds": seconds,
        "ingest_per_second": count / seconds,
        "queries": results,
        "walk": {"returned": walked, "unique": unique, "seconds": walk_seconds},
    }


def table_head() -> list[str]:
    """The machine the figures come from, and a Markdown table header."""
    return [
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}",
        "",
        "| measure | result |",
        "|---|---|",
    ]


def report(result: dict[str, Any]) -> str:
    lines = [
        *table_head(),
        f"| ingest, {result['statements']} statements, batches of 100, {result['clients']} clients "
        f"| {result['ingest_per_second']:.0f} statements/s ({result['ingest_seconds']:.2f} s) |",
    ]
    for name, timing in result["queries"].items():
        lines.append(
            f"| GET, {name} filter, limit 25 | p50 {timing['p50']:.1f} ms, "
            f"p95 {timing['p95']:.1f} ms |"
        )
    walk_result = result["walk"]
    lines.append(
        f"| full `more` walk, limit 100 | {walk_result['returned']} returned, "
        f"{walk_result['unique']} unique, {walk_result['seconds']:.2f} s |"
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--statements", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--runs", type=int, default=100)
    args = parser.parse_args()
    result = asyncio.run(run(args.statements, args.clients, args.runs))
    out = Path("bench/results")
    out.mkdir(parents=True, exist_ok=True)
    (out / "statements.json").write_text(json.dumps(result, indent=2))
    print(report(result))
    ok = result["walk"]["returned"] == result["walk"]["unique"] == result["statements"]
    if not ok:
        raise SystemExit("the more walk did not return every statement exactly once")


if __name__ == "__main__":
    main()
