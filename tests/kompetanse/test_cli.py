"""`kompetanse credentials add|list|revoke` through the CLI entry point."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from kompetanse.cli import main
from lrs.store import EmbeddedClient


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("KOMPETANSE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("KOMPETANSE_MONGODB_URI", raising=False)
    return tmp_path


def test_add_list_and_revoke(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(
            [
                "credentials",
                "add",
                "--scope",
                "statements/write",
                "--key",
                "lms",
                "--label",
                "e-learning",
                "--agent",
                '{"mbox": "mailto:lms@nav.example"}',
            ]
        )
        == 0
    )
    added = capsys.readouterr().out
    assert "key:    lms" in added
    assert "secret: " in added
    assert main(["credentials", "list", "--json"]) == 0
    [listed] = json.loads(capsys.readouterr().out)
    assert listed["key"] == "lms"
    assert listed["scopes"] == ["statements/write"]
    assert listed["agent"] == {"mbox": "mailto:lms@nav.example"}
    assert "secret" not in json.dumps(listed)
    assert main(["credentials", "revoke", "lms"]) == 0
    assert "revoked lms" in capsys.readouterr().out
    assert main(["credentials", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        pytest.param(
            ["credentials", "add", "--scope", "everything"], "unknown scope", id="unknown-scope"
        ),
        pytest.param(
            ["credentials", "add", "--scope", "all", "--agent", '{"mbox": "x"}'],
            "--agent.mbox",
            id="bad-agent",
        ),
        pytest.param(["credentials", "revoke", "nobody"], "no credential", id="revoke-unknown"),
    ],
)
def test_bad_input_is_reported(
    data_dir: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert main(argv) != 0
    assert message in capsys.readouterr().err


def test_a_running_server_holds_the_store(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server = EmbeddedClient(data_dir)
    try:
        assert main(["credentials", "list"]) == 1
        assert "in use by another process" in capsys.readouterr().err
    finally:
        asyncio.run(server.aclose())
