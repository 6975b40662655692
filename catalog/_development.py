"""The development talk and the individual development plan (issue 15 part 3; seed 004:695:
"utviklingssamtalen og individuelle utviklingsplaner", 004:2016: "tilbakemelding fra den
enkelte på hva de mangler").

A person has at most one plan a year. Their office's leader records the year's development
talk (the day, a short summary) and the goals they agreed, each linked to a competence area,
a catalog package or a local measure (free text), with a due day; the employee then marks
that they agree ("enig"), so the plan is agreed by both. A goal the leader adds or changes
afterwards waits for the employee's agreement again. The employee can raise a need at any
time (an area and a text); the leader sees the office's open needs and turns one into a goal
or closes it with an answer.

Progress comes from statements, through the completion projection's kept statuses
(`StatusKeeper.person_row`, the same Min læring shows): a goal linked to a package shows the
person's status for it, a goal linked to an area the packages in the area (or under it) they
have completed.

Who may is decided in `catalog._access` ("development plans"): the person and their office's
leader only; not the county, the directorate or administrators.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from typing import Any

from catalog._access import (
    Viewer,
    may_lead_development,
    may_raise_development_need,
    may_see_development,
    require,
)
from catalog._audit import AuditLog
from catalog._development_store import DevelopmentStore, new_id, plan_id
from catalog._load import Catalog
from catalog._statuses import StatusKeeper
from catalog._store import CatalogStore
from catalog.errors import Conflict, Forbidden, Invalid, NotFound

__all__ = ["PROBLEMS", "DevelopmentPlans", "DevelopmentStore", "parse_goal", "parse_need"]
Document = dict[str, Any]

GOAL_STATUSES = ("open", "done", "dropped")
TEXT_MAX = 500
SUMMARY_MAX = 2000
PROBLEMS = {
    "required": "is required",
    "day": "a day as yyyy-mm-dd or dd.mm.yyyy",
    "too_long": "too long",
    "area": "no such competence area",
    "package": "no such package",
    "link": "link the goal to one of area, package or measure",
    "links": "link the goal to only one of area, package or measure",
    "status": "one of open, done, dropped",
    "year": "a year from last year to next year",
}
"""What each problem key means, in English for the API; the pages have their own words."""

_DAY = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


def parse_day(value: Any) -> date | None:
    """yyyy-mm-dd or dd.mm.yyyy; None if it is neither."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    try:
        found = _DAY.match(value)
        if found:
            of_month, month, year = (int(part) for part in found.groups())
            return date(year, month, of_month)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return date.fromisoformat(value)
    except ValueError:
        return None
    return None


def _text(fields: Mapping[str, Any], key: str, limit: int, problems: dict[str, str]) -> str:
    value = fields.get(key)
    value = value.strip() if isinstance(value, str) else ""
    if not value:
        problems[key] = "required"
    elif len(value) > limit:
        problems[key] = "too_long"
    return value


def parse_talk(fields: Mapping[str, Any]) -> tuple[Document | None, dict[str, str]]:
    """The development talk: {"day", "summary"}; the problems by field."""
    problems: dict[str, str] = {}
    day = parse_day(fields.get("day"))
    if day is None:
        problems["day"] = "required" if not fields.get("day") else "day"
    summary = _text(fields, "summary", SUMMARY_MAX, problems)
    if problems:
        return None, problems
    assert day is not None  # noqa: S101 - checked above
    return {"day": day.isoformat(), "summary": summary}, {}


