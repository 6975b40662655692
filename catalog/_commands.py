"""What changes the catalog's state on a user's behalf, each checked against who may do it
(`catalog._access`), recorded, and followed by `on_change(people)` so that what depends on
those people (their kept statuses) is recomputed.

- `exempt(viewer, person, package, reason)`: grant an exemption, with a reason.
- `revoke_exemption(viewer, person, package, reason)`: end one, with a reason.
- `add_session(viewer, region, package, module, starts, seats, ...)`: schedule a classroom
  session in a county, with its last day, days, place and instructors (its coordinator, the
  directorate, administrators: `may_schedule`); `schedule(viewer, region, draft)` does it from
  a `SessionDraft` (the API's and the page's); `session_problems` says what is wrong with a
  draft field by field, `edit_session` changes one (seats added go to the first waiting),
  `cancel_session` cancels one (its people released: they need a new seat) and `move` gives a
  person a seat (or a place) in another session and frees the old one.
- `enrol(viewer, session, person)`: give a person of the session's county a seat, or a place
  on the waitlist, in a session not yet started of a classroom module they still need.
- `cancel(viewer, session, person)`: give it up; a seat freed goes to the first on the
  waitlist.

Only the person's leader, their county's coordinator, the directorate and administrators may
exempt (`may_see_office`); enrolling and cancelling the learner may also do for themselves, in
a session of their own county (`may_enrol`). The reads are `catalog._reports.Reports`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

from catalog._access import (
    Viewer,
    may_enrol,
    may_schedule,
    may_see_office,
    may_see_person_id,
    require,
)
from catalog._audit import AuditLog
from catalog._classroom import ClassroomStore
from catalog._exemptions import ExemptionStore
from catalog._load import Catalog
from catalog._progress import Person
from catalog._sessions import PROBLEMS, Session, SessionDraft, draft_problems
from catalog._statuses import StatusKeeper
from catalog._store import CatalogStore
from catalog.errors import Conflict, Invalid, NotFound

OnChange = Callable[[list[str]], Awaitable[None]]


def _refuse(problems: dict[str, str]) -> None:
    """Invalid naming the first field wrong, in the API's words."""
    for field, code in problems.items():
        raise Invalid(PROBLEMS[code], path=field)


def _comparable(session: Session) -> dict[str, Any]:
    return {
        "module": (session.package_id, session.module_id),
        "starts": session.starts,
        "ends": session.last_day,
        "days": session.days,
        "place": session.place,
        "instructors": session.instructors,
        "seats": session.seats,
    }


