"""Which classroom session to offer a person, as pure functions: the leader's "enrol" buttons
on the office page and `Commands.offer_next_sessions` (everyone overdue at once) both ask
`session_offer`.

A person still needs a classroom module of a package when the package applies to them, they
are not exempt, and they have not completed the module (or their completion is being renewed);
the session offered is the next one not yet started in their county with a free seat, else the
next one not yet started (a place on its waitlist). One who already holds a seat or a place in
a session of the module not yet started is offered nothing new.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from catalog._access import Viewer, may_see_office, require
from catalog._commands import Commands
from catalog._model import Package
from catalog._progress import PackageStatus
from catalog._sessions import Session
from catalog.errors import Conflict, Invalid, NotFound


@dataclass(frozen=True)
class SessionOffer:
    """For one classroom module the person still needs: their booking, or what to offer."""

    module: str
    booked: Session | None  # a session not yet started they hold a seat or place in
    waitlisted: bool  # their place in `booked` is on the waitlist
    offer: Session | None  # the next session not yet started with a free seat, else the next

    @property
    def full(self) -> bool:
        """The session offered has no free seat: the person would go on its waitlist."""
        return self.offer is not None and self.offer.free == 0


def classroom_needs(package: Package, status: PackageStatus) -> list[str]:
    """The classroom modules of the package the person still needs (catalog order)."""
    if status.status in ("completed", "waived"):
        return []
    renewing = status.completed_at is not None
    return [
        module.id
        for module in package.modules
        if module.classroom and (renewing or status.modules[module.id].completed_at is None)
    ]


def session_offer(
    package: Package,
    status: PackageStatus,
    person: str,
    region: str,
    sessions: Iterable[Session],
    today: date,
) -> SessionOffer | None:
    """What to offer the person for the first classroom module of the package they still
    need; None when they need none (done, exempt, or only e-learning left)."""
    needs = classroom_needs(package, status)
    if not needs:
        return None
    module = needs[0]
    upcoming = sorted(
        (
            s
            for s in sessions
            if (s.package_id, s.module_id, s.region) == (package.id, module, region)
            and s.starts >= today
        ),
        key=lambda s: (s.starts, s.id),
    )
    booked = next((s for s in upcoming if person in s.enrolled or person in s.waitlist), None)
    if booked is not None:
        return SessionOffer(module, booked, person in booked.waitlist, None)
    free = next((s for s in upcoming if s.free > 0), None)
    return SessionOffer(module, None, False, free or next(iter(upcoming), None))


@dataclass(frozen=True)
class Offered:
    """What the offer did for one overdue person: a seat ("enrolled"), a place on the waitlist
    ("waitlisted"), nothing since they hold one already ("booked"), or nothing and why
    ("no_classroom": only e-learning is left; "no_session": none is scheduled; "refused":
    the rules refused it, `detail` says how)."""

    person: str
    name: str
    due: date | None
    outcome: str
    session: Session | None = None
    detail: str = ""


async def offer_to_overdue(
    commands: Commands, viewer: Viewer, office: str, package_id: str
) -> list[Offered]:
    """Offer everyone of the office overdue on the package the next session with a free seat
    of the classroom module they still need (else a place on the next one's waitlist), the
    longest overdue first; each enrolment goes through `Commands.enrol`, which checks who may
    and refuses a module already completed. For the office's leader, its county's
    coordinator, the directorate and administrators."""
    found = await commands.store.office(office)
    if found is None:
        raise NotFound(f"no office {office!r}")
    require(may_see_office(viewer, office, found["region"]), f"office {office}")
    package = next((p for p in commands.catalog.packages if p.id == package_id), None)
    if package is None:
        raise NotFound(f"package: no package {package_id!r}")
    if commands.statuses is None:
        raise Invalid("the statuses are not kept here", path="package")
    overdue = sorted(
        (
            (status.due or date.max, row.name, row, status)
            for row in await commands.statuses.office_rows(office)
            for status in row.statuses
            if status.package_id == package_id and status.status == "overdue"
        ),
        key=lambda item: (item[0], item[1], item[2].person.id),
    )
    today = commands.today()
    result = []
    for due, name, row, status in overdue:
        person = row.person
        sessions = await commands.classroom.in_region(person.region)
        offer = session_offer(package, status, person.id, person.region, sessions, today)
        shown_due = None if due == date.max else due
        if offer is None:
            result.append(Offered(person.id, name, shown_due, "no_classroom"))
        elif offer.booked is not None:
            result.append(Offered(person.id, name, shown_due, "booked", offer.booked))
        elif offer.offer is None:
            result.append(Offered(person.id, name, shown_due, "no_session"))
        else:
            try:
                outcome = await commands.enrol(viewer, offer.offer.id, person.id)
            except (Conflict, Invalid) as exc:
                result.append(Offered(person.id, name, shown_due, "refused", detail=exc.message))
                continue
            session = await commands.classroom.get(offer.offer.id)
            result.append(Offered(person.id, name, shown_due, outcome, session))
    return result
