"""Learning at work registered by the learner on Min læring: one form per training method.

Each form fills in one adapter's record (`adapters.methods`), with the signed-in learner as the
learner and their office; the adapter builds the statements (same validation, same UUID v5 ids
as a file import, so a form sent twice stores nothing twice) and they go into the LRS
in-process through the statements service, as a credential of the pages' own.

Who confirms it: every form names a colleague or leader (an employee ident, an e-mail address,
or ``Navn <e-post>``). Where the method has that person already, they are it: the colleague of
shoulder to shoulder and the mentor of peer guidance, who appear as the statements'
`context.instructor` (and are credited with the teaching). Otherwise (job shadowing, networks,
self-study, team work, further education) the person is named in the context extension
`CONFIRMED_BY`, so that a leader who confirms is not credited as having taught. With the entry
go its requests to the confirmer (`_confirm.requests`); the confirmation is the confirmer's own
statement, made on their Min læring (`_confirm`).

Team work records one statement per member: the form stores the learner's own only (the same
id as a file import gives it), and each member registers theirs.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from fastapi import Request
from pydantic import ValidationError

from adapters import XAPI_VERSION, Person, RecordInvalid, get_adapter
from adapters import vocabulary as v
from catalog import Reports
from kompetanse.pages._confirm import Confirmations, ident, requests
from kompetanse.pages._i18n import Language, text
from lrs.auth import Credential, Scope
from lrs.errors import Conflict
from lrs.statements import StatementService
from lrs.store import ifi_key

CONFIRMED_BY = f"{v.BASE_IRI}/extensions/confirmed-by"
"""The colleague or leader a learner names as confirming their entry (an xAPI Agent)."""
Kind = Literal["text", "code", "grade", "day", "hours", "number", "person", "people", "flag"]


@dataclass(frozen=True)
class Field:
    name: str  # the record's field (or `confirmed_by`)
    kind: Kind
    required: bool = True

    @property
    def label(self) -> str:
        return f"work_field_{self.name}"


@dataclass(frozen=True)
class WorkForm:
    """A form for one adapter: its fields, which names the confirmer, where the learner goes."""

    adapter: str
    confirmer: str
    fields: tuple[Field, ...]
    learner_as: str = "learner"
    whole: str | None = None
    """The field a problem with the record as a whole is about (e.g. a grade that contradicts
    the result)."""
    own_only: bool = False
    """Store only the learner's own statements (team work: one per member)."""

    @property
    def method(self) -> str:
        """The catalog's training method the adapter records."""
        return _method_of(self.adapter)

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)


@functools.cache
def _method_of(adapter: str) -> str:
    """Looked up once: finding the adapters reads the installed packages' entry points, some
    30 ms each time, and the learner's page names ten methods."""
    return get_adapter(adapter).method


CONFIRMED = Field("confirmed_by", "person")
FORMS: tuple[WorkForm, ...] = (
    WorkForm(
        "skulder-ved-skulder",
        confirmer="colleague",
        fields=(
            Field("colleague", "person"),
            Field("task", "text"),
            Field("learned_on", "day"),
            Field("hours", "hours", required=False),
            Field("completed", "flag", required=False),
        ),
    ),
    WorkForm(
        "veiledning-fra-kollega",
        confirmer="mentor",
        learner_as="mentees",
        fields=(
            Field("mentor", "person"),
            Field("topic", "text"),
            Field("guided_on", "day"),
            Field("hours", "hours", required=False),
        ),
    ),
    WorkForm(
        "hospitering",
        confirmer="confirmed_by",
        fields=(
            Field("host_unit", "text"),
            Field("purpose", "text"),
            Field("started_on", "day"),
            Field("days", "hours"),
            CONFIRMED,
        ),
    ),
    WorkForm(
        "kompetansenettverk",
        confirmer="confirmed_by",
        whole="shared_on",
        fields=(
            Field("network", "text"),
            Field("met_on", "day"),
            Field("hours", "hours", required=False),
            Field("shared_on", "day", required=False),
            CONFIRMED,
        ),
    ),
    WorkForm(
        "egentrening",
        confirmer="confirmed_by",
        fields=(
            Field("material", "text"),
            Field("studied_on", "day"),
            Field("hours", "hours", required=False),
            Field("completed", "flag", required=False),
            CONFIRMED,
        ),
    ),
    WorkForm(
        "teamarbeid",
        confirmer="confirmed_by",
        learner_as="members",
        own_only=True,
        fields=(
            Field("team", "text"),
            Field("members", "people"),
            Field("work", "text"),
            Field("worked_on", "day"),
            Field("hours", "hours", required=False),
            CONFIRMED,
        ),
    ),
    WorkForm(
        "etter-og-videreutdanning",
        confirmer="confirmed_by",
        whole="grade",
        fields=(
            Field("institution", "text"),
            Field("course_name", "text"),
            Field("course_code", "code", required=False),
            Field("ects", "number"),
            Field("passed", "flag", required=False),
            Field("grade", "grade", required=False),
            Field("finished_on", "day"),
            Field("hours", "hours", required=False),
            CONFIRMED,
        ),
    ),
)
BY_ADAPTER = {form.adapter: form for form in FORMS}


