"""The embedded engine at scale: 200 000 statements on one machine.

    make bench            (or: .venv/bin/python -m bench.scale --statements 200000)

Through the real server (`python -m kompetanse serve`, as bench.statements): batch ingest
(batches of 100, 8 clients) to 50 000 statements, queries there, batches on until only the
single-statement POSTs are left, those from 8 clients of `bench.load` (httpx would spend more
CPU on each than the server does, on the same two cores), with the server's and the client's
CPU per POST (the slowest answer is the longest any request waited, a compaction included:
these writes pass the journal's compaction threshold),
queries again, the server's memory per statement (RSS growth / statements), then `kill -9`,
the time until a restarted server answers, and the time a SIGTERM takes to stop it.

In-process, on the same data directory, with the garbage collector settled as `kompetanse
serve` settles it (the event loop is what a request would wait on, and HTTP would only add the
time to render 100 000 statements): the time to open the store, the largest wait of small
reads while one read copies 100 000 documents, and the time a compaction of everything takes.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import signal
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from bench import load
from bench.statements import (
    ACTIVITIES,
    VERBS,
    latency,
    lrs_client,
    make_statement,
    table_head,
)
from tests.server import running_server

BATCH = 100


async def post_all(http: httpx.AsyncClient, bodies: list[bytes], clients: int) -> list[float]:
    """POST every body from `clients` concurrent clients; each request's seconds."""
    queue = list(reversed(bodies))
    waits: list[float] = []

    async def worker() -> None:
        while queue:
            body = queue.pop()
            started = time.perf_counter()
            response = await http.post(
                "/xapi/statements", content=body, headers={"Content-Type": "application/json"}
            )
            waits.append(time.perf_counter() - started)
            response.raise_for_status()

    await asyncio.gather(*(worker() for _ in range(clients)))
    return waits


async def compacted(data_dir: Path) -> None:
    """Return once no compaction is writing a snapshot (the server's files are all we see)."""
    for _ in range(1200):
        if not (data_dir / "snapshot.bson.tmp").exists():
            return
        await asyncio.sleep(0.5)


def rss_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS")


async def queries(http: httpx.AsyncClient, agent: str, runs: int) -> dict[str, dict[str, float]]:
    shapes = {
        "agent": {"agent": agent},
        "verb": {"verb": VERBS[1]},
        "activity": {"activity": ACTIVITIES[7]},
        "since": {"since": "2000-01-01T00:00:00Z"},
    }
    results = {}
    for name, params in shapes.items():

        async def call(params: dict[str, str] = params) -> httpx.Response:
            return await http.get("/xapi/statements", params={**params, "limit": "25"})

        results[name] = await latency(call, runs)
    return results


