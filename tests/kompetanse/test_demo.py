"""`kompetanse demo load`: a living product, clearly generated, loaded once."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from kompetanse.cli import main
from kompetanse.settings import Settings
from tests.conftest import make_client


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("KOMPETANSE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("KOMPETANSE_MONGODB_URI", raising=False)
    monkeypatch.delenv("KOMPETANSE_CATALOG_DIR", raising=False)
    return tmp_path


def test_demo_loads_once_and_shows_in_the_reports(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo", "load"]) == 0
    out = capsys.readouterr().out
    assert "300 people" in out
    password = next(line.split()[1] for line in out.splitlines() if "demo-leder" in line)
    assert main(["demo", "load", "--if-empty"]) == 0
    assert "not loaded" in capsys.readouterr().out

    async def leader_view() -> dict[str, object]:
        from kompetanse.app import create_app

        app = create_app(Settings(data_dir=data_dir, bootstrap_key="k", bootstrap_secret="s" * 12))
        async with (
            app.router.lifespan_context(app),
            make_client(app, auth=None, version="") as http,
        ):
            signed = await http.post(
                "/api/session", json={"username": "demo-leder", "password": password}
            )
            assert signed.status_code == 204
            matrix = (await http.get("/api/offices/nav-sagene/matrix")).json()
            statements = await http.get(
                "/xapi/statements",
                params={"limit": "1"},
                auth=("k", "s" * 12),
                headers={"X-Experience-API-Version": "1.0.3"},
            )
            return {"matrix": matrix, "statement": statements.json()["statements"][0]}

    seen = asyncio.run(leader_view())
    rows = seen["matrix"]["rows"]  # type: ignore[index]
    assert len(rows) == 75
    assert all(row["name"].endswith("(demo)") for row in rows)
    assert any("completed" in row["statuses"].values() for row in rows)
    statement = seen["statement"]
    # The newest is the demo network's sharing back, with the adapter's extensions beside the
    # mark every demo statement carries.
    extensions = statement["context"]["extensions"]  # type: ignore[index]
    assert extensions["https://kompetanse.nav.no/xapi/extensions/demo"] is True
    assert json.dumps(statement)
