"""Classroom sessions of a module, and the Ny i NAV pipeline (seed 004 §6.2).

Counties run the classroom part of Ny i NAV about twice a year; with so few sessions, new hires
can work for months without the basics and some miss the 6-month deadline. `pipeline` makes
that visible before it happens: it gives the county's new hires seats in the scheduled sessions,
earliest deadline first, and lists everyone left without a seat before their deadline.

`SessionDraft` is what a coordinator schedules or changes (module, dates, days, place,
instructors, seats); `draft_problems` says what is wrong with one, field by field, as codes
(`PROBLEMS`) that the API words in English and the pages in the reader's language.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any


@dataclass(frozen=True)
class Session:
    """One run of a classroom module: when, where (county), and its seats."""

    id: str
    package_id: str
    module_id: str
    region: str
    starts: date
    seats: int
    enrolled: tuple[str, ...] = ()  # person ids, in the order they got a seat
    waitlist: tuple[str, ...] = ()
    ends: date | None = None  # the last day (None: a one-day session)
    days: tuple[date, ...] = ()  # the days it meets, from `starts` to `ends`
    place: str = ""
    instructors: tuple[str, ...] = ()  # employee ids
    cancelled: bool = False
    released: tuple[str, ...] = ()  # who held a seat or place when it was cancelled

    @property
    def free(self) -> int:
        return max(self.seats - len(self.enrolled), 0)

    @property
    def last_day(self) -> date:
        return self.ends or self.starts

    def plan(self) -> dict[str, Any]:
        """What is planned, as JSON: the module, the days, the place, the instructors and the
        seats (the API's and the reports' views of a session add who has the seats)."""
        return {
            "id": self.id,
            "package": self.package_id,
            "module": self.module_id,
            "starts": self.starts.isoformat(),
            "ends": self.last_day.isoformat(),
            "days": [d.isoformat() for d in self.days],
            "place": self.place,
            "instructors": list(self.instructors),
            "seats": self.seats,
        }


@dataclass(frozen=True)
class SessionDraft:
    """A session as a coordinator schedules or changes it."""

    package_id: str
    module_id: str
    starts: date
    seats: int
    ends: date | None = None
    days: tuple[date, ...] = ()
    place: str = ""
    instructors: tuple[str, ...] = ()

    def meeting_days(self) -> tuple[date, ...]:
        """The days given, else every weekday from the first day to the last (the first day
        always, even on a weekend)."""
        if self.days:
            return tuple(sorted(set(self.days)))
        last = self.ends or self.starts
        span = (last - self.starts).days
        every = (self.starts + timedelta(days=n) for n in range(span + 1))
        return tuple(d for d in every if d == self.starts or d.weekday() < 5)


MAX_DAYS = 31  # a gathering over more than a month is two sessions
MAX_SEATS = 500
MAX_PLACE = 200
PROBLEMS: dict[str, str] = {
    "module_unknown": "not a classroom module of the catalog",
    "module_has_people": "people hold seats or places: move them before changing the module",
    "starts_past": "the first day has passed",
    "ends_before_start": "the last day is before the first",
    "ends_too_far": f"a session lasts at most {MAX_DAYS} days",
    "days_outside": "every day must be between the first day and the last",
    "place_too_long": f"at most {MAX_PLACE} characters",
    "instructors_unknown": "not a person of the county",
    "seats_too_few": "at least 1",
    "seats_too_many": f"at most {MAX_SEATS}",
    "seats_below_enrolled": "fewer seats than people enrolled: move or cancel some first",
}
"""Problem codes and what the API says for each (the pages word them in their language)."""


def draft_problems(
    draft: SessionDraft,
    classroom_modules: Iterable[tuple[str, str]],
    today: date,
    existing: Session | None = None,
) -> dict[str, str]:
    """What is wrong with a draft, field by field (field -> a `PROBLEMS` code); empty when
    nothing is. `existing`: the session being changed (its people, its first day)."""
    problems: dict[str, str] = {}
    module = (draft.package_id, draft.module_id)
    if module not in set(classroom_modules):
        problems["module"] = "module_unknown"
    elif existing is not None and module != (existing.package_id, existing.module_id):
        if existing.enrolled or existing.waitlist:
            problems["module"] = "module_has_people"
    moved = existing is None or draft.starts != existing.starts
    if moved and draft.starts < today:
        problems["starts"] = "starts_past"
    last = draft.ends or draft.starts
    if last < draft.starts:
        problems["ends"] = "ends_before_start"
    elif (last - draft.starts).days >= MAX_DAYS:
        problems["ends"] = "ends_too_far"
    elif any(not draft.starts <= d <= last for d in draft.days):
        problems["days"] = "days_outside"
    if len(draft.place) > MAX_PLACE:
        problems["place"] = "place_too_long"
    if draft.seats < 1:
        problems["seats"] = "seats_too_few"
    elif draft.seats > MAX_SEATS:
        problems["seats"] = "seats_too_many"
    elif existing is not None and draft.seats < len(existing.enrolled):
        problems["seats"] = "seats_below_enrolled"
    return problems


@dataclass(frozen=True)
class Candidate:
    """A person who still needs the module, with the deadline they must meet."""

    person_id: str
    region: str
    due: date


@dataclass(frozen=True)
class Placement:
    person_id: str
    due: date
    session: Session | None  # None: no scheduled session before the deadline has a seat


@dataclass
class _Seats:
    session: Session
    left: int
    taken: list[str] = field(default_factory=list)


def next_session(candidate: Candidate, sessions: Iterable[Session], today: date) -> Session | None:
    """The earliest session in the person's county, not yet started, before their deadline,
    with a free seat (or already holding their seat)."""
    usable = [
        s
        for s in sessions
        if s.region == candidate.region
        and not s.cancelled
        and today <= s.starts <= candidate.due
        and (s.free > 0 or candidate.person_id in s.enrolled)
    ]
    return min(usable, key=lambda s: s.starts, default=None)


def pipeline(
    candidates: Iterable[Candidate], sessions: Iterable[Session], today: date
) -> list[Placement]:
    """Every candidate placed in a session before their deadline, earliest deadline first;
    those with `session=None` cannot make it with the sessions scheduled."""
    seats = {
        s.id: _Seats(s, s.free)
        for s in sorted(sessions, key=lambda s: (s.starts, s.id))
        if s.starts >= today and not s.cancelled
    }
    placements = []
    for candidate in sorted(candidates, key=lambda c: (c.due, c.person_id)):
        chosen = None
        for slot in seats.values():
            session = slot.session
            if session.region != candidate.region or session.starts > candidate.due:
                continue
            if candidate.person_id in session.enrolled:
                chosen = session
                break
            if slot.left > 0:
                slot.left -= 1
                slot.taken.append(candidate.person_id)
                chosen = session
                break
        placements.append(Placement(candidate.person_id, candidate.due, chosen))
    return placements


def at_risk(placements: Iterable[Placement]) -> list[Placement]:
    """The candidates who cannot meet their deadline with the sessions scheduled."""
    return [p for p in placements if p.session is None]
