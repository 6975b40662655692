"""The app factory: one FastAPI app with the LRS mounted at /xapi."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import resource
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

import lrs.api
from catalog import api_router, install_error_handler, privacy_router, sessions_router
from catalog._competence_plan_api import router as competence_plan_router
from catalog._development_api import router as development_router
from catalog._evaluation_api import router as evaluation_router
from catalog._induction_api import router as induction_router
from catalog._mapping_api import router as mapping_router
from catalog._networks_api import router as networks_router
from kompetanse import health, logs, metrics, oidc, pages, profile_route, reminders, security
from kompetanse.bootstrap import ensure_credentials
from kompetanse.services import opened
from kompetanse.settings import Settings

log = logging.getLogger(__name__)
_STOP_WAIT = 10.0  # seconds a shutdown waits for each background task to stop


def settle_garbage_collector() -> None:
    """Keep the collector off what lives as long as the process (the embedded store holds its
    collections in memory: millions of objects that every full collection would walk again),
    and collect the young generation less often, since a report builds many short-lived
    objects. Without this a leader page paused for 150 ms at its slowest (BENCHMARKS.md)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)


async def keep_garbage_collector_settled(
    interval: float = 30.0, growth_kib: int = 64 * 1024
) -> None:
    """Freeze again what the process has grown by (statements stored since it started live as
    long as it does): each time its peak memory has grown by `growth_kib`, one full collection,
    then `gc.freeze()`. Without this, the embedded store's documents stored after the start
    are walked by every full collection, and at 200 000 statements a request then waits for one
    now and then (BENCHMARKS.md, the embedded engine at scale). Only growth triggers it, so a
    process that stops growing stops freezing (a cycle that is alive when frozen and dies
    later is not collected)."""
    frozen_at = _peak_kib()
    while True:
        await asyncio.sleep(interval)
        if _peak_kib() - frozen_at >= growth_kib:
            gc.collect()
            gc.freeze()
            frozen_at = _peak_kib()


def _peak_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


def create_app(settings: Settings | None = None, *, settle_gc: bool = False) -> FastAPI:
    """Build the app; the database is opened by the lifespan, not here.

    `settle_gc` tunes the process's garbage collector once the store is open: for the server
    process (`kompetanse serve`), not for tests that build many apps in one process.
    """
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with opened(settings) as services:
            app.state.settings = settings
            app.state.services = services
            app.state.statements = services.statements
            app.state.documents = services.documents
            app.state.catalog = services.catalog
            app.state.reports = services.catalog.reports
            app.state.commands = services.catalog.commands
            app.state.accounts = services.catalog.accounts
            app.state.credentials = services.credentials
            await ensure_credentials(app.state.credentials, settings)
            sender = await reminders.sender(services)
            app.state.reminders = sender.outbox
            consuming = asyncio.create_task(services.catalog.projection.run())
            sessions = asyncio.create_task(services.catalog.accounts.keep_sessions_retention())
            retaining = None
            if settings.audit_retention_days is not None:
                audit = services.catalog.accounts.audit
                retaining = asyncio.create_task(audit.keep_retention(settings.audit_retention_days))
            reminding = asyncio.create_task(sender.keep_sending()) if sender.mailer else None
            settling = None
            if settle_gc:
                settle_garbage_collector()
                settling = asyncio.create_task(keep_garbage_collector_settled())
            try:
                yield
            finally:
                services.catalog.projection.stop()
                for task in (consuming, sessions, retaining, settling, reminding):
                    if task is not None:
                        task.cancel()
                        with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                            await asyncio.wait_for(task, _STOP_WAIT)

    app = FastAPI(
        title="kompetanse",
        summary="Learning record store (xAPI 1.0.3 and 2.0) for competence development",
        lifespan=lifespan,
        docs_url="/docs" if settings.api_docs else None,
        redoc_url="/redoc" if settings.api_docs else None,
        openapi_url="/openapi.json" if settings.api_docs else None,
    )
    lrs.api.install(
        app,
        max_body_bytes=settings.limits.max_body_bytes,
        versions=settings.xapi_versions,
        cors_origins=settings.cors_origins,
    )
    install_error_handler(app)  # the catalog's errors, as lrs.api.install does the LRS's
    app.include_router(api_router)
    app.include_router(mapping_router)
    app.include_router(competence_plan_router)
    app.include_router(induction_router)
    app.include_router(development_router)
    app.include_router(networks_router)
    app.include_router(evaluation_router)
    app.include_router(privacy_router)
    app.include_router(sessions_router)
    app.include_router(profile_route.router)
    pages.install(app)
    security.install(app, settings)
    oidc.install(app, settings.oidc, settings.public_url)
    health.install(app)
    metrics.install(app)  # middleware: then the logs', outermost; both see every answer
    logs.install(app)
    return app


def serve() -> FastAPI:
    """The app of one server process among several (`kompetanse serve --workers N`), its
    settings read from the environment."""
    return create_app(Settings(), settle_gc=True)
