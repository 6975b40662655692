"""Etter- og videreutdanning (further education, seed 000 §6.8): university and college
courses. Institution, course, credits (ECTS) and result."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

from pydantic import Field, model_validator

from adapters import vocabulary as v
from adapters._base import Adapter, Record, activity
from adapters._fields import Day, Flag, Hours, Iri, Person, Text

Grade = Annotated[
    str, Field(pattern=r"^(?i:[A-F]|bestått|ikke bestått|passed|failed)$", max_length=20)
]


class FurtherEducation(Record):
    """One learner's result in one university or college course."""

    aliases: ClassVar[dict[str, str]] = {
        "deltaker": "learner",
        "institusjon": "institution",
        "lærested": "institution",
        "emne": "course_name",
        "emnenavn": "course_name",
        "emnekode": "course_code",
        "studiepoeng": "ects",
        "bestått": "passed",
        "karakter": "grade",
        "dato": "finished_on",
        "eksamensdato": "finished_on",
    }

    learner: Person
    institution: Text
    course_name: Text
    course_code: str | None = Field(default=None, max_length=40)
    activity: Iri | None = None
    ects: float = Field(gt=0, le=300)
    passed: Flag
    grade: Grade | None = None
    """A to F, or bestått / ikke bestått."""
    finished_on: Day
    hours: Hours | None = None

    @model_validator(mode="after")
    def _grade_matches(self) -> FurtherEducation:
        if self.grade is None:
            return self
        failing = self.grade.lower() in ("f", "ikke bestått", "failed")
        if failing == self.passed:
            raise ValueError(f"grade {self.grade} contradicts passed={self.passed}")
        return self


class FurtherEducationAdapter(Adapter[FurtherEducation]):
    name = "etter-og-videreutdanning"
    method = "etter-og-videreutdanning"
    title: ClassVar[dict[str, str]] = {
        "nb": "Etter- og videreutdanning",
        "en": "Further and continuing education",
    }
    record_type = FurtherEducation
    templates = (v.template("further-education-passed"), v.template("further-education-failed"))

    def build(self, record: FurtherEducation) -> list[dict[str, Any]]:
        who = record.learner
        iri = record.activity or self.activity_iri(
            record.institution, record.course_code or record.course_name
        )
        result: dict[str, Any] = {"success": record.passed, "completion": True}
        if record.grade:
            result["extensions"] = {v.GRADE: record.grade}
        name = f"{record.course_name} ({record.institution})"
        return [
            self.statement(
                record,
                role="passed" if record.passed else "failed",
                identity=(who.key(), iri, record.finished_on),
                actor=who.agent(),
                verb=v.PASSED if record.passed else v.FAILED,
                target=activity(iri, v.COURSE, name),
                when=record.finished_on,
                registration=self.registration(who.key(), iri),
                hours=record.hours,
                result=result,
                extensions={v.INSTITUTION: record.institution, v.ECTS: record.ects},
            )
        ]
