"""`/healthz` and `/readyz`, for load balancers, orchestrators and the container's HEALTHCHECK.

Both answer JSON without credentials and say nothing about the data: which checks passed, and
for one that failed a word for why ("timeout", "failed", "behind"); the details are logged
with the request id.

- `/healthz`: the process answers (200 while the event loop runs).
- `/readyz`: 200 when the database answers (MongoDB: `ping`), the embedded store's journal
  directory takes a write and an fsync, and the catalog's completion projection is less than
  `KOMPETANSE_READY_MAX_LAG_SECONDS` behind the statements; else 503. Each check gets
  `KOMPETANSE_READY_TIMEOUT_SECONDS`.

    {"status": "ready", "checks": {"database": {"ok": true}, "journal": {"ok": true},
     "projection": {"ok": true, "lag_seconds": 0.0, "max_lag_seconds": 60.0}}}
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse

from lrs.store import EmbeddedDatabase

log = logging.getLogger(__name__)
router = APIRouter()
# Beside the journal, one per process; `kompetanse backup` copies only the store's own files.
PROBE = ".ready-probe-{pid}"

Check = dict[str, Any]
NO_STORE = {"Cache-Control": "no-store"}


@router.get("/healthz", include_in_schema=False)
async def healthz() -> JSONResponse:
    return JSONResponse({"status": "ok"}, headers=NO_STORE)


@router.api_route("/readyz", methods=["GET", "HEAD"], include_in_schema=False)
async def readyz(request: Request) -> JSONResponse:
    state = request.app.state
    settings = state.settings
    timeout = settings.ready_timeout_seconds
    database = _database(state)
    checks: dict[str, Check] = {}
    if isinstance(database, EmbeddedDatabase) or (
        database is None and settings.mongodb_uri is None
    ):
        checks["database"] = {"ok": True}  # in this process's memory
        checks["journal"] = await _run("journal", timeout, _probe, settings.data_dir)
    elif database is not None:
        checks["database"] = await _run("database", timeout, _ping, database)
    else:
        checks["database"] = {"ok": False, "reason": "not open"}
    checks["projection"] = await _projection(state, settings.ready_max_lag_seconds, timeout)
    ready = all(check["ok"] for check in checks.values())
    return JSONResponse(
        {"status": "ready" if ready else "not ready", "checks": checks},
        status_code=200 if ready else 503,
        headers=NO_STORE,
    )


def _database(state: Any) -> Any:
    """The database the app opened (`app.state.services.database`, or `app.state.database`)."""
    database = getattr(getattr(state, "services", None), "database", None)
    return database if database is not None else getattr(state, "database", None)


async def _run(
    name: str, within: float, check: Callable[..., Awaitable[None]], *args: Any
) -> Check:
    try:
        await asyncio.wait_for(check(*args), within)
    except TimeoutError:
        log.warning("readiness: %s did not answer within %s s", name, within)
        return {"ok": False, "reason": "timeout"}
    except Exception as exc:
        log.warning("readiness: %s failed: %s: %s", name, type(exc).__name__, exc)
        return {"ok": False, "reason": "failed"}
    return {"ok": True}


async def _ping(database: Any) -> None:
    await database.command("ping")


async def _probe(directory: Path) -> None:
    """A write and an fsync in the journal's directory, as the next statement will need."""
    await asyncio.to_thread(write_probe, directory)


def write_probe(directory: Path) -> None:
    """Create, write, fsync and remove a small file in `directory` (OSError if it cannot)."""
    path = directory / PROBE.format(pid=os.getpid())
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(descriptor, b"ready\n")
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    path.unlink()


async def _projection(state: Any, max_lag: float, within: float) -> Check:
    """The catalog's measure of its lag (`CatalogService.projection_lag`) against the bound.
    A catalog without that measure updates its projection as each statement is stored, so it
    is never behind."""
    projection_lag = getattr(getattr(state, "catalog", None), "projection_lag", None)
    if projection_lag is None:
        return {"ok": True, "lag_seconds": 0.0, "max_lag_seconds": max_lag}
    try:
        lag = float(await asyncio.wait_for(projection_lag(), within))
    except TimeoutError:
        log.warning("readiness: the projection's lag was not measured within %s s", within)
        return {"ok": False, "reason": "timeout"}
    except Exception as exc:
        log.warning("readiness: the projection's lag failed: %s: %s", type(exc).__name__, exc)
        return {"ok": False, "reason": "failed"}
    ok = lag <= max_lag
    if not ok:
        log.warning("readiness: the projection is %.1f s behind (at most %s)", lag, max_lag)
    check: Check = {"ok": ok, "lag_seconds": round(lag, 3), "max_lag_seconds": max_lag}
    return check if ok else {**check, "reason": "behind"}


def install(app: FastAPI) -> None:
    app.include_router(router)


__all__ = ["install", "router", "write_probe"]
