"""The measured outcome of a Statement (Data §2.4.5)."""

from __future__ import annotations

from typing import Self

from pydantic import Field, model_validator

from lrs.model._base import XapiModel, fail
from lrs.model._values import Duration, Extensions


class Score(XapiModel):
    """A score: scaled in [-1, 1]; raw between min and max; min below max."""

    scaled: float | None = Field(default=None, ge=-1, le=1)
    raw: float | None = None
    min: float | None = None
    max: float | None = None

    @model_validator(mode="after")
    def _in_range(self) -> Self:
        low, high, raw = self.min, self.max, self.raw
        if low is not None and high is not None and not low < high:
            raise fail(f"min ({low}) must be less than max ({high})", "min")
        if raw is not None and low is not None and raw < low:
            raise fail(f"raw ({raw}) must not be less than min ({low})", "raw")
        if raw is not None and high is not None and raw > high:
            raise fail(f"raw ({raw}) must not be more than max ({high})", "raw")
        return self


class Result(XapiModel):
    """Score, success, completion, response, duration and extensions."""

    score: Score | None = None
    success: bool | None = None
    completion: bool | None = None
    response: str | None = None
    duration: Duration | None = None
    extensions: Extensions | None = None
