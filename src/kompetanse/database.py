"""Opening the database: MongoDB when a URI is configured, else the embedded engine."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

from pymongo import AsyncMongoClient

from kompetanse.settings import Settings
from lrs.auth import CredentialStore
from lrs.definitions import DefinitionService
from lrs.documents import DocumentService
from lrs.statements import Clock, StatementListener, StatementService
from lrs.store import (
    AttachmentStore,
    Database,
    DefinitionStore,
    DocumentStore,
    EmbeddedClient,
    EmbeddedDatabase,
    StatementStore,
)


@asynccontextmanager
async def open_database(settings: Settings) -> AsyncIterator[Database]:
    """The configured database, closed on exit."""
    client: AsyncMongoClient[dict[str, Any]] | EmbeddedClient
    if settings.mongodb_uri is not None:
        client = AsyncMongoClient(
            settings.mongodb_uri.get_secret_value(), tz_aware=True, journal=True
        )
    else:
        client = EmbeddedClient(settings.data_dir)
    try:
        yield client[settings.mongodb_database]
    finally:
        await client.close()


def credential_store(database: Database, settings: Settings) -> CredentialStore:
    return CredentialStore(database["credentials"], f"{settings.base_iri}/credentials")


async def statement_store(database: Database) -> StatementStore:
    """The statement store on this database, its indexes created and what a dead writer left
    pending withdrawn."""
    store = StatementStore(database["statements"])
    await store.create_indexes()
    # The embedded store belongs to this process alone: whatever is pending, a writer that
    # died left. On MongoDB another process may be writing it right now.
    if isinstance(database, EmbeddedDatabase):
        await store.sweep_pending(older_than=0)
    else:
        await store.sweep_pending()
    return store


async def statement_service(
    database: Database,
    store: StatementStore | None = None,
    listeners: Sequence[StatementListener] = (),
) -> StatementService:
    """The statements service on this database, its indexes created, telling `listeners`
    of what it stores.

    It keeps the Activities' and Agents' definitions (its `definitions`) as statements arrive.
    """
    store = store or await statement_store(database)
    attachments = AttachmentStore(database["attachments"], database["attachment_chunks"])
    await attachments.create_indexes()
    definitions = DefinitionStore(database["activities"], database["agents"])
    await definitions.create_indexes()
    return StatementService(store, attachments, DefinitionService(definitions), listeners=listeners)


async def document_service(database: Database, clock: Clock) -> DocumentService:
    """State, Activity Profile and Agent Profile documents on this database."""
    store = DocumentStore(database["documents"])
    await store.create_indexes()
    return DocumentService(store, clock.now)
