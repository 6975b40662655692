"""Stored classroom sessions: dates, county, seats and waitlist, enrolment and cancelling.

classroom_sessions {_id, package, module, region, starts, seats, enrolled: [...], waitlist: [...]}
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from catalog._sessions import Session
from catalog.errors import Invalid, NotFound
from lrs.store import Database


class ClassroomStore:
    def __init__(self, database: Database) -> None:
        self.sessions = database["classroom_sessions"]

    async def create_indexes(self) -> None:
        await self.sessions.create_index([("region", 1), ("starts", 1)], name="region_starts")

    async def add(
        self, package: str, module: str, region: str, starts: date, seats: int
    ) -> Session:
        if seats < 1:
            raise Invalid("at least 1", path="seats")
        session_id = str(uuid.uuid4())
        await self.sessions.insert_one(
            {
                "_id": session_id,
                "package": package,
                "module": module,
                "region": region,
                "starts": starts.isoformat(),
                "seats": seats,
                "enrolled": [],
                "waitlist": [],
            }
        )
        return await self.get(session_id)

    async def get(self, session_id: str) -> Session:
        found = await self.sessions.find_one({"_id": session_id})
        if found is None:
            raise NotFound(f"no session {session_id!r}")
        return _session(found)

    async def in_region(self, region: str) -> list[Session]:
        found = await self.sessions.find({"region": region}).sort([("starts", 1)]).to_list()
        return [_session(doc) for doc in found]

    async def enrol(self, session_id: str, person: str) -> str:
        """A seat if one is free, else a place on the waitlist; returns which."""
        session = await self.get(session_id)
        if person in session.enrolled or person in session.waitlist:
            return "enrolled" if person in session.enrolled else "waitlisted"
        field = "enrolled" if session.free > 0 else "waitlist"
        # Compare-and-set on the seat count, so two enrolments never share the last seat.
        result = await self.sessions.update_one(
            {"_id": session_id, "enrolled": list(session.enrolled)},
            {"$push": {field: person}},
        )
        if not result.matched_count:
            return await self.enrol(session_id, person)
        return "enrolled" if field == "enrolled" else "waitlisted"

    async def cancel(self, session_id: str, person: str) -> str | None:
        """Take the person off the session (a seat or the waitlist); a seat freed goes to the
        first on the waitlist, whose id is returned (None when no one moved up). NotFound if
        the person holds neither."""
        session = await self.get(session_id)
        enrolled, waitlist = list(session.enrolled), list(session.waitlist)
        if person not in enrolled and person not in waitlist:
            raise NotFound(f"{person!r} has no seat or place in session {session_id!r}")
        promoted = None
        if person in waitlist:
            waitlist.remove(person)
        else:
            enrolled.remove(person)
            if waitlist and len(enrolled) < session.seats:
                promoted = waitlist.pop(0)
                enrolled.append(promoted)
        # Compare-and-set on both lists, so a concurrent enrolment or cancelling is not lost.
        result = await self.sessions.update_one(
            {
                "_id": session_id,
                "enrolled": list(session.enrolled),
                "waitlist": list(session.waitlist),
            },
            {"$set": {"enrolled": enrolled, "waitlist": waitlist}},
        )
        if not result.matched_count:
            return await self.cancel(session_id, person)
        return promoted


def _session(document: dict[str, Any]) -> Session:
    return Session(
        id=document["_id"],
        package_id=document["package"],
        module_id=document["module"],
        region=document["region"],
        starts=date.fromisoformat(document["starts"]),
        seats=int(document["seats"]),
        enrolled=tuple(document["enrolled"]),
        waitlist=tuple(document["waitlist"]),
    )
