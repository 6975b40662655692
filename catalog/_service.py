"""The catalog as the app runs it: the loaded catalog, its stores, and the LRS listener that
keeps the completion projection current as statements are stored and voided."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from catalog._accounts import AccountStore
from catalog._load import NAV_CATALOG, Catalog, load_catalog
from catalog._reports import Reports
from catalog._store import CatalogStore
from lrs.store import Database, StatementQuery, StatementStore

_PAGE = 1000


class CatalogService:
    """Everything the catalog's API and CLI need, built once at start."""

    def __init__(
        self,
        catalog: Catalog,
        database: Database,
        today: Callable[[], date],
        due_soon: timedelta = timedelta(days=30),
    ) -> None:
        self.catalog = catalog
        self.store = CatalogStore(database)
        self.accounts = AccountStore(database)
        self.reports = Reports(catalog, self.store, today, due_soon=due_soon)

    @classmethod
    async def open(
        cls,
        database: Database,
        directory: Path | None,
        today: Callable[[], date],
        due_soon: timedelta = timedelta(days=30),
    ) -> CatalogService:
        service = cls(load_catalog(directory or NAV_CATALOG), database, today, due_soon)
        await service.store.create_indexes()
        await service.reports.classroom.create_indexes()
        return service

    # -- the LRS listener (lrs.statements.StatementListener) ---------------------------------

    async def stored(self, statements: list[dict[str, Any]]) -> None:
        await self.store.record(statements, self.catalog.packages)

    async def voided(self, statement_ids: list[str]) -> None:
        await self.store.void(statement_ids)

    async def rebuild(self, statements: StatementStore) -> int:
        """Recompute the projection from every statement that is not voided."""
        return await self.store.rebuild(_every(statements), self.catalog.packages)


async def _every(statements: StatementStore) -> AsyncIterator[dict[str, Any]]:
    """Every statement that is not voided, oldest first, a page at a time."""
    query = StatementQuery(ascending=True)
    while True:
        page = await statements.query(query, _PAGE)
        for statement in page.statements:
            yield statement
        if page.next is None:
            return
        query = replace(query, cursor=page.next)
