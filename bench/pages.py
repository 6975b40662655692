"""Benchmark the pages: server-side render time of each page on the demo data.

    make bench            (or: .venv/bin/python -m bench.pages)

`kompetanse demo load` (300 people in four offices, every training method) into a fresh
embedded store, then each page requested in-process through the ASGI app (no network, so the
time is the server's: session lookup, reports, template), p50/p95 over `--runs` requests,
signed in as the role the page is for. Target: the leader page (Kontoret) ≤ 200 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
from pathlib import Path
from typing import Any

import httpx

from bench.statements import latency, table_head
from kompetanse.app import create_app
from kompetanse.settings import Settings
from tests.pages.site import PASSWORD, USERS, prepare

PAGES = [
    ("leader", "Kontoret (leader), NAV Sagene, 75 people", "/kontoret/nav-sagene"),
    (
        "leader",
        "Kontoret filtered: overdue, most overdue first",
        "/kontoret/nav-sagene?status=overdue&sorter=forfalt",
    ),
    ("leader", "a person (drill-down)", "/kontoret/nav-sagene/personer/D000000"),
    ("learner", "Min læring (learner)", "/min-laering"),
    ("coordinator", "Fylket (county coordinator), 300 people", "/fylket/oslo"),
    ("directorate", "Nasjonalt (directorate)", "/nasjonalt"),
    ("learner", "Katalog", "/katalog"),
]
TARGET_MS = 200


async def run(runs: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as temporary:
        data = Path(temporary) / "data"
        prepare(data)
        app = create_app(Settings(data_dir=data, mongodb_uri=None), settle_gc=True)  # as served
        results = {}
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            for role, name, path in PAGES:
                async with httpx.AsyncClient(transport=transport, base_url="http://b") as http:
                    form = {"username": USERS[role], "password": PASSWORD}
                    signed_in = await http.post("/api/session", json=form)
                    if signed_in.status_code != 204:
                        raise SystemExit(f"{USERS[role]} could not sign in: {signed_in.text}")
                    await http.get(path)  # warm: templates compiled, caches filled

                    async def call(
                        http: httpx.AsyncClient = http, path: str = path
                    ) -> httpx.Response:
                        return await http.get(path)

                    results[name] = await latency(call, runs)
        return {"runs": runs, "pages": results}


def report(result: dict[str, Any]) -> str:
    lines = table_head()
    for name, timing in result["pages"].items():
        lines.append(f"| {name} | p50 {timing['p50']:.0f} ms, p95 {timing['p95']:.0f} ms |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    result = asyncio.run(run(args.runs))
    out = Path("bench/results")
    out.mkdir(parents=True, exist_ok=True)
    (out / "pages.json").write_text(json.dumps(result, indent=2))
    print(report(result))
    leader = result["pages"][PAGES[0][1]]["p50"]
    if leader > TARGET_MS:
        raise SystemExit(f"the leader page took {leader:.0f} ms (p50), over {TARGET_MS} ms")


if __name__ == "__main__":
    main()
