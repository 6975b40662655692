"""Every acknowledged statement survives kill -9 of the server (embedded store)."""

from __future__ import annotations

import signal
from pathlib import Path

import httpx

from tests.server import HEADERS, KEY, SECRET, running_server
from tests.server import numbered_statement as statement


def test_acknowledged_statements_survive_kill_9(tmp_path: Path) -> None:
    acknowledged: list[str] = []
    with running_server(tmp_path) as server:
        with httpx.Client(auth=(KEY, SECRET), headers=HEADERS) as http:
            for batch in range(5):
                body = [statement(batch * 10 + i) for i in range(10)]
                response = http.post(f"{server.endpoint}/statements", json=body)
                assert response.status_code == 200
                acknowledged += response.json()
        server.process.send_signal(signal.SIGKILL)
        server.process.wait(timeout=10)
    with running_server(tmp_path) as server:
        with httpx.Client(auth=(KEY, SECRET), headers=HEADERS) as http:
            found: list[str] = []
            url = f"{server.endpoint}/statements?limit=100"
            while url:
                page = http.get(url).json()
                found += [s["id"] for s in page["statements"]]
                root = server.endpoint.removesuffix("/xapi")
                url = root + page["more"] if page["more"] else ""
    assert sorted(found) == sorted(acknowledged)
