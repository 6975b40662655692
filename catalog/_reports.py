"""Reports, each checked against who may see it: a learner's requirements, an office's
people × packages matrix, a county's offices. Reads only: what changes the catalog's state is
`catalog._commands.Commands`."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from catalog._access import (
    Viewer,
    may_see_everything,
    may_see_office,
    may_see_person_id,
    may_see_region,
    require,
)
from catalog._audit import AuditLog, ReadLog
from catalog._classroom import ClassroomStore
from catalog._insights import (
    PersonStatuses,
    assigned_packages,
    attention,
    coverage,
    hours_by_month,
    learner_record,
    teaching_record,
)
from catalog._load import Catalog
from catalog._office_table import OfficeFilter, OfficeTable, office_table
from catalog._progress import PackageStatus, Person
from catalog._sessions import Candidate, Placement, Session, next_session, pipeline
from catalog._statuses import COMPLIANCE_KEYS, StatusKeeper
from catalog._store import CatalogStore
from catalog.errors import NotFound
from lrs.store import StatementQuery, StatementStore, ifi_key


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
    next_sessions: list[dict[str, Any]]  # per open classroom module: the next one in time


@dataclass(frozen=True)
class OfficeReport:
    office: str
    name: str
    region: str
    region_name: str
    rows: list[PersonStatuses]
    overview: dict[str, Any]
    table: OfficeTable  # the counts, lists and matrix for the filter asked for
    sessions: list[Session]  # the county's sessions scheduled, for the enrol buttons


class Reports:
    def __init__(
        self,
        catalog: Catalog,
        store: CatalogStore,
        today: Callable[[], date],
        *,
        statuses: StatusKeeper,
        classroom: ClassroomStore,
        statements: StatementStore | None = None,
        due_soon: timedelta = timedelta(days=30),
        audit: AuditLog | None = None,
    ) -> None:
        self.catalog = catalog
        self.due_soon = due_soon
        self.reads = ReadLog(audit) if audit is not None else None  # reads of others' records
        self.statements = statements  # the LRS, for a learner's full record
        self.store = store
        self.statuses = statuses
        self.today = today
        self.classroom = classroom

    async def requirements(self, viewer: Viewer, person_id: str) -> list[Requirement]:
        """What the person must, should or may do, with status and due dates."""
        await self._person_document(person_id, viewer, "requirements")
        row = await self._kept_row(person_id)
        person = row.person
        sessions = await self.classroom.in_region(person.region)
        today = self.today()
        statuses = row.statuses
        return [
            self._requirement(status, self._next_sessions(status, person, sessions, today))
            for status in statuses
        ]

    def _next_sessions(
        self, status: PackageStatus, person: Person, sessions: list[Session], today: date
    ) -> list[dict[str, Any]]:
        """For each classroom module still open: the next session that meets the deadline
        (None when none does), the sessions the person already has a seat or place in, and
        the others not yet started that they may sign up for (each saying whether it meets
        the deadline, and whether it is full: a place on the waitlist)."""
        if status.status in ("completed", "waived"):
            return []
        found = []
        package = self.catalog.package(status.package_id)
        for module in package.modules:
            if not module.classroom or status.modules[module.id].completed_at is not None:
                continue
            relevant = [
                s for s in sessions if (s.package_id, s.module_id) == (package.id, module.id)
            ]
            mine = [  # a seat in a session already held is history, not a booking
                s
                for s in relevant
                if s.starts >= today and (person.id in s.enrolled or person.id in s.waitlist)
            ]
            due = status.due or date.max
            best = next_session(Candidate(person.id, person.region, due), relevant, today)
            found.append(
                {
                    "module": module.id,
                    "meets_deadline": _session_view(best) if best else None,
                    "booked": [
                        {**_session_view(s), "waitlisted": person.id in s.waitlist} for s in mine
                    ],
                    "upcoming": [
                        {**_session_view(s), "meets": s.starts <= due, "full": s.free == 0}
                        for s in relevant
                        if s.starts >= today and s not in mine
                    ],
                }
            )
        return found

    async def office_matrix(
        self, viewer: Viewer, office: str, chosen: OfficeFilter | None = None
    ) -> OfficeTable:
        """People × the packages that apply to the office, each with a status, filtered and
        sorted as `chosen` asks (`catalog._office_table`: the same as the office page)."""
        rows = await self._office_rows(viewer, office)
        return office_table(rows, self._package_order, chosen or OfficeFilter())

    async def office_overview(self, viewer: Viewer, office: str) -> dict[str, Any]:
        """What a leader looks at every Monday, beyond the matrix."""
        return self._overview(office, await self._office_rows(viewer, office))

    async def office_report(
        self, viewer: Viewer, office: str, chosen: OfficeFilter | None = None
    ) -> OfficeReport:
        """The leader's page in one pass: the office, its people's statuses, the overview, and
        the counts, lists and matrix for the filter `chosen`."""
        rows = await self._office_rows(viewer, office)
        found = await self.store.office(office)
        region = await self.store.region(found["region"]) if found else None
        return OfficeReport(
            office=office,
            name=found["name"] if found else office,
            region=found["region"] if found else "",
            region_name=region["name"] if region else "",
            rows=rows,
            overview=self._overview(office, rows),
            table=office_table(rows, self._package_order, chosen or OfficeFilter()),
            sessions=await self.classroom.in_region(found["region"]) if found else [],
        )

    @property
    def _package_order(self) -> list[str]:
        return [p.id for p in self.catalog.packages]

    def _overview(self, office: str, rows: list[PersonStatuses]) -> dict[str, Any]:
        return {
            "office": office,
            "people": len(rows),
            **attention(rows),
            "hours_by_month": hours_by_month(self.catalog, rows, self.today().year),
            "packages": assigned_packages(self.catalog, rows),
            "coverage": coverage(self.catalog, rows),
        }

    async def region_name(self, viewer: Viewer, region: str) -> str:
        """The county's name, to those who may see it."""
        require(may_see_region(viewer, region), f"county {region}")
        found = await self.store.region(region)
        if found is None:
            raise NotFound(f"no county {region!r}")
        return str(found["name"])

    async def person(self, viewer: Viewer, person_id: str) -> dict[str, Any]:
        """Who the person is (name, office, roles), to those who may see their record."""
        document = await self._person_document(person_id, viewer, "person")
        office = await self.store.office(document["office"])
        return {
            key: document.get(key)
            for key in ("name", "office", "region", "roles", "start_date", "employer")
        } | {"id": person_id, "office_name": office["name"] if office else document["office"]}

    async def record(self, viewer: Viewer, person_id: str) -> dict[str, Any]:
        """A person's learning grouped by competence area and training method, hours this year."""
        document = await self._person_document(person_id, viewer, "record")
        statements = await self._statements_about(document.get("agents", []))
        record = learner_record(self.catalog, statements, self.today().year)
        taught = await self.store.teaching_of(document.get("identifiers", []))
        return record | teaching_record(taught, document.get("identifiers", []), self.today().year)

    async def _statements_about(self, agents: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Every statement (not voided) whose actor is one of the person's identifiers."""
        if self.statements is None:
            return []
        found: dict[str, dict[str, Any]] = {}
        for agent in agents:
            query = StatementQuery(agent=agent)
            while len(found) < _RECORD_LIMIT:
                page = await self.statements.query(query, 500)
                found.update((s["id"], s) for s in page.statements if _actor_is(s, agent))
                if page.next is None:
                    break
                query = replace(query, cursor=page.next)
        return sorted(found.values(), key=lambda s: str(s.get("timestamp", "")))

    async def people(
        self, viewer: Viewer, office: str | None, region: str | None
    ) -> list[dict[str, Any]]:
        """People of an office or a county (or everyone, for the directorate and admins)."""
        if office is not None:
            found = await self.store.office(office)
            if found is None:
                raise NotFound(f"no office {office!r}")
            require(may_see_office(viewer, office, found["region"]), f"office {office}")
        elif region is not None:
            require(may_see_region(viewer, region), f"county {region}")
        else:
            require(may_see_everything(viewer), "everyone")
        people = await self.store.people_of(office=office, region=region)
        return [
            {
                "employee_id": p["_id"],
                "name": p["name"],
                "email": p["email"],
                "office": p["office"],
                "region": p["region"],
                "roles": ";".join(p["roles"]),
                "employer": p["employer"],
                "start_date": p["start_date"],
            }
            for p in people
        ]

    async def regions(self, viewer: Viewer) -> list[dict[str, Any]]:
        """Every county with its offices' counts (the directorate's view)."""
        require(may_see_everything(viewer), "every county")
        regions = await self.store.all_regions()
        by_region: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for summary in await self.statuses.office_summaries():  # one read for the nation
            by_region[str(summary.get("region"))].append(summary)
        result = []
        for region in regions:
            summaries = by_region.get(region["_id"], [])
            counts: Counter[str] = Counter()
            for summary in summaries:
                for by_status in summary.get("counts", {}).values():
                    counts.update(by_status)
            result.append(
                {
                    "region": region["_id"],
                    "name": region["name"],
                    "offices": len(summaries),
                    "people": sum(s.get("people", 0) for s in summaries),
                    "statuses": dict(sorted(counts.items())),
                }
            )
        return result

    async def sessions(
        self, viewer: Viewer, region: str, *, cancelled: bool = False
    ) -> list[dict[str, Any]]:
        """The county's sessions by first day (or those cancelled, with who was released)."""
        require(may_see_region(viewer, region), f"county {region}")
        found = await self.classroom.in_region(region, cancelled=cancelled)
        return [_session_view(s) for s in found]

    async def session(self, viewer: Viewer, session_id: str) -> dict[str, Any]:
        """One session with its people: those with a seat, then those waiting (or, when it
        is cancelled, those it released), each with their office and the deadline the
        session meets or misses; the instructors by name. For those who may see the county."""
        found = await self.classroom.get(session_id)
        require(may_see_region(viewer, found.region), f"county {found.region}")
        [detailed] = await self._with_people(found.region, [found])
        return detailed

    async def sessions_with_people(self, viewer: Viewer, region: str) -> list[dict[str, Any]]:
        """`session` for each of the county's sessions scheduled, by first day, in one pass."""
        require(may_see_region(viewer, region), f"county {region}")
        return await self._with_people(region, await self.classroom.in_region(region))

    async def _with_people(self, region: str, sessions: list[Session]) -> list[dict[str, Any]]:
        due = {
            (item["person"], item["package"], item["module"]): item["due"]
            for item in await self.statuses.open_classroom(region)
        }
        names = await self.store.unit_names()
        result = []
        for found in sessions:
            people = []
            seats = [
                *((p, "enrolled") for p in found.enrolled),
                *((p, "waitlisted") for p in found.waitlist),
                *((p, "released") for p in found.released),
            ]
            for person, seat in seats:
                document = await self.store.person_document(person) or {}
                office = str(document.get("office", ""))
                deadline = due.get((person, found.package_id, found.module_id))
                people.append(
                    {
                        "person": person,
                        "name": document.get("name", person),
                        "office": office,
                        "office_name": names.get(office, office),
                        "seat": seat,
                        "due": deadline,
                        "meets": None if deadline is None else found.starts.isoformat() <= deadline,
                    }
                )
            instructors = []
            for instructor in found.instructors:
                document = await self.store.person_document(instructor) or {}
                name = document.get("name", instructor)
                instructors.append({"person": instructor, "name": name})
            result.append(
                {**_session_view(found), "people": people, "instructor_names": instructors}
            )
        return result

    async def _office_rows(self, viewer: Viewer, office: str) -> list[PersonStatuses]:
        found = await self.store.office(office)
        if found is None:
            raise NotFound(f"no office {office!r}")
        require(may_see_office(viewer, office, found["region"]), f"office {office}")
        return await self.statuses.office_rows(office)

    async def _kept_row(self, person_id: str) -> PersonStatuses:
        """The person's kept statuses (computed now if they were never kept)."""
        row = await self.statuses.person_row(person_id)
        if row is None:
            await self.statuses.refresh([person_id])
            row = await self.statuses.person_row(person_id)
        if row is None:
            raise NotFound(f"no person {person_id!r}")
        return row

    async def pipeline(self, viewer: Viewer, region: str) -> dict[str, Any]:
        """The county's people who still need a classroom module, placed in its sessions;
        those who cannot make their deadline are listed first."""
        require(may_see_region(viewer, region), f"county {region}")
        return await self._pipeline(region)

    async def region_report(self, viewer: Viewer, region: str) -> dict[str, Any]:
        """The county page in one pass: its offices' counts and the pipeline, from one
        computation of everyone's statuses."""
        require(may_see_region(viewer, region), f"county {region}")
        return {
            "offices": await self._office_counts(region),
            "pipeline": await self._pipeline(region),
        }

    async def _office_counts(self, region: str) -> list[dict[str, Any]]:
        """For each office of the county: people, and counts by status (kept summaries)."""
        offices = await self.store.offices_in(region)
        summaries = {s["_id"]: s for s in await self.statuses.office_summaries(region)}
        result = []
        for office in offices:
            summary = summaries.get(office["_id"], {})
            counts: Counter[str] = Counter()
            for by_status in summary.get("counts", {}).values():
                counts.update(by_status)
            result.append(
                {
                    "office": office["_id"],
                    "name": office["name"],
                    "people": summary.get("people", 0),
                    "statuses": dict(sorted(counts.items())),
                    "packages": {
                        package: dict(sorted(by_status.items()))
                        for package, by_status in summary.get("counts", {}).items()
                    },
                }
            )
        return result

    async def _pipeline(self, region: str) -> dict[str, Any]:
        """Per package and classroom module marked for the pipeline: its sessions, and each
        person who still needs it (office, deadline) placed earliest deadline first, with the
        session they hold a seat or a place in, and the cancelled session that released them
        if one did."""
        today = self.today()
        sessions = await self.classroom.in_region(region)
        cancelled = await self.classroom.in_region(region, cancelled=True)
        units = await self.store.unit_names()
        candidates: dict[tuple[str, str], list[Candidate]] = defaultdict(list)
        people: dict[str, dict[str, Any]] = {}
        marked = {p.id for p in self.catalog.packages if p.pipeline}
        for item in await self.statuses.open_classroom(region):
            if item["package"] not in marked:
                continue
            office = str(item.get("office") or "")
            people[item["person"]] = {
                "name": item["name"],
                "office": office,
                "office_name": units.get(office, office),
            }
            candidates[(item["package"], item["module"])].append(
                Candidate(item["person"], region, date.fromisoformat(item["due"]))
            )
        result = []
        for (package_id, module_id), waiting in sorted(candidates.items()):
            relevant = [
                s for s in sessions if (s.package_id, s.module_id) == (package_id, module_id)
            ]
            # a seat in a session already held is history, not a booking: whoever still needs
            # the module after it (absent, or not yet marked) is to be placed again
            booked = {
                p: s for s in relevant if s.starts >= today for p in (*s.enrolled, *s.waitlist)
            }
            released = {
                p: s
                for s in cancelled
                if (s.package_id, s.module_id) == (package_id, module_id)
                for p in s.released
            }

            placements = pipeline(waiting, relevant, today)
            rows = [_pipeline_row(p, people, booked, released) for p in placements]
            result.append(
                {
                    "package": package_id,
                    "module": module_id,
                    "sessions": [_session_view(s) for s in relevant],
                    "at_risk": [r for r in rows if r["session"] is None],
                    "placed": [r for r in rows if r["session"] is not None],
                }
            )
        return {"region": region, "modules": result}

    async def region_offices(self, viewer: Viewer, region: str) -> list[dict[str, Any]]:
        """For each office in the county: people, and counts by status."""
        require(may_see_region(viewer, region), f"county {region}")
        return await self._office_counts(region)

    def _requirement(
        self, status: PackageStatus, next_sessions: list[dict[str, Any]]
    ) -> Requirement:
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
            next_sessions=next_sessions,
        )

    async def compliance(
        self,
        viewer: Viewer,
        *,
        office: str | None = None,
        region: str | None = None,
        levels: frozenset[str] = frozenset({"nation", "county", "office"}),
    ) -> list[dict[str, Any]]:
        """For each `skal` package: how many of the people it is measured for completed it
        within its deadline, late, are on track, overdue or exempt, with shares; per office
        of the unit asked for, per county and for the nation (Ny i NAV is measured for the
        people who started in the last 12 months). An office for its leader, a county for its
        coordinator, everything for the directorate. `levels`: the rows wanted (a page shows
        its own level; an export has every office's)."""
        if office is not None:
            found = await self.store.office(office)
            if found is None:
                raise NotFound(f"no office {office!r}")
            require(may_see_office(viewer, office, found["region"]), f"office {office}")
            in_region = await self.statuses.office_summaries(found["region"])
            summaries = [s for s in in_region if s["_id"] == office]
        elif region is not None:
            require(may_see_region(viewer, region), f"county {region}")
            summaries = await self.statuses.office_summaries(region)
        else:
            require(may_see_everything(viewer), "the nation")
            summaries = await self.statuses.office_summaries()
        names = await self.store.unit_names()
        groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        for summary in summaries:
            if "office" in levels:
                groups[("office", summary["_id"])].append(summary)
            if office is None and "county" in levels:
                groups[("county", str(summary.get("region")))].append(summary)
            if office is None and region is None and "nation" in levels:
                groups[("nation", "")].append(summary)
        order = {"nation": 0, "county": 1, "office": 2}
        rows = []
        for (level, unit), members in sorted(
            groups.items(), key=lambda g: (order[g[0][0]], g[0][1])
        ):
            totals: dict[str, Counter[str]] = defaultdict(Counter)
            for summary in members:
                for package_id, counts in summary.get("compliance", {}).items():
                    totals[package_id].update(counts)
            for package in self.catalog.packages:
                if package.id not in totals:
                    continue
                counts = totals[package.id]
                measured = sum(counts.values())
                rows.append(
                    {
                        "level": level,
                        "unit": unit,
                        "unit_name": names.get(unit, unit) if level != "nation" else "",
                        "package": package.id,
                        "package_name": package.name.model_dump(),
                        "measured": measured,
                        **{key: counts.get(key, 0) for key in COMPLIANCE_KEYS},
                        **{
                            f"{key}_share": round(counts.get(key, 0) / measured, 4)
                            if measured
                            else None
                            for key in COMPLIANCE_KEYS
                        },
                    }
                )
        rows.sort(
            key=lambda r: (
                order[str(r["level"])],
                r["unit"],
                r["package"] != "ny-i-nav",
                r["package"],
            )
        )
        return rows

    async def unmapped_activities(self) -> list[dict[str, Any]]:
        """Activities no catalog module names, with how many statements name them now."""
        found = await self.store.unmapped_activities()
        mapped = {a for p in self.catalog.packages for m in p.modules for a in m.activities}
        rows = []
        for doc in found:
            if doc["_id"] in mapped:  # the catalog has named it since
                continue
            count = await self.statements.count_about(doc["_id"]) if self.statements else 0
            rows.append(
                {
                    "activity": doc["_id"],
                    "statements": count,
                    "first_seen": doc.get("first_seen"),
                    "last_seen": doc.get("last_seen"),
                }
            )
        return rows

    async def _person_document(
        self, person_id: str, viewer: Viewer | None = None, read: str | None = None
    ) -> dict[str, Any]:
        """The stored person. With `viewer`, only if they may see the person's record (one who
        may not gets the same 403 whether the person exists or not: `may_see_person_id`).
        `read`: what of another's record is read, for the audit log."""
        document = await self.store.person_document(person_id)
        if viewer is not None:
            unit = None if document is None else (document["office"], document["region"])
            require(may_see_person_id(viewer, person_id, unit), f"the record of {person_id}")
        if document is None:
            raise NotFound(f"no person {person_id!r}")
        if viewer is not None and read is not None and viewer.person != person_id and self.reads:
            await self.reads.read(viewer.username, viewer.role, person_id, read)
        return document


def _pipeline_row(
    placement: Placement,
    people: dict[str, dict[str, Any]],
    booked: dict[str, Session],
    released: dict[str, Session],
) -> dict[str, Any]:
    person = placement.person_id
    holds, was = booked.get(person), released.get(person)
    return {
        "person": person,
        **people[person],
        "due": placement.due.isoformat(),
        "session": placement.session.id if placement.session else None,
        "booked": holds.id if holds else None,
        "waitlisted": holds is not None and person in holds.waitlist,
        "released_from": was.starts.isoformat() if was and not holds else None,
    }


def _session_view(session: Session) -> dict[str, Any]:
    return {
        **session.plan(),
        "region": session.region,
        "enrolled": len(session.enrolled),
        "waitlist": len(session.waitlist),
        "cancelled": session.cancelled,
        "released": len(session.released),
    }


_RECORD_LIMIT = 10_000


def _actor_is(statement: dict[str, Any], agent: dict[str, Any]) -> bool:
    return ifi_key(statement.get("actor", {})) == ifi_key(agent)
