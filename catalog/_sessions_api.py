"""The county's classroom sessions under /api, beyond scheduling them (`catalog._api`): one
session with its people, changing it, cancelling it, and moving a person to another session.

- `GET /api/sessions/{session}`: the session, its people (seat, waitlist, or released by a
  cancellation) with office and deadline, its instructors by name;
- `PATCH /api/sessions/{session}`: any of {"package", "module", "starts", "ends", "days",
  "place", "instructors", "seats"}; seats added go to the first waiting
  (`{"session": ..., "promoted": [ids]}`);
- `DELETE /api/sessions/{session}`: cancel it; everyone with a seat or a place is released
  (`{"result": "cancelled", "released": [ids]}`) and needs a new seat;
- `POST /api/sessions/{session}/enrolments/{person}/move` {"to": session}: a seat in the other
  session (or a place on its waitlist) and the old seat freed
  (`{"result": "enrolled"|"waitlisted", "promoted": id or null}`).

Who may: the county's coordinator, the directorate and administrators
(`catalog._access.may_schedule`); a leader, a learner and another county's coordinator get 403.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request

from catalog._api import ViewerDep
from catalog._deps import CommandsDep, ReportsDep, json_object
from catalog._sessions import Session, SessionDraft
from catalog.errors import Invalid

router = APIRouter(prefix="/api")


@router.post("/regions/{region}/sessions", status_code=201)
async def add_session(
    region: str, request: Request, viewer: ViewerDep, commands: CommandsDep
) -> dict[str, Any]:
    """Schedule a classroom session: {"package", "module", "starts": "YYYY-MM-DD", "seats"},
    and if wanted "ends", "days" (the meeting days; else every weekday from the first to the
    last), "place" and "instructors" (employee ids of the county); 400 naming the first field
    wrong."""
    draft = draft_of(await json_object(request), None)
    session = await commands.schedule(viewer, region, draft)
    return _view(session)


@router.get("/sessions/{session}")
async def session_detail(session: str, viewer: ViewerDep, reports: ReportsDep) -> dict[str, Any]:
    """The session and its people, for those who may see its county."""
    return await reports.session(viewer, session)


@router.patch("/sessions/{session}")
async def edit_session(
    session: str, request: Request, viewer: ViewerDep, commands: CommandsDep
) -> dict[str, Any]:
    """Change a session: the fields given replace the stored ones (400 naming the first
    field wrong, e.g. fewer seats than enrolled, a last day before the first)."""
    body = await json_object(request)
    before = await commands.classroom.get(session)
    after, promoted = await commands.edit_session(viewer, session, draft_of(body, before))
    return {"session": _view(after), "promoted": promoted}


@router.delete("/sessions/{session}")
async def cancel_session(session: str, viewer: ViewerDep, commands: CommandsDep) -> dict[str, Any]:
    """Cancel a session; its people are released (they need a new seat)."""
    cancelled = await commands.cancel_session(viewer, session)
    return {"result": "cancelled", "released": list(cancelled.released)}


@router.post("/sessions/{session}/enrolments/{person}/move")
async def move(
    session: str, person: str, request: Request, viewer: ViewerDep, commands: CommandsDep
) -> dict[str, str | None]:
    """Move a person to another session of the same module: {"to": session id}."""
    body = await json_object(request)
    to = body.get("to")
    if not isinstance(to, str):
        raise Invalid("required (a session id)", path="to")
    result, promoted = await commands.move(viewer, session, person, to)
    return {"result": result, "promoted": promoted}


def draft_of(body: dict[str, Any], before: Session | None) -> SessionDraft:
    """The session as `body` changes it (what it leaves out stays as it is), or, without a
    session `before`, the new one it describes (package, module, starts and seats required)."""
    if before is None:
        for name in ("package", "module", "starts", "seats"):
            if name not in body:
                raise Invalid("required", path=name)
        stored: dict[str, Any] = {"days": [], "instructors": [], "place": ""}
    else:
        stored = {
            **_view(before),
            "days": [d.isoformat() for d in before.days],
            "ends": before.last_day.isoformat(),
        }
    given = {**stored, **body}
    seats = given["seats"]
    if not isinstance(seats, int) or isinstance(seats, bool):
        raise Invalid("a whole number is required", path="seats")
    place = given["place"]
    if not isinstance(place, str):
        raise Invalid("a string is required", path="place")
    days, instructors = given["days"], given["instructors"]
    for name, value in (("days", days), ("instructors", instructors)):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise Invalid("a list of strings is required", path=name)
    for name in ("package", "module"):
        if not isinstance(given[name], str):
            raise Invalid("a string is required", path=name)
    starts = _day(given["starts"], "starts")
    ends = _day(given["ends"], "ends") if "ends" in given else None
    if before is not None and ("starts" in body or "ends" in body) and "days" not in body:
        days = []  # new dates: every weekday between them unless the days are given
    return SessionDraft(
        given["package"],
        given["module"],
        starts,
        seats,
        ends,
        tuple(_day(d, "days") for d in days),
        place.strip(),
        tuple(dict.fromkeys(i.strip() for i in instructors if i.strip())),
    )


def _day(value: Any, path: str) -> date:
    if not isinstance(value, str):
        raise Invalid("a date, YYYY-MM-DD", path=path)
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise Invalid("a date, YYYY-MM-DD", path=path) from exc


def _view(session: Session) -> dict[str, Any]:
    return {
        **session.plan(),
        "enrolled": list(session.enrolled),
        "waitlist": list(session.waitlist),
    }
