"""Elektroniske informasjonsverktøy (electronic information tools, seed 000 §6.10): nav.no, the
intranet Navet and Kommunensnavet as learning resources. Read or viewed; optional to record."""

from __future__ import annotations

from typing import Any, ClassVar

from adapters import vocabulary as v
from adapters._base import Adapter, Record, activity
from adapters._fields import Hours, Iri, Moment, Person, Text


class InformationToolUse(Record):
    """A learner reading a page on Navet, nav.no or Kommunensnavet."""

    aliases: ClassVar[dict[str, str]] = {
        "deltaker": "learner",
        "side": "page",
        "adresse": "page",
        "tittel": "title",
        "lest": "viewed_at",
        "tidspunkt": "viewed_at",
    }

    learner: Person
    page: Iri
    """The page's address, e.g. ``https://navet.intern.nav.no/...``."""
    title: Text | None = None
    viewed_at: Moment
    hours: Hours | None = None


class InformationToolAdapter(Adapter[InformationToolUse]):
    name = "elektroniske-informasjonsverktoy"
    method = "elektroniske-informasjonsverktoy"
    title: ClassVar[dict[str, str]] = {
        "nb": "Elektroniske informasjonsverktøy",
        "en": "Electronic information tools",
    }
    record_type = InformationToolUse
    templates = (v.template("information-tool-experienced"),)

    def build(self, record: InformationToolUse) -> list[dict[str, Any]]:
        who = record.learner
        return [
            self.statement(
                record,
                role="experienced",
                identity=(who.key(), record.page, record.viewed_at),
                actor=who.agent(),
                verb=v.EXPERIENCED,
                target=activity(record.page, v.PAGE, record.title),
                when=record.viewed_at,
                registration=self.registration(who.key(), record.page),
                hours=record.hours,
            )
        ]
