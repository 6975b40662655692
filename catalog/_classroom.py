"""Stored classroom sessions: dates, days, place, instructors, county, seats and waitlist;
enrolment, cancelling a seat, changing a session (a seat added goes to the first waiting),
cancelling a session (its people released) and moving a person to another session.

classroom_sessions {_id, package, module, region, starts, ends, days: [...], place,
instructors: [...], seats, enrolled: [...], waitlist: [...], cancelled, released: [...]}

Every change of the lists is a compare-and-set on them, so concurrent changes are never lost.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from catalog._sessions import Session, SessionDraft
from catalog.errors import Conflict, Invalid, NotFound
from lrs.store import Database


class ClassroomStore:
    def __init__(self, database: Database) -> None:
        self.sessions = database["classroom_sessions"]

    async def create_indexes(self) -> None:
        await self.sessions.create_index([("region", 1), ("starts", 1)], name="region_starts")

    async def add(
        self,
        package: str,
        module: str,
        region: str,
        starts: date,
        seats: int,
        *,
        ends: date | None = None,
        days: tuple[date, ...] = (),
        place: str = "",
        instructors: tuple[str, ...] = (),
    ) -> Session:
        draft = SessionDraft(package, module, starts, seats, ends, days, place, instructors)
        return await self.add_draft(region, draft)

    async def add_draft(self, region: str, draft: SessionDraft) -> Session:
        """A new session in the county as `draft` says (its problems checked by the caller;
        at least one seat)."""
        if draft.seats < 1:
            raise Invalid("at least 1", path="seats")
        session_id = str(uuid.uuid4())
        await self.sessions.insert_one(
            {
                "_id": session_id,
                "region": region,
                **_fields(draft),
                "enrolled": [],
                "waitlist": [],
                "cancelled": False,
                "released": [],
            }
        )
        return await self.get(session_id)

    async def get(self, session_id: str) -> Session:
        found = await self.sessions.find_one({"_id": session_id})
        if found is None:
            raise NotFound(f"no session {session_id!r}")
        return _session(found)

    async def in_region(self, region: str, *, cancelled: bool = False) -> list[Session]:
        """The county's sessions by first day: those scheduled, or (`cancelled`) those
        cancelled."""
        found = await self.sessions.find({"region": region}).sort([("starts", 1)]).to_list()
        return [s for s in map(_session, found) if s.cancelled == cancelled]

    async def enrol(self, session_id: str, person: str) -> str:
        """A seat if one is free, else a place on the waitlist; returns which."""
        session = await self.get(session_id)
        if session.cancelled:
            raise Conflict(f"session {session_id!r} is cancelled")
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
        if not await self._swap(session, {"enrolled": enrolled, "waitlist": waitlist}):
            return await self.cancel(session_id, person)
        return promoted

    async def change(self, session_id: str, draft: SessionDraft) -> tuple[Session, list[str]]:
        """Change the session's module, dates, days, place, instructors and seats; seats added
        go to the first on the waitlist, whose ids are returned in the order they moved up.
        Fewer seats than people enrolled is Invalid (the caller checks first)."""
        session = await self.get(session_id)
        if session.cancelled:
            raise Conflict(f"session {session_id!r} is cancelled")
        if draft.seats < len(session.enrolled):
            raise Invalid("fewer seats than people enrolled", path="seats")
        enrolled, waitlist = list(session.enrolled), list(session.waitlist)
        promoted = waitlist[: max(draft.seats - len(enrolled), 0)]
        enrolled += promoted
        waitlist = waitlist[len(promoted) :]
        changes = {**_fields(draft), "enrolled": enrolled, "waitlist": waitlist}
        if not await self._swap(session, changes):
            return await self.change(session_id, draft)
        return await self.get(session_id), promoted

    async def cancel_session(self, session_id: str) -> Session:
        """Cancel the session: everyone holding a seat or a place is released (kept in
        `released`, seats first), and it is offered to no one any more."""
        session = await self.get(session_id)
        if session.cancelled:
            return session
        released = [*session.enrolled, *session.waitlist]
        changes = {"cancelled": True, "released": released, "enrolled": [], "waitlist": []}
        if not await self._swap(session, changes):
            return await self.cancel_session(session_id)
        return await self.get(session_id)

    async def _swap(self, session: Session, changes: dict[str, Any]) -> bool:
        """Write `changes` if the session's lists are still as read (compare-and-set)."""
        result = await self.sessions.update_one(
            {
                "_id": session.id,
                "enrolled": list(session.enrolled),
                "waitlist": list(session.waitlist),
            },
            {"$set": changes},
        )
        return bool(result.matched_count)


def _fields(draft: SessionDraft) -> dict[str, Any]:
    return {
        "package": draft.package_id,
        "module": draft.module_id,
        "starts": draft.starts.isoformat(),
        "ends": (draft.ends or draft.starts).isoformat(),
        "days": [d.isoformat() for d in draft.meeting_days()],
        "place": draft.place,
        "instructors": list(draft.instructors),
        "seats": draft.seats,
    }


def _session(document: dict[str, Any]) -> Session:
    starts = date.fromisoformat(document["starts"])
    return Session(
        id=document["_id"],
        package_id=document["package"],
        module_id=document["module"],
        region=document["region"],
        starts=starts,
        seats=int(document["seats"]),
        enrolled=tuple(document["enrolled"]),
        waitlist=tuple(document["waitlist"]),
        ends=date.fromisoformat(document["ends"]) if document.get("ends") else None,
        days=tuple(date.fromisoformat(d) for d in document.get("days", [])) or (starts,),
        place=str(document.get("place", "")),
        instructors=tuple(document.get("instructors", [])),
        cancelled=bool(document.get("cancelled", False)),
        released=tuple(document.get("released", [])),
    )
