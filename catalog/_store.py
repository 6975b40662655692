"""The catalog's stored state: people (with their personas), offices, regions, and the
completion projection's evidence.

    people      {_id: employee_id, name, email, office, region, roles, employer, start_date,
                 identifiers: [IFI keys], fingerprint}
    offices     {_id: office id, name, region}          regions {_id: region id, name}
    evidence    {_id: statement id, actor, items, teachers, taught} (see catalog._credit)
    unmatched_actors      {_id: IFI key, agent, first_seen}   every actor seen; those that
                          match no person are the unmatched
    unmapped_activities   {_id: activity IRI, first_seen, last_seen}

Evidence is keyed by the statement's actor, not by a person: a person's evidence is read by
their identifiers, so someone imported after their statements, or given a new identifier, is
credited at once, and an identifier removed takes its evidence with it.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pymongo import UpdateOne
from pymongo.errors import BulkWriteError

from catalog._credit import Credit, decode_items
from catalog._model import Package
from catalog._people import PersonRecord
from catalog._progress import Evidence, Person, priority_for
from lrs.store import Database, ifi_key

Document = dict[str, Any]
INDEXES: dict[str, list[tuple[list[tuple[str, int]], dict[str, Any]]]] = {
    "people": [
        ([("identifiers", 1)], {"name": "identifiers"}),
        ([("office", 1)], {"name": "office"}),
        ([("region", 1)], {"name": "region"}),
    ],
    "exemptions": [([("person", 1)], {"name": "person"})],
    "assignments": [([("person", 1)], {"name": "person"})],
    "evidence": [
        ([("actor", 1)], {"name": "actor"}),
        ([("teachers", 1)], {"name": "teachers"}),
    ],
}


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int


_PEOPLE_CHUNK = 1000
"""Employee ids per query when people are read by id."""


class CatalogStore:
    def __init__(self, database: Database) -> None:
        self.database = database
        self.people = database["people"]
        self.offices = database["offices"]
        self.regions = database["regions"]
        self.evidence = database["evidence"]
        self.unmatched = database["unmatched_actors"]
        self.unmapped = database["unmapped_activities"]
        # Actors known to be noted already: the collection only grows (but for a rebuild's
        # clearing), so this process need not ask again.
        self._actors_noted: set[str] = set()
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
        """Create or update people (keyed by employee id, so a re-import never duplicates), in
        a few bulk writes however many there are.

        With `packages`, also note the day each person first falls under each package's audience:
        the assignment that due rules "relative to assignment" count from.
        """
        batch = list(records)
        if not batch:
            return ImportResult(0, 0, 0)
        if packages is not None:
            await self._assign(batch, packages, today or date.today())
        current = {
            doc["_id"]: doc.get("fingerprint")
            for doc in await self.people.find(
                {"_id": {"$in": [r.employee_id for r in batch]}}, {"fingerprint": 1}
            ).to_list()
        }
        changed = [r for r in batch if current.get(r.employee_id, "") != r.fingerprint()]
        if changed:
            await self.people.bulk_write(
                [
                    UpdateOne({"_id": r.employee_id}, {"$set": _person_document(r)}, upsert=True)
                    for r in changed
                ]
            )
            offices: dict[str, Document] = {}
            regions: dict[str, Document] = {}
            for record in changed:
                office: Document = {
                    "name": record.office_name or record.office,
                    "region": record.region,
                }
                if record.office_opening is not None:
                    office["opening"] = record.office_opening.isoformat()
                offices[record.office] = office
                regions[record.region] = {"name": record.region_name or record.region}
            await self.offices.bulk_write(
                [UpdateOne({"_id": k}, {"$set": v}, upsert=True) for k, v in offices.items()]
            )
            await self.regions.bulk_write(
                [UpdateOne({"_id": k}, {"$set": v}, upsert=True) for k, v in regions.items()]
            )
        created = sum(1 for r in changed if r.employee_id not in current)
        return ImportResult(created, len(changed) - created, len(batch) - len(changed))

    async def _assign(
        self, records: list[PersonRecord], packages: list[Package], today: date
    ) -> None:
        requests = []
        for record in records:
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
                requests.append(
                    UpdateOne(
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
                )
        known = {
            doc["_id"]
            for doc in await self.assignments.find(
                {"person": {"$in": [r.employee_id for r in records]}}, {"_id": 1}
            ).to_list()
        }
        requests = [r for r in requests if r._filter["_id"] not in known]
        if requests:
            await self.assignments.bulk_write(requests)

    async def assignments_of(self, people: list[str]) -> dict[str, dict[str, date]]:
        found: dict[str, dict[str, date]] = {person: {} for person in people}
        for doc in await self.assignments.find({"person": {"$in": people}}).to_list():
            found[doc["person"]][doc["package"]] = date.fromisoformat(doc["assigned"])
        return found

    async def openings(self, offices: Iterable[str]) -> dict[str, date]:
        found = await self.offices.find({"_id": {"$in": sorted(set(offices))}}).to_list()
        return {doc["_id"]: date.fromisoformat(doc["opening"]) for doc in found if "opening" in doc}

    async def office(self, office: str) -> Document | None:
        found: Document | None = await self.offices.find_one({"_id": office})
        return found

    async def region(self, region: str) -> Document | None:
        found: Document | None = await self.regions.find_one({"_id": region})
        return found

    async def all_regions(self) -> list[Document]:
        """Every county, by id."""
        return await self.regions.find({}).sort([("_id", 1)]).to_list()

    async def offices_in(self, region: str) -> list[Document]:
        """The county's offices, by id."""
        return await self.offices.find({"region": region}).sort([("_id", 1)]).to_list()

    async def people_of(
        self, *, office: str | None = None, region: str | None = None
    ) -> list[Document]:
        """The stored people of an office, else of a county, else everyone; by employee id."""
        filter: Document = (
            {"office": office}
            if office is not None
            else {"region": region}
            if region is not None
            else {}
        )
        return await self.people.find(filter).sort([("_id", 1)]).to_list()

    async def count_people(self) -> int:
        return await self.people.count_documents({})

    async def person_document(self, employee_id: str) -> Document | None:
        """The stored person as it is (with their agents and identifier keys)."""
        found: Document | None = await self.people.find_one({"_id": employee_id})
        return found

    async def unit_names(self) -> dict[str, str]:
        """The name of every office and county by id."""
        offices = await self.offices.find({}, {"name": 1}).to_list()
        regions = await self.regions.find({}, {"name": 1}).to_list()
        return {doc["_id"]: str(doc.get("name", doc["_id"])) for doc in [*regions, *offices]}

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

    async def people_by_id(
        self, employee_ids: Iterable[str], fields: Iterable[str]
    ) -> dict[str, Document]:
        """These fields of the stored people among `employee_ids`, by employee id (asked for in
        chunks, so a long list never makes one query too large)."""
        ids, projection = sorted(set(employee_ids)), dict.fromkeys(fields, 1)
        found: dict[str, Document] = {}
        for start in range(0, len(ids), _PEOPLE_CHUNK):
            chunk = ids[start : start + _PEOPLE_CHUNK]
            for doc in await self.people.find({"_id": {"$in": chunk}}, projection).to_list():
                found[doc["_id"]] = doc
        return found

    async def people_in_offices(
        self, offices: Iterable[str], fields: Iterable[str]
    ) -> list[Document]:
        """These fields of the stored people of these offices, by employee id."""
        return await (
            self.people.find({"office": {"$in": sorted(set(offices))}}, dict.fromkeys(fields, 1))
            .sort([("_id", 1)])
            .to_list()
        )

    # -- the projection's evidence (catalog._credit, written by catalog._projection) ---------

    async def write_credits(self, credits: list[Credit]) -> None:
        """Write what these statements credit, idempotently: evidence as `$set` upserts by
        statement id, voided statements as tombstones (which no later evidence write undoes),
        and activities no catalog module names, with when they were first and last seen."""
        documents = {c.statement_id: c.document for c in credits if c.document is not None}
        again: list[str] = []  # credited before (or tombstoned): `$set` keeps the tombstone
        if documents:
            known = await self.evidence.find(
                {"_id": {"$in": sorted(documents)}}, {"_id": 1}
            ).to_list()
            again = [doc["_id"] for doc in known]
            new = [{"_id": i, **d} for i, d in documents.items() if i not in set(again)]
            if new:  # the usual case: inserted, much cheaper than upserts
                try:
                    await self.evidence.insert_many(new, ordered=False)
                except BulkWriteError as error:  # another writer was first: $set below
                    again += [e["op"]["_id"] for e in error.details.get("writeErrors", [])]
        requests = [UpdateOne({"_id": i}, {"$set": documents[i]}, upsert=True) for i in again]
        requests += [
            UpdateOne({"_id": c.voids}, {"$set": {"voided": True}}, upsert=True)
            for c in credits
            if c.voids is not None
        ]
        if requests:
            await self.evidence.bulk_write(requests)
        seen: dict[str, tuple[str, str]] = {}
        for credit in credits:
            if credit.unmapped is not None:
                first, last = seen.get(credit.unmapped, (credit.time, credit.time))
                seen[credit.unmapped] = (min(first, credit.time), max(last, credit.time))
        if seen:
            await self.unmapped.bulk_write(
                [
                    UpdateOne(
                        {"_id": activity},
                        {"$min": {"first_seen": first}, "$max": {"last_seen": last}},
                        upsert=True,
                    )
                    for activity, (first, last) in sorted(seen.items())
                ]
            )

    async def void_statements(self, statement_ids: Iterable[str]) -> None:
        """Tombstone voided statements (what their evidence gave no longer counts)."""
        ids = sorted({i.lower() for i in statement_ids})
        if ids:
            await self.evidence.bulk_write(
                [UpdateOne({"_id": i}, {"$set": {"voided": True}}, upsert=True) for i in ids]
            )

    async def clear_projection(self) -> None:
        """Forget every credit (a rebuild writes them all again from the statements)."""
        await self.evidence.delete_many({})
        self._actors_noted.clear()
        await self.unmatched.delete_many({})
        await self.unmapped.delete_many({})

    async def note_actors(self, statements: Iterable[Mapping[str, Any]]) -> None:
        """Note every actor the statements name, once each, with when it was first seen: one
        query, and a write only for actors not seen before (most batches write nothing here).
        Which of them match nobody is decided when the list is read (`unmatched_actors`), so
        an actor whose person is imported later, or loses an identifier, is listed rightly."""
        first: dict[str, Document] = {}
        for statement in statements:
            key = ifi_key(statement["actor"])
            if key is not None and key not in first:
                first[key] = {"agent": statement["actor"], "first_seen": statement["stored"]}
        keys = sorted(set(first) - self._actors_noted)
        if not keys:
            return
        known = await self.unmatched.find({"_id": {"$in": keys}}, {"_id": 1}).to_list()
        seen = {doc["_id"] for doc in known}
        self._actors_noted |= seen
        new = [{"_id": key, **first[key]} for key in keys if key not in seen]
        if new:
            await self.unmatched.bulk_write(
                [
                    UpdateOne(
                        {"_id": d["_id"]},
                        {
                            "$min": {"first_seen": d["first_seen"]},
                            "$setOnInsert": {"agent": d["agent"]},
                        },
                        upsert=True,
                    )
                    for d in new
                ]
            )
            self._actors_noted |= {d["_id"] for d in new}

    async def unmatched_actors(self) -> list[Document]:
        """Actors of statements that match no person now (someone imported since is not)."""
        found = await self.unmatched.find({}).sort([("_id", 1)]).to_list()
        keys = [doc["_id"] for doc in found]
        people = await self.people.find(
            {"identifiers": {"$in": keys}}, {"identifiers": 1}
        ).to_list()
        matched = {key for doc in people for key in doc["identifiers"]}
        return [doc for doc in found if doc["_id"] not in matched]

    async def unmapped_activities(self) -> list[Document]:
        """Activities of statements that no catalog module names, first and last seen."""
        return await self.unmapped.find({}).sort([("_id", 1)]).to_list()

    async def forget_unmapped(self, activities: Iterable[str]) -> None:
        """Drop activities the catalog now names (after a catalog change)."""
        ids = sorted(set(activities))
        if ids:
            await self.unmapped.delete_many({"_id": {"$in": ids}})

    async def evidence_of_people(
        self, people: Iterable[Mapping[str, Any]]
    ) -> dict[str, list[Evidence]]:
        """Each person's evidence: the credits of statements by any of their identifiers
        (people as stored: `_id` and `identifiers`), voided statements left out."""
        owner: dict[str, str] = {}
        found: dict[str, list[Evidence]] = {}
        for person in people:
            found[person["_id"]] = []
            for key in person.get("identifiers", []):
                owner[key] = person["_id"]
        if not owner:
            return found
        documents = await self.evidence.find(
            {"actor": {"$in": sorted(owner)}}, {"actor": 1, "items": 1, "voided": 1}
        ).to_list()
        for doc in documents:
            if doc.get("voided") or doc.get("actor") not in owner:
                continue
            person_id = owner[doc["actor"]]
            found[person_id].extend(
                Evidence(doc["_id"], person_id, package, module, verb, _moment(time), score)
                for package, module, verb, time, score in decode_items(doc["items"])
            )
        return found

    async def teaching_of(self, identifiers: list[str]) -> list[Document]:
        """What these identifiers taught (as instructor, mentor or buddy), voided left out."""
        if not identifiers:
            return []
        documents = await self.evidence.find(
            {"teachers": {"$in": sorted(identifiers)}}, {"taught": 1, "actor": 1, "voided": 1}
        ).to_list()
        return [
            {"statement": doc["_id"], "learner": doc["actor"], **doc["taught"]}
            for doc in documents
            if not doc.get("voided") and "taught" in doc
        ]

    async def people_with_identifiers(self, keys: Iterable[str]) -> list[str]:
        """Employee ids of the people any of these identifier keys names."""
        wanted = sorted(set(keys))
        if not wanted:
            return []
        found = await self.people.find({"identifiers": {"$in": wanted}}, {"_id": 1}).to_list()
        return sorted(doc["_id"] for doc in found)

    async def office_ids(self) -> set[str]:
        """Every office known to the store (an import may name only these, unless it accepts
        new offices)."""
        return {str(doc["_id"]) for doc in await self.offices.find({}, {"_id": 1}).to_list()}


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


@functools.lru_cache(maxsize=4096)  # datetimes are immutable; evidence shares few times
def _moment(value: str) -> datetime:
    return datetime.fromisoformat(value)
