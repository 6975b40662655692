"""A lean load generator: POSTs over HTTP/1.1 keep-alive connections, requests encoded in
advance, the answer read by its Content-Length.

The benchmark's clients run on the same two cores as the server. httpx costs its client about
2 ms of CPU per request (measured 2026-12-02: 2.17 ms per single-statement POST from 8
clients), more than the server spends answering it, so a figure taken with it measures the
client. This one costs about 0.15 ms; in production the clients are other machines.
"""

from __future__ import annotations

import asyncio
import base64
import os
import time
from pathlib import Path
from urllib.parse import urlsplit

from tests.server import KEY, SECRET, Server


class Refused(Exception):
    """The server answered something other than 200."""


def post_request(server: Server, path: str, body: bytes) -> bytes:
    """One POST of a JSON `body` with the bench credential and xAPI version, as bytes."""
    address = urlsplit(server.endpoint).netloc
    credential = base64.b64encode(f"{KEY}:{SECRET}".encode()).decode()
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {address}\r\nAuthorization: Basic {credential}\r\n"
        "X-Experience-API-Version: 1.0.3\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def _answer(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    status_line, *headers = head.split(b"\r\n")
    length = None
    for header in headers:
        name, _, value = header.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    if length is None:
        raise Refused(f"an answer without Content-Length: {status_line!r}")
    return int(status_line.split(b" ", 2)[1]), await reader.readexactly(length)


async def post_all(server: Server, path: str, bodies: list[bytes], clients: int) -> list[float]:
    """POST every body from `clients` connections at once; each request's seconds."""
    requests = [post_request(server, path, body) for body in reversed(bodies)]
    parts = urlsplit(server.endpoint)
    waits: list[float] = []

    async def client() -> None:
        reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
        try:
            while requests:
                request = requests.pop()
                started = time.perf_counter()
                writer.write(request)
                status, answer = await _answer(reader)
                waits.append(time.perf_counter() - started)
                if status != 200:
                    raise Refused(f"{status}: {answer[:300]!r}")
        finally:
            writer.close()

    await asyncio.gather(*(client() for _ in range(clients)))
    return waits


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process so far (all its threads)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
