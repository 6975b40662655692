"""Several server processes on one MongoDB (the wire test server): no acknowledged statement is
lost when the same statements reach two processes at once; the embedded store refuses workers."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.server import HEADERS, KEY, SECRET, running_server
from tests.server import numbered_statement as statement
from tests.wire import WireServer

pytestmark = pytest.mark.anyio


@pytest.fixture(scope="module")
def wire() -> Iterator[WireServer]:
    with WireServer() as server:
        yield server


async def send_to_both(endpoints: list[str], statements: list[dict[str, Any]]) -> list[int]:
    """Each statement POSTed to every endpoint at the same moment, as an emitter's retry that
    reaches another process while its first try is still being stored."""
    async with httpx.AsyncClient(auth=(KEY, SECRET), headers=HEADERS, timeout=30) as http:
        requests = [
            http.post(f"{endpoint}/statements", json=body)
            for body in statements
            for endpoint in endpoints
        ]
        return [response.status_code for response in await asyncio.gather(*requests)]


async def stored_ids(endpoint: str) -> list[str]:
    ids: list[str] = []
    async with httpx.AsyncClient(auth=(KEY, SECRET), headers=HEADERS, timeout=30) as http:
        url: str | None = f"{endpoint}/statements?limit=50"
        while url:
            page = (await http.get(url)).json()
            ids += [s["id"] for s in page["statements"]]
            url = page["more"] and endpoint.removesuffix("/xapi") + page["more"]
    return ids


async def test_two_processes_store_each_statement_once(
    wire: WireServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KOMPETANSE_MONGODB_DATABASE", "two_" + uuid.uuid4().hex[:8])
    with (
        running_server(tmp_path / "a", mongodb_uri=wire.uri) as first,
        running_server(tmp_path / "b", mongodb_uri=wire.uri) as second,
    ):
        statements = [statement(n) for n in range(60)]
        codes = await send_to_both([first.endpoint, second.endpoint], statements)
        assert codes == [200] * 120
        for endpoint in (first.endpoint, second.endpoint):
            assert sorted(await stored_ids(endpoint)) == sorted(s["id"] for s in statements)


async def test_serve_with_workers_on_mongodb(
    wire: WireServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KOMPETANSE_MONGODB_DATABASE", "workers_" + uuid.uuid4().hex[:8])
    with running_server(tmp_path, mongodb_uri=wire.uri, args=("--workers", "2")) as server:
        statements = [statement(n) for n in range(30)]
        codes = await send_to_both([server.endpoint, server.endpoint], statements)
        assert codes == [200] * 60
        assert sorted(await stored_ids(server.endpoint)) == sorted(s["id"] for s in statements)


def test_the_embedded_store_refuses_workers(tmp_path: Path) -> None:
    env = {**os.environ, "KOMPETANSE_DATA_DIR": str(tmp_path)}
    env.pop("KOMPETANSE_MONGODB_URI", None)
    done = subprocess.run(
        [sys.executable, "-m", "kompetanse", "serve", "--workers", "2"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "the embedded store belongs to one process" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "journal-1.jsonl").exists()
