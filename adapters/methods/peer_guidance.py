"""Veiledning fra kollega (peer guidance, seed 000 §6.4): guidance from a more experienced
colleague, one to one or in groups, also from expert teams travelling the county.

Each mentee attended the guidance session (with the mentor as instructor, and the group as
team); the mentor mentored the mentee or the group, so the work of peer supervisors shows too.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field

from adapters import vocabulary as v
from adapters._base import Adapter, Record, activity
from adapters._fields import Day, Hours, Iri, People, Person, Text


class PeerGuidance(Record):
    """One guidance session: a mentor and one or more mentees."""

    aliases: ClassVar[dict[str, str]] = {
        "veileder": "mentor",
        "veiledet": "mentees",
        "veiledede": "mentees",
        "tema": "topic",
        "dato": "guided_on",
    }

    mentor: Person
    mentees: People = Field(min_length=1)
    topic: Text
    """What the guidance was about, e.g. ``Arbeidsevnevurdering``."""
    session: Iri | None = None
    """The guidance's IRI (derived from the topic when not given)."""
    guided_on: Day
    hours: Hours | None = None


class PeerGuidanceAdapter(Adapter[PeerGuidance]):
    name = "veiledning-fra-kollega"
    method = "veiledning-fra-kollega"
    title: ClassVar[dict[str, str]] = {"nb": "Veiledning fra kollega", "en": "Peer guidance"}
    record_type = PeerGuidance
    templates = (v.template("peer-guidance-attended"), v.template("peer-guidance-mentored"))

    def build(self, record: PeerGuidance) -> list[dict[str, Any]]:
        iri = record.session or self.activity_iri(record.topic)
        session = activity(iri, v.TUTOR_SESSION, record.topic)
        members = [mentee.agent() for mentee in record.mentees]
        group = {"objectType": "Group", "member": members}
        registration = self.registration(record.mentor.key(), iri)
        found = []
        for mentee, agent in zip(record.mentees, members, strict=True):
            context: dict[str, Any] = {"instructor": record.mentor.agent()}
            if len(members) > 1:
                context["team"] = group
            found.append(
                self.statement(
                    record,
                    role="attended",
                    identity=(mentee.key(), iri, record.guided_on, record.mentor.key()),
                    actor=agent,
                    verb=v.ATTENDED,
                    target=session,
                    when=record.guided_on,
                    registration=registration,
                    hours=record.hours,
                    context=context,
                )
            )
        found.append(
            self.statement(
                record,
                role="mentored",
                identity=(record.mentor.key(), iri, record.guided_on),
                actor=record.mentor.agent(),
                verb=v.MENTORED,
                target=members[0] if len(members) == 1 else group,
                when=record.guided_on,
                registration=registration,
                hours=record.hours,
                context={"contextActivities": {"other": [session]}},
            )
        )
        return found
