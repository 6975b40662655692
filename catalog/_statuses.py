"""Statuses kept, not recomputed: each person's status per package, stored, and each office's
counts, which the reports read instead of computing every status per request.

    statuses           {_id: employee id, office, region, name, roles, start_date, version,
                        statuses: [status], changes_on, open_classroom: [...]}
    office_summaries   {_id: office, region, wanted, done, people, day, digest,
                        body: '{"counts": {package: {status: n}},
                                "compliance": {package: {kind: n}}}'}

A person's statuses are recomputed from their evidence, exemptions and assignments whenever one
of those changes (`refresh`), and when the date alone changes them (`roll`, daily: only people
whose `changes_on` has come). Writes are conditional on the version read before the evidence
was read, so two processes refreshing one person concurrently cannot leave the older answer.

An office's summary is marked wanted after its people change (`wanted` += 1) and recomputed
from its people's kept statuses (`done` = the `wanted` it read); one with `done != wanted` is
behind, and a read recomputes it before answering, so no count is silently old. Its counts are
one compact JSON text (`body`, as the statuses are): the national page reads every office's,
and a process decodes each body once, until its `digest` changes.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import uuid
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable, Iterable, Mapping
from datetime import date, datetime, timedelta
from types import MappingProxyType
from typing import Any

import bson
from pymongo import UpdateOne
from pymongo.errors import BulkWriteError

from catalog._insights import PersonStatuses
from catalog._load import Catalog
from catalog._model import Package
from catalog._periods import subtract_period
from catalog._progress import (
    Evidence,
    ModuleProgress,
    PackageStatus,
    Person,
    package_status,
    priority_for,
)
from catalog._store import CatalogStore, to_person
from lrs.store import Database

Document = dict[str, Any]
ActiveExemptions = Callable[[list[str]], Awaitable[dict[str, set[str]]]]
_CHUNK = 500
_ATTEMPTS = 8
COMPLIANCE_WINDOW = "P1Y"  # new-hire packages are measured for people who started this recently
COMPLIANCE_KEYS = ("completed_on_time", "completed_late", "on_track", "overdue", "exempt")


class StatusesBusy(Exception):
    """Concurrent refreshes kept winning over this one; what it refreshed is to be retried."""


class StatusKeeper:
    def __init__(
        self,
        catalog: Catalog,
        store: CatalogStore,
        today: Callable[[], date],
        exemptions: ActiveExemptions,
        *,
        due_soon: timedelta = timedelta(days=30),
    ) -> None:
        self.catalog = catalog
        self.store = store
        self.today = today
        self.exemptions = exemptions
        self.due_soon = due_soon
        database: Database = store.database
        self.statuses = database["statuses"]
        self.summaries = database["office_summaries"]
        kinds = {p.due.relative_to for p in catalog.packages if p.due is not None}
        self._needs = {kind: kind in kinds for kind in ("assignment", "office_opening")}
        self._applies: dict[tuple[Any, ...], list[Package]] = {}
        self._pending: set[str] = set()
        self._flushing = asyncio.Lock()
        self._dated = [p.effective_from for p in catalog.packages if p.effective_from]
        self._bodies: dict[str, tuple[str, Document]] = {}  # office: (digest, decoded body)

    async def create_indexes(self) -> None:
        await self.statuses.create_index([("office", 1)], name="office")
        await self.statuses.create_index([("region", 1)], name="region")
        await self.summaries.create_index([("region", 1)], name="region")

    # -- keeping them current ----------------------------------------------------------------

    async def refresh(self, people: Iterable[str]) -> None:
        """Recompute these people's statuses (and mark their offices' summaries wanted)."""
        ids = sorted(set(people))
        offices: set[str] = set()
        try:
            for start in range(0, len(ids), _CHUNK):
                await self._refresh_chunk(ids[start : start + _CHUNK], offices)
        finally:  # once for the whole refresh (an office's people span many chunks)
            await self._want(sorted(offices))

    def mark(self, keys: Iterable[str]) -> None:
        """Note identifier keys whose evidence changed: their people's statuses are refreshed
        before anything is read from the kept statuses (`flush`), or by the consumer's next
        round, whichever comes first. A POST need not wait for it."""
        self._pending |= set(keys)

    @property
    def pending(self) -> int:
        return len(self._pending)

    async def flush(self) -> None:
        """Refresh what `mark` noted; a reader calls it first, so it never reads a status
        older than the evidence this process wrote. On failure the keys stay noted."""
        if not self._pending and not self._flushing.locked():
            return
        async with self._flushing:  # a refresh under way may hold what a reader waits for
            if not self._pending:
                return
            keys, self._pending = self._pending, set()
            try:
                await self.refresh_identifiers(keys)
            except BaseException:
                self._pending |= keys
                raise

    async def refresh_identifiers(self, keys: Iterable[str]) -> None:
        """Recompute the statuses of the people these xAPI identifier keys name."""
        await self.refresh(await self.store.people_with_identifiers(keys))

    async def refresh_everyone(self) -> int:
        """Recompute every status and every summary (start-up after a crash, a catalog
        change, a rebuild); statuses of people no longer imported are removed."""
        ids = [doc["_id"] for doc in await self.store.people.find({}, {"_id": 1}).to_list()]
        await self.refresh(ids)
        kept = {doc["_id"] for doc in await self.statuses.find({}, {"_id": 1}).to_list()}
        gone = sorted(kept - set(ids))
        if gone:
            await self.statuses.delete_many({"_id": {"$in": gone}})
        offices = {doc["_id"] for doc in await self.store.offices.find({}, {"_id": 1}).to_list()}
        offices |= {doc["_id"] for doc in await self.summaries.find({}, {"_id": 1}).to_list()}
        await self._want(sorted(offices))
        await self.settle_summaries()
        return len(ids)

    async def roll(self) -> int:
        """The daily roll: recompute the people whose statuses the date has changed, and every
        summary (compliance windows move with the date). Idempotent: run twice a day, the
        second finds nothing due."""
        today = self.today().isoformat()
        due = await self.statuses.find({"changes_on": {"$lte": today}}, {"_id": 1}).to_list()
        await self.refresh(doc["_id"] for doc in due)
        stale_days = await self.summaries.find({"day": {"$ne": today}}, {"_id": 1}).to_list()
        await self._want([doc["_id"] for doc in stale_days])
        await self.settle_summaries()
        return len(due)

    async def _refresh_chunk(self, ids: list[str], offices: set[str]) -> None:
        """Refresh these people, adding the offices whose summaries they change to `offices`
        (the caller wants those summaries, even if this raises)."""
        pending = ids
        for _ in range(_ATTEMPTS):
            if not pending:
                break
            pending, touched = await self._try_refresh(pending)
            offices |= touched
        if pending:  # lost every race: not dropped, the caller retries (flush, the consumer)
            raise StatusesBusy(f"{len(pending)} people's statuses kept changing while refreshed")

    async def _try_refresh(self, ids: list[str]) -> tuple[list[str], set[str]]:
        """One attempt: returns the people whose write lost to a concurrent refresh, and the
        offices touched (their summaries are wanted again)."""
        token = uuid.uuid4().hex
        kept = {
            doc["_id"]: doc
            for doc in await self.statuses.find(
                {"_id": {"$in": ids}}, {"version": 1, "office": 1, "digest": 1}
            ).to_list()
        }
        people = await self.store.people.find({"_id": {"$in": ids}}).to_list()
        evidence = await self.store.evidence_of_people(people)
        exempt = await self.exemptions([p["_id"] for p in people])
        assigned = (
            await self.store.assignments_of([p["_id"] for p in people])
            if self._needs["assignment"]
            else {}
        )
        openings = (
            await self.store.openings(p["office"] for p in people)
            if self._needs["office_opening"]
            else {}
        )
        touched: set[str] = set()
        requests: list[UpdateOne] = []
        unchanged: set[str] = set()
        found = {p["_id"] for p in people}
        for document in people:
            person = to_person(document)
            statuses = self.compute(
                person,
                evidence.get(person.id, []),
                exempt.get(person.id, set()),
                assigned.get(person.id, {}),
                openings.get(person.office),
            )
            version = kept.get(person.id, {}).get("version")
            fields = _status_document(document, statuses, self.catalog)
            digest = hashlib.sha256(bson.encode(fields)).hexdigest()  # fields in fixed order
            if version is not None and kept[person.id].get("digest") == digest:
                unchanged.add(person.id)  # as kept already: nothing to write
                continue
            touched.add(person.office)
            if "office" in kept.get(person.id, {}):
                touched.add(str(kept[person.id]["office"]))  # moved: the old office changes too
            body = {**fields, "digest": digest, "version": (version or 0) + 1, "writer": token}
            if version is None:
                requests.append(
                    UpdateOne(
                        {"_id": person.id, "version": {"$exists": False}},
                        {"$set": body},
                        upsert=True,
                    )
                )
            else:
                requests.append(UpdateOne({"_id": person.id, "version": version}, {"$set": body}))
        gone = [i for i in ids if i not in found and i in kept]
        touched |= {str(kept[i]["office"]) for i in gone if "office" in kept[i]}
        if gone:  # no longer imported: no statuses
            await self.statuses.delete_many({"_id": {"$in": gone}})
        if requests:
            try:
                await self.statuses.bulk_write(requests, ordered=False)
            except BulkWriteError:
                pass  # a concurrent first write of the same person: checked just below
        wrote = sorted(found - unchanged)
        written = await self.statuses.find({"_id": {"$in": wrote}}, {"writer": 1}).to_list()
        mine = {doc["_id"] for doc in written if doc.get("writer") == token}
        return sorted(set(wrote) - mine), touched

    def compute(
        self,
        person: Person,
        evidence: list[Evidence],
        exempt: set[str],
        assigned: dict[str, date],
        opening: date | None,
    ) -> list[PackageStatus]:
        """The person's statuses as the catalog's rules compute them today."""
        today = self.today()
        by_package: dict[str, list[Evidence]] = defaultdict(list)
        for item in evidence:
            by_package[item.package_id].append(item)
        found = (
            package_status(
                p,
                person,
                by_package.get(p.id, []),
                today,
                due_soon=self.due_soon,
                exempted=p.id in exempt,
                assigned=assigned.get(p.id),
                office_opening=opening,
            )
            for p in self._applicable(person)
        )
        return [status for status in found if status is not None]

    def _applicable(self, person: Person) -> list[Package]:
        """The packages some audience of which may include the person: the same for everyone
        of one office, county, set of roles and employer who started on the same side of
        each package's `effective_from` (so it is computed once for them)."""
        starts = tuple(person.start_date >= since for since in self._dated)
        key = (person.office, person.region, person.roles, person.employer, starts)
        found = self._applies.get(key)
        if found is None:
            today = self.today()
            found = [p for p in self.catalog.packages if priority_for(p, person, today)]
            if len(self._applies) > 100_000:
                self._applies.clear()
            self._applies[key] = found
        return found

    # -- summaries ---------------------------------------------------------------------------

    async def _want(self, offices: list[str]) -> None:
        if offices:
            await self.summaries.bulk_write(
                [UpdateOne({"_id": o}, {"$inc": {"wanted": 1}}, upsert=True) for o in offices]
            )

    async def settle_summaries(self, region: str | None = None) -> bool:
        """Recompute the summaries that are behind (of one county, or all); True when every
        one of them is current afterwards."""
        filter: Document = {} if region is None else {"region": region}
        found = await self.summaries.find(filter, {"wanted": 1, "done": 1}).to_list()
        if region is not None:  # offices of the county not summarised yet
            offices = await self.store.offices.find({"region": region}, {"_id": 1}).to_list()
            missing = sorted({o["_id"] for o in offices} - {d["_id"] for d in found})
            if missing:
                await self._want(missing)
                found += await self.summaries.find(
                    {"_id": {"$in": missing}}, {"wanted": 1, "done": 1}
                ).to_list()
        current = True
        for doc in found:
            if doc.get("done") != doc.get("wanted"):
                current = await self._summarise(doc["_id"], doc.get("wanted")) and current
        return current

    async def _summarise(self, office: str, wanted: Any) -> bool:
        rows = await self.office_rows(office)
        found = await self.store.offices.find_one({"_id": office}, {"region": 1})
        summary = summarise(self.catalog, rows, self.today())
        body = json.dumps(
            {"counts": summary["counts"], "compliance": summary["compliance"]},
            separators=(",", ":"),
        )
        result = await self.summaries.update_one(
            {"_id": office, "wanted": wanted},
            {
                "$set": {
                    "people": summary["people"],
                    "body": body,
                    "digest": hashlib.sha256(body.encode()).hexdigest()[:16],
                    "region": found["region"] if found else None,
                    "done": wanted,
                    "day": self.today().isoformat(),
                },
                "$unset": {"counts": "", "compliance": ""},  # as version 4 kept them
            },
        )
        return bool(result.matched_count)

    async def office_summaries(self, region: str | None = None) -> list[Document]:
        """Each office's counts (of one county, or all), current: those behind are recomputed
        first. `counts` ({package: {status: n}}) and `compliance` ({package: {kind: n}}) are
        read-only mappings, decoded once per process for each version of an office's summary."""
        await self.flush()
        await self.settle_summaries(region)
        filter: Document = {} if region is None else {"region": region}
        found = await self.summaries.find(filter, _SUMMARY_FIELDS).sort([("_id", 1)]).to_list()
        changed = [
            doc["_id"]
            for doc in found
            if "digest" in doc and self._bodies.get(doc["_id"], ("",))[0] != doc["digest"]
        ]
        if changed:
            for doc in await self.summaries.find(
                {"_id": {"$in": changed}}, {"body": 1, "digest": 1}
            ).to_list():
                self._bodies[doc["_id"]] = (doc["digest"], _decode_body(doc["body"]))
        empty: Document = {"counts": _EMPTY, "compliance": _EMPTY}
        result = []
        for doc in found:
            kept = self._bodies.get(doc["_id"])
            current = kept is not None and kept[0] == doc.get("digest")
            result.append({**doc, **(kept[1] if current and kept else empty)})
        return result

    async def behind(self) -> int:
        """How many summaries are behind their people's statuses."""
        found = await self.summaries.find({}, {"wanted": 1, "done": 1}).to_list()
        return sum(1 for doc in found if doc.get("done") != doc.get("wanted"))

    # -- reading -----------------------------------------------------------------------------

    async def office_rows(self, office: str) -> list[PersonStatuses]:
        await self.flush()
        found = await self.statuses.find({"office": office}).to_list()
        return sorted(map(self._row, found), key=lambda r: (r.name, r.person.id))

    async def region_rows(self, region: str) -> list[PersonStatuses]:
        await self.flush()
        found = await self.statuses.find({"region": region}).to_list()
        return sorted(map(self._row, found), key=lambda r: (r.name, r.person.id))

    async def person_row(self, person_id: str) -> PersonStatuses | None:
        await self.flush()
        found = await self.statuses.find_one({"_id": person_id})
        return None if found is None else self._row(found)

    async def open_classroom(self, region: str) -> list[Document]:
        """People of the county with a classroom module still to do: (person, name, office,
        package, module, due), read without the rest of their statuses."""
        await self.flush()
        found = await self.statuses.find(
            {"region": region}, {"name": 1, "office": 1, "open_classroom": 1}
        ).to_list()
        return [
            {"person": doc["_id"], "name": doc["name"], "office": doc.get("office"), **item}
            for doc in found
            for item in doc.get("open_classroom", [])
        ]

    def _row(self, document: Mapping[str, Any]) -> PersonStatuses:
        """A kept status document carries the person's fields as the people record does."""
        return PersonStatuses(
            to_person(document), document["name"], decode_statuses(document["statuses"])
        )


