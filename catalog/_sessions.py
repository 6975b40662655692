"""Classroom sessions of a module, and the Ny i NAV pipeline (seed 004 §6.2).

Counties run the classroom part of Ny i NAV about twice a year; with so few sessions, new hires
can work for months without the basics and some miss the 6-month deadline. `pipeline` makes
that visible before it happens: it gives the county's new hires seats in the scheduled sessions,
earliest deadline first, and lists everyone left without a seat before their deadline.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date


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

    @property
    def free(self) -> int:
        return max(self.seats - len(self.enrolled), 0)


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
        if s.starts >= today
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
