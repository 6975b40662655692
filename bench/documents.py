"""Benchmark the document resources and attachment upload through a real uvicorn server.

    make bench            (or: .venv/bin/python -m bench.documents)

State documents: p50/p95 latency of PUT, GET and POST (merge) of a small JSON document.
Attachments: time to POST one statement with a 10 MB attachment (multipart/mixed), and to GET it
back with attachments=true.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx

from bench.statements import latency, lrs_client, table_head
from tests.server import running_server

AGENT = json.dumps({"mbox": "mailto:kari@nav.example"})
ACTIVITY = "https://kompetanse.example/activities/ny-i-nav"


async def documents(http: httpx.AsyncClient, runs: int) -> dict[str, dict[str, float]]:
    counter = iter(range(10**9))

    def params() -> dict[str, str]:
        return {"activityId": ACTIVITY, "agent": AGENT, "stateId": f"s{next(counter)}"}

    fixed = params()
    await http.put("/xapi/activities/state", params=fixed, json={"page": 1})

    async def put() -> httpx.Response:
        return await http.put("/xapi/activities/state", params=params(), json={"page": 1})

    async def get() -> httpx.Response:
        return await http.get("/xapi/activities/state", params=fixed)

    async def post() -> httpx.Response:
        return await http.post(
            "/xapi/activities/state", params=fixed, json={f"k{next(counter)}": 1}
        )

    calls: dict[str, Callable[[], Awaitable[httpx.Response]]] = {
        "PUT state document": put,
        "GET state document": get,
        "POST (merge) state document": post,
    }
    return {name: await latency(call, runs) for name, call in calls.items()}


async def attachment(http: httpx.AsyncClient, size: int) -> dict[str, float]:
    content = os.urandom(size)
    sha2 = hashlib.sha256(content).hexdigest()
    statement_id = str(uuid.uuid4())
    statement = {
        "id": statement_id,
        "actor": {"mbox": "mailto:kari@nav.example"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
        "object": {"id": ACTIVITY},
        "attachments": [
            {
                "usageType": "https://kompetanse.example/attachments/certificate",
                "display": {"nb": "Kursbevis"},
                "contentType": "application/pdf",
                "length": size,
                "sha2": sha2,
            }
        ],
    }
    boundary = "bench-boundary"
    body = b"".join(
        [
            f"--{boundary}\r\nContent-Type: application/json\r\n\r\n".encode(),
            json.dumps(statement).encode(),
            f"\r\n--{boundary}\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: "
            f"binary\r\nX-Experience-API-Hash: {sha2}\r\n\r\n".encode(),
            content,
            f"\r\n--{boundary}--\r\n".encode(),
        ]
    )
    started = time.perf_counter()
    response = await http.post(
        "/xapi/statements",
        content=body,
        headers={"Content-Type": f"multipart/mixed; boundary={boundary}"},
    )
    response.raise_for_status()
    upload = time.perf_counter() - started
    started = time.perf_counter()
    fetched = await http.get(
        "/xapi/statements", params={"statementId": statement_id, "attachments": "true"}
    )
    fetched.raise_for_status()
    download = time.perf_counter() - started
    if content not in fetched.content:
        raise SystemExit("the attachment did not come back intact")
    return {"bytes": size, "upload_seconds": upload, "download_seconds": download}


async def run(runs: int, size: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as data_dir, running_server(Path(data_dir)) as server:
        async with lrs_client(server) as http:
            return {
                "documents": await documents(http, runs),
                "attachment": await attachment(http, size),
            }


def report(result: dict[str, Any]) -> str:
    lines = [
        *table_head(),
    ]
    for name, timing in result["documents"].items():
        lines.append(f"| {name} | p50 {timing['p50']:.1f} ms, p95 {timing['p95']:.1f} ms |")
    upload = result["attachment"]
    megabytes = upload["bytes"] / 1_000_000
    lines.append(
        f"| POST statement with a {megabytes:.0f} MB attachment | "
        f"{upload['upload_seconds']:.2f} s |"
    )
    lines.append(f"| GET it back with attachments=true | {upload['download_seconds']:.2f} s |")
    return "\n".join(lines)


def main() -> None:
    result = asyncio.run(run(runs=200, size=10_000_000))
    out = Path("bench/results")
    out.mkdir(parents=True, exist_ok=True)
    (out / "documents.json").write_text(json.dumps(result, indent=2))
    print(report(result))


if __name__ == "__main__":
    main()
