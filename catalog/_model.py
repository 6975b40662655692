"""The catalog as data: competence areas, training methods, roles and packages.

Every catalog file is YAML validated by these models; unknown keys are errors. A package says
who must (skal), should (bør) or may (kan) complete it, by when, how completion is judged from
xAPI statements, and for how long it stays valid.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

Dimension = Literal["knowledge", "skills", "attitudes"]
Priority = Literal["skal", "bør", "kan"]
OwnerLevel = Literal["directorate", "county", "office"]
Employer = Literal["state", "municipal"]
MoveOn = Literal["Completed", "Passed", "CompletedAndPassed", "CompletedOrPassed", "NotApplicable"]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80)]
Iri = Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$")]
_DURATION = re.compile(r"^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?$")

COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
PASSED = "http://adlnet.gov/expapi/verbs/passed"
ATTENDED = "http://adlnet.gov/expapi/verbs/attended"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Strict):
    """A text in Norwegian bokmål and English."""

    nb: str = Field(min_length=1)
    en: str = Field(min_length=1)


class Source(_Strict):
    """Where a catalog entry comes from: a seed document and section, or marked illustrative."""

    seed: str | None = None
    section: str | None = None
    illustrative: bool = False

    @model_validator(mode="after")
    def _traceable(self) -> Source:
        if not self.illustrative and self.seed is None:
            raise ValueError("name the seed it comes from, or mark it illustrative: true")
        return self


class CompetenceArea(_Strict):
    id: Slug
    name: Text
    description: Text | None = None
    parent: Slug | None = None
    dimensions: list[Dimension] = Field(min_length=1)
    source: Source


class TrainingMethod(_Strict):
    id: Slug
    name: Text
    description: Text
    records: Text  # what to record as xAPI
    dimensions: list[Dimension] = Field(min_length=1)
    source: Source


class Requirements(_Strict):
    """The level a role requires per competence area, on the mapping's scale (1 kjenner til,
    2 kan med veiledning, 3 kan selvstendig, 4 kan veilede andre; `catalog._mapping.SCALE`)."""

    levels: dict[Slug, Annotated[int, Field(ge=1, le=4)]] = Field(min_length=1)
    source: Source


class Role(_Strict):
    id: Slug
    name: Text
    source: Source
    requires: Requirements | None = None  # what a competence mapping measures the role against


class Criterion(_Strict):
    """When a module counts as completed: an accepted verb, a minimum score, or cmi5 moveOn."""

    verbs: list[Iri] = Field(default_factory=lambda: [COMPLETED, PASSED], min_length=1)
    min_score: float | None = Field(default=None, ge=-1, le=1)  # result.score.scaled
    move_on: MoveOn | None = None


class Module(_Strict):
    id: Slug
    name: Text
    method: Slug  # a training method id
    activities: list[Iri] = Field(min_length=1)
    criterion: Criterion = Criterion()
    estimated_hours: float = Field(default=0, ge=0)
    classroom: bool = False  # run as scheduled sessions (dates, seats, waitlist)
    # Where a learner starts the module (an e-learning's launch page); shown on Min læring.
    launch_url: Annotated[str, Field(pattern=r"^https://[^\s]+$", max_length=2000)] | None = None


class Completion(_Strict):
    """Which modules complete the package: all, any one, or at least `count`."""

    rule: Literal["all", "any", "at_least"] = "all"
    count: int | None = Field(default=None, ge=1)

    @model_validator(mode="after")
    def _count_with_at_least(self) -> Completion:
        if (self.rule == "at_least") != (self.count is not None):
            raise ValueError("count is given exactly when rule is at_least")
        return self


class Audience(_Strict):
    """Who a priority applies to; every condition given must hold (an empty one: everyone)."""

    priority: Priority
    all_employees: bool = False
    new_hires: bool = False  # started on or after the package's effective_from
    roles: list[Slug] = []
    employers: list[Employer] = []
    regions: list[Slug] = []
    offices: list[Slug] = []

    @model_validator(mode="after")
    def _says_who(self) -> Audience:
        named = self.new_hires or self.roles or self.employers or self.regions or self.offices
        if self.all_employees == bool(named):
            raise ValueError("either all_employees: true, or name who (new_hires, roles, ...)")
        return self


class Due(_Strict):
    """The deadline: a period after the start date, after assignment, or before an office
    opens, or a fixed date."""

    relative_to: Literal["start_date", "assignment", "office_opening", "fixed"]
    period: str | None = None  # ISO 8601 period, e.g. P6M; before the opening for office_opening
    date: dt.date | None = None

    @field_validator("period")
    @classmethod
    def _period(cls, value: str | None) -> str | None:
        if value is not None and not _DURATION.match(value):
            raise ValueError("an ISO 8601 period of years, months, weeks or days, e.g. P6M")
        return value

    @model_validator(mode="after")
    def _complete(self) -> Due:
        if (self.relative_to == "fixed") != (self.date is not None):
            raise ValueError("date is given exactly when relative_to is fixed")
        if self.relative_to != "fixed" and self.period is None:
            raise ValueError(f"a period is needed relative to {self.relative_to}")
        return self


class Validity(_Strict):
    """A completion expires after `expires_after`; recertify within the window before that."""

    expires_after: str
    recertification_window: str

    @field_validator("expires_after", "recertification_window")
    @classmethod
    def _period(cls, value: str) -> str:
        if not _DURATION.match(value):
            raise ValueError("an ISO 8601 period of years, months, weeks or days, e.g. P2Y")
        return value


class Package(_Strict):
    id: Slug
    name: Text
    description: Text
    owner: OwnerLevel
    owner_unit: Slug | None = None  # the county or office that owns it, below the directorate
    competence_areas: list[Slug] = Field(min_length=1)
    audiences: list[Audience] = Field(min_length=1)
    # When the package took effect: a `new_hires` audience is everyone who started on or after it.
    effective_from: dt.date | None = Field(default=None, validate_default=True)
    modules: list[Module] = Field(min_length=1)
    completion: Completion = Completion()
    due: Due | None = None
    validity: Validity | None = None
    # The county's pipeline (who still needs a classroom module, placed in its sessions)
    # covers the classroom modules of the packages marked so.
    pipeline: bool = False
    source: Source

    @field_validator("effective_from")
    @classmethod
    def _new_hires_since(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        audiences: list[Audience] = info.data.get("audiences") or []
        hires = [index for index, a in enumerate(audiences) if a.new_hires]
        if value is None and hires:
            raise ValueError(
                f"audiences[{hires[0]}] has new_hires: true, so give the date the package took"
                " effect (new hires are the people who started on or after it), e.g. 2024-01-01"
            )
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Package:
        ids = [module.id for module in self.modules]
        if len(ids) != len(set(ids)):
            raise ValueError("module ids must be unique within a package")
        if self.completion.count is not None and self.completion.count > len(self.modules):
            raise ValueError("completion count is larger than the number of modules")
        if (self.owner == "directorate") != (self.owner_unit is None):
            raise ValueError("owner_unit names the county or office, and only for those")
        return self

    @property
    def estimated_hours(self) -> float:
        """The hours it takes to complete: the modules the completion rule needs, cheapest first."""
        hours = sorted(module.estimated_hours for module in self.modules)
        needed = {"all": len(hours), "any": 1}.get(self.completion.rule, self.completion.count)
        return sum(hours[: needed or len(hours)])
