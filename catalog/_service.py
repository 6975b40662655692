"""The catalog as the app runs it: the loaded catalog, its stores, the kept statuses, the
completion projection (the LRS listener and the log's consumer), the reports and commands.

Built once by `CatalogService.open`, which the app, every CLI command and the tests call
(through `kompetanse.services.compose`), so all of them wire the same parts the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta
from pathlib import Path

from catalog._accounts import AccountStore
from catalog._classroom import ClassroomStore
from catalog._commands import Commands
from catalog._competence_plan import CompetencePlans, CompetencePlanStore
from catalog._development import DevelopmentPlans, DevelopmentStore
from catalog._exemptions import ExemptionStore
from catalog._induction import Induction, InductionStore
from catalog._load import NAV_CATALOG, Catalog, load_catalog
from catalog._mapping import CompetenceMapping, MappingStore
from catalog._networks import Networks, NetworkStore
from catalog._people import PersonRecord
from catalog._privacy import Privacy
from catalog._projection import Lag, Projection
from catalog._reports import Reports
from catalog._statuses import StatusKeeper
from catalog._store import CatalogStore, ImportResult
from lrs.store import Database, StatementStore

# What the completion projection derives from the statement log and the people: on the
# embedded store their writes need not each wait for the disk (a crash is recovered from the
# projection's durable checkpoint, and every kept status recomputed).
DERIVED = {"evidence", "statuses", "office_summaries", "unmatched_actors", "unmapped_activities"}


class CatalogService:
    """Everything the catalog's API and CLI need, built once at start."""

    def __init__(
        self,
        catalog: Catalog,
        database: Database,
        statements: StatementStore,
        today: Callable[[], date],
        *,
        due_soon: timedelta = timedelta(days=30),
        settle: float = 5.0,
        exclusive: bool = False,
    ) -> None:
        self.catalog = catalog
        self.today = today
        self.store = CatalogStore(database)
        self.accounts = AccountStore(database)
        self.exemptions = ExemptionStore(database)
        self.classroom = ClassroomStore(database)
        self.mapping = CompetenceMapping(
            catalog, self.store, MappingStore(database), today, audit=self.accounts.audit
        )
        self.induction = Induction(
            catalog, self.store, InductionStore(database), self.accounts.audit, today
        )
        self.networks = Networks(
            self.store, NetworkStore(database), today, self.accounts.audit, catalog=catalog
        )
        self.statuses = StatusKeeper(
            catalog, self.store, today, self.exemptions.active_of, due_soon=due_soon
        )
        self.projection = Projection(
            catalog, self.store, self.statuses, statements, settle=settle, exclusive=exclusive
        )
        self.reports = Reports(
            catalog,
            self.store,
            today,
            statuses=self.statuses,
            classroom=self.classroom,
            statements=statements,
            due_soon=due_soon,
            audit=self.accounts.audit,
        )
        self.privacy = Privacy(catalog, self.store, self.statuses, statements, self.accounts.audit)
        self.development = DevelopmentPlans(
            catalog,
            self.store,
            DevelopmentStore(database),
            self.statuses,
            self.accounts.audit,
            today,
        )
        self.competence_plans = CompetencePlans(
            catalog,
            self.store,
            CompetencePlanStore(database),
            self.mapping.store,
            self.statuses,
            self.accounts.audit,
            today,
        )
        self.commands = Commands(
            catalog,
            self.store,
            self.exemptions,
            self.classroom,
            self.people_changed,
            audit=self.accounts.audit,
            statuses=self.statuses,
            today=today,
        )

    @classmethod
    async def open(
        cls,
        database: Database,
        statements: StatementStore,
        *,
        directory: Path | None = None,
        today: Callable[[], date] = date.today,
        due_soon: timedelta = timedelta(days=30),
        settle: float = 5.0,
        exclusive: bool = False,
    ) -> CatalogService:
        """`exclusive`: this process is the only one on the database (the embedded store)."""
        catalog = load_catalog(directory or NAV_CATALOG)
        service = cls(
            catalog,
            database,
            statements,
            today,
            due_soon=due_soon,
            settle=settle,
            exclusive=exclusive,
        )
        await service.store.create_indexes()
        await service.projection.initialise()
        await service.exemptions.create_indexes()
        await service.statuses.create_indexes()
        await service.classroom.create_indexes()
        await service.mapping.store.create_indexes()
        await service.induction.store.create_indexes()
        await service.development.store.create_indexes()
        await service.networks.store.create_indexes()
        await service.competence_plans.store.create_indexes()
        return service

    async def import_people(
        self, records: Iterable[PersonRecord], *, by: str | None = None, source: str = "api"
    ) -> ImportResult:
        """Create or update people, noting their assignments, and recompute their statuses:
        statements that arrived before them count at once. Audited (`import`: who, from
        where, the counts)."""
        batch = list(records)
        result = await self.store.import_people(batch, self.catalog.packages, self.today())
        await self.statuses.refresh(record.employee_id for record in batch)
        await self.induction.imported(batch, by)
        await self.accounts.audit.record(
            "import",
            actor=by,
            source=source,
            people=len(batch),
            created=result.created,
            updated=result.updated,
            unchanged=result.unchanged,
        )
        return result

    async def people_changed(self, people: list[str]) -> None:
        """Recompute these people's kept statuses (after an exemption, say)."""
        await self.statuses.refresh(people)

    async def rebuild(self) -> int:
        """Recompute the projection and every status from every statement."""
        return await self.projection.rebuild()

    async def catch_up(self) -> int:
        """Credit what the log holds beyond the checkpoint (the consumer's work, at once), then
        leave: a command that caught up and closed did not die, and the next server to start
        need not recompute every status for it."""
        await self.projection.start()
        count = await self.projection.catch_up()
        await self.projection.leave()
        return count

    async def lag(self) -> Lag:
        return await self.projection.lag()

    async def projection_lag(self) -> float:
        """Seconds the completion projection is behind the statement log (0.0: caught up)."""
        return (await self.projection.lag()).seconds
