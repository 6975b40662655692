"""The `format` parameter of GET statements (Communication §2.1.3): exact, ids, canonical.

Works on stored statements (plain JSON dicts) and never changes its input.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from typing import Any, Literal

from lrs.model._activities import COMPONENT_LISTS
from lrs.model._agents import IFIS

StatementFormat = Literal["exact", "ids", "canonical"]
"""How GET statements renders Agents, Groups, Activities and Verbs."""

Document = dict[str, Any]
_AGENT_ID_KEYS = frozenset({"objectType", *IFIS})


def format_statement(
    statement: Document, fmt: StatementFormat, languages: Sequence[str]
) -> Document:
    """A copy of a stored statement in the requested format.

    - ``exact``: as stored.
    - ``ids``: Agents and Groups keep objectType and their identifier (an anonymous Group its
      members, as ids), Activities their id, Verbs their id.
    - ``canonical``: every language map keeps one entry, the best match for the
      Accept-Language preference list `languages` (best first), else its first entry.

    >>> verb = {"id": "http://adlnet.gov/expapi/verbs/experienced",
    ...         "display": {"en-US": "experienced", "nb": "opplevde"}}
    >>> format_statement({"verb": verb}, "canonical", ["nb"])["verb"]["display"]
    {'nb': 'opplevde'}
    """
    if fmt == "ids":
        return _ids_statement(statement)
    if fmt == "canonical":
        return _Canonical(languages).statement(statement)
    return copy.deepcopy(statement)


# -- ids ----------------------------------------------------------------------------------------


def _ids_statement(statement: Document) -> Document:
    parts: dict[str, Callable[[Any], Any]] = {
        "actor": _ids_agent,
        "authority": _ids_agent,
        "verb": _ids_verb,
        "object": _ids_object,
        "context": _ids_context,
    }
    return {key: parts.get(key, copy.deepcopy)(value) for key, value in statement.items()}


def _ids_agent(agent: Any) -> Any:
    if not isinstance(agent, dict):
        return copy.deepcopy(agent)
    kept = {key: copy.deepcopy(value) for key, value in agent.items() if key in _AGENT_ID_KEYS}
    members = agent.get("member")
    if kept.keys() <= {"objectType"} and isinstance(members, list):
        kept["member"] = [_ids_agent(member) for member in members]
    return kept


def _ids_verb(verb: Any) -> Any:
    return {"id": verb["id"]} if isinstance(verb, dict) and "id" in verb else copy.deepcopy(verb)


def _ids_activity(activity: Any) -> Any:
    if isinstance(activity, dict) and "id" in activity:
        return {"id": activity["id"]}
    return copy.deepcopy(activity)


def _ids_object(target: Any) -> Any:
    kind = target.get("objectType", "Activity") if isinstance(target, dict) else None
    if kind == "Activity":
        return _ids_activity(target)
    if kind in ("Agent", "Group"):
        return _ids_agent(target)
    if kind == "SubStatement":
        return _ids_statement(target)
    return copy.deepcopy(target)


def _ids_context(context: Any) -> Any:
    if not isinstance(context, dict):
        return copy.deepcopy(context)
    parts: dict[str, Callable[[Any], Any]] = {
        "instructor": _ids_agent,
        "team": _ids_agent,
        "contextActivities": _ids_context_activities,
        "contextAgents": lambda related: _each(
            related, lambda item: _with(item, "agent", _ids_agent)
        ),
        "contextGroups": lambda related: _each(
            related, lambda item: _with(item, "group", _ids_agent)
        ),
    }
    return {key: parts.get(key, copy.deepcopy)(value) for key, value in context.items()}


def _ids_context_activities(activities: Any) -> Any:
    if not isinstance(activities, dict):
        return copy.deepcopy(activities)
    return {kind: _each(value, _ids_activity) for kind, value in activities.items()}


# -- canonical ----------------------------------------------------------------------------------


class _Canonical:
    """Reduces language maps to the entry that best fits a list of language ranges."""

    def __init__(self, languages: Sequence[str]) -> None:
        self.ranges = [language.strip().lower() for language in languages if language.strip()]

    def statement(self, statement: Document) -> Document:
        parts: dict[str, Callable[[Any], Any]] = {
            "verb": lambda verb: self.maps(verb, "display"),
            "object": self.object,
            "context": lambda context: _with(context, "contextActivities", self.context_activities),
            "attachments": lambda attachments: _each(
                attachments, lambda item: self.maps(item, "display", "description")
            ),
        }
        return {key: parts.get(key, copy.deepcopy)(value) for key, value in statement.items()}

    def object(self, target: Any) -> Any:
        kind = target.get("objectType", "Activity") if isinstance(target, dict) else None
        if kind == "Activity":
            return self.activity(target)
        if kind == "SubStatement":
            return self.statement(target)
        return copy.deepcopy(target)

    def context_activities(self, activities: Any) -> Any:
        if not isinstance(activities, dict):
            return copy.deepcopy(activities)
        return {kind: _each(value, self.activity) for kind, value in activities.items()}

    def activity(self, activity: Any) -> Any:
        return _with(activity, "definition", self.definition)

    def definition(self, definition: Any) -> Any:
        result = self.maps(definition, "name", "description")
        for key in COMPONENT_LISTS:
            components = definition.get(key) if isinstance(definition, dict) else None
            if isinstance(components, list):
                result[key] = [self.maps(item, "description") for item in components]
        return result

    def maps(self, value: Any, *keys: str) -> Any:
        """A copy of `value` with the language maps under `keys` reduced."""
        if not isinstance(value, dict):
            return copy.deepcopy(value)
        return {
            key: self.language_map(item) if key in keys else copy.deepcopy(item)
            for key, item in value.items()
        }

    def language_map(self, language_map: Any) -> Any:
        if not isinstance(language_map, dict) or len(language_map) < 2:
            return copy.deepcopy(language_map)
        tag = self.best_tag(list(language_map))
        return {tag: language_map[tag]}

    def best_tag(self, tags: list[Any]) -> Any:
        """RFC 4647 lookup, range by range: the tag itself, else a tag extending the range,
        then the same with the range's last subtag dropped (en-GB: en-GB, en-GB-*, en, en-*)."""
        lowered = {str(tag).lower(): tag for tag in tags}
        for wanted in self.ranges:
            if wanted == "*":
                return tags[0]
            subtags = wanted.split("-")
            for length in range(len(subtags), 0, -1):
                prefix = "-".join(subtags[:length])
                if prefix in lowered:
                    return lowered[prefix]
                for lower, tag in lowered.items():
                    if lower.startswith(f"{prefix}-"):
                        return tag
        return tags[0]


# -- helpers ------------------------------------------------------------------------------------


def _each(value: Any, change: Callable[[Any], Any]) -> Any:
    """`change` applied to one item or to each item of a list."""
    return [change(item) for item in value] if isinstance(value, list) else change(value)


def _with(value: Any, key: str, change: Callable[[Any], Any]) -> Any:
    """A copy of `value` with `change` applied to its `key`, if it is a dict holding one."""
    if not isinstance(value, dict):
        return copy.deepcopy(value)
    return {
        name: change(item) if name == key else copy.deepcopy(item) for name, item in value.items()
    }