def parse_goal(
    catalog: Catalog, fields: Mapping[str, Any], *, partial: bool = False
) -> tuple[Document | None, dict[str, str]]:
    """A goal: {"text", "due", and one of "area", "package", "measure"} (`partial`: a change,
    any of "text", "due", "status"); the problems by field."""
    problems: dict[str, str] = {}
    goal: Document = {}
    if not partial or "text" in fields:
        goal["text"] = _text(fields, "text", TEXT_MAX, problems)
    if not partial or "due" in fields:
        due = parse_day(fields.get("due"))
        if due is None:
            problems["due"] = "required" if not fields.get("due") else "day"
        else:
            goal["due"] = due.isoformat()
    if partial:
        if "status" in fields:
            if fields["status"] not in GOAL_STATUSES:
                problems["status"] = "status"
            else:
                goal["status"] = fields["status"]
        if not goal and not problems:
            problems["body"] = "required"
        return (None, problems) if problems else (goal, {})
    links = {k: fields.get(k) for k in ("area", "package", "measure")}
    given = {k: v.strip() for k, v in links.items() if isinstance(v, str) and v.strip()}
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
        goal[kind] = value
    if problems:
        return None, problems
    return {**goal, "status": "open"}, {}


def parse_need(
    catalog: Catalog, fields: Mapping[str, Any]
) -> tuple[Document | None, dict[str, str]]:
    """A need: {"area", "text"}; the problems by field."""
    problems: dict[str, str] = {}
    area = fields.get("area")
    if not isinstance(area, str) or not area:
        problems["area"] = "required"
    elif area not in {a.id for a in catalog.areas}:
        problems["area"] = "area"
    need_text = _text(fields, "text", TEXT_MAX, problems)
    if problems:
        return None, problems
    return {"area": area, "text": need_text}, {}


def invalid(problems: dict[str, str], prefix: str = "") -> Invalid:
    """The API's 400 for the problems: the first names its field, the rest follow."""
    where, first = next(iter(problems.items()))
    rest = "; ".join(f"{prefix}{path}: {PROBLEMS[key]}" for path, key in list(problems.items())[1:])
    return Invalid(PROBLEMS[first] + (f"; {rest}" if rest else ""), path=prefix + where)


def _plan_view(plan: Document) -> Document:
    keys = ("person", "office", "year", "talk", "leader_agreed_at", "employee_agreed_at")
    view = {k: plan.get(k) for k in keys}
    view["agreed"] = bool(plan.get("goals")) and bool(plan.get("employee_agreed_at"))
    view["created_at"] = plan.get("created_at")
    return view


def _need_view(need: Document) -> Document:
    keys = ("id", "person", "office", "area", "text", "status", "raised_at", "answer")
    return {k: need.get("_id" if k == "id" else k) for k in keys} | {
        "answered_at": need.get("answered_at"),
        "goal": need.get("goal"),
    }