_SUMMARY_FIELDS = {"region": 1, "people": 1, "day": 1, "digest": 1, "wanted": 1, "done": 1}
_EMPTY: Mapping[str, Any] = MappingProxyType({})


def _decode_body(text: str) -> Document:
    """A summary's counts and compliance, as read-only mappings (they are shared by readers)."""
    body = json.loads(text)
    return {
        key: MappingProxyType({p: MappingProxyType(c) for p, c in body[key].items()})
        for key in ("counts", "compliance")
    }


def summarise(catalog: Catalog, rows: list[PersonStatuses], today: date) -> Document:
    """An office's people, counts by package and status, and compliance per package."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    compliance: dict[str, Counter[str]] = defaultdict(Counter)
    for row in rows:
        for status in row.statuses:
            counts[status.package_id][status.status] += 1
            package = catalog.package(status.package_id)
            kind = compliance_of(package, row.person, status, today)
            if kind is not None:
                compliance[status.package_id][kind] += 1
    return {
        "people": len(rows),
        "counts": {p: dict(sorted(c.items())) for p, c in sorted(counts.items())},
        "compliance": {
            p: {key: c.get(key, 0) for key in COMPLIANCE_KEYS}
            for p, c in sorted(compliance.items())
        },
    }


def compliance_of(
    package: Package, person: Person, status: PackageStatus, today: date
) -> str | None:
    """Where the person stands on a `skal` package for compliance: completed on time or late,
    on track, overdue, or exempt; None when it is not measured for them (not `skal`, or a
    new-hire package and they started more than a year ago)."""
    if status.priority != "skal":
        return None
    if any(a.new_hires for a in package.audiences) and person.start_date < subtract_period(
        today, COMPLIANCE_WINDOW
    ):
        return None
    if status.status == "waived":
        return "exempt"
    if status.completed_at is not None and status.status != "expired":
        on_time = status.due is None or status.completed_at.date() <= status.due
        return "completed_on_time" if on_time else "completed_late"
    if status.status == "overdue" or status.status == "expired":
        return "overdue"
    return "on_track"


def _status_document(
    person: Mapping[str, Any], statuses: list[PackageStatus], catalog: Catalog
) -> Document:
    changes = [s.changes_on for s in statuses if s.changes_on is not None]
    open_classroom = []
    for status in statuses:
        if status.status in ("completed", "waived") or status.due is None:
            continue
        for module in catalog.package(status.package_id).modules:
            if module.classroom and status.modules[module.id].completed_at is None:
                open_classroom.append(
                    {"package": status.package_id, "module": module.id, "due": _iso(status.due)}
                )
    return {
        "office": person["office"],
        "region": person["region"],
        "name": person["name"],
        "roles": list(person.get("roles", [])),
        "employer": person["employer"],
        "start_date": person["start_date"],
        "statuses": _encode_statuses(statuses),
        "changes_on": _iso(min(changes)) if changes else None,
        "open_classroom": open_classroom,
    }


def _encode_statuses(statuses: list[PackageStatus]) -> str:
    """A person's statuses as one compact JSON text: they are always read and written whole
    and never queried inside, and a text is much cheaper to store than the nested documents
    (what made a refresh cost a millisecond a person)."""
    return json.dumps(
        [
            [
                s.package_id,
                s.priority,
                s.status,
                _iso(s.due),
                s.completed_at.isoformat() if s.completed_at else None,
                _iso(s.expires),
                _iso(s.changes_on),
                [
                    [
                        module_id,
                        p.completed_at.isoformat() if p.completed_at else None,
                        p.waived,
                        list(p.evidence),
                        p.score,
                    ]
                    for module_id, p in s.modules.items()
                ],
            ]
            for s in statuses
        ],
        separators=(",", ":"),
    )


def decode_statuses(text: str) -> list[PackageStatus]:
    """The statuses `_encode_statuses` wrote."""
    return [
        PackageStatus(
            package_id=package,
            priority=priority,
            status=status,
            due=_day(due),
            completed_at=_moment(completed_at),
            expires=_day(expires),
            modules={
                module_id: ModuleProgress(
                    completed_at=_moment(done),
                    waived=waived,
                    evidence=tuple(evidence),
                    score=score,
                )
                for module_id, done, waived, evidence, score in modules
            },
            changes_on=_day(changes_on),
        )
        for package, priority, status, due, completed_at, expires, changes_on, modules in (
            json.loads(text)
        )
    ]


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _moment(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None
