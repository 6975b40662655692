"""`kill -9` of the server while eight clients send overlapping batches: after a restart the
completion projection catches up and equals what a rebuild computes, and every acknowledged
statement is credited. On the embedded store, and on the wire test server with two workers."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from catalog._projection import _DEAD
from kompetanse.services import opened
from kompetanse.settings import Settings
from tests.catalog.projection import projection_state
from tests.catalog.test_load import write
from tests.catalog.test_projection import ATTENDED, PACKAGE, statement
from tests.server import HEADERS, KEY, SECRET, running_server
from tests.wire import WireServer

PASSWORD = "korrekt hest batteri"
PEOPLE = 12
HR = "employee_id,name,email,office,region,employer,start_date\n" + "".join(
    f"P{n},Person {n},p{n}@nav.no,nav-{n % 3},oslo,state,2026-09-01\n" for n in range(PEOPLE)
)


@pytest.fixture(scope="module")
def wire() -> Iterator[WireServer]:
    with WireServer() as server:
        yield server


def cli(env: dict[str, str], *args: str, stdin: str = "") -> None:
    done = subprocess.run(  # noqa: S603 - our own CLI
        [sys.executable, "-m", "kompetanse", *args],
        env=env,
        input=stdin.encode(),
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()


def send_until_killed(endpoint: str, acknowledged: list[str], stop: threading.Event) -> None:
    """One client: batches that overlap (each statement is sent in two batches, the second
    time with two new ones), until the server is gone."""
    with httpx.Client(auth=(KEY, SECRET), headers=HEADERS, timeout=10) as http:
        previous: list[dict[str, Any]] = []
        number = 0
        while not stop.is_set():
            fresh = [
                statement(
                    f"p{(number + k) % PEOPLE}@nav.no",
                    "e-laering" if k else "samling",
                    ATTENDED if not k else "http://adlnet.gov/expapi/verbs/completed",
                )
                for k in range(2)
            ]
            number += 1
            try:
                response = http.post(f"{endpoint}/statements", json=previous[:1] + fresh)
            except httpx.TransportError:
                return
            if response.status_code == 200:
                acknowledged.extend(response.json())
            previous = fresh


def wait_caught_up(endpoint: str) -> dict[str, Any]:
    root = endpoint.removesuffix("/xapi")
    with httpx.Client(timeout=10) as http:
        signed_in = http.post(
            f"{root}/api/session", json={"username": "admin", "password": PASSWORD}
        )
        assert signed_in.status_code == 204, signed_in.text
        # every process was killed: the restarted one takes the others for dead only after
        # their heartbeats are _DEAD seconds old (on MongoDB they might be alive elsewhere),
        # then recovers what they owed
        deadline = time.monotonic() + _DEAD + 60
        while True:
            lag = http.get(f"{root}/api/projection").json()
            if lag["caught_up"] or time.monotonic() > deadline:
                return dict(lag)
            time.sleep(0.1)


@pytest.mark.parametrize("backend", ["embedded", "wire"])
def test_kill_9_during_overlapping_batches_ends_as_a_rebuild(
    tmp_path: Path, backend: str, request: pytest.FixtureRequest
) -> None:
    uri = request.getfixturevalue("wire").uri if backend == "wire" else None
    env = {
        **os.environ,
        "KOMPETANSE_DATA_DIR": str(tmp_path / "data"),
        "KOMPETANSE_CATALOG_DIR": str(write(tmp_path / "catalog", package=PACKAGE)),
        "KOMPETANSE_PROJECTION_SETTLE_SECONDS": "0.2",
        "KOMPETANSE_MONGODB_DATABASE": "crash_" + uuid.uuid4().hex[:8],
    }
    env.pop("KOMPETANSE_MONGODB_URI", None)
    if uri is not None:
        env["KOMPETANSE_MONGODB_URI"] = uri
    (tmp_path / "hr.csv").write_text(HR)
    cli(env, "import", "people", str(tmp_path / "hr.csv"), "--accept-new-offices")
    cli(env, "users", "add", "admin", "--role", "admin", "--password-stdin", stdin=PASSWORD + "\n")
    workers = ("--workers", "2") if backend == "wire" else ()
    extra = {k: env[k] for k in env if k.startswith("KOMPETANSE_") and k != "KOMPETANSE_DATA_DIR"}
    acknowledged: list[str] = []
    with running_server(tmp_path / "data", mongodb_uri=uri, args=workers, env=extra) as server:
        stop = threading.Event()
        clients = [
            threading.Thread(target=send_until_killed, args=(server.endpoint, acknowledged, stop))
            for _ in range(8)
        ]
        for client in clients:
            client.start()
        time.sleep(2.0)
        # the workers are the server's children: kill them with it, named before it dies (a
        # dead parent's children belong to init, and `pkill -P` would find none of them)
        pid = server.process.pid
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        server.process.send_signal(signal.SIGKILL)
        for child in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(child), signal.SIGKILL)
        server.process.wait(timeout=10)
        stop.set()
        for client in clients:
            client.join(timeout=15)
    assert len(acknowledged) > 20, "too few statements before the kill to mean anything"
    with running_server(tmp_path / "data", mongodb_uri=uri, env=extra) as server:
        lag = wait_caught_up(server.endpoint)
        assert not lag["behind"], lag
    settings = Settings(
        data_dir=tmp_path / "data",
        mongodb_uri=uri,
        mongodb_database=env["KOMPETANSE_MONGODB_DATABASE"],
        catalog_dir=Path(env["KOMPETANSE_CATALOG_DIR"]),
        projection_settle_seconds=0,
    )

    async def compare() -> None:
        async with opened(settings) as services:
            kept = await projection_state(services.catalog)
            credited = set(kept["evidence"])
            missing = {i.lower() for i in acknowledged} - credited
            assert not missing, f"{len(missing)} acknowledged statements never credited"
            await services.catalog.rebuild()
            assert await projection_state(services.catalog) == kept

    asyncio.run(compare())
