"""Teamarbeid (team work, seed 000 §6.5): cross-disciplinary teams in the office, e.g. around
users with complex needs. The team (as context.team), what it worked on, how long.

Record what the team worked on in general terms: never personal data about NAV's users.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field

from adapters import vocabulary as v
from adapters._base import Adapter, Record, activity, slug
from adapters._fields import Day, Hours, Iri, People, Text


class TeamWork(Record):
    """A team's work on one day; every member is credited."""

    aliases: ClassVar[dict[str, str]] = {
        "medlemmer": "members",
        "deltakere": "members",
        "arbeid": "work",
        "aktivitet": "work",
        "dato": "worked_on",
    }

    team: Text
    """The team's name, e.g. ``Tverrfaglig team for sammensatte behov``."""
    members: People = Field(min_length=2)
    work: Text
    """What the team worked on, in general terms (no personal data about users)."""
    activity: Iri | None = None
    worked_on: Day
    hours: Hours | None = None


class TeamWorkAdapter(Adapter[TeamWork]):
    name = "teamarbeid"
    method = "teamarbeid"
    title: ClassVar[dict[str, str]] = {"nb": "Teamarbeid", "en": "Team work"}
    record_type = TeamWork
    templates = (v.template("team-work-collaborated"),)

    def build(self, record: TeamWork) -> list[dict[str, Any]]:
        iri = record.activity or self.activity_iri(record.team, record.work)
        team = {
            "objectType": "Group",
            "name": record.team,
            "member": [member.agent() for member in record.members],
        }
        return [
            self.statement(
                record,
                role="collaborated",
                identity=(member.key(), iri, record.worked_on),
                actor=member.agent(),
                verb=v.COLLABORATED,
                target=activity(iri, v.TEAM_WORK, record.work),
                when=record.worked_on,
                registration=self.registration(slug(record.team), iri),
                hours=record.hours,
                context={"team": team},
            )
            for member in record.members
        ]