class DevelopmentPlans:
    """Development plans and needs as the API and the pages use them; every method checks who
    may first."""

    def __init__(
        self,
        catalog: Catalog,
        people: CatalogStore,
        store: DevelopmentStore,
        statuses: StatusKeeper,
        audit: AuditLog,
        today: Callable[[], date],
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.catalog = catalog
        self.people = people
        self.store = store
        self.statuses = statuses
        self.audit = audit
        self.today = today
        self.now = now

    def _stamp(self) -> str:
        return self.now().isoformat(timespec="seconds")

    async def _person(self, viewer: Viewer, person: str) -> Document:
        """The person, if the viewer may see their plans: one who may not gets the same
        answer whether the person exists or not."""
        found = await self.people.person_document(person)
        office = found["office"] if found else ""
        if found is None or not may_see_development(viewer, person, office):
            raise Forbidden(f"you may not see the development plans of {person}")
        return found

    async def _lead(self, viewer: Viewer, person: str) -> Document:
        found = await self._person(viewer, person)
        if not may_lead_development(viewer, person, found["office"]):
            raise Forbidden(f"you may not see the development plan of {person} as their leader")
        return found

    async def _office(self, viewer: Viewer, office: str) -> Document:
        found = await self.people.office(office)
        if found is None:
            raise NotFound(f"no office {office!r}")
        require(
            viewer.role == "leader" and viewer.office == office,
            f"the development plans of office {office}",
        )
        return found

    # -- progress, from the kept statuses -----------------------------------------------------

    def _under(self, area: str) -> set[str]:
        found, changed = {area}, True
        while changed:
            more = {a.id for a in self.catalog.areas if a.parent in found} - found
            changed, found = bool(more), found | more
        return found

    async def _with_progress(self, person: str, plan: Document) -> Document:
        row = await self.statuses.person_row(person)
        statuses = {s.package_id: s for s in row.statuses} if row else {}
        completed = [p for p, s in statuses.items() if s.status == "completed"]
        today = self.today().isoformat()
        goals = []
        for goal in plan.get("goals", []):
            progress: Document = {}
            if goal.get("package"):
                found = statuses.get(goal["package"])
                progress = {
                    "status": found.status if found else "not_assigned",
                    "completed_at": found.completed_at.isoformat()
                    if found and found.completed_at
                    else None,
                }
            elif goal.get("area"):
                areas = self._under(goal["area"])
                progress = {
                    "completed": [
                        p.id
                        for p in self.catalog.packages
                        if p.id in completed and areas & set(p.competence_areas)
                    ]
                }
            late = goal["status"] == "open" and goal["due"] < today
            goals.append({**goal, "progress": progress, "late": late})
        return {**_plan_view(plan), "goals": goals}

    # -- plans ----------------------------------------------------------------------------------

    async def plans(self, viewer: Viewer, person: str) -> list[Document]:
        """The person's plans, newest year first, each goal with its progress."""
        await self._person(viewer, person)
        return [await self._with_progress(person, p) for p in await self.store.plans_of(person)]

    async def plan(self, viewer: Viewer, person: str, year: int) -> Document | None:
        await self._person(viewer, person)
        found = await self.store.plan(person, year)
        return None if found is None else await self._with_progress(person, found)

    async def create(
        self, viewer: Viewer, person: str, year: int, talk: Document | None = None
    ) -> Document:
        """A plan for the year (last year to next year), with the talk if given; the
        person's leader only. Conflict if the person has one for the year."""
        found = await self._lead(viewer, person)
        this = self.today().year
        if not this - 1 <= year <= this + 1:
            raise Invalid(PROBLEMS["year"], path="year")
        stamp = self._stamp()
        plan = {
            "_id": plan_id(person, year),
            "person": person,
            "office": found["office"],
            "region": found.get("region"),
            "year": year,
            "talk": None if talk is None else {**talk, "by": viewer.username, "at": stamp},
            "goals": [],
            "leader_agreed_at": None,
            "employee_agreed_at": None,
            "created_at": stamp,
            "created_by": viewer.username,
        }
        created = await self.store.create(plan)
        await self._audit(viewer, person, year, "created")
        return await self._with_progress(person, created)

    async def _own_plan(self, person: str, year: int) -> Document:
        found = await self.store.plan(person, year)
        if found is None:
            raise NotFound(f"{person} has no development plan for {year}")
        return found

    async def record_talk(self, viewer: Viewer, person: str, year: int, talk: Document) -> Document:
        """Record (or correct) the year's development talk; the plan is made if there is none."""
        await self._lead(viewer, person)
        if await self.store.plan(person, year) is None:
            return await self.create(viewer, person, year, talk)
        stamp = self._stamp()
        changed = await self.store.update(
            plan_id(person, year), {"talk": {**talk, "by": viewer.username, "at": stamp}}
        )
        await self._audit(viewer, person, year, "talk")
        return await self._with_progress(person, changed)

    async def add_goal(
        self, viewer: Viewer, person: str, year: int, goal: Document, need: str | None = None
    ) -> Document:
        """A goal agreed in the talk; the employee's agreement is asked for again."""
        await self._lead(viewer, person)
        plan = await self._own_plan(person, year)
        stamp = self._stamp()
        added = {
            "id": new_id(),
            **goal,
            "added_by": viewer.username,
            "added_at": stamp,
            "updated_at": stamp,
        }
        if need is not None:
            added["need"] = need
        changed = await self.store.update(
            plan["_id"],
            {
                "goals": [*plan.get("goals", []), added],
                "leader_agreed_at": stamp,
                "employee_agreed_at": None,
            },
        )
        await self._audit(viewer, person, year, "goal-added", goal=added["id"])
        return await self._with_progress(person, changed)

    async def change_goal(
        self, viewer: Viewer, person: str, year: int, goal: str, changes: Document
    ) -> Document:
        """Change a goal's text, due day or status (open, done, dropped); a change of text or
        due day asks for the employee's agreement again."""
        await self._lead(viewer, person)
        plan = await self._own_plan(person, year)
        goals = plan.get("goals", [])
        index = next((i for i, g in enumerate(goals) if g["id"] == goal), None)
        if index is None:
            raise NotFound(f"no goal {goal!r} in the development plan {year} of {person}")
        stamp = self._stamp()
        goals[index] = {**goals[index], **changes, "updated_at": stamp}
        update: Document = {"goals": goals}
        if {"text", "due"} & set(changes):
            update |= {"leader_agreed_at": stamp, "employee_agreed_at": None}
        changed = await self.store.update(plan["_id"], update)
        await self._audit(viewer, person, year, "goal-changed", goal=goal, fields=sorted(changes))
        return await self._with_progress(person, changed)

    async def agree(self, viewer: Viewer, person: str, year: int) -> Document:
        """The employee agrees to the plan's goals as they stand ("enig"); the person only.
        Conflict if the plan has no goals yet."""
        await self._person(viewer, person)
        if viewer.person != person:
            raise Forbidden(f"you may not agree to the development plan of {person}")
        plan = await self._own_plan(person, year)
        if not plan.get("goals"):
            raise Conflict("the development plan has no goals to agree to yet")
        changed = await self.store.update(plan["_id"], {"employee_agreed_at": self._stamp()})
        await self._audit(viewer, person, year, "agreed")
        return await self._with_progress(person, changed)

    # -- needs ----------------------------------------------------------------------------------

    async def raise_need(self, viewer: Viewer, person: str, need: Document) -> Document:
        """A need the employee raises at any time; the person only."""
        found = await self._person(viewer, person)
        if not may_raise_development_need(viewer, person):
            raise Forbidden(f"you may not raise a development need for {person}")
        raised = {
            "_id": new_id(),
            "person": person,
            "office": found["office"],
            "region": found.get("region"),
            **need,
            "status": "open",
            "raised_at": self._stamp(),
        }
        return _need_view(await self.store.add_need(raised))

    async def needs_of(self, viewer: Viewer, person: str) -> list[Document]:
        await self._person(viewer, person)
        return [_need_view(n) for n in await self.store.needs_of(person)]

    async def office_needs(self, viewer: Viewer, office: str, status: str | None) -> list[Document]:
        """The office's needs (open only, unless said), oldest first, with the person's name;
        the office's leader only."""
        await self._office(viewer, office)
        names = await self._names(office)
        return [
            {**_need_view(n), "name": names.get(n["person"], n["person"])}
            for n in await self.store.needs_in(office, status)
        ]

    async def _need(self, viewer: Viewer, office: str, need: str) -> Document:
        await self._office(viewer, office)
        found = await self.store.need(need)
        if found is None or found["office"] != office:
            raise NotFound(f"no development need {need!r} at office {office!r}")
        if not may_lead_development(viewer, found["person"], office):
            raise Forbidden(f"you may not answer the development need {need}")
        return found

    async def close_need(self, viewer: Viewer, office: str, need: str, answer: str) -> Document:
        """Close an open need with an answer to the employee; the office's leader only."""
        found = await self._need(viewer, office, need)
        closed = await self.store.answer_need(
            found["_id"],
            {
                "status": "closed",
                "answer": answer,
                "answered_by": viewer.username,
                "answered_at": self._stamp(),
            },
        )
        await self._audit(viewer, found["person"], None, "need-closed", need=need)
        return _need_view(closed)

    async def need_to_goal(
        self, viewer: Viewer, office: str, need: str, year: int, due: str, answer: str = ""
    ) -> Document:
        """Turn an open need into a goal of the person's plan for the year (made if there is
        none): the need's text and area, the due day given. Returns the plan."""
        found = await self._need(viewer, office, need)
        if found["status"] != "open":
            raise Conflict(f"the development need {need} is not open")
        person = found["person"]
        if await self.store.plan(person, year) is None:
            await self.create(viewer, person, year)
        goal = {"text": found["text"], "area": found["area"], "due": due, "status": "open"}
        plan = await self.add_goal(viewer, person, year, goal, need=need)
        goal_id = plan["goals"][-1]["id"]
        await self.store.answer_need(
            need,
            {
                "status": "goal",
                "answer": answer or None,
                "answered_by": viewer.username,
                "answered_at": self._stamp(),
                "goal": f"{year}:{goal_id}",
            },
        )
        return plan

    # -- the office -----------------------------------------------------------------------------

    async def _names(self, office: str) -> dict[str, str]:
        people = await self.people.people_of(office=office)
        return {str(p["_id"]): str(p.get("name", p["_id"])) for p in people}

    async def office_overview(self, viewer: Viewer, office: str, year: int) -> Document:
        """Each of the office's people with the year's plan status ("none", "draft", "waiting"
        for the employee's agreement, "agreed"), their goals done of all and open needs;
        the office's leader only."""
        found = await self._office(viewer, office)
        names = await self._names(office)
        plans = {p["person"]: p for p in await self.store.plans_in(office, year)}
        open_needs: dict[str, int] = {}
        for need in await self.store.needs_in(office, "open"):
            open_needs[need["person"]] = open_needs.get(need["person"], 0) + 1
        today = self.today().isoformat()
        people = []
        for person, name in sorted(names.items(), key=lambda item: (item[1], item[0])):
            plan = plans.get(person)
            goals = [] if plan is None else plan.get("goals", [])
            if plan is None:
                state = "none"
            elif not goals:
                state = "draft"
            elif plan.get("employee_agreed_at"):
                state = "agreed"
            else:
                state = "waiting"
            people.append(
                {
                    "person": person,
                    "name": name,
                    "plan": state,
                    "talk": None if plan is None or not plan.get("talk") else plan["talk"]["day"],
                    "goals": len(goals),
                    "done": sum(1 for g in goals if g["status"] == "done"),
                    "late": sum(1 for g in goals if g["status"] == "open" and g["due"] < today),
                    "open_needs": open_needs.get(person, 0),
                    "own": person == viewer.person,
                }
            )
        return {"office": office, "name": found.get("name", office), "year": year, "people": people}

    async def office_goals(self, viewer: Viewer, office: str, year: int | None) -> list[Document]:
        """Every goal of the office's plans (the year's, or all), with the person, their
        name and the goal's progress; the office's leader only."""
        await self._office(viewer, office)
        names = await self._names(office)
        found = []
        for plan in await self.store.plans_in(office, year):
            shown = await self._with_progress(plan["person"], plan)
            for goal in shown["goals"]:
                found.append(
                    {
                        "person": plan["person"],
                        "name": names.get(plan["person"], plan["person"]),
                        "year": plan["year"],
                        "agreed": shown["agreed"],
                        **goal,
                    }
                )
        return found

    async def _audit(
        self, viewer: Viewer, person: str, year: int | None, change: str, **detail: Any
    ) -> None:
        await self.audit.record(
            "development-plan",
            actor=viewer.username,
            target=person,
            change=change,
            year=year,
            **detail,
        )