async def served(data_dir: Path, count: int, singles: int, clients: int, runs: int) -> Any:
    rng = random.Random(20261201)
    statements = [make_statement(rng) for _ in range(count)]
    agent = json.dumps(statements[0]["actor"])
    # Encoded before the clock starts: in production the clients are other machines.
    batched = count - singles
    batches = [
        json.dumps(statements[i : min(i + BATCH, batched)]).encode()
        for i in range(0, batched, BATCH)
    ]
    single_bodies = [json.dumps(s).encode() for s in statements[batched:]]
    del statements
    first = min(len(batches), 50_000 // BATCH)
    result: dict[str, Any] = {}
    with running_server(data_dir) as server:
        async with lrs_client(server) as http:
            rss_empty = rss_bytes(server.process.pid)
            started = time.perf_counter()
            await post_all(http, batches[:first], clients)
            seconds = time.perf_counter() - started
            result["batch"] = {"statements": first * BATCH, "per_second": first * BATCH / seconds}
            result["queries_50k"] = await queries(http, agent, runs)
            await post_all(http, batches[first:], clients)
            pid, spent = server.process.pid, time.process_time()
            started, server_cpu = time.perf_counter(), load.cpu_seconds(pid)
            waits = await load.post_all(server, "/xapi/statements", single_bodies, clients)
            seconds = time.perf_counter() - started
            result["single"] = {
                "statements": len(single_bodies),
                "per_second": len(single_bodies) / seconds,
                "max_wait": max(waits, default=0.0),
                "p99_wait": sorted(waits)[int(len(waits) * 0.99)] if waits else 0.0,
                "server_cpu_ms": (load.cpu_seconds(pid) - server_cpu) / len(waits) * 1000,
                "client_cpu_ms": (time.process_time() - spent) / len(waits) * 1000,
            }
            # Queries at the full size are timed once the compaction the single POSTs started
            # is done (its thread shares the interpreter; the POSTs above were timed with it).
            await compacted(data_dir)
            result["queries_full"] = await queries(http, agent, runs)
            result["bytes_per_statement"] = (rss_bytes(server.process.pid) - rss_empty) / count
        server.process.send_signal(signal.SIGKILL)
        server.process.wait(timeout=30)
    started = time.perf_counter()
    with running_server(data_dir) as server:
        result["restart"] = time.perf_counter() - started
        started = time.perf_counter()
        server.process.terminate()
        result["exit_code"] = server.process.wait(timeout=600)
        result["sigterm"] = time.perf_counter() - started
    return result


async def in_process(data_dir: Path, reads: int) -> dict[str, float]:
    """The longest wait of small reads while one read copies `reads` documents; compaction."""
    from kompetanse.app import settle_garbage_collector  # the server's, only for this part
    from lrs.store import EmbeddedClient

    started = time.perf_counter()
    client = EmbeddedClient(data_dir)
    settle_garbage_collector()  # as `kompetanse serve` does once the store is open
    statements = client["kompetanse"]["statements"]
    opened = time.perf_counter() - started
    some = await statements.find_one({})
    assert some is not None, "no statements"
    done = asyncio.Event()
    waits: list[float] = []

    async def small() -> None:
        while not done.is_set():
            begun = time.perf_counter()
            await statements.find_one({"_id": some["_id"]})
            await asyncio.sleep(0.001)
            waits.append(time.perf_counter() - begun)

    async def large() -> int:
        try:
            return len(await statements.find({}, {"statement": 1}).limit(reads).to_list())
        finally:
            done.set()

    started = time.perf_counter()
    read, _ = await asyncio.gather(large(), small())
    read_seconds = time.perf_counter() - started
    started = time.perf_counter()
    await asyncio.to_thread(client.compact)
    compaction = time.perf_counter() - started
    await client.aclose()
    return {
        "open": opened,
        "read": read,
        "read_seconds": read_seconds,
        "max_wait": max(waits),
        "compaction": compaction,
    }


def report(result: dict[str, Any], statements: int) -> str:
    served_part, local = result["served"], result["in_process"]
    batch, single = served_part["batch"], served_part["single"]
    lines = [
        *table_head(),
        f"| batch ingest to {batch['statements']}, batches of {BATCH}, 8 clients "
        f"| {batch['per_second']:.0f} statements/s |",
        f"| {single['statements']} single-statement POSTs, 8 clients "
        f"| {single['per_second']:.0f} statements/s, slowest answer "
        f"{single['max_wait'] * 1000:.0f} ms (p99 {single['p99_wait'] * 1000:.0f} ms); CPU per "
        f"POST: server {single['server_cpu_ms']:.2f} ms, client {single['client_cpu_ms']:.2f} ms |",
    ]
    for label, key in (("50000", "queries_50k"), (str(statements), "queries_full")):
        for name, timing in served_part[key].items():
            lines.append(
                f"| GET, {name} filter, limit 25, at {label} "
                f"| p50 {timing['p50']:.1f} ms, p95 {timing['p95']:.1f} ms |"
            )
    lines += [
        f"| server memory per statement (RSS growth) "
        f"| {served_part['bytes_per_statement'] / 1024:.1f} KB |",
        f"| restart after kill -9, until it answers | {served_part['restart']:.1f} s |",
        f"| SIGTERM until the process has exited (exit code {served_part['exit_code']}) "
        f"| {served_part['sigterm']:.1f} s |",
        f"| in-process: open the store | {local['open']:.1f} s |",
        f"| in-process: read {local['read']} documents | {local['read_seconds']:.1f} s, "
        f"slowest small read meanwhile {local['max_wait'] * 1000:.0f} ms |",
        f"| in-process: compaction of everything | {local['compaction']:.1f} s |",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--statements", type=int, default=200_000)
    parser.add_argument("--singles", type=int, default=52_000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--reads", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        data_dir = Path(directory)
        result = {
            "served": asyncio.run(
                served(data_dir, args.statements, args.singles, args.clients, args.runs)
            ),
            "in_process": asyncio.run(in_process(data_dir, args.reads)),
        }
    out = Path("bench/results")
    out.mkdir(parents=True, exist_ok=True)
    (out / "scale.json").write_text(json.dumps(result, indent=2))
    print(report(result, args.statements))
    print(
        "p95 at the full size / at 50000: "
        + ", ".join(
            f"{name} {timing['p95'] / result['served']['queries_50k'][name]['p95']:.2f}x"
            for name, timing in result["served"]["queries_full"].items()
        )
    )


if __name__ == "__main__":
    main()
