"""One way to build the services: the app, every CLI command, the demo, the benchmarks and
the tests call `compose` (or `opened`), so every one of them wires the same parts the same way
(the catalog's projection listening to the statements, deadlines counted from today, the
configured catalog and due-soon window)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date, timedelta

from catalog import CatalogService
from catalog._service import DERIVED
from kompetanse.database import (
    credential_store,
    document_service,
    open_database,
    statement_service,
    statement_store,
)
from kompetanse.settings import Settings
from lrs.auth import CredentialStore
from lrs.documents import DocumentService
from lrs.statements import StatementService
from lrs.store import Database, EmbeddedDatabase


@dataclass(frozen=True)
class Services:
    settings: Settings
    database: Database
    statements: StatementService
    documents: DocumentService
    credentials: CredentialStore
    catalog: CatalogService


async def compose(
    database: Database,
    settings: Settings,
    *,
    today: Callable[[], date] = date.today,
    listening: bool = True,
) -> Services:
    """Every service on this database, indexes created, wired by constructor.

    `listening=False`: the statements service tells no one what it stores, so only the
    projection's consumer, reading the log, credits it (as when another process stores it:
    the benchmarks and the tests of the consumer)."""
    store = await statement_store(database)
    if isinstance(database, EmbeddedDatabase):
        database.derived(DERIVED)
    catalog = await CatalogService.open(
        database,
        store,
        directory=settings.catalog_dir,
        today=today,
        due_soon=timedelta(days=settings.due_soon_days),
        settle=settings.projection_settle_seconds,
        exclusive=isinstance(database, EmbeddedDatabase),
    )
    catalog.networks.base_iri = settings.base_iri  # network meetings' IRIs under the server's
    listeners = [catalog.projection] if listening else []
    statements = await statement_service(database, store, listeners=listeners)
    documents = await document_service(database, statements.clock)
    return Services(
        settings=settings,
        database=database,
        statements=statements,
        documents=documents,
        credentials=credential_store(database, settings),
        catalog=catalog,
    )


@asynccontextmanager
async def opened(
    settings: Settings, *, today: Callable[[], date] = date.today, listening: bool = True
) -> AsyncIterator[Services]:
    """The configured database opened and every service on it; closed on exit."""
    async with open_database(settings) as database:
        services = await compose(database, settings, today=today, listening=listening)
        yield services
        # What this process credited is refreshed before it closes (a command has no
        # consumer running to do it later).
        await services.catalog.statuses.flush()
        await services.catalog.statuses.settle_summaries()
