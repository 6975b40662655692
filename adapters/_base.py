"""The adapter interface: a typed record in, xAPI statements (plain dicts) out.

An adapter subclasses `Adapter`, names its record type and implements `build`; the base class
parses records, gives every statement a deterministic id and the shared context (the profile
version, the training method, office, competence areas, hours) and checks each statement
against the LRS's own model (`lrs.model.validate_statement`).
"""

from __future__ import annotations

import json
import re
import unicodedata
import uuid
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any, ClassVar, Final, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from adapters import vocabulary as v
from adapters._errors import PluginError, Problem, RecordInvalid
from adapters._fields import Slug, Slugs
from lrs.errors import StatementInvalid
from lrs.model import format_timestamp, validate_statement

NAMESPACE = uuid.UUID("daa8710c-16d7-52e1-a893-81df667539c5")
"""Our UUID v5 namespace: uuid5(NAMESPACE_URL, "https://kompetanse.nav.no/xapi/adapters")."""
XAPI_VERSION: Final = "1.0.3"
"""The statements are checked against this version (TinCanPy, the emitter's client, speaks it)."""
_FOLD = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "ae", "Ø": "o", "Å": "a"})


class Record(BaseModel):
    """The fields every record has; each adapter's record adds its own."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    office: Slug | None = None
    """The learner's office, as the catalog names it (e.g. ``nav-sagene``)."""
    competence_areas: Slugs = []
    """Catalog competence areas the learning served (e.g. ``basiskompetanse``)."""
    reference: str | None = None
    """The source system's id of the record. It is part of every statement id: give a corrected
    record a new reference (and void the old statements) to record it again."""


R = TypeVar("R", bound=Record)


def deterministic_id(*parts: object) -> str:
    """A UUID v5 in our namespace from JSON-able parts (dates and IRIs as strings)."""
    text = json.dumps(parts, default=str, ensure_ascii=False, separators=(",", ":"))
    return str(uuid.uuid5(NAMESPACE, text))


def slug(text: str) -> str:
    """``Arbeidsrettet brukeroppfølging`` -> ``arbeidsrettet-brukeroppfolging``."""
    folded = unicodedata.normalize("NFKD", text.translate(_FOLD)).encode("ascii", "ignore")
    return re.sub(r"[^a-z0-9]+", "-", folded.decode().lower()).strip("-") or "x"


def duration(hours: float) -> str:
    """ISO 8601 duration of whole minutes: 7.5 -> ``PT7H30M``."""
    minutes = round(hours * 60)
    whole, rest = divmod(minutes, 60)
    text = (f"{whole}H" if whole else "") + (f"{rest}M" if rest else "")
    return f"PT{text or '0S'}"


def timestamp(moment: date | datetime) -> str:
    """An xAPI timestamp; a day is its midnight UTC (still that day in Norway)."""
    if not isinstance(moment, datetime):
        moment = datetime(moment.year, moment.month, moment.day)
    return format_timestamp(moment)


def activity(
    iri: str,
    activity_type: str,
    name: str | None = None,
    *,
    description: str | None = None,
    language: str = "nb",
) -> dict[str, Any]:
    """An Activity object with its type and (Norwegian) name."""
    definition: dict[str, Any] = {"type": activity_type}
    if name:
        definition["name"] = {language: name}
    if description:
        definition["description"] = {language: description}
    return {"objectType": "Activity", "id": iri, "definition": definition}


