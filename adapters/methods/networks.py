"""Kompetansenettverk og faglige fora (competence networks, seed 000 §6.6): network meetings
attended, and the knowledge shared back at the participant's own office, which the seeds say
participants are responsible for and nobody follows up (seed 004 §6.1)."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import model_validator

from adapters import vocabulary as v
from adapters._base import Adapter, Record, activity
from adapters._fields import Day, Flag, Hours, Iri, Person, Text


class NetworkMeeting(Record):
    """One participant of one network meeting, and whether they shared it at their office."""

    aliases: ClassVar[dict[str, str]] = {
        "deltaker": "learner",
        "nettverk": "network",
        "møte": "meeting",
        "samling": "meeting",
        "dato": "met_on",
        "møtt": "attended",
        "delt": "shared_on",
        "delt_dato": "shared_on",
    }

    learner: Person
    network: Text
    """The network or forum, e.g. ``Fagnettverk for arbeidsavklaring``."""
    meeting: Text | None = None
    """The meeting's name (default: the network's name and the day)."""
    activity: Iri | None = None
    """The meeting's IRI (for a catalog package: its module's IRI)."""
    met_on: Day
    hours: Hours | None = None
    attended: Flag = True
    shared_on: Day | None = None
    """When the participant shared what they learned at their own office (`office`)."""
    sharing_activity: Iri | None = None
    """The sharing's IRI (for a catalog package: its module's IRI); default: meeting + /deling."""

    @model_validator(mode="after")
    def _something_happened(self) -> NetworkMeeting:
        if not self.attended and self.shared_on is None:
            raise ValueError("neither attended nor shared: nothing to record")
        if self.shared_on is not None and self.office is None:
            raise ValueError("shared_on needs the office the knowledge was shared at")
        if self.shared_on is not None and self.shared_on < self.met_on:
            raise ValueError("shared_on is before the meeting")
        return self


class NetworkAdapter(Adapter[NetworkMeeting]):
    name = "kompetansenettverk"
    method = "kompetansenettverk"
    title: ClassVar[dict[str, str]] = {
        "nb": "Kompetansenettverk og faglige fora",
        "en": "Competence networks and professional forums",
    }
    record_type = NetworkMeeting
    templates = (v.template("network-meeting-attended"), v.template("network-knowledge-shared"))

    def build(self, record: NetworkMeeting) -> list[dict[str, Any]]:
        who = record.learner
        name = record.meeting or f"{record.network} {record.met_on.isoformat()}"
        iri = record.activity or self.activity_iri(record.network, record.met_on.isoformat())
        meeting = activity(iri, v.MEETING, name)
        network = activity(self.activity_iri(record.network), v.COMPETENCE_NETWORK, record.network)
        registration = self.registration(who.key(), iri)
        found = []
        if record.attended:
            found.append(
                self.statement(
                    record,
                    role="attended",
                    identity=(who.key(), iri),
                    actor=who.agent(),
                    verb=v.ATTENDED,
                    target=meeting,
                    when=record.met_on,
                    registration=registration,
                    hours=record.hours,
                    context={"contextActivities": {"grouping": [network]}},
                )
            )
        if record.shared_on is not None:
            sharing = record.sharing_activity or f"{iri}/deling"
            found.append(
                self.statement(
                    record,
                    role="shared",
                    identity=(who.key(), sharing, record.shared_on),
                    actor=who.agent(),
                    verb=v.SHARED,
                    target=activity(sharing, v.KNOWLEDGE_SHARING, f"Deling: {name}"),
                    when=record.shared_on,
                    registration=registration,
                    context={"contextActivities": {"grouping": [network], "other": [meeting]}},
                )
            )
        return found
