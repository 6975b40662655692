"""Egentrening (self-study, seed 000 §6.2): reading and exercises before, during and after
gatherings. Experienced or completed, and the time spent."""

from __future__ import annotations

from typing import Any, ClassVar

from adapters import vocabulary as v
from adapters._base import Adapter, Record, activity
from adapters._fields import Day, Flag, Hours, Iri, Person, Text


class SelfStudy(Record):
    """One learner's self-study of one piece of material on one day."""

    aliases: ClassVar[dict[str, str]] = {
        "deltaker": "learner",
        "materiell": "material",
        "dato": "studied_on",
        "fullført": "completed",
        "kurs": "course",
    }

    learner: Person
    material: Text
    """What was studied, e.g. ``Forarbeid til Ny i NAV: kapittel 2``."""
    activity: Iri | None = None
    """The material's IRI (derived from its name when not given)."""
    studied_on: Day
    hours: Hours | None = None
    completed: Flag = True
    """False when the learner worked on it without finishing (recorded as experienced)."""
    course: Iri | None = None
    """The course the self-study prepares for or follows up (recorded as its grouping)."""


class SelfStudyAdapter(Adapter[SelfStudy]):
    name = "egentrening"
    method = "egentrening"
    title: ClassVar[dict[str, str]] = {"nb": "Egentrening", "en": "Self-study"}
    record_type = SelfStudy
    templates = (v.template("self-study-experienced"), v.template("self-study-completed"))

    def build(self, record: SelfStudy) -> list[dict[str, Any]]:
        who = record.learner
        iri = record.activity or self.activity_iri(record.material)
        verb = v.COMPLETED if record.completed else v.EXPERIENCED
        context: dict[str, Any] = {}
        if record.course:
            context["contextActivities"] = {"grouping": [activity(record.course, v.COURSE)]}
        return [
            self.statement(
                record,
                role="completed" if record.completed else "experienced",
                identity=(who.key(), iri, record.studied_on),
                actor=who.agent(),
                verb=verb,
                target=activity(iri, v.LESSON, record.material),
                when=record.studied_on,
                registration=self.registration(who.key(), iri),
                hours=record.hours,
                result={"completion": True} if record.completed else None,
                context=context,
            )
        ]
