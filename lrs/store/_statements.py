"""The statement store: writes (all-or-nothing, with voiding) and queries, on PyMongo's async API.

The same code runs on MongoDB (``AsyncMongoClient``) and on the embedded engine.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo import UpdateOne
from pymongo.errors import BulkWriteError, DuplicateKeyError

from lrs.errors import BadRequest, Conflict, StatementInvalid, StoreUnavailable
from lrs.model import format_timestamp
from lrs.store._documents import (
    MAX_REF_DEPTH,
    PENDING,
    PENDING_SINCE,
    QUERY_FIELDS,
    STATEMENT_INDEXES,
    chain,
    to_document,
)
from lrs.store._erasure import actor_key, redacted
from lrs.store._errors import call, translated
from lrs.store._query import (
    Cursor,
    StatementQuery,
    match_filter,
    page_filter,
    sort_order,
    via_filter,
)
from lrs.store._seam import Collection

Document = dict[str, Any]
_DUPLICATE = 11000  # MongoDB's duplicate key error code
_PENDING_WAIT = 10.0  # seconds a writer waits for another's pending statement
_PENDING_POLL = 0.01
_PENDING_STALE = 60.0  # seconds after which a pending statement's writer is taken for dead


@dataclass(frozen=True)
class LogEntry:
    """One statement of the log, where it stands in it, and whether it is voided now."""

    statement: Document
    position: Cursor
    voided: bool


@dataclass(frozen=True)
class Page:
    """One page of a statement query; `next` is the cursor of the following page, if any."""

    statements: list[Document]
    next: Cursor | None


class StatementStore:
    """Statements in one collection (see `lrs.store._documents` for the document shape)."""

    def __init__(self, collection: Collection) -> None:
        self._collection = collection

    async def create_indexes(self) -> None:
        """Create every index the queries need (idempotent; run at start)."""
        for keys, options in STATEMENT_INDEXES:
            await self._collection.create_index(keys, **options)

    async def get(self, statement_id: str, *, voided: bool) -> Document | None:
        """The statement with this id if its voided state is `voided`, else None."""
        document = await self._call(
            self._collection.find_one,
            {"_id": statement_id.lower()},
            {"statement": 1, "voided": 1, PENDING: 1},
        )
        if document is None or PENDING in document or bool(document["voided"]) != voided:
            return None
        statement: Document = document["statement"]
        return statement

    async def last_stored(self) -> str | None:
        """The `stored` time of the newest statement."""
        found = await self._call(
            self._collection.find({}, {"stored": 1})
            .sort([("stored", -1), ("_id", -1)])
            .limit(1)
            .to_list
        )
        return str(found[0]["stored"]) if found else None

    async def log_after(self, position: Cursor | None, until: str, limit: int) -> list[LogEntry]:
        """The statement log for its consumers (the catalog's projection): committed statements
        after `position` in the log's order (stored, then id), stored no later than `until`,
        voided ones too (with their flag), at most `limit`. Indexed, ordered queries: the rest
        of `position`'s millisecond, then what was stored after it."""
        found: list[Document] = []
        after = None
        if position is not None:
            after = position.stored
            found = await self._log(
                {  # a range, not an equality: the ordered index walks only that millisecond
                    PENDING: {"$exists": False},
                    "stored": {"$gte": after, "$lte": after},
                    "_id": {"$gt": position.id},
                },
                limit,
            )
        if len(found) < limit:
            stored: Document = {"$lte": until} if after is None else {"$gt": after, "$lte": until}
            found += await self._log(
                {PENDING: {"$exists": False}, "stored": stored}, limit - len(found)
            )
        return [
            LogEntry(doc["statement"], Cursor(doc["stored"], doc["_id"]), bool(doc["voided"]))
            for doc in found
        ]

    async def _log(self, filter: Document, limit: int) -> list[Document]:
        found: list[Document] = await self._call(
            self._collection.find(filter, {"statement": 1, "stored": 1, "voided": 1})
            .sort([("stored", 1), ("_id", 1)])
            .limit(limit)
            .to_list
        )
        return found

    async def count_about(self, activity: str) -> int:
        """How many committed statements, not voided, have this activity as their object."""
        count: int = await self._call(
            self._collection.count_documents,
            {"activities": activity, "voided": False, PENDING: {"$exists": False}},
        )
        return count

    async def newest_committed(self) -> str | None:
        """The `stored` time of the newest committed statement."""
        found = await self._call(
            self._collection.find({PENDING: {"$exists": False}}, {"stored": 1})
            .sort([("stored", -1), ("_id", -1)])
            .limit(1)
            .to_list
        )
        return str(found[0]["stored"]) if found else None

    async def oldest_pending(self) -> str | None:
        """The `stored` time of the oldest statement not yet committed (None: there is none).
        A consumer of the log reads no further than this: a statement still pending becomes
        visible with this time when its batch commits."""
        found = await self._call(
            self._collection.find({PENDING: {"$exists": True}}, {"stored": 1}).to_list
        )
        return min((str(doc["stored"]) for doc in found), default=None)

    async def save(
        self, statements: list[Document], same: Callable[[Document, Document], bool]
    ) -> list[str]:
        """Store complete statements, all or none; return their ids.

        A statement whose id is already stored with equal content (by `same`) is not stored
        again; with other content it is a Conflict, and nothing of the batch is stored.
        Voiding statements void their targets.

        Safe against concurrent writers, in this process or others on one MongoDB: a batch of
        several is inserted as *pending* (invisible to reads), then committed with one update.
        A writer that meets another's pending statement waits for it to be committed or
        withdrawn, so identical concurrent requests all succeed and store the statement once,
        and a refused batch withdraws only its own pending statements, never one another
        request stored. A single statement is inserted committed: whether its insert succeeds
        or meets the id stored already, there is nothing of its request to withdraw.
        """
        ids = [statement["id"].lower() for statement in statements]
        seen: dict[str, int] = {}
        for index, statement_id in enumerate(ids):
            if statement_id in seen:
                raise StatementInvalid(
                    f"statement[{index}].id",
                    f"{statement_id} is also the id of statement[{seen[statement_id]}] "
                    "in this request",
                )
            seen[statement_id] = index
        position = {statement_id: index for index, statement_id in enumerate(ids)}
        documents = {doc["_id"]: doc for doc in map(to_document, statements)}
        await self._check_void_targets(documents, position)
        token = uuid.uuid4().hex
        several = len(documents) > 1  # one statement alone has nothing to withdraw
        if several:
            since = format_timestamp(datetime.now(UTC))
            for document in documents.values():
                document[PENDING] = token
                document[PENDING_SINCE] = since
        mine: set[str] = set()
        confirm: list[Document] = []  # found stored by another writer, and equal
        try:
            deadline = time.monotonic() + _PENDING_WAIT
            free = list(documents.values())  # first try them all: the usual case, no conflict
            while True:
                if free:
                    mine |= await self._insert_pending(free, token)
                open_ids = [i for i in ids if i in documents and i not in mine]
                if not open_ids:
                    break
                if time.monotonic() > deadline:
                    raise StoreUnavailable(
                        "statement: another request is still storing one of these ids; retry"
                    )
                held = await self._held(open_ids, token)
                for doc_id, stored in held.items():
                    if stored is None:
                        continue  # another writer's, pending: wait for it
                    if not same(stored, documents[doc_id]["statement"]):
                        raise Conflict(
                            f"statement[{position[doc_id]}].id: a different statement with id "
                            f"{doc_id} is already stored"
                        )
                    confirm.append(documents.pop(doc_id))  # stored already: nothing to store
                free = [documents[i] for i in open_ids if i not in held]
                if not free and any(stored is None for stored in held.values()):
                    await asyncio.sleep(_PENDING_POLL)
            if confirm:
                # Stored by another writer, which may still be waiting for its fsync: this one
                # answers that they are stored only once they are durable. Inserting them again
                # meets their ids, and a duplicate is answered only once what holds it is
                # durable (the embedded engine syncs its journal first; MongoDB waits for the
                # write concern of its latest operation). Only statements sent again pay this.
                again = await self._insert_pending(confirm, token)
                for document in confirm:  # none: a committed statement is never withdrawn
                    if document["_id"] in again:
                        documents[document["_id"]] = document
                mine |= again
            if several:
                await self._commit(sorted(mine), token)
        except BaseException:
            # Withdraw whatever of ours got in, also from an insert that failed part-way.
            await self._call(self._collection.delete_many, {"_id": {"$in": ids}, PENDING: token})
            raise
        await self._settle([documents[i] for i in sorted(mine)])
        return ids

    async def _insert_pending(self, documents: list[Document], token: str) -> set[str]:
        """Insert these documents (pending under `token`); the ids this call inserted.

        An id another writer holds is left out; any other write error refuses the batch.
        """
        with translated("statement"):
            try:
                await self._collection.insert_many(documents, ordered=False)
                return {doc["_id"] for doc in documents}
            except BulkWriteError as exc:
                errors = exc.details.get("writeErrors", [])
                refused = [error for error in errors if error["code"] != _DUPLICATE]
                if refused:
                    statement = documents[refused[0]["index"]]["statement"]
                    raise BadRequest(
                        f"statement {statement['id']}: the database refused it: "
                        f"{refused[0]['errmsg']}"
                    ) from exc
            except DuplicateKeyError:
                pass
        wanted = [doc["_id"] for doc in documents]
        return {
            doc["_id"] for doc in await self._find({"_id": {"$in": wanted}, PENDING: token}, {})
        }

    async def _held(self, ids: list[str], token: str) -> dict[str, Document | None]:
        """Which of `ids` another writer holds: the committed statement, or None while pending.

        A pending statement left longer than a request can take belongs to a writer that died
        mid-write: it is withdrawn, so that its id can be stored again.
        """
        held: dict[str, Document | None] = {}
        stale = format_timestamp(datetime.now(UTC) - timedelta(seconds=_PENDING_STALE))
        for doc in await self._find(
            {"_id": {"$in": ids}}, {"statement": 1, PENDING: 1, PENDING_SINCE: 1}
        ):
            pending = doc.get(PENDING)
            if pending is None:
                held[doc["_id"]] = doc["statement"]
            elif pending == token:
                continue  # ours, from an insert that reported an error for another document
            elif doc[PENDING_SINCE] >= stale:
                held[doc["_id"]] = None
            else:
                await self._call(self._collection.delete_one, {"_id": doc["_id"], PENDING: pending})
        return held

    async def _commit(self, ids: list[str], token: str) -> None:
        if not ids:
            return
        result = await self._call(
            self._collection.update_many,
            {"_id": {"$in": ids}, PENDING: token},
            {"$unset": {PENDING: "", PENDING_SINCE: ""}},
        )
        if result.matched_count != len(ids):
            raise StoreUnavailable("statement: the write took too long and was withdrawn; retry")

    async def _settle(self, documents: list[Document]) -> None:
        """What newly committed statements change in others, from one read of the statements
        that refer to them: voiding both ways (a new voiding statement voids its target; a
        new statement voided by one stored before it is voided at once), and `via`."""
        if not documents:
            return
        referring = await self._find(
            {"ref": {"$in": [doc["_id"] for doc in documents]}},
            {"ref": 1, "voids": 1, PENDING: 1, **dict.fromkeys(QUERY_FIELDS, 1)},
        )
        voided = {doc["voids"] for doc in referring if "voids" in doc and PENDING not in doc}
        targets = {doc["voids"] for doc in documents if "voids" in doc} | voided
        if targets:
            await self._call(
                self._collection.update_many,
                {"_id": {"$in": sorted(targets)}},
                {"$set": {"voided": True}},
            )
        await self._link(documents, referring)

    async def sweep_pending(self, older_than: float = _PENDING_STALE) -> int:
        """Withdraw pending statements that no live writer will commit (it died mid-write):
        those pending for more than `older_than` seconds. At the start of the only process a
        store has (the embedded engine), every pending statement is such: pass 0."""
        stale = format_timestamp(datetime.now(UTC) - timedelta(seconds=older_than))
        result = await self._call(
            self._collection.delete_many,
            {PENDING: {"$exists": True}, PENDING_SINCE: {"$lt": stale}},
        )
        return int(result.deleted_count)

    async def _check_void_targets(
        self, documents: dict[str, Document], position: dict[str, int]
    ) -> None:
        """A voiding statement cannot target another voiding statement (Data §2.3.2)."""
        targets = {doc["voids"]: doc["_id"] for doc in documents.values() if "voids" in doc}
        if not targets:
            return
        voiding_in_batch = set(targets.values())
        stored_voiding = {
            doc["_id"]
            for doc in await self._find({"_id": {"$in": sorted(targets)}}, {"voids": 1})
            if "voids" in doc
        }
        for target, voiding in targets.items():
            if target in voiding_in_batch or target in stored_voiding:
                raise StatementInvalid(
                    f"statement[{position[voiding]}].object.id",
                    f"{target} is a voiding statement, and a voiding statement cannot be voided",
                )

    async def query(self, query: StatementQuery, limit: int) -> Page:
        """One page of statements matching `query`, newest first unless ascending.

        With filters, statements that target a matching statement through StatementRefs are
        included (Communication §2.1.3): a second query on the targets' fields each referring
        statement carries (`via`), merged with the first by the page order. Each of the two is
        one indexed query of at most `limit` + 1 statements, whatever the store holds.
        """
        matches = match_filter(query)
        branches = [matches]
        if query.has_filters() and await self._any_references():
            branches.append(via_filter(matches))
        found: dict[str, Document] = {}
        for branch in branches:
            for doc in await self._call(
                self._collection.find(page_filter(query, branch), {"statement": 1, "stored": 1})
                .sort(sort_order(query))
                .limit(limit + 1)
                .to_list
            ):
                found[doc["_id"]] = doc
        ordered = sorted(
            found.values(), key=lambda d: (d["stored"], d["_id"]), reverse=not query.ascending
        )
        following = None
        if len(ordered) > limit:
            ordered = ordered[:limit]
            following = Cursor(stored=ordered[-1]["stored"], id=ordered[-1]["_id"])
        return Page([doc["statement"] for doc in ordered], following)

    async def _any_references(self) -> bool:
        found = await self._call(self._collection.find_one, {"is_ref": True}, {"_id": 1})
        return found is not None

    async def _link(self, documents: list[Document], referring: list[Document]) -> None:
        """Keep `via` current for newly committed statements: each new StatementRef carries
        its targets' query fields, and the statements that refer to a new one (`referring`,
        as read by `_settle`) get them too, and those referring to them, to the depth followed.
        """
        updates: dict[str, list[Document]] = {}
        refs = [doc for doc in documents if "ref" in doc]
        if refs:
            targets = await self._query_fields({doc["ref"] for doc in refs})
            for doc in refs:
                if doc["ref"] in targets:
                    updates[doc["_id"]] = chain(targets[doc["ref"]])
        changed = {doc["_id"]: {**doc, "via": updates.get(doc["_id"], [])} for doc in documents}
        for depth in range(MAX_REF_DEPTH):
            if not changed:
                break
            if depth:
                referring = await self._find(
                    {"ref": {"$in": sorted(changed)}}, {"ref": 1, **dict.fromkeys(QUERY_FIELDS, 1)}
                )
            following: dict[str, Document] = {}
            for doc in referring:
                if doc["_id"] in updates or doc["ref"] not in changed:
                    continue
                updates[doc["_id"]] = chain(changed[doc["ref"]])
                following[doc["_id"]] = {**doc, "via": updates[doc["_id"]]}
            changed = following
        if updates:
            await self._call(
                self._collection.bulk_write,
                [UpdateOne({"_id": i}, {"$set": {"via": via}}) for i, via in updates.items()],
                ordered=False,
            )

    # -- erasure (GDPR article 17; see lrs.store._erasure) ------------------------------------

    async def naming(self, keys: list[str]) -> list[Document]:
        """Every committed statement that names one of these identifier keys anywhere (as
        actor, object, instructor, team, context agent or authority), voided ones too:
        `{"statement", "voided"}`, in the order stored."""
        wanted = sorted(set(keys))
        found = await self._call(
            self._collection.find(
                {
                    "$or": [{"related_agents": {"$in": wanted}}, {"authority": {"$in": wanted}}],
                    PENDING: {"$exists": False},
                },
                {"statement": 1, "voided": 1, "stored": 1},
            )
            .sort([("stored", 1), ("_id", 1)])
            .to_list
        )
        return [{"statement": doc["statement"], "voided": bool(doc["voided"])} for doc in found]

    async def delete_by_actor(self, keys: list[str]) -> list[Document]:
        """Delete the statements whose actor is one of these identifier keys, and the voiding
        statements that target them (nothing is left pointing at nothing); the statements
        deleted, by id.

        Kept: a voiding statement of theirs whose target stays, since deleting it would make
        another's voided statement count again (redact it with `replace_agent`). Statements
        that refer to a deleted one through a StatementRef stay, and their `via` no longer
        carries its fields."""
        wanted = sorted(set(keys))
        found = await self._find(
            {"agents": {"$in": wanted}, PENDING: {"$exists": False}}, {"statement": 1, "voids": 1}
        )
        own = {doc["_id"]: doc for doc in found if actor_key(doc["statement"]) in wanted}
        doomed = {i for i, doc in own.items() if "voids" not in doc or doc["voids"] in own}
        if not doomed:
            return []
        voiding = await self._find({"voids": {"$in": sorted(doomed)}}, {"statement": 1})
        statements = {i: own[i]["statement"] for i in doomed}
        statements.update((doc["_id"], doc["statement"]) for doc in voiding)
        await self._call(self._collection.delete_many, {"_id": {"$in": sorted(statements)}})
        await self._rechain(wanted, set(statements))
        return [statements[i] for i in sorted(statements)]

    async def replace_agent(self, keys: list[str], replacement: Mapping[str, Any]) -> list[str]:
        """Put `replacement` (an anonymous Agent's identifier, e.g. an account) wherever one
        of these identifier keys names an Agent or Group in a stored statement, its query
        fields and the `via` of statements referring to it updated; the ids changed.
        A signed statement's signature no longer matches its redacted content."""
        wanted = frozenset(keys)
        found = await self._find(
            {
                "$or": [
                    {"related_agents": {"$in": sorted(wanted)}},
                    {"authority": {"$in": sorted(wanted)}},
                ]
            },
            {"statement": 1},
        )
        updates, changed = [], []
        for doc in found:
            statement = redacted(doc["statement"], wanted, replacement)
            if statement == doc["statement"]:
                continue
            fields = to_document(statement)
            changed.append(doc["_id"])
            updates.append(
                UpdateOne(
                    {"_id": doc["_id"]},
                    {
                        "$set": {
                            "statement": statement,
                            "agents": fields["agents"],
                            "related_agents": fields["related_agents"],
                            "authority": fields["authority"],
                        }
                    },
                )
            )
        if updates:
            await self._call(self._collection.bulk_write, updates, ordered=False)
            await self._rechain(sorted(wanted), set())
        return sorted(changed)

    async def _rechain(self, keys: list[str], deleted: set[str]) -> None:
        """Recompute the `via` of every StatementRef whose chain carried one of `keys` or
        pointed at a deleted statement: level by level, to the depth followed."""
        wanted = sorted(set(keys))
        stale = await self._find(
            {
                "is_ref": True,
                "$or": [
                    {"via.related_agents": {"$in": wanted}},
                    {"via.agents": {"$in": wanted}},
                    {"ref": {"$in": sorted(deleted)}},
                ],
            },
            {"ref": 1},
        )
        refs = {doc["_id"]: doc["ref"] for doc in stale}
        for _ in range(MAX_REF_DEPTH):
            targets = await self._query_fields(set(refs.values()))
            current = await self._find({"_id": {"$in": sorted(refs)}}, {"via": 1})
            updates = []
            for doc in current:
                target = targets.get(refs[doc["_id"]])
                via = chain(target) if target is not None else []
                if via != doc.get("via"):
                    updates.append(UpdateOne({"_id": doc["_id"]}, {"$set": {"via": via}}))
            if not updates:
                return
            await self._call(self._collection.bulk_write, updates, ordered=False)

    async def _query_fields(self, ids: set[str]) -> dict[str, Document]:
        """The query fields and `via` of these committed statements, by id."""
        found = await self._find(
            {"_id": {"$in": sorted(ids)}, PENDING: {"$exists": False}},
            {"via": 1, **dict.fromkeys(QUERY_FIELDS, 1)},
        )
        return {doc["_id"]: doc for doc in found}

    async def _find(self, filter: Document, projection: Document) -> list[Document]:
        cursor = self._collection.find(filter, {"_id": 1, **projection})
        found: list[Document] = await self._call(cursor.to_list)
        return found

    async def _call(self, method: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run one driver call, translating driver errors at this boundary."""
        return await call("statement", method, *args, **kwargs)
