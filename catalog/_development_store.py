"""The development plans' storage (`catalog._development`), through the store seam:

development_plans  {_id: "<person>:<year>", person, office, region, year,
                    talk: {day, summary, by, at} | None, goals: [{id, text, area?, package?,
                    measure?, due, status: "open" | "done" | "dropped", added_by, added_at,
                    updated_at, need?}], leader_agreed_at, employee_agreed_at (None until the
                    employee agrees to the goals as they stand), created_at, created_by}
development_needs  {_id, person, office, region, area, text, status: "open" | "goal" |
                    "closed", raised_at, answer?, answered_by?, answered_at?, goal?
                    ("<year>:<goal id>")}
"""

from __future__ import annotations

import secrets
from typing import Any

from pymongo.errors import DuplicateKeyError

from catalog.errors import Conflict, NotFound
from lrs.store import Database

Document = dict[str, Any]


def plan_id(person: str, year: int) -> str:
    return f"{person}:{year}"


def new_id() -> str:
    return secrets.token_hex(6)


class DevelopmentStore:
    """The plans and the needs, through the store seam."""

    def __init__(self, database: Database) -> None:
        self.plans = database["development_plans"]
        self.needs = database["development_needs"]

    async def create_indexes(self) -> None:
        await self.plans.create_index([("person", 1), ("year", 1)], unique=True)
        await self.plans.create_index([("office", 1), ("year", 1)])
        await self.needs.create_index([("office", 1), ("status", 1)])
        await self.needs.create_index([("person", 1)])

    async def plan(self, person: str, year: int) -> Document | None:
        found: Document | None = await self.plans.find_one({"_id": plan_id(person, year)})
        return found

    async def plans_of(self, person: str) -> list[Document]:
        return await self.plans.find({"person": person}).sort([("year", -1)]).to_list()

    async def plans_in(self, office: str, year: int | None = None) -> list[Document]:
        query: Document = {"office": office}
        if year is not None:
            query["year"] = year
        return await self.plans.find(query).sort([("person", 1), ("year", -1)]).to_list()

    async def create(self, plan: Document) -> Document:
        """A new plan; Conflict if the person has one for the year already."""
        try:
            await self.plans.insert_one(plan)
        except DuplicateKeyError:
            raise Conflict(
                f"{plan['person']} has a development plan for {plan['year']} already"
            ) from None
        return await self._get(plan["_id"])

    async def update(self, key: str, changes: Document) -> Document:
        changed = await self.plans.update_one({"_id": key}, {"$set": changes})
        if not changed.matched_count:
            raise NotFound(f"no development plan {key}")
        return await self._get(key)

    async def add_need(self, need: Document) -> Document:
        await self.needs.insert_one(need)
        return need

    async def need(self, key: str) -> Document | None:
        found: Document | None = await self.needs.find_one({"_id": key})
        return found

    async def needs_of(self, person: str) -> list[Document]:
        return await self.needs.find({"person": person}).sort([("raised_at", -1)]).to_list()

    async def needs_in(self, office: str, status: str | None = None) -> list[Document]:
        query: Document = {"office": office}
        if status is not None:
            query["status"] = status
        return await self.needs.find(query).sort([("raised_at", 1)]).to_list()

    async def answer_need(self, key: str, changes: Document) -> Document:
        """Close an open need (answered, or turned into a goal); Conflict if it is not open."""
        changed = await self.needs.update_one({"_id": key, "status": "open"}, {"$set": changes})
        if not changed.matched_count:
            raise Conflict(f"the development need {key} is not open")
        found = await self.need(key)
        if found is None:  # pragma: no cover - written just before
            raise NotFound(f"no development need {key}")
        return found

    async def _get(self, key: str) -> Document:
        found: Document | None = await self.plans.find_one({"_id": key})
        if found is None:  # pragma: no cover - written just before
            raise NotFound(f"no development plan {key}")
        return found
