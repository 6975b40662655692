"""The office's yearly competence plan's storage (`catalog._competence_plan`), through the
store seam:

competence_plans  {_id: "<office>:<year>", office, region, year,
                   status: "draft" | "sent" | "approved", revision (1, 2, ...),
                   priorities: [{id, kind: "area" | "package" | "measure", area? | package? |
                                 measure?, method, hours, audience: "all" | a role id,
                                 done_at?, done_by? (a local measure the leader marked done)}],
                   comments: [{id, text, author, role, at, revision}],
                   created_at, created_by, updated_at, updated_by, sent_at?, sent_by?,
                   approved_at?, approved_by?, revisions: [earlier approved versions]}
"""

from __future__ import annotations

import secrets
from typing import Any

from pymongo.errors import DuplicateKeyError

from catalog.errors import Conflict, NotFound
from lrs.store import Database

Document = dict[str, Any]


def plan_id(office: str, year: int) -> str:
    return f"{office}:{year}"


def new_id() -> str:
    return secrets.token_hex(6)


class CompetencePlanStore:
    """The plans, one per office and year, through the store seam."""

    def __init__(self, database: Database) -> None:
        self.plans = database["competence_plans"]

    async def create_indexes(self) -> None:
        await self.plans.create_index([("office", 1), ("year", 1)], unique=True)
        await self.plans.create_index([("region", 1), ("year", 1)])

    async def plan(self, office: str, year: int) -> Document | None:
        found: Document | None = await self.plans.find_one({"_id": plan_id(office, year)})
        return found

    async def plans_of(self, office: str) -> list[Document]:
        return await self.plans.find({"office": office}).sort([("year", -1)]).to_list()

    async def plans_in(self, region: str, year: int) -> list[Document]:
        return await self.plans.find({"region": region, "year": year}).to_list()

    async def create(self, plan: Document) -> Document:
        try:
            await self.plans.insert_one(plan)
        except DuplicateKeyError:
            raise Conflict(f"office {plan['office']} has a plan for {plan['year']}") from None
        return await self._get(plan["_id"])

    async def update(self, key: str, expected: str | None, changes: Document) -> Document:
        """Set the changes; with `expected`, only while the plan has that status (Conflict
        otherwise, so two leaders' tabs cannot approve a plan changed in between)."""
        where: Document = {"_id": key}
        if expected is not None:
            where["status"] = expected
        changed = await self.plans.update_one(where, {"$set": changes})
        if not changed.matched_count:
            raise Conflict(f"the competence plan {key} is no longer {expected}")
        return await self._get(key)

    async def _get(self, key: str) -> Document:
        found = await self.plans.find_one({"_id": key})
        if found is None:
            raise NotFound(f"no competence plan {key}")
        return found