@dataclass
class Outcome:
    """What a form gave: the ids stored, or a message per field (`""`: the form as a whole)."""

    ids: list[str] = field(default_factory=list)
    problems: dict[str, str] = field(default_factory=dict)


def credential(base_iri: str) -> Credential:
    """The pages' own credential: it writes statements and defines nothing (a learner's entry
    must not rename the catalog's activities)."""
    return Credential(
        key="min-laering",
        scopes=frozenset({Scope.STATEMENTS_WRITE}),
        authority={
            "objectType": "Agent",
            "name": "Kompetanse: Min læring",
            "account": {"homePage": f"{base_iri.rstrip('/')}/credentials", "name": "min-laering"},
        },
        label="Min læring",
    )


async def register(
    statements: StatementService,
    form: WorkForm,
    fields: Mapping[str, str],
    *,
    person: str,
    office: str,
    today: date,
    base_iri: str,
    lang: Language,
) -> Outcome:
    """Build the form's statements with its adapter and store them, or say what is wrong."""
    outcome = Outcome()
    data: dict[str, Any] = {"office": office}
    for item in form.fields:
        value = fields.get(item.name, "").strip()
        if item.kind == "flag":
            data[item.name] = "ja" if value else "nei"
        elif value:
            data[item.name] = value.replace(",", ".") if item.kind == "number" else value
        elif item.required:
            outcome.problems[item.name] = text("work_required", lang)
    confirmer = _confirmer(form, fields, person, lang, outcome)
    data.pop("confirmed_by", None)
    if form.learner_as == "members":  # the learner and the others she names, in one order
        others = {p.strip() for p in data.get("members", "").split(";") if p.strip()}
        data["members"] = [person, *sorted(p for p in others if p.upper() != person.upper())]
    else:
        data[form.learner_as] = [person] if form.learner_as == "mentees" else person
    adapter = get_adapter(form.adapter, base_iri=base_iri)
    try:
        record = adapter.parse(data)
    except RecordInvalid as exc:
        for problem in exc.problems:
            name = problem.location.split(".")[0] or form.whole or ""
            found = form.field(name)
            if found is None:
                outcome.problems.setdefault("", text("work_record", lang, problem=problem.message))
            elif not problem.location:
                outcome.problems.setdefault(name, text(f"work_whole_{form.adapter}", lang))
            else:
                outcome.problems.setdefault(name, text(f"work_invalid_{found.kind}", lang))
        return outcome
    for item in form.fields:
        when = getattr(record, item.name, None)
        if item.kind == "day" and isinstance(when, date) and when > today:
            outcome.problems.setdefault(item.name, text("work_future", lang))
    if outcome.problems or confirmer is None:
        return outcome
    built = adapter.statements(record)
    if form.own_only:
        built = [s for s in built if ifi_key(s["actor"]) == ifi_key(ident(person))]
    if form.confirmer == CONFIRMED.name:
        for statement in built:
            statement["context"]["extensions"][CONFIRMED_BY] = confirmer.agent()
    try:
        outcome.ids = await statements.save(
            [*built, *requests(built, person, confirmer.agent())],
            version=XAPI_VERSION,
            credential=credential(base_iri),
        )
    except Conflict:
        outcome.problems[""] = text("work_conflict", lang)
    return outcome


def _confirmer(
    form: WorkForm, fields: Mapping[str, str], person: str, lang: Language, outcome: Outcome
) -> Person | None:
    value = fields.get(form.confirmer, "").strip()
    if not value:
        return None  # reported as required
    try:
        found = Person.model_validate(value)
    except ValidationError:
        outcome.problems[form.confirmer] = text("work_invalid_person", lang)
        return None
    if found.employee_id is not None and found.employee_id.upper() == person.upper():
        outcome.problems[form.confirmer] = text("work_confirm_self", lang)
        return None
    return found


def confirmations(request: Request, reports: Reports) -> Confirmations:
    """The confirmations of learning at work, as the pages' own credential reads them: what
    awaits a confirmer, and where a learner's entries stand (Min læring and the person page)."""
    base_iri = request.app.state.settings.base_iri
    return Confirmations(request.app.state.statements, reports.store, credential(base_iri))
