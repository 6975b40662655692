"""Statements and SubStatements (Data §2.4): actor, verb, object and the rest."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal, Self

from pydantic import Discriminator, Field, Tag, ValidationInfo, field_validator, model_validator

from lrs.model._activities import Activity
from lrs.model._agents import IFIS, Agent, AgentOrGroup, Group
from lrs.model._base import XapiModel, describe, fail, version_of
from lrs.model._context import Context
from lrs.model._references import StatementRef
from lrs.model._result import Result
from lrs.model._values import Iri, Irl, LanguageMap, MediaType, Sha2Hex, Timestamp, Uuid

VOIDED = "http://adlnet.gov/expapi/verbs/voided"
"""The reserved verb of a voiding Statement (Data §2.3.2)."""

_VERSIONS = {
    "1.0.3": (re.compile(r"1\.0(?:\.[0-9]+)?"), '"1.0" or "1.0.x"'),
    "2.0.0": (re.compile(r"[12]\.0(?:\.[0-9]+)?"), '"1.0.x" or "2.0.x"'),
}
_NOT_IN_SUBSTATEMENT = ("id", "stored", "version", "authority")


class Verb(XapiModel):
    """The action, identified by an IRI, with display names."""

    id: Iri
    display: LanguageMap | None = None


class Attachment(XapiModel):
    """The header of a file attached to a Statement (Data §2.4.11)."""

    usage_type: Iri = Field(alias="usageType")
    display: LanguageMap
    description: LanguageMap | None = None
    content_type: MediaType = Field(alias="contentType")
    length: int = Field(ge=0)
    sha2: Sha2Hex
    file_url: Irl | None = Field(default=None, alias="fileUrl")


def _object_type(value: Any) -> str | None:
    if isinstance(value, dict):
        kind = value.get("objectType", "Activity")
        return kind if isinstance(kind, str) else None
    return type(value).__name__ if isinstance(value, XapiModel) else "Activity"


_OBJECT_ERROR = "must be 'Activity', 'Agent', 'Group', 'StatementRef' or 'SubStatement'"

SubStatementObject = Annotated[
    Annotated[Activity, Tag("Activity")]
    | Annotated[Agent, Tag("Agent")]
    | Annotated[Group, Tag("Group")]
    | Annotated[StatementRef, Tag("StatementRef")],
    Discriminator(
        _object_type, custom_error_type="object_type", custom_error_message=_OBJECT_ERROR
    ),
]


class SubStatement(XapiModel):
    """A Statement inside a Statement, e.g. what a learner planned to do (Data §2.4.4.3).

    It has no id, stored, version or authority, and cannot contain another SubStatement.
    """

    object_type: Literal["SubStatement"] = Field(alias="objectType")
    actor: AgentOrGroup
    verb: Verb
    object: SubStatementObject
    result: Result | None = None
    context: Context | None = None
    timestamp: Timestamp | None = None
    attachments: list[Attachment] | None = None

    @model_validator(mode="before")
    @classmethod
    def _not_a_full_statement(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for key in _NOT_IN_SUBSTATEMENT:
                if key in data:
                    raise fail(f"a SubStatement must not have {key}", key)
            target = data.get("object")
            if isinstance(target, dict) and target.get("objectType") == "SubStatement":
                raise fail("a SubStatement must not contain a SubStatement", "object", "objectType")
            _check_object_type_given(data)
        return data

    @model_validator(mode="after")
    def _context_fits_object(self) -> Self:
        _check_context_fits(self.object, self.context)
        return self


StatementObject = Annotated[
    Annotated[Activity, Tag("Activity")]
    | Annotated[Agent, Tag("Agent")]
    | Annotated[Group, Tag("Group")]
    | Annotated[StatementRef, Tag("StatementRef")]
    | Annotated[SubStatement, Tag("SubStatement")],
    Discriminator(
        _object_type, custom_error_type="object_type", custom_error_message=_OBJECT_ERROR
    ),
]


class Statement(XapiModel):
    """An xAPI Statement: "actor did verb to object", with result, context and attachments.

    Validate with `validate_statement`, which names the version and turns errors into
    `StatementInvalid`.
    """

    id: Uuid | None = None
    actor: AgentOrGroup
    verb: Verb
    object: StatementObject
    result: Result | None = None
    context: Context | None = None
    timestamp: Timestamp | None = None
    stored: Timestamp | None = None
    authority: AgentOrGroup | None = None
    version: str | None = None
    attachments: list[Attachment] | None = None

    @model_validator(mode="before")
    @classmethod
    def _object_type_given(cls, data: Any) -> Any:
        if isinstance(data, dict):
            _check_object_type_given(data)
        return data

    @field_validator("version")
    @classmethod
    def _supported_version(cls, value: str, info: ValidationInfo) -> str:
        pattern, allowed = _VERSIONS[version_of(info)]
        if pattern.fullmatch(value) is None:
            raise fail(f"must be {allowed}; got {describe(value)}")
        return value

    @model_validator(mode="after")
    def _statement_rules(self) -> Self:
        if self.verb.id == VOIDED and not isinstance(self.object, StatementRef):
            raise fail("the object of a voiding Statement must be a StatementRef", "object")
        if isinstance(self.authority, Group) and not (
            self.authority.is_anonymous and len(self.authority.member or ()) == 2
        ):
            raise fail(
                "an authority Group must be anonymous with exactly two Agents (OAuth 3-legged)",
                "authority",
            )
        _check_context_fits(self.object, self.context)
        return self


def _check_object_type_given(data: dict[Any, Any]) -> None:
    """An Agent or Group as object must say so: without objectType it would be an Activity."""
    target = data.get("object")
    if isinstance(target, dict) and "objectType" not in target:
        if any(key in target for key in (*IFIS, "member")):
            raise fail("an Agent or Group as object needs an objectType", "object", "objectType")


def _check_context_fits(target: object, context: Context | None) -> None:
    if context is None or isinstance(target, Activity):
        return
    for name in ("revision", "platform"):
        if getattr(context, name) is not None:
            raise fail(f"{name} is only allowed when the object is an Activity", "context", name)
