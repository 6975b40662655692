"""Competence mapping's storage (`catalog._mapping`), through the store seam:

mapping_rounds   {_id: "<office>:<year>", office, region, year, status: "open" | "closed",
                  opened_at, opened_by, closed_at?, closed_by?, people? (at closing)}
mapping_answers  {_id: "<office>:<year>:<person>", round, office, region, year, person,
                  roles (the person's roles when they answered), ratings: {area: 1-4},
                  education: {level, field, year}, answered_at, updated_at}
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pymongo.errors import DuplicateKeyError

from catalog._mapping_profile import Answer
from catalog.errors import Conflict, NotFound
from lrs.store import Database

Document = dict[str, Any]


def round_id(office: str, year: int) -> str:
    return f"{office}:{year}"


class MappingStore:
    """The rounds and the answers, through the store seam."""

    def __init__(self, database: Database) -> None:
        self.rounds = database["mapping_rounds"]
        self.answers = database["mapping_answers"]

    async def create_indexes(self) -> None:
        await self.rounds.create_index([("office", 1), ("year", 1)], unique=True)
        await self.rounds.create_index([("region", 1), ("year", 1)])
        await self.answers.create_index([("round", 1), ("person", 1)], unique=True)
        await self.answers.create_index([("person", 1), ("year", 1)])

    async def round(self, office: str, year: int) -> Document | None:
        found: Document | None = await self.rounds.find_one({"_id": round_id(office, year)})
        return found

    async def rounds_of(self, office: str) -> list[Document]:
        return await self.rounds.find({"office": office}).sort([("year", -1)]).to_list()

    async def rounds_in(self, region: str, year: int) -> list[Document]:
        return await self.rounds.find({"region": region, "year": year}).to_list()

    async def open(self, office: str, region: str, year: int, by: str, at: datetime) -> Document:
        """Open the year's round, or open it again if it was closed; Conflict if it is open."""
        key = round_id(office, year)
        stamp = at.isoformat(timespec="seconds")
        try:
            await self.rounds.insert_one(
                {
                    "_id": key,
                    "office": office,
                    "region": region,
                    "year": year,
                    "status": "open",
                    "opened_at": stamp,
                    "opened_by": by,
                }
            )
        except DuplicateKeyError:
            changed = await self.rounds.update_one(
                {"_id": key, "status": "closed"},
                {"$set": {"status": "open", "opened_at": stamp, "opened_by": by}},
            )
            if not changed.matched_count:
                raise Conflict(f"the mapping round {year} of {office} is open already") from None
        return await self._get(key)

    async def close(self, office: str, year: int, by: str, at: datetime, people: int) -> Document:
        """Close the open round; Conflict if it is not open."""
        key = round_id(office, year)
        changed = await self.rounds.update_one(
            {"_id": key, "status": "open"},
            {
                "$set": {
                    "status": "closed",
                    "closed_at": at.isoformat(timespec="seconds"),
                    "closed_by": by,
                    "people": people,
                }
            },
        )
        if not changed.matched_count:
            raise Conflict(f"no open mapping round {year} of {office} to close")
        return await self._get(key)

    async def save(self, round: Document, person: Document, answer: Answer, at: datetime) -> None:
        """The person's answer in the round, replacing an earlier one of theirs."""
        stamp = at.isoformat(timespec="seconds")
        await self.answers.update_one(
            {"_id": f"{round['_id']}:{person['_id']}"},
            {
                "$set": {
                    "round": round["_id"],
                    "office": round["office"],
                    "region": round["region"],
                    "year": round["year"],
                    "person": person["_id"],
                    "roles": sorted(person.get("roles", [])),
                    **answer.document(),
                    "updated_at": stamp,
                },
                "$setOnInsert": {"answered_at": stamp},
            },
            upsert=True,
        )

    async def answers_in(self, key: str) -> list[Document]:
        return await self.answers.find({"round": key}).sort([("person", 1)]).to_list()

    async def count_in(self, key: str) -> int:
        return await self.answers.count_documents({"round": key})

    async def answers_of(self, person: str) -> list[Document]:
        return await self.answers.find({"person": person}).sort([("year", -1)]).to_list()

    async def _get(self, key: str) -> Document:
        found = await self.rounds.find_one({"_id": key})
        if found is None:  # pragma: no cover - written just before
            raise NotFound(f"no mapping round {key}")
        return found
