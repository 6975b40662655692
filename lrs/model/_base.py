"""What every xAPI object model shares: strict types, no unknown properties, no nulls."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationInfo, model_validator
from pydantic_core import PydanticCustomError

XapiVersion = Literal["1.0.3", "2.0.0"]
"""The xAPI version a request negotiated (the X-Experience-API-Version header)."""

DEFAULT_VERSION: XapiVersion = "2.0.0"

Location = tuple[str | int, ...]


def fail(reason: str, *at: str | int) -> PydanticCustomError:
    """An error for a validator to raise; `at` names the property below the model, if any."""
    return PydanticCustomError("xapi", "{reason}", {"reason": reason, "at": at})


def version_of(info: ValidationInfo) -> XapiVersion:
    """The negotiated version, passed as validation context; 2.0.0 when validating directly."""
    context = info.context
    if isinstance(context, dict):
        version = context.get("version")
        if version == "1.0.3":
            return "1.0.3"
    return DEFAULT_VERSION


def describe(value: object, limit: int = 60) -> str:
    """A short rendering of an input value for an error message."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[: limit - 3]}..."


class XapiModel(BaseModel):
    """Base of the xAPI object models.

    Strict (no coercion of "1" to 1 or 1 to True), unknown properties and null values are
    rejected (Data §2.2), properties are read by their xAPI names (`objectType`, `moreInfo`).
    """

    model_config = ConfigDict(
        strict=True,
        extra="forbid",
        allow_inf_nan=False,
        frozen=True,
    )

    @model_validator(mode="before")
    @classmethod
    def _no_nulls(cls, data: Any) -> Any:
        if isinstance(data, dict) and None in data.values():
            key = next(key for key, value in data.items() if value is None)
            raise fail("must not be null", key)
        return data
