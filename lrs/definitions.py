"""The Activities and Agents resources' decisions, without HTTP (Communication §2.4, §2.5).

As statements are stored, every Activity and Agent in them is recorded: the Activity in the
object, in the context activities, and the same inside a SubStatement; the Agents that are
actor, object, instructor, team member or context agent (a Group stands for its members).

- Statements stored with the `define` scope (or `all`) (re)define them (Communication §4.2):
  a later Activity Definition is merged into the earlier one, its language maps (name,
  description) and its extensions key by key, every other property replaced whole; an Agent's
  names are collected.
- Statements stored without it record the ids only.

GET /activities returns the canonical Activity; GET /agents returns a Person holding every
identifier known for the agent's person, or only the one asked about for a credential without
the permission to see more (Communication §2.4.s3.b1).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from lrs.store import MERGED, AgentFacts, DefinitionStore, ifi_key

Document = dict[str, Any]
_IFIS = ("mbox", "mbox_sha1sum", "openid", "account")


class DefinitionService:
    """Canonical Activities and Persons, recorded from statements and read by the resources."""

    def __init__(self, store: DefinitionStore) -> None:
        self.store = store

    async def record(self, statements: Iterable[Document], *, define: bool) -> None:
        """Record the Activities and Agents of stored statements, in order."""
        activities: dict[str, Document | None] = {}
        agents: dict[str, AgentFacts] = {}
        for statement in statements:
            for activity in activities_in(statement):
                activity_id = activity["id"]
                if define:
                    earlier = activities.get(activity_id) or {}
                    later = activity.get("definition", {})
                    activities[activity_id] = merge_definition(earlier, later)
                else:
                    activities.setdefault(activity_id, None)
            for agent in agents_in(statement):
                key = ifi_key(agent)
                if key is None:
                    continue
                facts = agents.setdefault(key, AgentFacts(identifier(agent)))
                name = agent.get("name")
                if define and isinstance(name, str) and name not in facts.names:
                    facts.names.append(name)
        await self.store.record(activities, agents)

    async def activity(self, activity_id: str) -> Document:
        """The canonical Activity object; only the id when no definition is known."""
        activity: Document = {"objectType": "Activity", "id": activity_id}
        definition = await self.store.definition(activity_id)
        if definition:
            activity["definition"] = definition
        return activity

    async def person(self, agent: Mapping[str, Any], *, every_identifier: bool) -> Document:
        """The Person object for an Agent: its person's identifiers and names.

        With `every_identifier` false, only the identifier asked about (and its names). An
        agent the LRS has never seen is a Person of what the request says (§2.4.s3.b3).
        """
        key = ifi_key(agent)
        found = await self.store.identifiers(key) if key is not None else None
        if found is None:
            name = agent.get("name")
            return person_of([(identifier(agent), [name] if isinstance(name, str) else [])])
        documents = found if every_identifier else found[:1]
        return person_of([(doc["agent"], doc.get("names", [])) for doc in documents])

    async def link(self, person: str, agents: Iterable[Mapping[str, Any]]) -> None:
        """Make these Agents' identifiers one person (e.g. an employee's persona)."""
        identifiers = {ifi_key(agent): identifier(agent) for agent in agents}
        await self.store.link(person, {k: v for k, v in identifiers.items() if k is not None})


def merge_definition(earlier: Mapping[str, Any], later: Mapping[str, Any]) -> Document:
    """`later` merged into `earlier`: name, description and extensions key by key, the rest
    replaced.

    >>> merge_definition({"name": {"en-US": "Meeting"}, "type": "http://x/a"},
    ...                  {"name": {"nb": "Møte"}, "type": "http://x/b"})
    {'name': {'en-US': 'Meeting', 'nb': 'Møte'}, 'type': 'http://x/b'}
    """
    merged: Document = dict(earlier)
    for name, value in later.items():
        if name in MERGED and isinstance(value, Mapping) and isinstance(merged.get(name), Mapping):
            merged[name] = {**merged[name], **value}
        else:
            merged[name] = value
    return merged


def activities_in(statement: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    """Every Activity object of a statement: object, context activities, SubStatement's."""
    target = statement.get("object", {})
    kind = target.get("objectType", "Activity")
    if kind == "Activity":
        yield target
    for activities in statement.get("context", {}).get("contextActivities", {}).values():
        yield from activities if isinstance(activities, list) else [activities]
    if kind == "SubStatement":
        yield from activities_in(target)


def agents_in(statement: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    """Every Agent of a statement (a Group's members, not the Group), but not the authority."""
    yield from _members(statement.get("actor", {}))
    target = statement.get("object", {})
    kind = target.get("objectType", "Activity")
    if kind in ("Agent", "Group"):
        yield from _members(target)
    context = statement.get("context", {})
    for role in ("instructor", "team"):
        if role in context:
            yield from _members(context[role])
    for context_agent in context.get("contextAgents", []):
        yield from _members(context_agent.get("agent", {}))
    for context_group in context.get("contextGroups", []):
        yield from _members(context_group.get("group", {}))
    if kind == "SubStatement":
        yield from agents_in(target)


def _members(agent: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    if agent.get("objectType") == "Group":
        yield from agent.get("member", [])
    else:
        yield agent


def identifier(agent: Mapping[str, Any]) -> Document:
    """The inverse functional identifier of an Agent, alone ({"mbox": ...})."""
    for name in _IFIS:
        if name in agent:
            value = agent[name]
            if name == "mbox_sha1sum" and isinstance(value, str):
                value = value.lower()
            if name == "account" and isinstance(value, Mapping):
                value = {"homePage": value.get("homePage"), "name": value.get("name")}
            return {name: value}
    return {}


def person_of(identities: Iterable[tuple[Mapping[str, Any], Iterable[str]]]) -> Document:
    """A Person object (Communication §2.4) from (identifier, names) pairs; empty lists left out."""
    lists: dict[str, list[Any]] = {"name": [], **{name: [] for name in _IFIS}}
    for ifi, names in identities:
        for name in names:
            if name not in lists["name"]:
                lists["name"].append(name)
        for kind, value in ifi.items():
            if kind in lists and value not in lists[kind]:
                lists[kind].append(value)
    return {"objectType": "Person", **{kind: values for kind, values in lists.items() if values}}
