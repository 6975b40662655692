"""The audit log: who signed in, changed or looked at what, and when. Append-only.

    audit  {_id: "<time>|<random>", at: ISO time (UTC), actor: username or None,
            action, target: what it was about (a username, a person id, ...) or None,
            detail: {...}}

Actions: `sign-in`, `sign-in-failed`, `sign-in-refused` (locked, or an identity provider's
token refused), `sign-out`, `sessions-ended` (a password or role change ended them),
`account-changed`, `account-removed`, `exemption`, `import`, `read-record` (a leader, county
coordinator or the directorate reading another person's record), `export`, `erasure`,
`retention`. Nothing here changes or removes an entry, except retention (`apply_retention`),
which removes whole entries older than the period the administrator chose
(KOMPETANSE_AUDIT_RETENTION_DAYS), itself logged, and the erasure of a person
(`catalog._privacy`), which removes the entries about them and puts a pseudonym for their
username where they acted on others.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from lrs.store import Database

log = logging.getLogger(__name__)
ACTIONS = (
    "sign-in",
    "sign-in-failed",
    "sign-in-refused",
    "sign-out",
    "sessions-ended",
    "account-changed",
    "account-removed",
    "credential-added",
    "credential-revoked",
    "exemption",
    "enrolment",
    "classroom-session",
    "import",
    "induction",
    "mapping-round",
    "read-record",
    "export",
    "erasure",
    "retention",
    "development-plan",
    "network",
    "competence-plan",
)
KEPT = ("erasure",)  # never removed by retention


class AuditLog:
    def __init__(self, database: Database) -> None:
        self.collection = database["audit"]
        self._indexed = False

    async def create_indexes(self) -> None:
        """Called by the first write (creating an index that exists is a no-op)."""
        await self.collection.create_index([("at", 1)])
        await self.collection.create_index([("target", 1), ("at", 1)])
        await self.collection.create_index([("actor", 1), ("at", 1)])
        self._indexed = True

    async def record(
        self, action: str, *, actor: str | None, target: str | None = None, **detail: Any
    ) -> None:
        if action not in ACTIONS:
            raise ValueError(f"action: {action!r} is not one of {', '.join(ACTIONS)}")
        if not self._indexed:
            await self.create_indexes()
        at = datetime.now(UTC).isoformat(timespec="milliseconds")
        await self.collection.insert_one(
            {
                "_id": f"{at}|{secrets.token_hex(6)}",
                "at": at,
                "actor": actor,
                "action": action,
                "target": target,
                "detail": detail,
            }
        )

    async def entries(
        self,
        *,
        since: str | None = None,
        action: str | None = None,
        target: str | None = None,
        actor: str | None = None,
        limit: int = 1000,
    ) -> list[dict[str, Any]]:
        """The newest entries first, filtered by time (ISO, inclusive), action, target and
        actor (a username)."""
        query: dict[str, Any] = {}
        if since:
            query["at"] = {"$gte": since}
        if action:
            query["action"] = action
        if target:
            query["target"] = target
        if actor:
            query["actor"] = actor
        found = await self.collection.find(query).sort([("_id", -1)]).limit(limit).to_list()
        return [{k: v for k, v in entry.items() if k != "_id"} for entry in found]

    async def remove_before(self, cutoff: str) -> int:
        """Retention: remove the entries older than `cutoff` (ISO time); how many. Erasure
        receipts are kept (`KEPT`): they hold no personal data, and are what shows that a
        person's data was erased when they asked."""
        result = await self.collection.delete_many(
            {"at": {"$lt": cutoff}, "action": {"$nin": list(KEPT)}}
        )
        return int(result.deleted_count)

    async def apply_retention(self, days: int, *, now: datetime | None = None) -> int:
        """Remove the entries older than `days` days; how many (logged as `retention` when
        any were)."""
        cutoff = ((now or datetime.now(UTC)) - timedelta(days=days)).isoformat(
            timespec="milliseconds"
        )
        removed = await self.remove_before(cutoff)
        if removed:
            await self.record("retention", actor=None, removed=removed, days=days, before=cutoff)
        return removed

    async def keep_retention(self, days: int, *, every: float = 86400.0) -> None:
        """Apply the retention at once and then every `every` seconds (the app's task)."""
        while True:
            try:
                await self.apply_retention(days)
            except Exception:  # a failing database: try again next time, keep serving
                log.exception("audit retention failed")
            await asyncio.sleep(every)


class ReadLog:
    """Records `read-record` when someone reads another person's record: once per viewer
    and person in `window` seconds (a page reads the person, their requirements and their
    record; a reload within the minute is the same look), per process."""

    def __init__(self, audit: AuditLog, window: float = 60.0) -> None:
        self.audit = audit
        self.window = window
        self._recent: dict[tuple[str, str], float] = {}

    async def read(self, username: str, role: str, person: str, what: str) -> None:
        now = time.monotonic()
        if now - self._recent.get((username, person), -self.window) < self.window:
            return
        if len(self._recent) > 10_000:  # forget the old ones
            self._recent = {k: t for k, t in self._recent.items() if now - t < self.window}
        self._recent[(username, person)] = now
        await self.audit.record("read-record", actor=username, target=person, role=role, read=what)