class Adapter(ABC, Generic[R]):
    """Turns one training method's records into xAPI statements.

    Subclasses set `name` (the plug-in's entry-point name), `method` (the catalog's training
    method id), `title`, `record_type` and `templates`, and implement `build`.

    >>> from adapters import get_adapter
    >>> course = get_adapter("kurs-og-samlinger")
    >>> [s["verb"]["id"] for s in course.statements({
    ...     "learner": "A123456", "course": "https://kompetanse.nav.no/xapi/activities/ny-i-nav/samling",
    ...     "session_date": "02.03.2026", "completed": "ja"})]
    ['http://adlnet.gov/expapi/verbs/attended', 'http://adlnet.gov/expapi/verbs/completed']
    """

    name: ClassVar[str]
    method: ClassVar[str]
    title: ClassVar[Mapping[str, str]]
    record_type: type[R]
    templates: ClassVar[tuple[str, ...]] = ()
    """The profile's statement templates this adapter's statements follow."""

    def __init__(self, *, base_iri: str = v.BASE_IRI) -> None:
        self.base_iri = base_iri.rstrip("/")

    def parse(self, data: R | Mapping[str, Any]) -> R:
        """The record, validated; `RecordInvalid` names every field that is wrong."""
        if isinstance(data, self.record_type):
            return data
        try:
            return self.record_type.model_validate(data)
        except ValidationError as error:
            raise RecordInvalid(field_problems(error)) from None

    def statements(self, record: R | Mapping[str, Any]) -> list[dict[str, Any]]:
        """The statements for one record, each accepted by the LRS's statement model."""
        built = self.build(self.parse(record))
        for index, statement in enumerate(built):
            try:
                validate_statement(statement, version=XAPI_VERSION, path=f"statement[{index}]")
            except StatementInvalid as exc:
                raise PluginError(
                    f"adapter {self.name!r} produced an invalid statement: {exc.message}"
                ) from exc
        return built

    @abstractmethod
    def build(self, record: R) -> list[dict[str, Any]]:
        """The statements for a valid record (use `statement` to build each)."""

    def activity_iri(self, *names: str) -> str:
        """An IRI for an activity the source names but gives no IRI for."""
        return "/".join([f"{self.base_iri}/activities/{self.method}", *map(slug, names)])

    def registration(self, *identity: object) -> str:
        """The registration shared by the statements of one learning experience (Profiles §9)."""
        return deterministic_id("registration", self.name, *identity)

    def statement(
        self,
        record: R,
        *,
        role: str,
        identity: Sequence[object],
        actor: Mapping[str, Any],
        verb: str,
        target: Mapping[str, Any],
        when: date | datetime,
        registration: str,
        hours: float | None = None,
        result: Mapping[str, Any] | None = None,
        context: Mapping[str, Any] | None = None,
        extensions: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """One statement of `record`.

        Its id is a UUID v5 of the adapter, the `role` (which statement of the record this is),
        the `identity` (what makes the event this event: who, what, when; never free text that
        may be corrected) and the record's `reference`.
        """
        body = dict(result or {})
        if hours is not None:
            body.setdefault("duration", duration(hours))
        shared = dict(context or {})
        activities = {k: list(a) for k, a in shared.pop("contextActivities", {}).items()}
        profile = activity(v.PROFILE_VERSION, v.PROFILE_TYPE)
        activities["category"] = [profile, *activities.get("category", [])]
        statement: dict[str, Any] = {
            "id": deterministic_id("statement", self.name, role, *identity, record.reference),
            "actor": dict(actor),
            "verb": {"id": verb, "display": dict(v.VERB_DISPLAY.get(verb, {}))},
            "object": dict(target),
            "timestamp": timestamp(when),
            "context": {
                "registration": registration,
                **shared,
                "contextActivities": activities,
                "extensions": self._extensions(record, hours, extensions or {}),
            },
        }
        if not statement["verb"]["display"]:
            del statement["verb"]["display"]
        if body:
            statement["result"] = body
        return statement

    def _extensions(
        self, record: R, hours: float | None, extra: Mapping[str, Any]
    ) -> dict[str, Any]:
        found: dict[str, Any] = {v.TRAINING_METHOD: v.method_iri(self.method, self.base_iri)}
        if record.office:
            found[v.OFFICE] = record.office
        if record.competence_areas:
            found[v.COMPETENCE_AREA] = [
                v.competence_area_iri(area, self.base_iri) for area in record.competence_areas
            ]
        if hours is not None:
            found[v.HOURS] = round(hours, 2)
        found.update({key: value for key, value in extra.items() if value is not None})
        return found


def field_problems(error: ValidationError, row: int | None = None) -> list[Problem]:
    """Each pydantic error as a Problem naming the field, in words a course administrator reads."""
    problems = []
    for item in error.errors(include_url=False):
        location = ".".join(str(part) for part in item["loc"])
        problems.append(Problem(location, _message(item), row))
    return problems


_PATTERNS = {
    "^[A-Za-z0-9]{1,20}$": "not an employee ident (letters and digits)",
    "^[a-z0-9]+(-[a-z0-9]+)*$": "not a catalog id (lowercase letters, digits and hyphens, "
    "e.g. nav-sagene)",
}


def _message(item: Mapping[str, Any]) -> str:
    kind = item["type"]
    given = item.get("input")
    if kind == "missing":
        return "required, but empty"
    if kind == "extra_forbidden":
        return "not a field of this record"
    if kind == "string_pattern_mismatch":
        pattern = str(item.get("ctx", {}).get("pattern", ""))
        text = _PATTERNS.get(pattern, "not an e-mail address" if "@" in pattern else "malformed")
        return f"{text}: {given!r}"
    if kind.startswith(("date_", "datetime_")):
        return f"not a date (2026-03-02 or 02.03.2026): {given!r}"
    if kind in ("float_parsing", "int_parsing", "float_type"):
        return f"not a number: {given!r}"
    if kind == "bool_parsing":
        return f"not yes or no (ja/nei): {given!r}"
    message = str(item["msg"]).removeprefix("Value error, ")
    return message if kind == "value_error" or given is None else f"{message}: {given!r}"
