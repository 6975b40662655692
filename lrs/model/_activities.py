"""Activities and their definitions, interactions included (Data §2.4.4.1)."""

from __future__ import annotations

from typing import Literal, Self

from pydantic import Field, model_validator

from lrs.model._base import XapiModel, fail
from lrs.model._values import Extensions, Iri, Irl, LanguageMap

InteractionType = Literal[
    "true-false",
    "choice",
    "fill-in",
    "long-fill-in",
    "matching",
    "performance",
    "sequencing",
    "likert",
    "numeric",
    "other",
]

COMPONENT_LISTS = ("choices", "scale", "source", "target", "steps")

_ALLOWED_LISTS: dict[str, frozenset[str]] = {
    "choice": frozenset({"choices"}),
    "sequencing": frozenset({"choices"}),
    "likert": frozenset({"scale"}),
    "matching": frozenset({"source", "target"}),
    "performance": frozenset({"steps"}),
}
_INTERACTION_PROPERTIES = ("correctResponsesPattern", *COMPONENT_LISTS)


class InteractionComponent(XapiModel):
    """One choice, scale point, source, target or step of an interaction."""

    id: str
    description: LanguageMap | None = None


class ActivityDefinition(XapiModel):
    """What an Activity is: names, type, more info, extensions and interaction details."""

    name: LanguageMap | None = None
    description: LanguageMap | None = None
    type: Iri | None = None
    more_info: Irl | None = Field(default=None, alias="moreInfo")
    extensions: Extensions | None = None
    interaction_type: InteractionType | None = Field(default=None, alias="interactionType")
    correct_responses_pattern: list[str] | None = Field(
        default=None, alias="correctResponsesPattern"
    )
    choices: list[InteractionComponent] | None = None
    scale: list[InteractionComponent] | None = None
    source: list[InteractionComponent] | None = None
    target: list[InteractionComponent] | None = None
    steps: list[InteractionComponent] | None = None

    @model_validator(mode="after")
    def _interaction_rules(self) -> Self:
        given = self.model_fields_set
        if self.interaction_type is None:
            for alias in _INTERACTION_PROPERTIES:
                if _field_name(alias) in given:
                    raise fail(f"{alias} is only allowed with an interactionType", alias)
            return self
        allowed = _ALLOWED_LISTS.get(self.interaction_type, frozenset())
        for alias in COMPONENT_LISTS:
            components: list[InteractionComponent] | None = getattr(self, alias)
            if components is None:
                continue
            if alias not in allowed:
                raise fail(
                    f"an interactionType of {self.interaction_type!r} has no {alias} list", alias
                )
            _check_unique_ids(alias, components)
        return self


class Activity(XapiModel):
    """A thing that was experienced, identified by an IRI; objectType "Activity" is the default.

    >>> Activity.model_validate({"id": "https://kompetanse.example/activities/ny-i-nav"}).id
    'https://kompetanse.example/activities/ny-i-nav'
    """

    object_type: Literal["Activity"] | None = Field(default=None, alias="objectType")
    id: Iri
    definition: ActivityDefinition | None = None


def _field_name(alias: str) -> str:
    return "correct_responses_pattern" if alias == "correctResponsesPattern" else alias


def _check_unique_ids(alias: str, components: list[InteractionComponent]) -> None:
    seen: set[str] = set()
    for index, component in enumerate(components):
        if component.id in seen:
            raise fail(f"the id {component.id!r} is used twice in {alias}", alias, index, "id")
        seen.add(component.id)
