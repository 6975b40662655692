"""Skulder ved skulder (shoulder to shoulder, seed 000 §6.3): learning a task on the job next
to an experienced colleague, also in buddy schemes (fadderordning) for new hires. Who learned
from whom, which task, how long; completion when the learner masters the task."""

from __future__ import annotations

from typing import Any, ClassVar

from adapters import vocabulary as v
from adapters._base import Adapter, Record, activity
from adapters._fields import Day, Flag, Hours, Iri, Person, Text


class ShoulderToShoulder(Record):
    """A learner learning a task next to a colleague on one day."""

    aliases: ClassVar[dict[str, str]] = {
        "deltaker": "learner",
        "kollega": "colleague",
        "fadder": "colleague",
        "oppgave": "task",
        "dato": "learned_on",
        "fadderordning": "buddy_scheme",
        "fullført": "completed",
    }

    learner: Person
    colleague: Person
    """The experienced colleague (the buddy, in a buddy scheme)."""
    task: Text
    """The task learned, e.g. ``Mottakssamtale i publikumsmottaket``."""
    activity: Iri | None = None
    learned_on: Day
    hours: Hours | None = None
    buddy_scheme: Flag = False
    completed: Flag = False
    """The learner has completed the training on this task (or the buddy period)."""


class ShoulderToShoulderAdapter(Adapter[ShoulderToShoulder]):
    name = "skulder-ved-skulder"
    method = "skulder-ved-skulder"
    title: ClassVar[dict[str, str]] = {"nb": "Skulder ved skulder", "en": "Shoulder to shoulder"}
    record_type = ShoulderToShoulder
    templates = (
        v.template("shoulder-to-shoulder-learned"),
        v.template("shoulder-to-shoulder-completed"),
    )

    def build(self, record: ShoulderToShoulder) -> list[dict[str, Any]]:
        who = record.learner
        iri = record.activity or self.activity_iri(record.task)
        common: dict[str, Any] = {
            "actor": who.agent(),
            "target": activity(iri, v.PERFORMANCE, record.task),
            "when": record.learned_on,
            "registration": self.registration(who.key(), iri),
            "context": {"instructor": record.colleague.agent()},
            "extensions": {v.BUDDY_SCHEME: True} if record.buddy_scheme else None,
        }
        found = [
            self.statement(
                record,
                role="learned",
                identity=(who.key(), iri, record.learned_on, record.colleague.key()),
                verb=v.LEARNED_SHOULDER_TO_SHOULDER,
                hours=record.hours,
                **common,
            )
        ]
        if record.completed:
            found.append(
                self.statement(
                    record,
                    role="completed",
                    identity=(who.key(), iri),
                    verb=v.COMPLETED,
                    result={"completion": True},
                    **common,
                )
            )
        return found
