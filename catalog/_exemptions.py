"""Exemptions with their history: every grant and revocation is an event, appended, never
changed, so who exempted whom from what, when and why stays answerable.

    exemption_events  {_id, person, package, action: "grant" | "revoke", reason, by,
                       at: ISO time (UTC)}

A person is exempt from a package when their latest event for it is a grant. Exemptions
recorded before the history (the `exemptions` collection: one current document per person and
package with `reason`, `granted_by`, `granted_at`) are read as grant events, so nothing granted
then is lost; nothing here writes that collection.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any, Literal

from catalog.errors import Invalid, NotFound
from lrs.store import Database

Action = Literal["grant", "revoke"]


class ExemptionStore:
    def __init__(self, database: Database) -> None:
        self.events = database["exemption_events"]
        self.legacy = database["exemptions"]

    async def create_indexes(self) -> None:
        await self.events.create_index([("person", 1), ("at", 1)])

    async def grant(self, person: str, package: str, reason: str, by: str) -> dict[str, Any]:
        """Exempt `person` from `package` (again, if already: the new reason is recorded)."""
        return await self._append(person, package, "grant", reason, by)

    async def revoke(self, person: str, package: str, reason: str, by: str) -> dict[str, Any]:
        """End an active exemption; NotFound if there is none, Invalid without a reason."""
        _require_reason("revoking", reason)
        if package not in (await self.active_of([person]))[person]:
            raise NotFound(f"package: {person} has no exemption from {package!r} to revoke")
        return await self._append(person, package, "revoke", reason, by)

    async def active_of(self, people: list[str]) -> dict[str, set[str]]:
        """Each person's packages they are exempt from now."""
        found: dict[str, set[str]] = {person: set() for person in people}
        latest: dict[tuple[str, str], dict[str, Any]] = {}
        for event in await self._events({"person": {"$in": list(people)}}):
            latest[(event["person"], event["package"])] = event
        for (person, package), event in latest.items():
            if event["action"] == "grant":
                found[person].add(package)
        return found

    async def history_of(self, person: str) -> list[dict[str, Any]]:
        """Every grant and revocation for the person, oldest first: package, action, reason,
        by (username) and at (ISO time, UTC)."""
        return [
            {key: event[key] for key in ("package", "action", "reason", "by", "at")}
            for event in await self._events({"person": person})
        ]

    async def _append(
        self, person: str, package: str, action: Action, reason: str, by: str
    ) -> dict[str, Any]:
        _require_reason("an exemption" if action == "grant" else "revoking", reason)
        at = datetime.now(UTC).isoformat(timespec="microseconds")
        event = {
            "_id": f"{at}|{secrets.token_hex(4)}",
            "person": person,
            "package": package,
            "action": action,
            "reason": reason.strip(),
            "by": by,
            "at": at,
        }
        await self.events.insert_one(dict(event))
        return event

    async def _events(self, query: dict[str, Any]) -> list[dict[str, Any]]:
        """The events matching `query`, the old current exemptions among them, in time order."""
        events = await self.events.find(query).to_list()
        for doc in await self.legacy.find(query).to_list():
            events.append(
                {
                    "_id": "",
                    "person": doc["person"],
                    "package": doc["package"],
                    "action": "grant",
                    "reason": doc.get("reason", ""),
                    "by": doc.get("granted_by", ""),
                    "at": doc.get("granted_at", ""),
                }
            )
        return sorted(events, key=lambda e: (_instant(e["at"]), e["_id"]))


def _require_reason(what: str, reason: str) -> None:
    if not reason.strip():
        raise Invalid(f"{what} needs a reason", path="reason")


def _instant(at: str) -> datetime:
    try:
        moment = datetime.fromisoformat(at)
    except ValueError:
        return datetime.min.replace(tzinfo=UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
