"""Kurs og samlinger (courses and gatherings, seed 000 §6.1): registration, attendance per
session day, completion. One record is one learner on one row of an attendance list."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import model_validator

from adapters import vocabulary as v
from adapters._base import Adapter, Record, activity
from adapters._fields import Day, Flag, Hours, Iri, Person, Text


class CourseAttendance(Record):
    """One learner on one session day of a course or gathering."""

    aliases: ClassVar[dict[str, str]] = {
        "deltaker": "learner",
        "kurs": "course",
        "kursnavn": "course_name",
        "dato": "session_date",
        "samlingsdato": "session_date",
        "møtt": "attended",
        "oppmøte": "attended",
        "til_stede": "attended",
        "fullført": "completed",
        "påmeldt": "registered_on",
        "kjøring": "run",
    }

    learner: Person
    course: Iri
    """The course's activity IRI (for a catalog package: its module's IRI)."""
    course_name: Text | None = None
    session_date: Day
    attended: Flag = True
    completed: Flag = False
    """The learner completed the course with this session (usually its last day)."""
    registered_on: Day | None = None
    hours: Hours | None = None
    """Hours of teaching that day."""
    run: str | None = None
    """Which run of the course (e.g. ``2026-var``), when it is given more than once."""

    @model_validator(mode="after")
    def _completed_in_person(self) -> CourseAttendance:
        if self.completed and not self.attended:
            raise ValueError("completed, but did not attend the session")
        return self


class CourseAdapter(Adapter[CourseAttendance]):
    """Registered (when the list says when), attended (when present), completed."""

    name = "kurs-og-samlinger"
    method = "kurs-og-samlinger"
    title: ClassVar[dict[str, str]] = {"nb": "Kurs og samlinger", "en": "Courses and gatherings"}
    record_type = CourseAttendance
    templates = (
        v.template("course-registered"),
        v.template("course-attended"),
        v.template("course-completed"),
    )

    def build(self, record: CourseAttendance) -> list[dict[str, Any]]:
        who = record.learner
        course = activity(record.course, v.COURSE, record.course_name)
        registration = self.registration(who.key(), record.course, record.run)
        common: dict[str, Any] = {
            "actor": who.agent(),
            "target": course,
            "registration": registration,
        }
        found = []
        if record.registered_on is not None:
            found.append(
                self.statement(
                    record,
                    role="registered",
                    identity=(who.key(), record.course, record.run),
                    verb=v.REGISTERED,
                    when=record.registered_on,
                    **common,
                )
            )
        if record.attended:
            found.append(
                self.statement(
                    record,
                    role="attended",
                    identity=(who.key(), record.course, record.session_date),
                    verb=v.ATTENDED,
                    when=record.session_date,
                    hours=record.hours,
                    **common,
                )
            )
        if record.completed:
            found.append(
                self.statement(
                    record,
                    role="completed",
                    identity=(who.key(), record.course, record.run),
                    verb=v.COMPLETED,
                    when=record.session_date,
                    result={"completion": True},
                    **common,
                )
            )
        return found
