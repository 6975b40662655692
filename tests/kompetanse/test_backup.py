"""`kompetanse backup` while the server runs and takes statements; `kompetanse restore` with
the server stopped; refusals with one line each."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import httpx

from tests.server import HEADERS, KEY, SECRET, running_server
from tests.server import numbered_statement as statement


def cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KOMPETANSE_DATA_DIR": str(data_dir)}
    env.pop("KOMPETANSE_MONGODB_URI", None)
    return subprocess.run(  # noqa: S603 (our own CLI)
        [sys.executable, "-m", "kompetanse", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def stored_ids(endpoint: str) -> set[str]:
    ids: set[str] = set()
    url: str | None = f"{endpoint}/statements?limit=500"
    with httpx.Client(auth=(KEY, SECRET), headers=HEADERS, timeout=30) as http:
        while url:
            page = http.get(url).json()
            ids |= {s["id"] for s in page["statements"]}
            url = page["more"] and endpoint.removesuffix("/xapi") + page["more"]
    return ids


def test_backup_while_serving_and_restore(tmp_path: Path) -> None:
    data, copy = tmp_path / "data", tmp_path / "backup"
    before = [statement(n) for n in range(300)]
    during: list[dict[str, object]] = []
    with running_server(data) as server:
        with httpx.Client(auth=(KEY, SECRET), headers=HEADERS, timeout=30) as http:
            for start in range(0, 300, 50):
                assert http.post(f"{server.endpoint}/statements", json=before[start : start + 50])

            def keep_writing() -> None:
                for n in range(300, 400):
                    body = statement(n)
                    if http.post(f"{server.endpoint}/statements", json=body).status_code == 200:
                        during.append(body)

            writer = threading.Thread(target=keep_writing)
            writer.start()
            done = cli(data, "backup", str(copy))
            writer.join()
        assert done.returncode == 0, done.stderr
        assert "statements" in done.stdout
        refused = cli(data, "restore", str(copy))
        assert refused.returncode == 1
        assert "stop it before restoring" in refused.stderr
        everything = stored_ids(server.endpoint)
    assert everything == {s["id"] for s in before + during}
    restored = cli(data, "restore", str(copy))
    assert restored.returncode == 0, restored.stderr
    assert "replaced" in restored.stdout
    with running_server(data) as server:
        found = stored_ids(server.endpoint)
    assert {s["id"] for s in before} <= found <= everything


def test_backup_refuses_a_directory_in_use_and_an_empty_store(tmp_path: Path) -> None:
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "something").write_text("x")
    empty = cli(tmp_path / "nothing", "backup", str(tmp_path / "new"))
    assert empty.returncode == 1
    assert "holds no embedded store" in empty.stderr
    assert "Traceback" not in empty.stderr
    nothing = cli(tmp_path / "data", "restore", str(tmp_path / "taken"))
    assert nothing.returncode == 1
    assert "holds no backup" in nothing.stderr
