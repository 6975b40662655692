"""The context of a Statement (Data §2.4.6), with xAPI 2.0's context agents and groups."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field, Tag, ValidationInfo, model_validator

from lrs.model._activities import Activity
from lrs.model._agents import Agent, AgentOrGroup, Group
from lrs.model._base import XapiModel, fail, version_of
from lrs.model._references import StatementRef
from lrs.model._values import Extensions, Iri, LanguageTag, Uuid

VERSION_2_PROPERTIES = ("contextAgents", "contextGroups")


def _one_or_many(value: Any) -> str | None:
    if isinstance(value, dict | Activity):
        return "Activity"
    return "Activity[]" if isinstance(value, list) else None


ActivityOrActivities = Annotated[
    Annotated[Activity, Tag("Activity")] | Annotated[list[Activity], Tag("Activity[]")],
    Discriminator(
        _one_or_many,
        custom_error_type="activities",
        custom_error_message="must be an Activity or an array of Activities",
    ),
]
"""One Activity or an array of them; the LRS returns arrays (Data §2.4.6.2)."""


class ContextActivities(XapiModel):
    """Activities the Statement relates to: parent, grouping, category, other."""

    parent: ActivityOrActivities | None = None
    grouping: ActivityOrActivities | None = None
    category: ActivityOrActivities | None = None
    other: ActivityOrActivities | None = None


class ContextAgent(XapiModel):
    """An Agent related to the Statement, characterised by relevant types (xAPI 2.0)."""

    object_type: Literal["contextAgent"] = Field(alias="objectType")
    agent: Agent
    relevant_types: list[Iri] | None = Field(default=None, alias="relevantTypes", min_length=1)


class ContextGroup(XapiModel):
    """A Group related to the Statement, characterised by relevant types (xAPI 2.0)."""

    object_type: Literal["contextGroup"] = Field(alias="objectType")
    group: Group
    relevant_types: list[Iri] | None = Field(default=None, alias="relevantTypes", min_length=1)


class Context(XapiModel):
    """Registration, instructor, team, related activities, language, platform, extensions.

    `revision` and `platform` are only allowed when the Statement's object is an Activity;
    the Statement checks that. `contextAgents` and `contextGroups` are refused in 1.0.3.
    """

    registration: Uuid | None = None
    instructor: AgentOrGroup | None = None
    team: Group | None = None
    context_activities: ContextActivities | None = Field(default=None, alias="contextActivities")
    context_agents: list[ContextAgent] | None = Field(default=None, alias="contextAgents")
    context_groups: list[ContextGroup] | None = Field(default=None, alias="contextGroups")
    revision: str | None = None
    platform: str | None = None
    language: LanguageTag | None = None
    statement: StatementRef | None = None
    extensions: Extensions | None = None

    @model_validator(mode="before")
    @classmethod
    def _known_in_version(cls, data: Any, info: ValidationInfo) -> Any:
        if isinstance(data, dict) and version_of(info) == "1.0.3":
            for key in VERSION_2_PROPERTIES:
                if key in data:
                    raise fail("is an xAPI 2.0 property, not allowed in xAPI 1.0.3", key)
        return data
