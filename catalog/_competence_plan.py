"""The office's yearly competence plan (kompetanseplan; issue 15 part 4; seed 000:109: "årlig
kompetanseplan for hvert NAV-kontor … i samarbeid med de tillitsvalgte … bygge på en
gjennomført kompetansekartlegging", 000:473; 004:1769: "de som bestiller mest får mest").

An office has at most one plan a year. Its leader drafts the year's priorities, each a
competence area, a catalog package or a local measure (free text), with its training method
(`catalog/nav/methods.yaml`), the estimated hours and for whom (everyone, or one role). The
basis shown beside the draft is the office's latest mapping round (the gaps per area against
the levels the roles require, `catalog._mapping_profile`) and the packages its people are
required to complete. The leader sends the draft for comments; the office's employee
representatives (tillitsvalgte, the role "representative") comment; the leader approves.
An approved plan is read only, except that the leader marks local measures done, or makes a
new revision (a draft again, the approved version kept).

Progress comes from evidence, through the completion projection's kept statuses: a package
priority shows the share of its target people (those of the audience it applies to) who
completed it; an area priority the completions and their hours this year of packages in the
area (or under it); a local measure whether the leader marked it done.

Who may is decided in `catalog._access` ("the office's yearly competence plan").
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from typing import Any

from catalog._access import (
    Viewer,
    may_comment_competence_plan,
    may_draft_competence_plan,
    may_see_competence_plan,
    may_see_region_competence_plans,
    require,
)
from catalog._audit import AuditLog
from catalog._competence_plan_store import CompetencePlanStore, new_id, plan_id
from catalog._load import Catalog
from catalog._mapping_profile import needs_by_area
from catalog._mapping_store import MappingStore
from catalog._statuses import StatusKeeper
from catalog._store import CatalogStore
from catalog.errors import Conflict, Invalid, NotFound

__all__ = ["PROBLEMS", "STATUSES", "CompetencePlanStore", "CompetencePlans", "parse_priorities"]
Document = dict[str, Any]

STATUSES = ("none", "draft", "sent", "approved")
KINDS = ("area", "package", "measure")
TEXT_MAX = 500
COMMENT_MAX = 2000
HOURS_MAX = 10000
PRIORITIES_MAX = 50
PROBLEMS = {
    "required": "is required",
    "too_long": "too long",
    "area": "no such competence area",
    "package": "no such package",
    "method": "no such training method",
    "hours": "a number of hours from 0 to 10000",
    "audience": "all, or a role's id",
    "link": "give one of area, package or measure",
    "links": "give only one of area, package or measure",
    "list": "a list of priorities (at most 50)",
    "object": "an object",
    "year": "a year from last year to next year",
}
"""What each problem key means, in English for the API; the pages have their own words."""


def _hours(value: Any) -> float | None:
    """A number of hours from 0 to HOURS_MAX, a decimal comma allowed; None if not one."""
    if isinstance(value, str):
        try:
            value = float(value.strip().replace(",", "."))
        except ValueError:
            return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if 0 <= value <= HOURS_MAX else None


def parse_priority(catalog: Catalog, fields: Mapping[str, Any]) -> tuple[Document, dict[str, str]]:
    """One priority: one of "area", "package", "measure"; "method", "hours", "audience"
    ("all" unless said), "id" (kept, to keep a done mark); the problems by field."""
    problems: dict[str, str] = {}
    links = {k: fields.get(k) for k in KINDS}
    given = {k: v.strip() for k, v in links.items() if isinstance(v, str) and v.strip()}
    priority: Document = {}
    if not given:
        problems["link"] = "link"
    elif len(given) > 1:
        problems["link"] = "links"
    else:
        [(kind, value)] = given.items()
        if kind == "area" and value not in {a.id for a in catalog.areas}:
            problems["area"] = "area"
        elif kind == "package" and value not in {p.id for p in catalog.packages}:
            problems["package"] = "package"
        elif kind == "measure" and len(value) > TEXT_MAX:
            problems["measure"] = "too_long"
        priority = {"kind": kind, kind: value}
    method = fields.get("method")
    if not isinstance(method, str) or not method.strip():
        problems["method"] = "required"
    elif method.strip() not in {m.id for m in catalog.methods}:
        problems["method"] = "method"
    hours = _hours(fields.get("hours"))
    if hours is None:
        problems["hours"] = "required" if fields.get("hours") in (None, "") else "hours"
    audience = fields.get("audience") or "all"
    if audience != "all" and audience not in {r.id for r in catalog.roles}:
        problems["audience"] = "audience"
    if problems:
        return {}, problems
    kept = fields.get("id")
    return {
        "id": kept if isinstance(kept, str) and kept else new_id(),
        **priority,
        "method": str(method).strip(),
        "hours": hours,
        "audience": audience,
    }, {}


def parse_priorities(catalog: Catalog, value: Any) -> tuple[list[Document], dict[str, str]]:
    """The draft's priorities; problems keyed by their path ("priorities[1].method")."""
    if not isinstance(value, list) or len(value) > PRIORITIES_MAX:
        return [], {"priorities": "list"}
    found, problems = [], {}
    for index, fields in enumerate(value):
        if not isinstance(fields, dict):
            problems[f"priorities[{index}]"] = "object"
            continue
        priority, wrong = parse_priority(catalog, fields)
        problems |= {f"priorities[{index}].{k}": v for k, v in wrong.items()}
        found.append(priority)
    return ([], problems) if problems else (found, {})


