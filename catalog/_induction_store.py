"""Induction plans' storage (`catalog._induction`), through the store seam:

induction_templates  {_id: office, office, region, items: [item], updated_at, updated_by}
induction_plans      {_id: person, person, office, region, start_date (ISO day), buddy?,
                      items: [item + {due (ISO day), done_at?, done_by?, statement?}],
                      created_at, created_by, source: "import" | "leader"}

An item: {id, title: {nb, en}, days (after the start date), responsible: "new_hire" |
"leader", package?, module?, measure?}. A plan copies its office's template when it is made,
so a later change to the template leaves the plans already made as they were.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pymongo.errors import DuplicateKeyError

from catalog.errors import Conflict, NotFound
from lrs.store import Database

Document = dict[str, Any]


class InductionStore:
    """The offices' templates and the new hires' plans."""

    def __init__(self, database: Database) -> None:
        self.templates = database["induction_templates"]
        self.plans = database["induction_plans"]

    async def create_indexes(self) -> None:
        await self.templates.create_index([("region", 1)])
        await self.plans.create_index([("office", 1), ("start_date", 1)])
        await self.plans.create_index([("buddy", 1)])

    async def template(self, office: str) -> Document | None:
        found: Document | None = await self.templates.find_one({"_id": office})
        return found

    async def save_template(
        self, office: str, region: str, items: list[Document], by: str, at: datetime
    ) -> Document:
        await self.templates.update_one(
            {"_id": office},
            {
                "$set": {
                    "office": office,
                    "region": region,
                    "items": items,
                    "updated_at": at.isoformat(timespec="seconds"),
                    "updated_by": by,
                }
            },
            upsert=True,
        )
        found = await self.template(office)
        if found is None:  # pragma: no cover - written just above
            raise NotFound(f"no induction template of {office}")
        return found

    async def plan(self, person: str) -> Document | None:
        found: Document | None = await self.plans.find_one({"_id": person})
        return found

    async def plans_of(self, office: str) -> list[Document]:
        return await self.plans.find({"office": office}).sort([("start_date", -1)]).to_list()

    async def plans_of_buddy(self, buddy: str) -> list[Document]:
        return await self.plans.find({"buddy": buddy}).sort([("start_date", -1)]).to_list()

    async def create(self, plan: Document) -> bool:
        """Store a new plan; False (and nothing changed) if the person has one already."""
        try:
            await self.plans.insert_one(plan)
        except DuplicateKeyError:
            return False
        return True

    async def set_buddy(self, person: str, buddy: str | None) -> Document:
        changed = await self.plans.update_one({"_id": person}, {"$set": {"buddy": buddy}})
        if not changed.matched_count:
            raise NotFound(f"{person} has no induction plan")
        return await self._get(person)

    async def mark(self, person: str, item: str, fields: Document) -> Document:
        """Set `fields` on the plan's item; Conflict if it is done already."""
        plan = await self._get(person)
        items = [dict(held) for held in plan["items"]]
        found = next((held for held in items if held["id"] == item), None)
        if found is None:
            raise NotFound(f"no item {item!r} in {person}'s induction plan")
        if found.get("done_at"):
            raise Conflict(f"the item {item!r} of {person}'s plan is done already")
        found.update(fields)
        await self.plans.update_one({"_id": person}, {"$set": {"items": items}})
        return await self._get(person)

    async def _get(self, person: str) -> Document:
        found = await self.plan(person)
        if found is None:
            raise NotFound(f"{person} has no induction plan")
        return found
