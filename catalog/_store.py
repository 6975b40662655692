"""The catalog's stored state: people (with their personas), offices, regions, the completion
projection (evidence per person and module) and actors that match nobody.

    people      {_id: employee_id, name, email, office, region, roles, employer, start_date,
                 identifiers: [IFI keys], fingerprint}
    offices     {_id: office id, name, region}          regions {_id: region id, name}
    evidence    {_id: "<statement>|<package>|<module>", statement, person, package, module,
                 verb, time, score}
    unmatched   {_id: IFI key, agent, first_seen}

The projection is updated as statements are stored and voided (`record`, `void`), and can be
rebuilt from every statement (`rebuild`): both paths call the same `evidence_of`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from catalog._model import Package
from catalog._people import PersonRecord
from catalog._progress import Evidence, Person, evidence_of, priority_for
from lrs.store import Database, ifi_key

Document = dict[str, Any]
_REBUILD_CHUNK = 1000
INDEXES: dict[str, list[tuple[list[tuple[str, int]], dict[str, Any]]]] = {
    "people": [
        ([("identifiers", 1)], {"name": "identifiers"}),
        ([("office", 1)], {"name": "office"}),
        ([("region", 1)], {"name": "region"}),
    ],
    "exemptions": [([("person", 1)], {"name": "person"})],
    "assignments": [([("person", 1)], {"name": "person"})],
    "evidence": [
        ([("person", 1), ("package", 1)], {"name": "person_package"}),
        ([("statement", 1)], {"name": "statement"}),
    ],
}


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int


class CatalogStore:
    def __init__(self, database: Database) -> None:
        self.database = database
        self.people = database["people"]
        self.offices = database["offices"]
        self.regions = database["regions"]
        self.evidence = database["evidence"]
        self.unmatched = database["unmatched_actors"]
        self.exemptions = database["exemptions"]
        self.assignments = database["assignments"]

    async def create_indexes(self) -> None:
        for name, indexes in INDEXES.items():
            for keys, options in indexes:
                await getattr(self, name).create_index(keys, **options)

    # -- people ------------------------------------------------------------------------------

    async def import_people(
        self,
        records: Iterable[PersonRecord],
        packages: list[Package] | None = None,
        today: date | None = None,
    ) -> ImportResult:
        """Create or update people (keyed by employee id, so a re-import never duplicates).

        With `packages`, also note the day each person first falls under each package's audience:
        the assignment that due rules "relative to assignment" count from.
        """
        created = updated = unchanged = 0
        for record in records:
            if packages is not None:
                await self._assign(record, packages, today or date.today())
            fingerprint = record.fingerprint()
            current = await self.people.find_one({"_id": record.employee_id}, {"fingerprint": 1})
            if current is not None and current.get("fingerprint") == fingerprint:
                unchanged += 1
                continue
            await self.people.update_one(
                {"_id": record.employee_id}, {"$set": _person_document(record)}, upsert=True
            )
            office: Document = {
                "name": record.office_name or record.office,
                "region": record.region,
            }
            if record.office_opening is not None:
                office["opening"] = record.office_opening.isoformat()
            await self.offices.update_one({"_id": record.office}, {"$set": office}, upsert=True)
            await self.regions.update_one(
                {"_id": record.region},
                {"$set": {"name": record.region_name or record.region}},
                upsert=True,
            )
            if current is None:
                created += 1
            else:
                updated += 1
        return ImportResult(created, updated, unchanged)

    async def _assign(self, record: PersonRecord, packages: list[Package], today: date) -> None:
        person = Person(
            record.employee_id,
            record.office,
            record.region,
            frozenset(record.roles),
            record.employer,
            record.start_date,
        )
        for package in packages:
            if priority_for(package, person, today) is None:
                continue
            await self.assignments.update_one(
                {"_id": f"{record.employee_id}|{package.id}"},
                {
                    "$setOnInsert": {
                        "person": record.employee_id,
                        "package": package.id,
                        "assigned": today.isoformat(),
                    }
                },
                upsert=True,
            )

    async def assignments_of(self, people: list[str]) -> dict[str, dict[str, date]]:
        found: dict[str, dict[str, date]] = {person: {} for person in people}
        for doc in await self.assignments.find({"person": {"$in": people}}).to_list():
            found[doc["person"]][doc["package"]] = date.fromisoformat(doc["assigned"])
        return found

    async def openings(self, offices: Iterable[str]) -> dict[str, date]:
        found = await self.offices.find({"_id": {"$in": sorted(set(offices))}}).to_list()
        return {doc["_id"]: date.fromisoformat(doc["opening"]) for doc in found if "opening" in doc}

    async def person_for(self, agent: Mapping[str, Any]) -> str | None:
        """The employee id of the person this agent names, if any."""
        key = ifi_key(agent)
        if key is None:
            return None
        found = await self.people.find_one({"identifiers": key}, {"_id": 1})
        return None if found is None else str(found["_id"])

    async def person(self, employee_id: str) -> Person | None:
        found = await self.people.find_one({"_id": employee_id})
        return None if found is None else to_person(found)

    # -- the projection ----------------------------------------------------------------------

    async def record(
        self, statements: Iterable[Mapping[str, Any]], packages: list[Package]
    ) -> None:
        """Add the evidence these (newly stored) statements give; note actors nobody matches.

        One query for the people, one for evidence already recorded, one insert: a batch of
        statements costs three round trips, not one per statement.
        """
        batch = list(statements)
        keys = {key for key in (ifi_key(s["actor"]) for s in batch) if key is not None}
        people = await self.people.find(
            {"identifiers": {"$in": sorted(keys)}}, {"identifiers": 1}
        ).to_list()
        person_of = {key: doc["_id"] for doc in people for key in doc["identifiers"]}
        documents: dict[str, Document] = {}
        unmatched: list[Mapping[str, Any]] = []
        for statement in batch:
            person_id = person_of.get(ifi_key(statement["actor"]) or "")
            if person_id is None:
                unmatched.append(statement)
                continue
            for item in evidence_of(statement, person_id, packages):
                documents[_evidence_id(item)] = {
                    "_id": _evidence_id(item),
                    **_evidence_document(item),
                }
        await self._unmatched(unmatched)
        if not documents:
            return
        known = await self.evidence.find({"_id": {"$in": sorted(documents)}}, {"_id": 1}).to_list()
        for doc in known:
            documents.pop(doc["_id"], None)
        if documents:
            await self.evidence.insert_many(list(documents.values()))

    async def void(self, statement_ids: Iterable[str]) -> None:
        """Remove the evidence of voided statements."""
        ids = sorted(statement_ids)
        if ids:
            await self.evidence.delete_many({"statement": {"$in": ids}})

    async def rebuild(
        self, statements: AsyncIterator[Mapping[str, Any]], packages: list[Package]
    ) -> int:
        """Recompute all evidence from every (not voided) statement; returns how many were read."""
        await self.evidence.delete_many({})
        await self.unmatched.delete_many({})
        count = 0
        chunk: list[Mapping[str, Any]] = []
        async for statement in statements:
            chunk.append(statement)
            if len(chunk) == _REBUILD_CHUNK:
                await self.record(chunk, packages)
                count += len(chunk)
                chunk = []
        await self.record(chunk, packages)
        return count + len(chunk)

    async def evidence_for(self, person_id: str) -> list[Evidence]:
        return await self.evidence_of_people([person_id])

    async def evidence_of_people(self, people: list[str]) -> list[Evidence]:
        found = await self.evidence.find({"person": {"$in": people}}).to_list()
        return [_evidence(doc) for doc in found]

    async def exempt(self, person_id: str, package_id: str, reason: str, granted_by: str) -> None:
        """Record an exemption: who granted it, when and why (kept; a new one replaces it)."""
        await self.exemptions.update_one(
            {"_id": f"{person_id}|{package_id}"},
            {
                "$set": {
                    "person": person_id,
                    "package": package_id,
                    "reason": reason,
                    "granted_by": granted_by,
                    "granted_at": datetime.now(UTC).isoformat(timespec="seconds"),
                }
            },
            upsert=True,
        )

    async def exemptions_of(self, people: list[str]) -> dict[str, set[str]]:
        found: dict[str, set[str]] = {person: set() for person in people}
        for doc in await self.exemptions.find({"person": {"$in": people}}).to_list():
            found[doc["person"]].add(doc["package"])
        return found

    async def _unmatched(self, statements: list[Mapping[str, Any]]) -> None:
        """Note actors that match no person, once each: one query, and a write only for actors
        not seen before (most batches write nothing here)."""
        first: dict[str, Document] = {}
        for statement in statements:
            key = ifi_key(statement["actor"])
            if key is not None and key not in first:
                first[key] = {
                    "_id": key,
                    "agent": statement["actor"],
                    "first_seen": statement["stored"],
                }
        if not first:
            return
        known = await self.unmatched.find({"_id": {"$in": sorted(first)}}, {"_id": 1}).to_list()
        for doc in known:
            first.pop(doc["_id"], None)
        if first:
            await self.unmatched.insert_many(list(first.values()))


def to_person(document: Mapping[str, Any]) -> Person:
    return Person(
        id=document["_id"],
        office=document["office"],
        region=document["region"],
        roles=frozenset(document.get("roles", [])),
        employer=document["employer"],
        start_date=date.fromisoformat(document["start_date"]),
    )


def _person_document(record: PersonRecord) -> Document:
    return {
        "name": record.name,
        "email": record.email.lower(),
        "office": record.office,
        "region": record.region,
        "roles": sorted(record.roles),
        "employer": record.employer,
        "start_date": record.start_date.isoformat(),
        "identifiers": record.identifier_keys(),
        "agents": record.agents(),
        "fingerprint": record.fingerprint(),
    }


def _evidence_id(item: Evidence) -> str:
    return f"{item.statement_id}|{item.package_id}|{item.module_id}"


def _evidence_document(item: Evidence) -> Document:
    return {
        "statement": item.statement_id,
        "person": item.person_id,
        "package": item.package_id,
        "module": item.module_id,
        "verb": item.verb,
        "time": item.time.astimezone(UTC).isoformat(),
        "score": item.score,
    }


def _evidence(document: Mapping[str, Any]) -> Evidence:
    return Evidence(
        statement_id=document["statement"],
        person_id=document["person"],
        package_id=document["package"],
        module_id=document["module"],
        verb=document["verb"],
        time=datetime.fromisoformat(document["time"]),
        score=document.get("score"),
    )
