"""The completion projection as a durable consumer of the statement log.

Statements are credited as they are stored (`apply`, told by the LRS), and a consumer reads the
log in its order (stored, then id) from a checkpoint kept in the database (`catch_up`): on
start, and continuously. The consumer is what makes the projection trustworthy: whatever the
inline path missed (a failure, a crash between storing and crediting, another server process)
it credits, retrying with backoff until it succeeds. Every write is idempotent
(`catalog._credit`), so a statement credited twice, or by two processes, changes nothing.

    projection_state  {_id: "completion", version, catalog, checkpoint: {stored, id},
                       owner, lease_until, members: {process: heartbeat}, rolled_on}

The checkpoint moves only over statements whose credit and statuses are written, and reads no
closer to now than `settle` seconds (and not past a batch still being committed), so no
statement can become visible behind it. One process at a time holds the lease and consumes;
a process that dies without stopping (`kill -9`) is noticed by the next one to start, which
recomputes every kept status, as it does when the catalog or the projection's shape changed.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import os
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from catalog._credit import ActivityIndex, Credit, credit_of
from catalog._load import Catalog
from catalog._statuses import StatusKeeper
from catalog._store import CatalogStore
from lrs.model import format_timestamp
from lrs.store import Cursor, LogEntry, StatementStore

log = logging.getLogger(__name__)
Document = dict[str, Any]
VERSION = 5  # the shape of the projection's documents: a new one rebuilds at start
STATE = "completion"
_LEASE = 30.0  # seconds a consumer's lease lasts without renewal
_DEAD = 60.0  # seconds without a heartbeat after which a process is taken for dead
_LEAVE_WAIT = 5.0  # seconds a shutdown waits to leave cleanly
# Statements credited before the statuses they touch are refreshed and the checkpoint moves:
# a refresh costs about as much per person as 20 statements do, and a long catch-up touches
# nearly everyone, so refreshing rarely is what keeps a catch-up fast. The price is what a
# crash in the middle of one credits again (the statements since the checkpoint, a minute or so).
_CATCH_UP_REFRESH = 1_000_000
# Statements this process credited inline that its consumer has not passed yet, at most: a
# process that does not hold the lease never passes them, and forgetting one only means the
# consumer credits it again (idempotently).
_INLINE_LIMIT = 100_000


# Seconds beyond the settle horizon the oldest statement not yet passed by the checkpoint may
# wait before the projection counts as behind: the consumer's poll, a round's work, and a
# refresh of the people a burst touched (a few seconds each) fit in it.
BEHIND_AFTER = 30.0
_END_OF_TIME = "9999-12-31T23:59:59.999Z"


@dataclass(frozen=True)
class Lag:
    """How far the projection is behind the statement log, as administrators see it.

    `seconds` is how long the oldest statement the checkpoint has not passed has waited (0:
    the checkpoint is at the newest). It waits by design for the settle horizon and a round of
    the consumer, so under steady traffic it is a few seconds and the projection is not
    `behind`; it is behind when that wait exceeds `allowed` (the settle horizon plus
    `BEHIND_AFTER`), or while it rebuilds. Statuses and summaries waiting for a refresh
    (`pending`, `summaries_behind`) are refreshed by every read before it answers, so they are
    reported but make no figure old."""

    seconds: float
    checkpoint: str | None
    newest: str | None
    summaries_behind: int
    failures: int
    last_error: str | None
    rebuilding: bool
    pending: int = 0  # people whose statuses wait for a refresh in this process
    allowed: float = BEHIND_AFTER

    @property
    def behind(self) -> bool:
        return self.rebuilding or self.seconds > self.allowed

    @property
    def caught_up(self) -> bool:
        """Nothing waits at all: the checkpoint is at the newest statement, and no status or
        summary waits for a refresh (what a test or a script waits for)."""
        return not (self.rebuilding or self.seconds or self.pending or self.summaries_behind)

    def as_dict(self) -> Document:
        return {
            "behind": self.behind,
            "caught_up": self.caught_up,
            "lag_seconds": round(self.seconds, 3),
            "allowed_seconds": self.allowed,
            "checkpoint": self.checkpoint,
            "newest_statement": self.newest,
            "summaries_behind": self.summaries_behind,
            "failures": self.failures,
            "last_error": self.last_error,
            "rebuilding": self.rebuilding,
            "pending": self.pending,
        }


class Projection:
    def __init__(
        self,
        catalog: Catalog,
        store: CatalogStore,
        statuses: StatusKeeper,
        statements: StatementStore,
        *,
        settle: float = 5.0,
        poll: float = 1.0,
        batch: int = 1000,
        clock: Callable[[], float] = time.time,
        exclusive: bool = False,
        behind_after: float = BEHIND_AFTER,
    ) -> None:
        self.catalog = catalog
        self.store = store
        self.statuses = statuses
        self.statements = statements
        self.index = ActivityIndex(catalog)
        self.fingerprint = catalog_fingerprint(catalog)
        self.settle = settle
        self.poll = poll
        self.batch = batch
        self.clock = clock
        self.exclusive = exclusive  # the only process on its store (the embedded engine)
        self.behind_after = behind_after  # seconds beyond `settle` before the lag is "behind"
        self.me = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self._state = store.database["projection_state"]
        self._wake = asyncio.Event()
        self._stopping = False
        self.failures = 0
        self.last_error: str | None = None
        self.rebuilding = False
        # Statements credited inline by this process whose credit writes were acknowledged,
        # with the identifier keys they changed: the consumer passes them without crediting
        # them again (see `_already_credited`). A rebuild starts a new generation.
        self._inline: dict[str, frozenset[str]] = {}
        self._generation = 0

    # -- inline: the LRS listener (lrs.statements.StatementListener) -------------------------

    async def stored(self, statements: list[Document]) -> None:
        """Credit statements just stored before the LRS answers, and note whose statuses they
        change: those are refreshed before any report reads them (`StatusKeeper.flush`), or
        by the consumer's next round, so the POST does not wait for it. If this fails, the
        consumer credits them: the checkpoint has not passed them."""
        generation = self._generation
        credits = [credit_of(s, self.index) for s in statements]
        keys = await self._credit(credits, statements, refresh=False)
        self.statuses.mark(keys)
        if generation == self._generation and len(self._inline) < _INLINE_LIMIT:
            for credit in credits:
                if credit.voids is None:  # a voiding one: its keys came from a lookup
                    self._inline[credit.statement_id.lower()] = _keys_of(credit)
        self._wake.set()

    async def voided(self, statement_ids: list[str]) -> None:
        """Voiding statements are credited as tombstones by `stored` already."""

    async def _credit(
        self, credits: list[Credit], statements: list[Document], *, refresh: bool = True
    ) -> set[str]:
        """Write the credits; return the identifier keys whose evidence they changed (and
        refresh those people's statuses, unless the caller does it later)."""
        voids = sorted({c.voids for c in credits if c.voids is not None})
        keys = {c.document["actor"] for c in credits if c.document is not None}
        keys |= {t for c in credits if c.document is not None for t in c.document["teachers"]}
        if voids:  # whose evidence the voided statements gave
            found = await self.store.evidence.find(
                {"_id": {"$in": voids}}, {"actor": 1, "teachers": 1}
            ).to_list()
            keys |= {doc["actor"] for doc in found if "actor" in doc}
            keys |= {t for doc in found for t in doc.get("teachers", [])}
        await self.store.write_credits(credits)
        await self.store.note_actors(s for s in statements if "actor" in s)
        if refresh:
            await self.statuses.refresh_identifiers(keys)
        return keys

    # -- the consumer ------------------------------------------------------------------------

    async def run(self) -> None:
        """Start, then consume for as long as the process runs: a failure is logged, counted
        (visible in `lag`) and retried with backoff, never dropped."""
        backoff = 0.5
        started = False
        try:
            while True:
                try:
                    if not started:
                        await self.start()
                        started = True
                    await self.step()
                    backoff = 0.5
                    self.last_error = None
                    if self._stopping:
                        return
                    # asyncio.timeout, not wait_for: Python 3.11's wait_for can swallow a
                    # cancellation that comes as the event is set, and then nothing stops it.
                    with contextlib.suppress(TimeoutError):
                        async with asyncio.timeout(self.poll):
                            await self._wake.wait()
                    self._wake.clear()
                    if self._stopping:
                        return
                except asyncio.CancelledError:
                    raise
                except Exception as error:
                    self.failures += 1
                    self.last_error = f"{type(error).__name__}: {error}"
                    log.exception("the completion projection failed; retrying in %.1f s", backoff)
                    await asyncio.sleep(backoff)
                    backoff = min(backoff * 2, 60.0)
        finally:  # leave, but never hold up a shutdown for it (the next start copes)
            with contextlib.suppress(Exception):
                await asyncio.wait_for(asyncio.shield(self.leave()), _LEAVE_WAIT)

    def stop(self) -> None:
        """Ask `run` to return after the round under way (a shutdown)."""
        self._stopping = True
        self._wake.set()

    async def initialise(self) -> None:
        """A store in which nothing was ever credited takes this catalog and shape at once, so
        that a command storing statements before any server ran (a demo load, an import of
        attendance) does not make the first server rebuild."""
        if await self._state.find_one({"_id": STATE}, {"_id": 1}) is None and await self._fresh():
            await self._state.update_one(
                {"_id": STATE},
                {"$setOnInsert": {"members": {}, "version": VERSION, "catalog": self.fingerprint}},
                upsert=True,
            )

    async def start(self) -> None:
        """Join: rebuild if the catalog or the projection's shape changed, and recompute every
        kept status if a process died without leaving."""
        now = self.clock()
        await self._state.update_one({"_id": STATE}, {"$setOnInsert": {"members": {}}}, upsert=True)
        state = await self._state.find_one({"_id": STATE}) or {}
        members: dict[str, float] = state.get("members") or {}
        # On the embedded store this process is the only one: whoever else is listed, died.
        dead = [
            m
            for m, beat in members.items()
            if m != self.me and (self.exclusive or now - float(beat) > _DEAD)
        ]
        await self._state.update_one({"_id": STATE}, {"$set": {f"members.{self.me}": now}})
        if self.exclusive:  # the lease of a process that died is this one's at once
            await self._state.update_one(
                {"_id": STATE}, {"$set": {"owner": self.me, "lease_until": now + _LEASE}}
            )
        # The dead stay listed until what they owe is done: a recovery (or rebuild) that
        # fails or is stopped half-way is done again, by this process or the next.
        if state.get("version") != VERSION or state.get("catalog") != self.fingerprint:
            if await self._fresh():  # nothing credited yet: consume the log from its start
                await self._state.update_one(
                    {"_id": STATE}, {"$set": {"version": VERSION, "catalog": self.fingerprint}}
                )
            elif await self._lease():
                log.info("the catalog or the projection changed; rebuilding the projection")
                await self.rebuild()
            else:
                return
            await self._forget(dead)
            return
        if dead and await self._lease():
            await self._recover()
            await self._forget(dead)

    async def _forget(self, members: list[str]) -> None:
        if members:
            await self._state.update_one(
                {"_id": STATE}, {"$unset": {f"members.{m}": "" for m in members}}
            )

    async def _recover(self) -> None:
        """A process died without leaving: what it was writing outside the log (an import, an
        exemption) may have stopped between its write and the statuses it changes, so every
        kept status is recomputed."""
        log.info("a server process stopped without leaving; recomputing every status")
        self.rebuilding = True
        try:
            await self.catch_up()
            await self.statuses.refresh_everyone()
        finally:
            self.rebuilding = False

    async def _reap(self) -> None:
        """Notice processes that stopped sending heartbeats, and recover for them."""
        now = self.clock()
        state = await self._state.find_one({"_id": STATE}, {"members": 1}) or {}
        dead = [
            m
            for m, beat in (state.get("members") or {}).items()
            if m != self.me and now - float(beat) > _DEAD
        ]
        if dead:
            await self._recover()
            await self._forget(dead)

    async def _fresh(self) -> bool:
        state = await self._state.find_one({"_id": STATE}) or {}
        credited = await self.store.evidence.find_one({}, {"_id": 1})
        return "checkpoint" not in state and credited is None

    async def leave(self) -> None:
        """Leave cleanly (at shutdown): the next start need not recompute everything."""
        await self._state.update_one(
            {"_id": STATE, "owner": self.me}, {"$set": {"lease_until": 0.0}}
        )
        await self._state.update_one({"_id": STATE}, {"$unset": {f"members.{self.me}": ""}})

    async def step(self) -> int:
        """One round of the consumer: heartbeat, and with the lease, catch up and roll."""
        await self._state.update_one({"_id": STATE}, {"$set": {f"members.{self.me}": self.clock()}})
        if not await self._lease():
            self._inline.clear()  # another process consumes: this one never passes them
            return 0
        await self.statuses.flush()
        await self._reap()
        count = await self.catch_up()
        await self._roll()
        await self.statuses.settle_summaries()  # so that a page rarely has to
        return count

    async def catch_up(self) -> int:
        """Credit every statement after the checkpoint up to the settled horizon; return how
        many. Statuses are refreshed once per `_CATCH_UP_REFRESH` statements (and at the end)
        before the checkpoint moves over them."""
        state = await self._state.find_one({"_id": STATE}) or {}
        checkpoint = state.get("checkpoint")
        position = Cursor(**checkpoint) if checkpoint else None
        horizon = await self._horizon()
        total = since_refresh = 0
        keys: set[str] = set()
        while True:
            entries = await self.statements.log_after(position, horizon, self.batch)
            if not entries:
                break
            fresh = self._already_credited(entries, keys)
            keys |= await self._credit(
                [self._credit_of(entry) for entry in fresh],
                [entry.statement for entry in fresh],
                refresh=False,
            )
            total += len(entries)
            since_refresh += len(entries)
            position = entries[-1].position
            if since_refresh >= _CATCH_UP_REFRESH:
                await self._commit(keys, position)
                keys, since_refresh = set(), 0
        if since_refresh and position is not None:
            await self._commit(keys, position)
        return total

    async def _commit(self, keys: set[str], position: Cursor) -> None:
        """Refresh the statuses these identifiers' evidence changed, then move the checkpoint
        over the statements that changed it."""
        await self.statuses.refresh_identifiers(keys)
        await self._save_checkpoint(position)

    def _already_credited(self, entries: list[LogEntry], keys: set[str]) -> list[LogEntry]:
        """The entries still to credit: those this process did not credit inline. For the
        others, the identifier keys their credit changed join `keys`, so that their statuses
        are refreshed before the checkpoint passes them, as for the rest.

        Passing a statement without crediting it again is safe because its credit writes were
        acknowledged before it was remembered, and the checkpoint is written after them: on
        MongoDB an acknowledged write is durable (write concern majority, journaled), and the
        embedded engine journals writes in the order they are made, so a checkpoint that
        survives a crash has every credit written before it surviving too. A voided statement
        is always credited (its tombstone), and so is one credited by another process."""
        fresh = []
        for entry in entries:
            known = None if entry.voided else self._inline.pop(entry.position.id.lower(), None)
            if known is None:
                fresh.append(entry)
            else:
                keys |= known
        return fresh

    def _credit_of(self, entry: LogEntry) -> Credit:
        credit = credit_of(entry.statement, self.index)
        if entry.voided:  # voided meanwhile: credits nothing, and keeps a tombstone
            return Credit(credit.statement_id, None, credit.statement_id, None, credit.time)
        return credit

    async def rebuild(self) -> int:
        """Recompute the projection from every statement: forget every credit, read the whole
        log, then recompute every kept status and summary. Returns statements read."""
        self.rebuilding = True
        self._generation += 1  # what was credited inline before the clear is gone with it
        self._inline.clear()
        try:
            await self.store.clear_projection()
            # The new shape and catalog are noted when it is done: a rebuild stopped half-way
            # is started again.
            await self._state.update_one(
                {"_id": STATE}, {"$unset": {"checkpoint": ""}}, upsert=True
            )
            # Everything committed is read; the checkpoint moves only as far as the settled
            # horizon, so the consumer reads the newest statements once more (idempotently).
            settled = await self._horizon()
            horizon = await self._horizon(settle=0.0)
            position: Cursor | None = None
            checkpoint: Cursor | None = None
            total = 0
            while True:
                entries = await self.statements.log_after(position, horizon, self.batch)
                if not entries:
                    break
                await self._credit(
                    [self._credit_of(e) for e in entries],
                    [e.statement for e in entries],
                    refresh=False,
                )
                total += len(entries)
                position = entries[-1].position
                checkpoint = max(
                    (e.position for e in entries if e.position.stored <= settled),
                    key=lambda c: (c.stored, c.id),
                    default=checkpoint,
                )
            await self.statuses.refresh_everyone()
            done: Document = {"version": VERSION, "catalog": self.fingerprint}
            if checkpoint is not None:
                done["checkpoint"] = {"stored": checkpoint.stored, "id": checkpoint.id}
            await self._state.update_one({"_id": STATE}, {"$set": done})
            return total
        finally:
            self.rebuilding = False

    async def lag(self) -> Lag:
        state = await self._state.find_one({"_id": STATE}) or {}
        checkpoint = state.get("checkpoint")
        position = Cursor(**checkpoint) if checkpoint else None
        # The oldest committed statement the checkpoint has not passed: how long it waited.
        first = await self.statements.log_after(position, _END_OF_TIME, 1)
        seconds = 0.0
        if first:
            waited = self.clock() - _moment(first[0].position.stored).timestamp()
            seconds = max(waited, 0.001)  # one is waiting: never "caught up"
        return Lag(
            seconds=seconds,
            checkpoint=checkpoint["stored"] if checkpoint else None,
            newest=await self.statements.newest_committed(),
            summaries_behind=await self.statuses.behind(),
            failures=self.failures,
            last_error=self.last_error,
            rebuilding=self.rebuilding,
            pending=self.statuses.pending,
            allowed=self.settle + self.behind_after,
        )

    async def _roll(self) -> None:
        today = self.statuses.today().isoformat()
        state = await self._state.find_one({"_id": STATE}, {"rolled_on": 1}) or {}
        if state.get("rolled_on") == today:
            return
        await self.statuses.roll()
        await self._state.update_one({"_id": STATE}, {"$set": {"rolled_on": today}})

    async def _lease(self) -> bool:
        now = self.clock()
        result = await self._state.update_one(
            {
                "_id": STATE,
                "$or": [
                    {"owner": self.me},
                    {"lease_until": {"$lt": now}},
                    {"owner": {"$exists": False}},
                ],
            },
            {"$set": {"owner": self.me, "lease_until": now + _LEASE}},
        )
        return bool(result.matched_count)

    async def _save_checkpoint(self, position: Cursor) -> None:
        await self._state.update_one(
            {"_id": STATE},
            {"$set": {"checkpoint": {"stored": position.stored, "id": position.id}}},
        )

    async def _horizon(self, settle: float | None = None) -> str:
        """How far the log may be read: `settle` seconds ago, and before the oldest batch
        still being committed."""
        ago = self.settle if settle is None else settle
        horizon = datetime.fromtimestamp(self.clock() - ago, UTC)
        pending = await self.statements.oldest_pending()
        # A writer killed mid-batch leaves its statements pending for ever: once they are
        # stale (lrs.store: older than any live request), they are withdrawn here, not only at
        # a start, or the horizon would stay behind them (on MongoDB, another process's start
        # soon after the kill finds them still young).
        if pending is not None and await self.statements.sweep_pending():
            pending = await self.statements.oldest_pending()
        if pending is not None:
            horizon = min(horizon, _moment(pending) - timedelta(milliseconds=1))
        return format_timestamp(horizon)


def _keys_of(credit: Credit) -> frozenset[str]:
    """The identifier keys a credit that voids nothing changes: its actor and teachers."""
    if credit.document is None:
        return frozenset()
    return frozenset([credit.document["actor"], *credit.document["teachers"]])


def catalog_fingerprint(catalog: Catalog) -> str:
    """Changes when anything the projection credits by changes (packages and modules)."""
    body = "\n".join(p.model_dump_json() for p in sorted(catalog.packages, key=lambda p: p.id))
    return hashlib.sha256(body.encode()).hexdigest()[:16]


def _moment(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))