class Commands:
    def __init__(
        self,
        catalog: Catalog,
        store: CatalogStore,
        exemptions: ExemptionStore,
        classroom: ClassroomStore,
        on_change: OnChange,
        *,
        audit: AuditLog | None = None,
        statuses: StatusKeeper | None = None,
        today: Callable[[], date] = date.today,
    ) -> None:
        self.catalog = catalog
        self.statuses = statuses  # to know who still needs a module (None: not checked)
        self.today = today
        self.store = store
        self.exemptions = exemptions
        self.classroom = classroom
        self.on_change = on_change
        self.audit = audit

    async def exempt(self, viewer: Viewer, person: str, package: str, reason: str) -> None:
        """Exempt the person from the package; who, when and why are kept."""
        await self._may_change(viewer, person, package)
        event = await self.exemptions.grant(person, package, reason, viewer.username)
        await self._changed(viewer, event)

    async def revoke_exemption(
        self, viewer: Viewer, person: str, package: str, reason: str
    ) -> None:
        """End the person's exemption from the package (Invalid without a reason, NotFound
        if they have none); the grant stays in the history."""
        await self._may_change(viewer, person, package)
        event = await self.exemptions.revoke(person, package, reason, viewer.username)
        await self._changed(viewer, event)

    async def exemption_history(self, viewer: Viewer, person: str) -> dict[str, Any]:
        """The person's exemptions now and every grant and revocation (who, when, why), for
        anyone who may see the person. (A read beside the commands it records.)"""
        await self._person(person, viewer)
        active = await self.exemptions.active_of([person])
        return {
            "person": person,
            "active": sorted(active[person]),
            "history": await self.exemptions.history_of(person),
        }

    async def add_session(
        self,
        viewer: Viewer,
        region: str,
        package: str,
        module: str,
        starts: date,
        seats: int,
        *,
        ends: date | None = None,
        days: tuple[date, ...] = (),
        place: str = "",
        instructors: tuple[str, ...] = (),
    ) -> Session:
        """Schedule a session of a classroom module in the county (Invalid naming the first
        field wrong)."""
        draft = SessionDraft(package, module, starts, seats, ends, days, place, instructors)
        return await self.schedule(viewer, region, draft)

    async def schedule(self, viewer: Viewer, region: str, draft: SessionDraft) -> Session:
        """Schedule the session `draft` describes in the county (Invalid naming the first
        field wrong): what `add_session` does, for the API and the page that read a draft."""
        _refuse(await self.session_problems(viewer, region, draft))
        session = await self.classroom.add_draft(region, draft)
        await self._audit_session(viewer, session, "scheduled")
        return session

    async def session_problems(
        self, viewer: Viewer, region: str, draft: SessionDraft, session: Session | None = None
    ) -> dict[str, str]:
        """What is wrong with scheduling `draft` in the county (or changing `session` to it),
        field by field as `PROBLEMS` codes; for those who may schedule there."""
        require(may_schedule(viewer, region), f"the sessions of county {region}")
        modules = [(p.id, m.id) for p in self.catalog.packages for m in p.modules if m.classroom]
        problems = draft_problems(draft, modules, self.today(), session)
        for instructor in draft.instructors:
            found = await self.store.person(instructor)
            if found is None or found.region != region:
                problems.setdefault("instructors", "instructors_unknown")
        return problems

    async def edit_session(
        self, viewer: Viewer, session_id: str, draft: SessionDraft
    ) -> tuple[Session, list[str]]:
        """Change a session; returns it and who moved up from the waitlist to the seats
        added, each audited."""
        before = await self.classroom.get(session_id)
        _refuse(await self.session_problems(viewer, before.region, draft, before))
        if before.cancelled:
            raise Conflict(f"session {session_id!r} is cancelled")
        after, promoted = await self.classroom.change(session_id, draft)
        changed = sorted(k for k, v in _comparable(after).items() if _comparable(before)[k] != v)
        await self._audit_session(viewer, after, "edited", fields=changed)
        for person in promoted:
            await self._audit_enrolment(viewer, after, person, "promoted")
        return after, promoted

    async def cancel_session(self, viewer: Viewer, session_id: str) -> Session:
        """Cancel a session. Everyone with a seat or a place is released (`released`), each
        audited: they need a new seat, and the pipeline shows them again."""
        session = await self.classroom.get(session_id)
        require(may_schedule(viewer, session.region), f"the sessions of county {session.region}")
        cancelled = await self.classroom.cancel_session(session_id)
        if session.cancelled:
            return cancelled
        await self._audit_session(viewer, cancelled, "cancelled", released=len(cancelled.released))
        for person in cancelled.released:
            await self._audit_enrolment(viewer, cancelled, person, "released")
        return cancelled

    async def move(
        self, viewer: Viewer, session_id: str, person: str, to: str
    ) -> tuple[str, str | None]:
        """Move a person from one session to another of the same module and county: a seat
        in the new one, or a place on its waitlist (returned), and the old seat freed (who
        got it is returned too)."""
        source, target = await self.classroom.get(session_id), await self.classroom.get(to)
        require(may_schedule(viewer, source.region), f"the sessions of county {source.region}")
        if person not in source.enrolled and person not in source.waitlist:
            raise NotFound(f"{person!r} has no seat or place in session {session_id!r}")
        if target.id == source.id:
            raise Invalid("the person is in that session already", path="to")
        same = (target.region, target.package_id, target.module_id) == (
            source.region,
            source.package_id,
            source.module_id,
        )
        if not same:
            raise Invalid("a session of the same module in the same county", path="to")
        if target.cancelled:
            raise Conflict(f"session {to!r} is cancelled")
        if target.starts < self.today():
            raise Invalid(f"the session started on {target.starts.isoformat()}", path="to")
        result = await self.classroom.enrol(to, person)
        await self._audit_enrolment(viewer, target, person, result, moved_from=source.id)
        promoted = await self.classroom.cancel(session_id, person)
        await self._audit_enrolment(
            viewer, source, person, "cancelled", promoted=promoted, moved_to=target.id
        )
        return result, promoted

    async def enrol(self, viewer: Viewer, session_id: str, person: str) -> str:
        """A seat for the person in the session ("enrolled"), or a place on its waitlist
        ("waitlisted"): a session of their county, not yet started, of a classroom module they
        still need (Conflict when they have completed it)."""
        found, session = await self._enrolment(viewer, session_id, person)
        if session.cancelled:
            raise Conflict(f"the session of {session.starts.isoformat()} is cancelled")
        if session.starts < self.today():
            raise Invalid(f"the session started on {session.starts.isoformat()}", path="session")
        await self._still_needs(found, session)
        result = await self.classroom.enrol(session_id, person)
        await self._audit_enrolment(viewer, session, person, result)
        return result

    async def cancel(self, viewer: Viewer, session_id: str, person: str) -> str | None:
        """Take the person off the session; returns who got the seat freed (the first on the
        waitlist), if anyone. NotFound when the person holds no seat or place in it."""
        _, session = await self._enrolment(viewer, session_id, person)
        promoted = await self.classroom.cancel(session_id, person)
        await self._audit_enrolment(viewer, session, person, "cancelled", promoted=promoted)
        return promoted

    async def _enrolment(
        self, viewer: Viewer, session_id: str, person: str
    ) -> tuple[Person, Session]:
        refused = f"the enrolments of {person}"
        found = await self._person(person, viewer, refused)
        session = await self.classroom.get(session_id)
        allowed = may_enrol(viewer, person, found.office, found.region, session.region)
        require(allowed, refused if viewer.person != person else "sessions in another county")
        if session.region != found.region:
            raise Invalid(f"{person} works in another county than the session", path="person")
        return found, session

    async def _still_needs(self, person: Person, session: Session) -> None:
        """Refuse a seat in a module the person has completed or need not take."""
        if self.statuses is None:
            return
        row = await self.statuses.person_row(person.id)
        if row is None:
            await self.statuses.refresh([person.id])
            row = await self.statuses.person_row(person.id)
        status = next(
            (s for s in (row.statuses if row else []) if s.package_id == session.package_id), None
        )
        if status is None or status.status == "waived":
            raise Invalid(
                f"{session.package_id} does not apply to {person.id} (or they are exempt)",
                path="person",
            )
        progress = status.modules.get(session.module_id)
        renewing = status.completed_at is not None and status.status != "completed"
        if status.status == "completed" or (
            progress is not None and progress.completed_at is not None and not renewing
        ):
            raise Conflict(f"{person.id} has completed {session.package_id}/{session.module_id}")

    async def _audit_enrolment(
        self, viewer: Viewer, session: Session, person: str, change: str, **detail: Any
    ) -> None:
        if self.audit is not None:
            await self.audit.record(
                "enrolment",
                actor=viewer.username,
                target=person,
                session=session.id,
                package=session.package_id,
                module=session.module_id,
                change=change,
                **detail,
            )

    async def _audit_session(
        self, viewer: Viewer, session: Session, change: str, **detail: Any
    ) -> None:
        if self.audit is not None:
            await self.audit.record(
                "classroom-session",
                actor=viewer.username,
                target=session.id,
                region=session.region,
                package=session.package_id,
                module=session.module_id,
                starts=session.starts.isoformat(),
                change=change,
                **detail,
            )

    async def _may_change(self, viewer: Viewer, person: str, package: str) -> None:
        refused = f"the record of {person} (only their leader may exempt)"
        found = await self._person(person, viewer, refused)
        require(may_see_office(viewer, found.office, found.region), refused)
        if package not in {p.id for p in self.catalog.packages}:
            raise NotFound(f"package: no package {package!r}")

    async def _person(self, person: str, viewer: Viewer, refused: str = "") -> Person:
        """The person, if `viewer` may see them: the same 403 whether or not they exist."""
        found = await self.store.person(person)
        unit = None if found is None else (found.office, found.region)
        require(may_see_person_id(viewer, person, unit), refused or f"the record of {person}")
        if found is None:
            raise NotFound(f"person: no person {person!r}")
        return found

    async def _changed(self, viewer: Viewer, event: dict[str, Any]) -> None:
        if self.audit is not None:
            await self.audit.record(
                "exemption",
                actor=viewer.username,
                target=event["person"],
                package=event["package"],
                change=event["action"],
                reason=event["reason"],
            )
        await self.on_change([event["person"]])
