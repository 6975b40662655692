"""Reports, each checked against who may see it: a learner's requirements, an office's
people × packages matrix, a county's offices."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from catalog._access import Viewer, may_see_office, may_see_person, may_see_region, require
from catalog._load import Catalog
from catalog._progress import Evidence, PackageStatus, Person, package_status
from catalog._store import CatalogStore, to_person
from lrs.errors import BadRequest, NotFound


@dataclass(frozen=True)
class Requirement:
    package_id: str
    name: dict[str, str]
    owner: str
    priority: str
    status: str
    due: str | None
    completed_at: str | None
    expires: str | None
    estimated_hours: float
    modules: dict[str, str | None]  # module id -> completed at


@dataclass(frozen=True)
class MatrixRow:
    person: str
    name: str
    roles: list[str]
    statuses: dict[str, str]  # package id -> status


class Reports:
    def __init__(self, catalog: Catalog, store: CatalogStore, today: Callable[[], date]) -> None:
        self.catalog = catalog
        self.store = store
        self.today = today

    async def requirements(self, viewer: Viewer, person_id: str) -> list[Requirement]:
        """What the person must, should or may do, with status and due dates."""
        document = await self._person_document(person_id)
        require(
            may_see_person(viewer, person_id, document["office"], document["region"]),
            f"the record of {person_id}",
        )
        person = to_person(document)
        evidence = await self.store.evidence_for(person_id)
        exempt = await self.store.exemptions_of([person_id])
        return [self._requirement(s) for s in self._statuses(person, evidence, exempt[person_id])]

    async def exempt(self, viewer: Viewer, person_id: str, package_id: str, reason: str) -> None:
        """Grant an exemption from a package, with a reason; who and when are recorded."""
        document = await self._person_document(person_id)
        require(
            may_see_office(viewer, document["office"], document["region"]),
            f"the record of {person_id} (only their leader may exempt)",
        )
        if package_id not in {p.id for p in self.catalog.packages}:
            raise NotFound(f"no package {package_id!r}")
        if not reason.strip():
            raise BadRequest("reason: an exemption needs a reason")
        await self.store.exempt(person_id, package_id, reason.strip(), viewer.username)

    async def office_matrix(self, viewer: Viewer, office: str) -> list[MatrixRow]:
        """People × packages with each status, for one office."""
        found = await self.store.offices.find_one({"_id": office})
        if found is None:
            raise NotFound(f"no office {office!r}")
        require(may_see_office(viewer, office, found["region"]), f"office {office}")
        people = await self.store.people.find({"office": office}).sort([("name", 1)]).to_list()
        ids = [p["_id"] for p in people]
        evidence = await self._evidence_of(ids)
        exempt = await self.store.exemptions_of(ids)
        rows = []
        for document in people:
            person = to_person(document)
            statuses = self._statuses(person, evidence[person.id], exempt[person.id])
            rows.append(
                MatrixRow(
                    person.id,
                    document["name"],
                    sorted(person.roles),
                    {s.package_id: s.status for s in statuses},
                )
            )
        return rows

    async def region_offices(self, viewer: Viewer, region: str) -> list[dict[str, Any]]:
        """For each office in the county: people, and counts by status."""
        require(may_see_region(viewer, region), f"county {region}")
        offices = await self.store.offices.find({"region": region}).sort([("_id", 1)]).to_list()
        summary = []
        for office in offices:
            rows = await self.office_matrix(viewer, office["_id"])
            counts = Counter(status for row in rows for status in row.statuses.values())
            summary.append(
                {
                    "office": office["_id"],
                    "name": office["name"],
                    "people": len(rows),
                    "statuses": dict(sorted(counts.items())),
                }
            )
        return summary

    def _statuses(
        self, person: Person, evidence: list[Evidence], exempt: set[str]
    ) -> list[PackageStatus]:
        today = self.today()
        by_package: dict[str, list[Evidence]] = defaultdict(list)
        for item in evidence:
            by_package[item.package_id].append(item)
        found = (
            package_status(p, person, by_package.get(p.id, []), today, exempted=p.id in exempt)
            for p in self.catalog.packages
        )
        return [status for status in found if status is not None]

    def _requirement(self, status: PackageStatus) -> Requirement:
        package = self.catalog.package(status.package_id)
        return Requirement(
            package_id=package.id,
            name=package.name.model_dump(),
            owner=package.owner,
            priority=status.priority,
            status=status.status,
            due=status.due.isoformat() if status.due else None,
            completed_at=status.completed_at.isoformat() if status.completed_at else None,
            expires=status.expires.isoformat() if status.expires else None,
            estimated_hours=package.estimated_hours,
            modules={
                module_id: progress.completed_at.isoformat() if progress.completed_at else None
                for module_id, progress in status.modules.items()
            },
        )

    async def _person_document(self, person_id: str) -> dict[str, Any]:
        document: dict[str, Any] | None = await self.store.people.find_one({"_id": person_id})
        if document is None:
            raise NotFound(f"no person {person_id!r}")
        return document

    async def _evidence_of(self, people: list[str]) -> dict[str, list[Evidence]]:
        grouped: dict[str, list[Evidence]] = defaultdict(list)
        for item in await self.store.evidence_of_people(people):
            grouped[item.person_id].append(item)
        return grouped
