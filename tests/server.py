"""Run the real server (`python -m kompetanse serve`) in a subprocess for end-to-end tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import httpx

KEY, SECRET = "e2e-key", "e2e-secret-for-tests"
HEADERS = {"X-Experience-API-Version": "1.0.3"}


def numbered_statement(number: int) -> dict[str, object]:
    """A statement of learner `number` with an id of its own, for the end-to-end tests."""
    return {
        "id": str(uuid.uuid4()),
        "actor": {"mbox": f"mailto:learner{number}@nav.example"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
        "object": {"id": f"https://kompetanse.example/activities/{number}"},
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    endpoint: str
    process: subprocess.Popen[bytes]


@contextmanager
def running_server(
    data_dir: Path,
    *,
    mongodb_uri: str | None = None,
    args: tuple[str, ...] = (),
    env: Mapping[str, str] | None = None,
    stderr: IO[bytes] | None = None,
) -> Iterator[Server]:
    """Start the server (the CLI, uvicorn in-process) on the embedded store in `data_dir`, or
    on MongoDB at `mongodb_uri`; `args` are further arguments of `kompetanse serve`, `env`
    further variables, and `stderr` where its logs go (the test's own stderr if None)."""
    port = free_port()
    environment = {
        **os.environ,
        "KOMPETANSE_DATA_DIR": str(data_dir),
        "KOMPETANSE_HOST": "127.0.0.1",
        "KOMPETANSE_PORT": str(port),
        "KOMPETANSE_BOOTSTRAP_KEY": KEY,
        "KOMPETANSE_BOOTSTRAP_SECRET": SECRET,
        "KOMPETANSE_LOG_LEVEL": "warning",
        **(env or {}),
    }
    environment.pop("KOMPETANSE_MONGODB_URI", None)
    if mongodb_uri is not None:
        environment["KOMPETANSE_MONGODB_URI"] = mongodb_uri
    command = [sys.executable, "-m", "kompetanse", "serve", *args]
    process = subprocess.Popen(command, env=environment, stderr=stderr)  # noqa: S603 (our CLI)
    endpoint = f"http://127.0.0.1:{port}/xapi"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{endpoint}/about", timeout=1)
                break
            except httpx.TransportError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the server did not start") from None
                time.sleep(0.1)
        yield Server(endpoint, process)
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=30)
