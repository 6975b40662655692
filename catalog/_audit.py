"""The audit log: who signed in, changed or looked at what, and when. Append-only.

    audit  {_id: "<time>|<random>", at: ISO time (UTC), actor: username or None,
            action, target: what it was about (a username, a person id, ...) or None,
            detail: {...}}

Actions: `sign-in`, `sign-in-failed`, `sign-in-refused` (locked, or an identity provider's
token refused), `sign-out`, `sessions-ended` (a password or role change ended them),
`account-changed`, `account-removed`, `exemption`, `import`, `read-record` (a leader, county
coordinator or the directorate reading another person's record), `export`, `erasure`,
`retention`. Nothing here changes or removes an entry, except retention (`remove_before`),
which removes whole entries older than the period the administrator chose, itself logged.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any

from lrs.store import Database

ACTIONS = (
    "sign-in",
    "sign-in-failed",
    "sign-in-refused",
    "sign-out",
    "sessions-ended",
    "account-changed",
    "account-removed",
    "exemption",
    "import",
    "read-record",
    "export",
    "erasure",
    "retention",
)


class AuditLog:
    def __init__(self, database: Database) -> None:
        self.collection = database["audit"]
        self._indexed = False

    async def create_indexes(self) -> None:
        """Called by the first write (creating an index that exists is a no-op)."""
        await self.collection.create_index([("at", 1)])
        await self.collection.create_index([("target", 1), ("at", 1)])
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
        limit: int = 1000,
    ) -> list[dict[str, Any]]:
        """The newest entries first, filtered by time (ISO, inclusive), action and target."""
        query: dict[str, Any] = {}
        if since:
            query["at"] = {"$gte": since}
        if action:
            query["action"] = action
        if target:
            query["target"] = target
        found = await self.collection.find(query).sort([("_id", -1)]).limit(limit).to_list()
        return [{k: v for k, v in entry.items() if k != "_id"} for entry in found]

    async def remove_before(self, cutoff: str) -> int:
        """Retention: remove the entries older than `cutoff` (ISO time); how many."""
        result = await self.collection.delete_many({"at": {"$lt": cutoff}})
        return int(result.deleted_count)
