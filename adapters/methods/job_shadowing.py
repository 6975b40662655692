"""Hospitering (job shadowing, seed 000 §6.7): days at another unit to prepare for new tasks,
working methods or ICT. Host unit, days and purpose."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field

from adapters import vocabulary as v
from adapters._base import Adapter, Record, activity
from adapters._fields import Day, Hours, Iri, Person, Text

WORKDAY_HOURS = 7.5
"""A working day in the state sector (37.5 hours a week); a day of shadowing counts this much."""


class JobShadowing(Record):
    """One learner's stay at a host unit."""

    aliases: ClassVar[dict[str, str]] = {
        "deltaker": "learner",
        "vertsenhet": "host_unit",
        "enhet": "host_unit",
        "formål": "purpose",
        "fra": "started_on",
        "startdato": "started_on",
        "dager": "days",
    }

    learner: Person
    host_unit: Text
    """Where, e.g. ``NAV Arbeidslivssenter Oslo``."""
    purpose: Text
    """Why: the new task, working method or ICT system to prepare for."""
    activity: Iri | None = None
    started_on: Day
    days: Hours = Field(gt=0, le=365)
    hours: Hours | None = None
    """Working hours spent (default: days x 7.5)."""


class JobShadowingAdapter(Adapter[JobShadowing]):
    name = "hospitering"
    method = "hospitering"
    title: ClassVar[dict[str, str]] = {"nb": "Hospitering", "en": "Job shadowing"}
    record_type = JobShadowing
    templates = (v.template("job-shadowing-completed"),)

    def build(self, record: JobShadowing) -> list[dict[str, Any]]:
        who = record.learner
        iri = record.activity or self.activity_iri(record.host_unit)
        hours = record.hours if record.hours is not None else record.days * WORKDAY_HOURS
        return [
            self.statement(
                record,
                role="completed",
                identity=(who.key(), iri, record.started_on),
                actor=who.agent(),
                verb=v.COMPLETED,
                target=activity(iri, v.JOB_SHADOWING, f"Hospitering: {record.host_unit}"),
                when=record.started_on,
                registration=self.registration(who.key(), iri),
                hours=hours,
                result={"completion": True},
                extensions={
                    v.HOST_UNIT: record.host_unit,
                    v.PURPOSE: record.purpose,
                    v.DAYS: record.days,
                },
            )
        ]
