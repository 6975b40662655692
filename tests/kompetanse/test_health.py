"""/healthz and /readyz: without credentials, JSON, nothing about the data; /readyz fails when
the database, the journal's directory or the projection's lag does."""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest
from fastapi import FastAPI

from tests.conftest import make_client
from tests.server import running_server
from tests.wire import WireServer

pytestmark = pytest.mark.anyio


async def test_healthz_answers_without_credentials(app: FastAPI) -> None:
    async with make_client(app, auth=None, version="") as http:
        response = await http.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response.headers["Cache-Control"] == "no-store"


async def test_readyz_on_the_embedded_store(app: FastAPI) -> None:
    async with make_client(app, auth=None, version="") as http:
        response = await http.get("/readyz")
    assert response.status_code == 200, response.text
    assert response.json() == {
        "status": "ready",
        "checks": {
            "database": {"ok": True},
            "journal": {"ok": True},
            "projection": {"ok": True, "lag_seconds": 0.0, "max_lag_seconds": 60.0},
        },
    }
    # The probe leaves nothing behind in the data directory.
    data_dir = app.state.settings.data_dir
    assert not [p for p in data_dir.iterdir() if p.name.startswith(".ready-probe")]


class Catalog(SimpleNamespace):
    """A catalog whose projection is `lag` seconds behind (or fails to say)."""

    lag: float | Exception

    async def projection_lag(self) -> float:
        if isinstance(self.lag, Exception):
            raise self.lag
        return self.lag


@pytest.mark.parametrize(
    ("lag", "status", "projection"),
    [
        pytest.param(
            12.5, 200, {"ok": True, "lag_seconds": 12.5, "max_lag_seconds": 60.0}, id="within"
        ),
        pytest.param(
            61.0,
            503,
            {"ok": False, "lag_seconds": 61.0, "max_lag_seconds": 60.0, "reason": "behind"},
            id="behind",
        ),
        pytest.param(
            RuntimeError("the checkpoint is gone"),
            503,
            {"ok": False, "reason": "failed"},
            id="unmeasured",
        ),
    ],
)
async def test_readyz_bounds_the_projections_lag(
    app: FastAPI, lag: float | Exception, status: int, projection: dict[str, object]
) -> None:
    app.state.catalog = Catalog(lag=lag)
    async with make_client(app, auth=None, version="") as http:
        response = await http.get("/readyz")
    assert response.status_code == status
    assert response.json()["checks"]["projection"] == projection
    assert response.json()["status"] == ("ready" if status == 200 else "not ready")
    assert "checkpoint" not in response.text  # the reason is logged, not shown


def test_readyz_fails_when_the_journals_directory_is_gone(tmp_path: Path) -> None:
    """The data directory removed under a running server (a volume unmounted): not ready, and
    ready again once it is back."""
    data_dir = tmp_path / "data"
    with running_server(data_dir) as server:
        base = server.endpoint.removesuffix("/xapi")
        assert httpx.get(f"{base}/readyz").status_code == 200
        moved = shutil.move(data_dir, tmp_path / "elsewhere")
        response = httpx.get(f"{base}/readyz")
        assert response.status_code == 503
        assert response.json()["checks"]["journal"] == {"ok": False, "reason": "failed"}
        assert str(tmp_path) not in response.text
        shutil.move(moved, data_dir)
        assert httpx.get(f"{base}/readyz").status_code == 200
        assert httpx.get(f"{base}/healthz").status_code == 200


def test_readyz_follows_mongodb(tmp_path: Path) -> None:
    wire = WireServer().start()
    with running_server(tmp_path, mongodb_uri=wire.uri) as server:
        base = server.endpoint.removesuffix("/xapi")
        ready = httpx.get(f"{base}/readyz")
        assert ready.status_code == 200, ready.text
        assert ready.json()["checks"]["database"] == {"ok": True}
        assert "journal" not in ready.json()["checks"]
        wire.stop()
        started = time.monotonic()
        down = httpx.get(f"{base}/readyz", timeout=30)
        assert down.status_code == 503
        assert down.json()["checks"]["database"] in (
            {"ok": False, "reason": "timeout"},
            {"ok": False, "reason": "failed"},
        )
        # KOMPETANSE_READY_TIMEOUT_SECONDS per check, not the driver's 30 s
        assert time.monotonic() - started < 10
        assert wire.address not in down.text
        assert httpx.get(f"{base}/healthz").status_code == 200
        wire = WireServer(port=wire.port).start()  # back, so that the server stops at once
        deadline = time.monotonic() + 20
        while httpx.get(f"{base}/readyz").status_code != 200:
            assert time.monotonic() < deadline, "not ready again after MongoDB came back"
            time.sleep(0.2)
    wire.stop()
