"""Classroom sessions: the next one that meets a deadline, and the Ny i NAV pipeline."""

from __future__ import annotations

from datetime import date

from catalog._sessions import Candidate, Session, at_risk, next_session, pipeline

TODAY = date(2026, 11, 23)


def session(sid: str, starts: date, seats: int, region: str = "oslo", **kw: object) -> Session:
    return Session(sid, "ny-i-nav", "samling", region, starts, seats, **kw)  # type: ignore[arg-type]


def test_next_session_meets_the_deadline_in_the_own_county() -> None:
    sessions = [
        session("vest", date(2026, 12, 1), 20, region="vestland"),
        session("full", date(2026, 12, 5), 1, enrolled=("someone",)),
        session("spring", date(2027, 3, 10), 20),
        session("autumn", date(2027, 9, 10), 20),
    ]
    kari = Candidate("kari", "oslo", due=date(2027, 4, 1))
    assert next_session(kari, sessions, TODAY).id == "spring"  # type: ignore[union-attr]
    late = Candidate("ola", "oslo", due=date(2027, 2, 1))
    assert next_session(late, sessions, TODAY) is None


def test_pipeline_gives_seats_earliest_deadline_first_and_lists_who_cannot_make_it() -> None:
    sessions = [session("spring", date(2027, 3, 10), 2), session("autumn", date(2027, 9, 10), 30)]
    candidates = [
        Candidate("a", "oslo", date(2027, 5, 1)),
        Candidate("b", "oslo", date(2027, 4, 1)),
        Candidate("c", "oslo", date(2027, 4, 15)),  # third for two spring seats
        Candidate("d", "oslo", date(2027, 12, 1)),
        Candidate("e", "oslo", date(2027, 1, 10)),  # before any session
    ]
    placed = {
        p.person_id: p.session.id if p.session else None
        for p in pipeline(candidates, sessions, TODAY)
    }
    assert placed == {"e": None, "b": "spring", "c": "spring", "a": None, "d": "autumn"}
    assert [p.person_id for p in at_risk(pipeline(candidates, sessions, TODAY))] == ["e", "a"]


def test_an_enrolled_person_keeps_their_seat() -> None:
    sessions = [session("spring", date(2027, 3, 10), 1, enrolled=("kari",))]
    [placement] = pipeline([Candidate("kari", "oslo", date(2027, 4, 1))], sessions, TODAY)
    assert placement.session is not None and placement.session.id == "spring"
