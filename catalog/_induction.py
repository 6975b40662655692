"""Induction plans for new hires, with a buddy (fadder), seed 004:1288-1289: "Hver enkelt får
en egen opplæringsplan … hva de har ansvaret for selv, og hva [leder] har ansvar for. Og så får
de en fadder."

An office's leader keeps a template of items, each with its title, the days after the start
date it is due, whose responsibility it is (the new hire's or the leader's) and optionally a
catalog module or a local measure it is about. Importing a new hire (someone whose start date
is at most `NEW_HIRE_DAYS` ago) gives them a plan copied from their office's template, once;
the leader can make one by hand too. The leader names a buddy from the office; the buddy sees
their new hires' plans ("Mine nyansatte") and marks items done. An item about learning (a
module or a local measure) that the buddy marks done is their confirmation of learning
shoulder to shoulder, recorded as the new hire's xAPI statement (the `skulder-ved-skulder`
adapter's, the buddy as instructor, in a buddy scheme), which credits a linked module like any
other evidence; any other completion is the plan's own state. An item is late when its due
day has passed and it is not done.

Who may is decided in `catalog._access` (section "induction plans").
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from adapters import get_adapter
from catalog._access import (
    Viewer,
    may_confirm_induction_learning,
    may_mark_induction_item,
    may_run_induction,
    may_see_induction_plan,
    may_see_induction_plans,
    require,
)
from catalog._audit import AuditLog
from catalog._induction_store import InductionStore
from catalog._load import Catalog
from catalog._people import PersonRecord
from catalog._store import CatalogStore
from catalog.errors import Conflict, Forbidden, Invalid, NotFound

__all__ = ["NEW_HIRE_DAYS", "RESPONSIBLE", "Induction", "InductionStore", "parse_items"]

Document = dict[str, Any]
Recorder = Callable[[list[Document]], Awaitable[list[str]]]
"""Stores statements in the LRS (the routes give one: the statements service and a credential)."""

NEW_HIRE_DAYS = 90
"""An imported person whose start date is at most this many days ago (or ahead) is a new hire."""
RESPONSIBLE = ("new_hire", "leader")
MOST_ITEMS = 60
_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def parse_items(catalog: Catalog, raw: Any) -> tuple[list[Document], dict[str, str]]:
    """A template's items from JSON or a form, and every problem by its path
    (`items[2].days`); the items are valid only when there are no problems."""
    problems: dict[str, str] = {}
    if not isinstance(raw, list):
        return [], {"items": "a list of items"}
    if len(raw) > MOST_ITEMS:
        return [], {"items": f"at most {MOST_ITEMS} items"}
    items: list[Document] = []
    seen: set[str] = set()
    for index, entry in enumerate(raw):
        at = f"items[{index}]"
        if not isinstance(entry, dict):
            problems[at] = "an object"
            continue
        title = entry.get("title")
        if isinstance(title, str):
            title = {"nb": title, "en": ""}
        nb = str((title or {}).get("nb", "")).strip() if isinstance(title, dict) else ""
        en = str((title or {}).get("en", "")).strip() if isinstance(title, dict) else ""
        if not nb or len(nb) > 200:
            problems[f"{at}.title.nb"] = "a title in Norwegian, at most 200 characters"
        if len(en) > 200:
            problems[f"{at}.title.en"] = "at most 200 characters"
        days = entry.get("days")
        if isinstance(days, str) and days.strip().lstrip("-").isdigit():
            days = int(days.strip())
        if not isinstance(days, int) or isinstance(days, bool) or not 0 <= days <= 365:
            problems[f"{at}.days"] = "a whole number of days from 0 to 365 after the start date"
        responsible = entry.get("responsible")
        if responsible not in RESPONSIBLE:
            problems[f"{at}.responsible"] = "one of new_hire, leader"
        item_id = str(entry.get("id") or f"punkt-{index + 1}").strip()
        if not _ID.match(item_id) or item_id in seen:
            problems[f"{at}.id"] = "a unique lowercase id (letters, digits, hyphens)"
        seen.add(item_id)
        item: Document = {
            "id": item_id,
            "title": {"nb": nb, "en": en},
            "days": days,
            "responsible": responsible,
        }
        package, module = entry.get("package") or None, entry.get("module") or None
        measure = str(entry.get("measure") or "").strip() or None
        if package or module:
            found = _package(catalog, str(package)) if package else None
            if found is None:
                problems[f"{at}.package"] = "a package of the catalog"
            elif module not in {m.id for m in found.modules}:
                problems[f"{at}.module"] = f"a module of the package {package}"
            item["package"], item["module"] = package, module
        if measure is not None:
            if package or module:
                problems[f"{at}.measure"] = "either a catalog module or a local measure"
            elif len(measure) > 200:
                problems[f"{at}.measure"] = "at most 200 characters"
            item["measure"] = measure
        items.append(item)
    return (items if not problems else []), problems


def _package(catalog: Catalog, package_id: str) -> Any:
    return next((p for p in catalog.packages if p.id == package_id), None)


def is_learning(item: Document) -> bool:
    """An item about learning: a catalog module or a local measure."""
    return bool(item.get("module") or item.get("measure"))


# The training methods a buddy can vouch for by being there: a module of another method (an
# e-learning, a course) is credited by its own statements, never on a colleague's word.
BUDDY_METHODS = frozenset({"skulder-ved-skulder", "veiledning-fra-kollega", "hospitering"})


def plan_items(items: Iterable[Document], start: date) -> list[Document]:
    """The template's items as a plan's, each with its due day."""
    return [{**item, "due": (start + timedelta(days=item["days"])).isoformat()} for item in items]


def with_lateness(plan: Document, today: date) -> Document:
    """The plan as shown: each item late or not (due day passed, not done), and the counts."""
    items = []
    for item in plan["items"]:
        late = not item.get("done_at") and date.fromisoformat(item["due"]) < today
        items.append({**item, "late": late, "learning": is_learning(item)})
    view = {k: v for k, v in plan.items() if k != "_id"}
    return {
        **view,
        "items": items,
        "done": sum(1 for i in items if i.get("done_at")),
        "late": sum(1 for i in items if i["late"]),
    }


class Induction:
    """The induction plans as the API and the pages use them; every method checks who may."""

    def __init__(
        self,
        catalog: Catalog,
        people: CatalogStore,
        store: InductionStore,
        audit: AuditLog,
        today: Callable[[], date],
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.catalog = catalog
        self.people = people
        self.store = store
        self.audit = audit
        self.today = today
        self.now = now

    async def _office(self, office: str) -> Document:
        found = await self.people.office(office)
        if found is None:
            raise NotFound(f"no office {office!r}")
        return found

    async def template(self, viewer: Viewer, office: str) -> Document:
        found = await self._office(office)
        require(may_see_induction_plans(viewer, office, found["region"]), f"office {office}")
        held = await self.store.template(office)
        return {
            "office": office,
            "items": [] if held is None else held["items"],
            "updated_at": None if held is None else held.get("updated_at"),
        }

    async def save_template(self, viewer: Viewer, office: str, raw: Any) -> Document:
        """Replace the office's template (`raw`: the items); plans made already keep theirs."""
        found = await self._office(office)
        require(may_run_induction(viewer, office), f"the induction template of {office}")
        items, problems = parse_items(self.catalog, raw)
        if problems:
            where, first = next(iter(problems.items()))
            rest = "; ".join(f"{p}: {m}" for p, m in list(problems.items())[1:])
            raise Invalid(first + (f"; {rest}" if rest else ""), path=where)
        await self.store.save_template(office, found["region"], items, viewer.username, self.now())
        await self.audit.record(
            "induction", actor=viewer.username, target=office, change="template", items=len(items)
        )
        return await self.template(viewer, office)

    async def _new_plan(self, person: Document, by: str | None, source: str) -> bool:
        held = await self.store.template(person["office"])
        if held is None or not held["items"]:
            return False
        start = date.fromisoformat(str(person["start_date"])[:10])
        return await self.store.create(
            {
                "_id": person["_id"],
                "person": person["_id"],
                "office": person["office"],
                "region": person["region"],
                "start_date": start.isoformat(),
                "buddy": None,
                "items": plan_items(held["items"], start),
                "created_at": self.now().isoformat(timespec="seconds"),
                "created_by": by,
                "source": source,
            }
        )

    async def imported(self, records: Iterable[PersonRecord], by: str | None = None) -> int:
        """Give each new hire among `records` a plan from their office's template, unless they
        have one (so a second import changes nothing); how many plans were made."""
        since = self.today() - timedelta(days=NEW_HIRE_DAYS)
        made = 0
        for record in records:
            if record.start_date < since or await self.store.plan(record.employee_id):
                continue
            person = await self.people.person_document(record.employee_id)
            if person is not None and await self._new_plan(person, by, "import"):
                made += 1
        return made

    async def create_plan(self, viewer: Viewer, office: str, person: str) -> Document:
        """The leader makes a plan for one of the office's people from the template."""
        await self._office(office)
        require(may_run_induction(viewer, office), f"the induction plans of {office}")
        found = await self.people.person_document(person)
        if found is None or found["office"] != office:
            raise Invalid(f"no person {person!r} at office {office}", path="person")
        if await self.store.plan(person) is not None:
            raise Conflict(f"{person} has an induction plan already")
        if not await self._new_plan(found, viewer.username, "leader"):
            raise Invalid(f"office {office} has no induction template with items", path="person")
        await self.audit.record("induction", actor=viewer.username, target=person, change="plan")
        return await self.plan(viewer, person)

    async def _view(self, plan: Document) -> Document:
        view = with_lateness(plan, self.today())
        person = await self.people.person_document(plan["person"])
        buddy = await self.people.person_document(plan["buddy"]) if plan.get("buddy") else None
        view["name"] = person.get("name", plan["person"]) if person else plan["person"]
        view["buddy_name"] = buddy.get("name", plan["buddy"]) if buddy else None
        return view

    async def plan(self, viewer: Viewer, person: str) -> Document:
        """One new hire's plan: the new hire, their buddy, the office's leader, the county."""
        held = await self.store.plan(person)
        if held is None:
            found = await self.people.person_document(person)
            if found is not None and may_see_induction_plans(
                viewer, found["office"], found["region"]
            ):
                raise NotFound(f"{person} has no induction plan")
            if viewer.person == person:
                raise NotFound("you have no induction plan")
            raise Forbidden(f"you may not see the induction plan of {person}")
        allowed = may_see_induction_plan(
            viewer, person, held["office"], held["region"], held.get("buddy")
        )
        require(allowed, f"the induction plan of {person}")
        return await self._view(held)

    async def plans(self, viewer: Viewer, office: str) -> list[Document]:
        """Every new hire's plan at the office, newest start first, with what is late."""
        found = await self._office(office)
        require(may_see_induction_plans(viewer, office, found["region"]), f"office {office}")
        return [await self._view(p) for p in await self.store.plans_of(office)]

    async def mine(self, viewer: Viewer) -> Document | None:
        """The viewer's own plan, if they have one."""
        if viewer.person is None:
            return None
        held = await self.store.plan(viewer.person)
        return None if held is None else await self._view(held)

    async def buddy_of(self, viewer: Viewer) -> list[Document]:
        """The plans of the viewer's new hires (those they are the buddy of)."""
        if viewer.person is None:
            return []
        return [await self._view(p) for p in await self.store.plans_of_buddy(viewer.person)]

    async def set_buddy(self, viewer: Viewer, person: str, buddy: str | None) -> Document:
        """The leader names the new hire's buddy, a person of the same office (None: no one)."""
        held = await self.store.plan(person)
        office = held["office"] if held else (await self._person(person))["office"]
        require(may_run_induction(viewer, office), f"the induction plans of {office}")
        if held is None:
            raise NotFound(f"{person} has no induction plan")
        if buddy is not None:
            found = await self.people.person_document(buddy)
            if found is None or found["office"] != office:
                raise Invalid(f"no person {buddy!r} at office {office}", path="buddy")
            if buddy == person:
                raise Invalid("a new hire cannot be their own buddy", path="buddy")
        await self.store.set_buddy(person, buddy)
        await self.audit.record(
            "induction", actor=viewer.username, target=person, change="buddy", buddy=buddy
        )
        return await self.plan(viewer, person)

    async def _person(self, person: str) -> Document:
        found = await self.people.person_document(person)
        if found is None:
            raise Forbidden(f"you may not see the induction plan of {person}")
        return found

    async def mark_done(
        self,
        viewer: Viewer,
        person: str,
        item_id: str,
        record: Recorder | None = None,
        base_iri: str | None = None,
    ) -> Document:
        """Mark the item done. When it is about learning and the buddy marks it, it is their
        confirmation shoulder to shoulder: the new hire's statement, stored through `record`."""
        held = await self.store.plan(person)
        if held is None:
            await self._person(person)
            raise Forbidden(f"you may not see the induction plan of {person}")
        buddy = held.get("buddy")
        if not may_see_induction_plan(viewer, person, held["office"], held["region"], buddy):
            raise Forbidden(f"you may not see the induction plan of {person}")
        item = next((i for i in held["items"] if i["id"] == item_id), None)
        if item is None:
            raise NotFound(f"no item {item_id!r} in {person}'s induction plan")
        allowed = may_mark_induction_item(
            viewer, person, held["office"], buddy, item["responsible"]
        )
        if not allowed:
            raise Forbidden(f"you may not mark the item {item_id!r} of {person}'s plan")
        now = self.now()
        fields: Document = {
            "done_at": now.isoformat(timespec="seconds"),
            "done_by": viewer.person or viewer.username,
        }
        vouched = is_learning(item) and self._vouchable(item)
        if vouched and may_confirm_induction_learning(viewer, person, buddy):
            statements = self.statements(held, item, str(buddy), now.date(), base_iri)
            if record is not None:
                ids = await record(statements)
                fields["statement"] = ids[-1] if ids else None
            fields["confirmed_by"] = buddy
        await self.store.mark(person, item_id, fields)
        await self.audit.record(
            "induction", actor=viewer.username, target=person, change="done", item=item_id
        )
        return await self.plan(viewer, person)

    def _vouchable(self, item: Document) -> bool:
        """Whether the buddy's mark is evidence: a local measure, or a module learned next to
        a colleague (BUDDY_METHODS); marking an e-learning module done is only the plan's."""
        if not item.get("module"):
            return True
        package = _package(self.catalog, item["package"])
        module = (
            next((m for m in package.modules if m.id == item["module"]), None) if package else None
        )
        return module is not None and module.method in BUDDY_METHODS

    def statements(
        self, plan: Document, item: Document, buddy: str, day: date, base_iri: str | None
    ) -> list[Document]:
        """The new hire's statements for learning the item next to their buddy: the
        shoulder-to-shoulder adapter's, in a buddy scheme, completed; the activity the linked
        module's (so it credits it) or the local measure's."""
        adapter = get_adapter("skulder-ved-skulder", **({"base_iri": base_iri} if base_iri else {}))
        activity = None
        if item.get("module"):
            package = _package(self.catalog, item["package"])
            module = next(m for m in package.modules if m.id == item["module"]) if package else None
            activity = str(module.activities[0]) if module else None
        if activity is None:
            activity = adapter.activity_iri("induksjon", plan["office"], item["id"])
        return adapter.statements(
            {
                "learner": plan["person"],
                "colleague": buddy,
                "task": item["title"]["nb"],
                "activity": activity,
                "learned_on": day.isoformat(),
                "buddy_scheme": True,
                "completed": True,
                "office": plan["office"],
            }
        )