def invalid(problems: dict[str, str]) -> Invalid:
    """The API's 400 for the problems: the first names its field, the rest follow."""
    where, first = next(iter(problems.items()))
    rest = "; ".join(f"{path}: {PROBLEMS[key]}" for path, key in list(problems.items())[1:])
    return Invalid(PROBLEMS[first] + (f"; {rest}" if rest else ""), path=where)


def _view(plan: Document) -> Document:
    keys = (
        "office",
        "year",
        "status",
        "revision",
        "created_at",
        "created_by",
        "updated_at",
        "updated_by",
        "sent_at",
        "sent_by",
        "approved_at",
        "approved_by",
    )
    return {k: plan.get(k) for k in keys} | {
        "comments": list(plan.get("comments", [])),
        "revisions": [
            {k: r.get(k) for k in ("revision", "approved_at", "approved_by")}
            for r in plan.get("revisions", [])
        ],
    }


class CompetencePlans:
    """The plans as the API and the pages use them; every method checks who may first."""

    def __init__(
        self,
        catalog: Catalog,
        people: CatalogStore,
        store: CompetencePlanStore,
        mapping: MappingStore,
        statuses: StatusKeeper,
        audit: AuditLog,
        today: Callable[[], date],
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.catalog = catalog
        self.people = people
        self.store = store
        self.mapping = mapping
        self.statuses = statuses
        self.audit = audit
        self.today = today
        self.now = now

    def _stamp(self) -> str:
        return self.now().isoformat(timespec="seconds")

    def _year(self, year: int) -> None:
        this = self.today().year
        if not this - 1 <= year <= this + 1:
            raise Invalid(PROBLEMS["year"], path="year")

    async def _office(self, office: str) -> Document:
        found = await self.people.office(office)
        if found is None:
            raise NotFound(f"no office {office!r}")
        return found

    async def _see(self, viewer: Viewer, office: str) -> Document:
        found = await self._office(office)
        require(
            may_see_competence_plan(viewer, office, found["region"]),
            f"the competence plan of office {office}",
        )
        return found

    async def _lead(self, viewer: Viewer, office: str) -> Document:
        found = await self._office(office)
        require(
            may_draft_competence_plan(viewer, office),
            f"the competence plan of {office} as its leader",
        )
        return found

    # -- progress, from the kept statuses -------------------------------------------------------

    def _under(self, area: str) -> set[str]:
        found, changed = {area}, True
        while changed:
            more = {a.id for a in self.catalog.areas if a.parent in found} - found
            changed, found = bool(more), found | more
        return found

    async def _with_progress(self, office: str, plan: Document) -> Document:
        rows = await self.statuses.office_rows(office)
        packages = {p.id: p for p in self.catalog.packages}
        year = plan["year"]
        shown = []
        for priority in plan.get("priorities", []):
            audience = priority.get("audience", "all")
            group = [r for r in rows if audience == "all" or audience in r.person.roles]
            progress: Document
            if priority["kind"] == "package":
                package = priority["package"]
                held = [s for r in group for s in r.statuses if s.package_id == package]
                target = len(held)
                done = sum(1 for s in held if s.status == "completed")
                progress = {
                    "target": target,
                    "completed": done,
                    "share": round(done / target, 3) if target else None,
                }
            elif priority["kind"] == "area":
                areas = self._under(priority["area"])
                completions, hours = 0, 0.0
                for row in group:
                    for s in row.statuses:
                        package_of = packages.get(s.package_id)
                        if (
                            package_of is not None
                            and s.status == "completed"
                            and s.completed_at is not None
                            and s.completed_at.year == year
                            and areas & set(package_of.competence_areas)
                        ):
                            completions += 1
                            hours += package_of.estimated_hours
                progress = {"completions": completions, "hours": round(hours, 1)}
            else:
                progress = {
                    "done": bool(priority.get("done_at")),
                    "done_at": priority.get("done_at"),
                }
            shown.append({**priority, "progress": progress})
        return {**_view(plan), "priorities": shown}

    # -- the plan -------------------------------------------------------------------------------

    async def plan(self, viewer: Viewer, office: str, year: int) -> Document:
        """The office's plan for the year with its progress; status "none" if there is none."""
        found = await self._see(viewer, office)
        held = await self.store.plan(office, year)
        if held is None:
            return {
                "office": office,
                "office_name": found.get("name", office),
                "year": year,
                "status": "none",
                "priorities": [],
                "comments": [],
                "revisions": [],
            }
        return {"office_name": found.get("name", office), **await self._with_progress(office, held)}

    async def plans(self, viewer: Viewer, office: str) -> list[Document]:
        """The office's plans, newest year first: year, status, revision, approved."""
        await self._see(viewer, office)
        keys = ("year", "status", "revision", "approved_at", "approved_by")
        return [{k: p.get(k) for k in keys} for p in await self.store.plans_of(office)]

    async def basis(self, viewer: Viewer, office: str) -> Document:
        """What the leader drafts from: the latest mapping round's gaps per area (of those
        holding a role that requires the area, how many rated themselves below it, and the
        share; counts, no names; `catalog._mapping_profile.needs_by_area`), and the packages
        required of the office's people, with how many have them and how many completed them.
        The office's leader only."""
        await self._lead(viewer, office)
        rounds = await self.mapping.rounds_of(office)
        gaps: list[Document] = []
        mapping_year = None
        for held in rounds:
            answers = await self.mapping.answers_in(held["_id"])
            if not answers:
                continue
            mapping_year = held["year"]
            gaps = [n for n in needs_by_area(self.catalog, answers) if n["below"]]
            break
        rows = await self.statuses.office_rows(office)
        required: dict[str, Document] = {}
        for row in rows:
            for s in row.statuses:
                if s.priority != "skal":
                    continue
                entry = required.setdefault(
                    s.package_id, {"package": s.package_id, "people": 0, "completed": 0}
                )
                entry["people"] += 1
                entry["completed"] += s.status == "completed"
        hours = {p.id: p.estimated_hours for p in self.catalog.packages}
        return {
            "office": office,
            "mapping_year": mapping_year,
            "gaps": gaps,
            "required": [
                {**r, "hours": hours.get(r["package"], 0.0)}
                for r in sorted(required.values(), key=lambda r: r["package"])
            ],
        }

    async def save_draft(
        self, viewer: Viewer, office: str, year: int, priorities: list[Document]
    ) -> Document:
        """The year's priorities as they stand (made a draft if there is no plan); a plan
        sent for comments stays sent. The office's leader only; Conflict once approved."""
        found = await self._lead(viewer, office)
        self._year(year)
        held = await self.store.plan(office, year)
        stamp = self._stamp()
        kept = {p["id"]: p for p in (held or {}).get("priorities", [])}
        for priority in priorities:
            earlier = kept.get(priority["id"])
            if earlier and earlier.get("done_at") and priority["kind"] == "measure":
                priority |= {"done_at": earlier["done_at"], "done_by": earlier.get("done_by")}
        if held is None:
            await self.store.create(
                {
                    "_id": plan_id(office, year),
                    "office": office,
                    "region": found["region"],
                    "year": year,
                    "status": "draft",
                    "revision": 1,
                    "priorities": priorities,
                    "comments": [],
                    "revisions": [],
                    "created_at": stamp,
                    "created_by": viewer.username,
                    "updated_at": stamp,
                    "updated_by": viewer.username,
                }
            )
            await self._audit(viewer, office, year, "created", priorities=len(priorities))
        else:
            if held["status"] == "approved":
                raise Conflict(
                    f"the competence plan {year} of {office} is approved: make a new revision"
                )
            await self.store.update(
                held["_id"],
                held["status"],
                {"priorities": priorities, "updated_at": stamp, "updated_by": viewer.username},
            )
            await self._audit(viewer, office, year, "draft-saved", priorities=len(priorities))
        return await self.plan(viewer, office, year)

    async def _held(self, office: str, year: int) -> Document:
        held = await self.store.plan(office, year)
        if held is None:
            raise NotFound(f"office {office} has no competence plan for {year}")
        return held

    async def send(self, viewer: Viewer, office: str, year: int) -> Document:
        """Send the draft to the office's employee representatives for comments."""
        await self._lead(viewer, office)
        held = await self._held(office, year)
        if held["status"] != "draft":
            raise Conflict(f"the competence plan {year} of {office} is not a draft")
        if not held.get("priorities"):
            raise Conflict("the competence plan has no priorities to send")
        await self.store.update(
            held["_id"],
            "draft",
            {"status": "sent", "sent_at": self._stamp(), "sent_by": viewer.username},
        )
        await self._audit(viewer, office, year, "sent")
        return await self.plan(viewer, office, year)

    async def comment(self, viewer: Viewer, office: str, year: int, text: Any) -> Document:
        """A comment on a plan sent for comments: the office's representatives and leader."""
        await self._see(viewer, office)
        require(may_comment_competence_plan(viewer, office), f"comments on the plan of {office}")
        value = text.strip() if isinstance(text, str) else ""
        if not value:
            raise Invalid(PROBLEMS["required"], path="text")
        if len(value) > COMMENT_MAX:
            raise Invalid(PROBLEMS["too_long"], path="text")
        held = await self._held(office, year)
        if held["status"] != "sent":
            raise Conflict(f"the competence plan {year} of {office} is not open for comments")
        added = {
            "id": new_id(),
            "text": value,
            "author": viewer.username,
            "role": viewer.role,
            "at": self._stamp(),
            "revision": held.get("revision", 1),
        }
        await self.store.update(
            held["_id"], "sent", {"comments": [*held.get("comments", []), added]}
        )
        await self._audit(viewer, office, year, "commented", comment=added["id"])
        return await self.plan(viewer, office, year)

    async def approve(self, viewer: Viewer, office: str, year: int) -> Document:
        """Approve the plan sent for comments; from then on it is read only."""
        await self._lead(viewer, office)
        held = await self._held(office, year)
        if held["status"] != "sent":
            raise Conflict(
                f"the competence plan {year} of {office} must be sent for comments before approval"
            )
        await self.store.update(
            held["_id"],
            "sent",
            {"status": "approved", "approved_at": self._stamp(), "approved_by": viewer.username},
        )
        await self._audit(viewer, office, year, "approved", revision=held.get("revision", 1))
        return await self.plan(viewer, office, year)

    async def revise(self, viewer: Viewer, office: str, year: int) -> Document:
        """A new revision of the approved plan: a draft again, the approved version kept."""
        await self._lead(viewer, office)
        held = await self._held(office, year)
        if held["status"] != "approved":
            raise Conflict(f"the competence plan {year} of {office} is not approved")
        kept = {
            k: held.get(k)
            for k in ("revision", "priorities", "approved_at", "approved_by", "sent_at")
        }
        stamp = self._stamp()
        await self.store.update(
            held["_id"],
            "approved",
            {
                "status": "draft",
                "revision": held.get("revision", 1) + 1,
                "revisions": [*held.get("revisions", []), kept],
                "approved_at": None,
                "approved_by": None,
                "sent_at": None,
                "sent_by": None,
                "updated_at": stamp,
                "updated_by": viewer.username,
            },
        )
        await self._audit(viewer, office, year, "revised", revision=held.get("revision", 1) + 1)
        return await self.plan(viewer, office, year)

    async def mark_done(
        self, viewer: Viewer, office: str, year: int, priority: str, done: bool
    ) -> Document:
        """Mark a local measure done (or not done again), in any status."""
        await self._lead(viewer, office)
        held = await self._held(office, year)
        priorities = list(held.get("priorities", []))
        index = next((i for i, p in enumerate(priorities) if p["id"] == priority), None)
        if index is None:
            raise NotFound(f"no priority {priority!r} in the competence plan {year} of {office}")
        if priorities[index]["kind"] != "measure":
            raise Conflict("only a local measure is marked done; the others' progress is evidence")
        stamp = self._stamp()
        priorities[index] = {
            **priorities[index],
            "done_at": stamp if done else None,
            "done_by": viewer.username if done else None,
        }
        await self.store.update(held["_id"], held["status"], {"priorities": priorities})
        await self._audit(
            viewer, office, year, "measure-done" if done else "measure-undone", priority=priority
        )
        return await self.plan(viewer, office, year)

    # -- the county -----------------------------------------------------------------------------

    async def region_overview(self, viewer: Viewer, region: str, year: int) -> Document:
        """Every office of the county with its plan's status for the year (none, draft, sent,
        approved), its priorities and comments counted; and which offices have none."""
        found = await self.people.region(region)
        if found is None:
            raise NotFound(f"no county {region!r}")
        require(
            may_see_region_competence_plans(viewer, region), f"the competence plans of {region}"
        )
        plans = {p["office"]: p for p in await self.store.plans_in(region, year)}
        offices = []
        for office in await self.people.offices_in(region):
            held = plans.get(office["_id"])
            offices.append(
                {
                    "office": office["_id"],
                    "name": office.get("name", office["_id"]),
                    "status": "none" if held is None else held["status"],
                    "revision": None if held is None else held.get("revision", 1),
                    "priorities": 0 if held is None else len(held.get("priorities", [])),
                    "hours": 0.0
                    if held is None
                    else round(sum(p.get("hours", 0) for p in held.get("priorities", [])), 1),
                    "comments": 0 if held is None else len(held.get("comments", [])),
                    "approved_at": None if held is None else held.get("approved_at"),
                }
            )
        return {
            "region": region,
            "name": found.get("name", region),
            "year": year,
            "offices": offices,
            "without_plan": [o["office"] for o in offices if o["status"] == "none"],
        }

    async def _audit(
        self, viewer: Viewer, office: str, year: int, change: str, **detail: Any
    ) -> None:
        await self.audit.record(
            "competence-plan",
            actor=viewer.username,
            target=office,
            change=change,
            year=year,
            **detail,
        )
