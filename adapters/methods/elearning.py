"""E-læring (e-learning, seed 000 §6.9), two ways in:

- `ElearningAdapter` (``e-laering``): results from a learning platform's export (completion,
  passed/failed, score, time spent) become statements with the cmi5 verbs and cmi5's result
  rules (score only when judged, success for passed/failed, completion for completed).
- `Cmi5Adapter` (``e-laering-cmi5``): statements a cmi5 course already made are passed through
  unchanged, after checking that they are cmi5 defined statements (cmi5 §9).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Annotated, Any, ClassVar

from pydantic import BeforeValidator, Field, model_validator

from adapters import vocabulary as v
from adapters._base import XAPI_VERSION, Adapter, Record, activity
from adapters._errors import Problem, RecordInvalid
from adapters._fields import Flag, Hours, Iri, Moment, Person, Text
from lrs.errors import StatementInvalid
from lrs.model import validate_statement


def _score(value: Any) -> Any:
    """``0,85``, ``0.85``, ``85 %`` and ``85`` are all 0.85 (more than 1 reads as percent)."""
    if isinstance(value, str):
        text = value.strip().replace(",", ".")
        percent = text.endswith("%")
        number = float(text.rstrip("%").strip())
        return number / 100 if percent or number > 1 else number
    if isinstance(value, int | float) and value > 1:
        return value / 100
    return value


Score = Annotated[float, BeforeValidator(_score), Field(ge=0, le=1)]


class ElearningResult(Record):
    """One learner's result in one e-learning module (one row of a platform's export)."""

    aliases: ClassVar[dict[str, str]] = {
        "deltaker": "learner",
        "modul": "module",
        "modulnavn": "module_name",
        "fullført": "completed",
        "bestått": "passed",
        "poeng": "score",
        "tidspunkt": "finished_at",
        "forsøk": "attempt",
    }

    learner: Person
    module: Iri
    """The module's activity IRI (the cmi5 AU's id; for a catalog package: its module's IRI)."""
    module_name: Text | None = None
    finished_at: Moment
    completed: Flag = False
    passed: Flag | None = None
    """True passed, False failed, empty when the module is not judged."""
    score: Score | None = None
    hours: Hours | None = None
    """Time spent (cmi5 requires a duration on completed, passed and failed)."""
    attempt: int = Field(default=1, ge=1)
    registration: uuid.UUID | None = None
    """The platform's registration, when the export has it."""

    @model_validator(mode="after")
    def _a_result(self) -> ElearningResult:
        if not self.completed and self.passed is None:
            raise ValueError("neither completed nor passed/failed: nothing to record")
        if self.score is not None and self.passed is None:
            raise ValueError("a score needs passed or failed (cmi5 §9.5.1)")
        return self


class ElearningAdapter(Adapter[ElearningResult]):
    name = "e-laering"
    method = "e-laering"
    title: ClassVar[dict[str, str]] = {"nb": "E-læring", "en": "E-learning"}
    record_type = ElearningResult
    templates = (
        v.template("e-learning-completed"),
        v.template("e-learning-passed"),
        v.template("e-learning-failed"),
    )

    def build(self, record: ElearningResult) -> list[dict[str, Any]]:
        who = record.learner
        registration = str(
            record.registration or self.registration(who.key(), record.module, record.attempt)
        )
        common: dict[str, Any] = {
            "actor": who.agent(),
            "target": activity(record.module, v.MODULE, record.module_name),
            "when": record.finished_at,
            "registration": registration,
            "hours": record.hours,
        }
        identity = (who.key(), record.module, record.attempt)
        found = []
        if record.completed:
            found.append(
                self.statement(
                    record,
                    role="completed",
                    identity=identity,
                    verb=v.COMPLETED,
                    result={"completion": True},
                    **common,
                )
            )
        if record.passed is not None:
            result: dict[str, Any] = {"success": record.passed}
            if record.score is not None:
                result["score"] = {"scaled": record.score}
            found.append(
                self.statement(
                    record,
                    role="judged",
                    identity=identity,
                    verb=v.PASSED if record.passed else v.FAILED,
                    result=result,
                    **common,
                )
            )
        return found


