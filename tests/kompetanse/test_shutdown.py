"""SIGTERM stops the server on the embedded store promptly, and a restart has every statement."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.server import HEADERS, KEY, SECRET, running_server
from tests.server import numbered_statement as statement


def test_sigterm_exits_and_a_restart_has_every_statement(tmp_path: Path) -> None:
    with running_server(tmp_path) as server, httpx.Client(auth=(KEY, SECRET)) as http:
        response = http.post(
            f"{server.endpoint}/statements",
            json=[statement(n) for n in range(50)],
            headers=HEADERS,
        )
        assert response.status_code == 200
        stored = response.json()
        server.process.terminate()
        server.process.wait(timeout=15)
    assert not list(tmp_path.glob("*.tmp"))
    with running_server(tmp_path) as server, httpx.Client(auth=(KEY, SECRET)) as http:
        page = http.get(f"{server.endpoint}/statements?limit=100", headers=HEADERS).json()
    assert sorted(s["id"] for s in page["statements"]) == sorted(stored)
