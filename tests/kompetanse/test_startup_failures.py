"""`kompetanse serve` that cannot start says why in one line, with what to do, and exits 1:
a second server on the same embedded store, a wrong MongoDB URI, an unwritable data
directory, a port in use. No traceback."""

from __future__ import annotations

import ctypes
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.server import free_port, running_server

PR_CAPBSET_DROP = 24
CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH = 1, 2


def serve(
    data_dir: Path, port: int | None = None, *, drop_root_powers: bool = False, **env: str
) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ,
        "KOMPETANSE_DATA_DIR": str(data_dir),
        "KOMPETANSE_HOST": "127.0.0.1",
        "KOMPETANSE_PORT": str(port or free_port()),
        "KOMPETANSE_BOOTSTRAP_KEY": "startup-key",
        "KOMPETANSE_BOOTSTRAP_SECRET": "startup-secret-for-tests",
        **env,
    }
    if "KOMPETANSE_MONGODB_URI" not in env:
        environment.pop("KOMPETANSE_MONGODB_URI", None)
    return subprocess.run(
        [sys.executable, "-m", "kompetanse", "serve"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        preexec_fn=_without_file_permission_override if drop_root_powers else None,
    )


def _without_file_permission_override() -> None:
    """In the child, before exec: as root, give up overriding file permissions, so that the
    server meets a directory it may not write as any other user would."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
        if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def one_line(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    [line] = done.stderr.strip().splitlines()
    assert line.startswith("kompetanse: ")
    return line


def test_a_second_server_on_the_same_store(tmp_path: Path) -> None:
    with running_server(tmp_path):
        line = one_line(serve(tmp_path))
    assert f"the embedded store in {tmp_path} is in use by another process" in line
    assert "stop it first" in line


def test_a_port_in_use(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        line = one_line(serve(tmp_path / "data", port))
    assert line == (
        f"kompetanse: port {port} on 127.0.0.1 is in use (is another server running?); "
        "stop it, or choose another port with --port or KOMPETANSE_PORT"
    )
    assert not (tmp_path / "data").exists()  # said before the store was opened


def test_a_mongodb_uri_that_is_not_one(tmp_path: Path) -> None:
    line = one_line(serve(tmp_path, KOMPETANSE_MONGODB_URI="http://db1:27017/kompetanse"))
    assert "KOMPETANSE_MONGODB_URI is not a usable MongoDB connection string" in line
    assert "mongodb://" in line


def test_a_mongodb_nobody_answers_at(tmp_path: Path) -> None:
    port = free_port()
    uri = f"mongodb://kompetanse:hemmelig-passord@127.0.0.1:{port}/?replicaSet=rs0"
    done = serve(tmp_path, KOMPETANSE_MONGODB_URI=uri, KOMPETANSE_STARTUP_TIMEOUT_SECONDS="1")
    line = one_line(done)
    assert f"cannot reach MongoDB at 127.0.0.1:{port} within 1 s" in line
    assert "check KOMPETANSE_MONGODB_URI and that the database runs" in line
    assert "hemmelig-passord" not in done.stderr
    assert "Topology" not in line


def test_a_data_directory_that_is_a_file(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.write_text("not a directory")
    line = one_line(serve(data_dir))
    assert f"the data directory {data_dir} is not writable" in line
    assert "set KOMPETANSE_DATA_DIR to a directory it can write" in line


def test_an_unwritable_data_directory(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    data_dir.chmod(0o555)
    try:
        as_root = os.geteuid() == 0
        try:
            done = serve(data_dir, drop_root_powers=as_root)
        except subprocess.SubprocessError as exc:  # no CAP_SETPCAP: cannot drop root's powers
            pytest.skip(f"cannot run the server without root's file permissions: {exc}")
        line = one_line(done)
    finally:
        data_dir.chmod(0o755)
    assert line.startswith(f"kompetanse: the data directory {data_dir} is not writable")
    assert "(Permission denied)" in line
    assert "give the server's user write access to it" in line
    assert list(data_dir.iterdir()) == []