class Cmi5Statement(Record):
    """A statement made by a cmi5 course (an AU) or its LMS, to pass through as it is."""

    statement: dict[str, Any]

    @model_validator(mode="before")
    @classmethod
    def _the_statement_itself(cls, data: Any) -> Any:
        """A file of cmi5 statements holds the statements themselves, one per line."""
        if isinstance(data, dict) and "statement" not in data and "verb" in data:
            return {"statement": data}
        return data

    @model_validator(mode="after")
    def _nothing_else(self) -> Cmi5Statement:
        if self.office or self.competence_areas or self.reference:
            raise ValueError("a cmi5 statement passes through unchanged: no office, areas or ref")
        return self


_JUDGED = (v.PASSED, v.FAILED)
_DURATION_REQUIRED = (v.COMPLETED, v.PASSED, v.FAILED, v.TERMINATED, v.ABANDONED)


class Cmi5Adapter(Adapter[Cmi5Statement]):
    name = "e-laering-cmi5"
    method = "e-laering"
    title: ClassVar[dict[str, str]] = {
        "nb": "E-læring (cmi5-statements)",
        "en": "E-learning (cmi5 statements)",
    }
    record_type = Cmi5Statement

    def build(self, record: Cmi5Statement) -> list[dict[str, Any]]:
        try:
            validate_statement(record.statement, version=XAPI_VERSION, path="statement")
        except StatementInvalid as exc:
            raise RecordInvalid([Problem(exc.path, exc.reason)]) from None
        problems = [
            Problem(f"statement.{where}", what) for where, what in cmi5_problems(record.statement)
        ]
        if problems:
            raise RecordInvalid(problems)
        return [dict(record.statement)]


def cmi5_problems(statement: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Where a statement breaks the rules of a cmi5 defined statement (cmi5 §9), if anywhere."""
    found: list[tuple[str, str]] = []
    verb = statement.get("verb", {}).get("id")
    context = statement.get("context") or {}
    categories = {a.get("id") for a in (context.get("contextActivities") or {}).get("category", [])}
    result = statement.get("result") or {}
    if not statement.get("id"):
        found.append(("id", "a cmi5 statement carries the id its AU gave it (§9.1)"))
    if "account" not in statement.get("actor", {}):
        found.append(("actor", "must be an Agent with an account (§9.2)"))
    if verb not in v.CMI5_VERBS:
        found.append(("verb.id", f"{verb!r} is not a cmi5 verb (§9.3)"))
    if v.CMI5_CATEGORY not in categories:
        found.append(("context.contextActivities.category", "lacks the cmi5 category (§9.6.2.1)"))
    if not context.get("registration"):
        found.append(("context.registration", "required (§9.6.1)"))
    if v.CMI5_SESSION_ID not in (context.get("extensions") or {}):
        found.append(("context.extensions", "lacks the cmi5 session id (§9.6.3.1)"))
    if "score" in result and verb not in _JUDGED:
        found.append(("result.score", "only passed and failed statements have a score (§9.5.1)"))
    expected_success = {v.PASSED: True, v.WAIVED: True, v.FAILED: False}.get(str(verb))
    if result.get("success") != expected_success:
        found.append(("result.success", f"must be {expected_success} for this verb (§9.5.2)"))
    expected_completion = True if verb in (v.COMPLETED, v.WAIVED) else None
    if result.get("completion") != expected_completion:
        found.append(("result.completion", f"must be {expected_completion} (§9.5.3)"))
    if verb in _DURATION_REQUIRED and "duration" not in result:
        found.append(("result.duration", "required for this verb (§9.5.4)"))
    moves_on = "success" in result or "completion" in result
    if moves_on != (v.MOVEON_CATEGORY in categories):
        found.append(
            (
                "context.contextActivities.category",
                "the moveOn category belongs exactly on statements with success or completion "
                "(§9.6.2.2)",
            )
        )
    return found
