"""How a statement is stored: the statement itself plus precomputed fields for every query shape.

Learning Locker's pattern. A stored document looks like::

    {
      "_id": "<statement id>",
      "statement": {...},                # exactly what GET returns in the "exact" format
      "stored": "2026-11-23T10:00:00.123Z",
      "verb": "<verb id>",
      "agents": [...],                   # IFI keys of the actor and an Agent/Group object
      "related_agents": [...],           # ... and authority, instructor, team, context agents
      "activities": [...],               # the object's id when it is an Activity
      "related_activities": [...],       # ... and every context activity, also in a SubStatement
      "registration": "<uuid>",
      "authority": [...],                # IFI keys of the authority (and its members)
      "voided": false,
      "voids": "<target id>",            # only on a voiding statement
      "ref": "<target id>",              # only when the object is a StatementRef
      "is_ref": true,                    # only when the object is a StatementRef (sparse index)
      "via": [{"agents": [...], ...}],   # only on a StatementRef: its targets' query fields
      "pending": "<token>",              # only while its writer has not committed it (sparse)
    }

Every query is an equality on one of these fields plus a range on ``stored``, answered by a
compound index ending in ``(stored, _id)``; ``(stored, _id)`` is also the cursor for ``more``.
A filtered query also returns the statements that refer to a match through StatementRefs: those
carry their targets' query fields in ``via`` (the target first, then its own targets, to
``MAX_REF_DEPTH``), indexed by ``via.<field>`` for StatementRefs only, so that query is bounded
like any other (never a list of every matching id).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

VOIDED_VERB = "http://adlnet.gov/expapi/verbs/voided"
MAX_REF_DEPTH = 10  # StatementRef chains followed for filtered queries
# Marks a statement its writer has not committed (see `StatementStore.save`): no read sees it,
# and no client has been told it is stored, so the embedded engine journals its insert without
# waiting for the disk (the commit waits, and its sync covers the insert).
PENDING = "pending"
PENDING_SINCE = "pending_since"  # when its writer inserted it: how stale it is
# The fields a statement query filters on (besides time, authority and voided state).
QUERY_FIELDS = (
    "agents",
    "related_agents",
    "verb",
    "activities",
    "related_activities",
    "registration",
)

Document = dict[str, Any]

# (keys, options): created at start on the embedded engine and on MongoDB alike.
STATEMENT_INDEXES: list[tuple[list[tuple[str, int]], dict[str, Any]]] = [
    ([("stored", -1), ("_id", -1)], {"name": "stored_id"}),
    ([("agents", 1), ("stored", -1), ("_id", -1)], {"name": "agents_stored"}),
    ([("related_agents", 1), ("stored", -1), ("_id", -1)], {"name": "related_agents_stored"}),
    ([("verb", 1), ("stored", -1), ("_id", -1)], {"name": "verb_stored"}),
    ([("activities", 1), ("stored", -1), ("_id", -1)], {"name": "activities_stored"}),
    (
        [("related_activities", 1), ("stored", -1), ("_id", -1)],
        {"name": "related_activities_stored"},
    ),
    ([("registration", 1), ("stored", -1), ("_id", -1)], {"name": "registration_stored"}),
    ([("authority", 1), ("stored", -1), ("_id", -1)], {"name": "authority_stored"}),
    ([("voids", 1)], {"name": "voids", "sparse": True}),
    ([("ref", 1)], {"name": "ref", "sparse": True}),
    ([("is_ref", 1)], {"name": "is_ref", "sparse": True}),
    ([(PENDING, 1)], {"name": "pending", "sparse": True}),
    *(
        (
            [(f"via.{field}", 1), ("stored", -1), ("_id", -1)],
            {"name": f"via_{field}_stored", "partialFilterExpression": {"is_ref": True}},
        )
        for field in QUERY_FIELDS
    ),
]


def ifi_key(agent: Mapping[str, Any]) -> str | None:
    """The inverse functional identifier of an Agent or Group as one string, or None."""
    if "mbox" in agent:
        return f"mbox|{agent['mbox']}"
    if "mbox_sha1sum" in agent:
        return f"mbox_sha1sum|{str(agent['mbox_sha1sum']).lower()}"
    if "openid" in agent:
        return f"openid|{agent['openid']}"
    account = agent.get("account")
    if isinstance(account, Mapping):
        return f"account|{account.get('homePage')}|{account.get('name')}"
    return None


def to_document(statement: Document) -> Document:
    """The stored document for a complete statement (id, stored, authority already set)."""
    target = statement["object"]
    object_type = target.get("objectType", "Activity")
    agents = _keys(
        [statement["actor"], target] if object_type in ("Agent", "Group") else [statement["actor"]]
    )
    document: Document = {
        "_id": statement["id"].lower(),
        "statement": statement,
        "stored": statement["stored"],
        "verb": statement["verb"]["id"],
        "agents": agents,
        "related_agents": _keys(_related_agents(statement)),
        "activities": [target["id"]] if object_type == "Activity" else [],
        "related_activities": sorted(set(_related_activities(statement))),
        "authority": _keys(_authorities(statement.get("authority"))),
        "voided": False,
    }
    registration = statement.get("context", {}).get("registration")
    if registration is not None:
        document["registration"] = registration.lower()
    if object_type == "StatementRef":
        document["ref"] = target["id"].lower()
        document["is_ref"] = True
        if statement["verb"]["id"] == VOIDED_VERB:
            document["voids"] = target["id"].lower()
    return document


def chain(target: Mapping[str, Any]) -> list[Document]:
    """The `via` of a StatementRef to `target` (a stored document): the target's query fields,
    then those of the statements it refers to, to MAX_REF_DEPTH."""
    own = {field: target[field] for field in QUERY_FIELDS if field in target}
    return [own, *target.get("via", [])][:MAX_REF_DEPTH]


def _keys(agents: Iterable[Mapping[str, Any]]) -> list[str]:
    return sorted({key for key in map(ifi_key, agents) if key is not None})


def _authorities(authority: Mapping[str, Any] | None) -> list[Mapping[str, Any]]:
    if authority is None:
        return []
    return [authority, *authority.get("member", [])]


def _related_agents(statement: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    yield statement["actor"]
    target = statement["object"]
    object_type = target.get("objectType", "Activity")
    if object_type in ("Agent", "Group"):
        yield target
    if "authority" in statement:
        yield statement["authority"]
    context = statement.get("context", {})
    for role in ("instructor", "team"):
        if role in context:
            yield context[role]
    for context_agent in context.get("contextAgents", []):
        yield context_agent["agent"]
    for context_group in context.get("contextGroups", []):
        yield context_group["group"]
    if object_type == "SubStatement":
        yield from _related_agents(target)


def _related_activities(statement: Mapping[str, Any]) -> Iterator[str]:
    target = statement["object"]
    object_type = target.get("objectType", "Activity")
    if object_type == "Activity":
        yield target["id"]
    for activities in statement.get("context", {}).get("contextActivities", {}).values():
        for activity in activities if isinstance(activities, list) else [activities]:
            yield activity["id"]
    if object_type == "SubStatement":
        yield from _related_activities(target)
