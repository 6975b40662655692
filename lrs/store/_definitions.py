"""What the LRS knows about Activities and Agents, kept current as statements are stored.

Two collections, each updated with at most one read and one bulk write per batch of statements:
the documents the batch touches are read, and only what differs is written. The read is skipped
too when this process saw the documents a moment ago and the batch adds nothing to them
(`Recent`), which is what a steady stream of statements about known activities and learners
does: it then costs no database call at all. ::

    activities  {_id: "<activity IRI>",
                 definition: {"name": {"en-US": "..."}, "type": "...", "choices": [...],
                              "extensions": {"<IRI, escaped>": "<JSON text>"}, ...}}
    agents      {_id: "<IFI key>", person: "<person id>", agent: {"mbox": "..."},
                 names: ["...", ...]}

A definition is merged into the stored one by `$set` on one path per language, per extension
and per other property, so concurrent writers merge rather than overwrite each other. Paths
cannot hold "." or "$", so keys below the definition's properties are escaped (`%2E`, `%24`,
`%25`), and extension values, which are any JSON, are kept as JSON text.

Each agent document is one inverse functional identifier; a person is every document with the
same `person` (indexed). An identifier is its own person until `link` joins several into one.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pymongo import UpdateOne

from lrs.store._errors import call
from lrs.store._seam import Collection

Document = dict[str, Any]
MERGED = ("name", "description", "extensions")
"""Definition properties merged key by key; every other property is replaced whole."""

DEFINITION_INDEXES: dict[str, list[tuple[list[tuple[str, int]], dict[str, Any]]]] = {
    "agents": [([("person", 1)], {"name": "person"})],
}
_ESCAPES = {"%": "%25", ".": "%2E", "$": "%24", "\x00": "%00"}
_ESCAPED = re.compile("|".join(_ESCAPES.values()))
_UNESCAPES = {escaped: char for char, escaped in _ESCAPES.items()}
_ABSENT = object()


@dataclass
class AgentFacts:
    """What one batch says about one identifier: the identifier and the names it goes by."""

    agent: Document
    names: list[str] = field(default_factory=list)


class DefinitionStore:
    """Canonical Activity definitions and the identifiers and names of Agents."""

    def __init__(self, activities: Any, agents: Any, *, trust_seconds: float = 10.0) -> None:
        self._activities = activities
        self._agents = agents
        self._recent_activities = Recent(trust_seconds)
        self._recent_agents = Recent(trust_seconds)

    async def create_indexes(self) -> None:
        for keys, options in DEFINITION_INDEXES["agents"]:
            await self._agents.create_index(keys, **options)

    # -- writing ----------------------------------------------------------------------------

    async def record(
        self, activities: Mapping[str, Document | None], agents: Mapping[str, AgentFacts]
    ) -> None:
        """Merge definitions (None: the id only) and agents' names into what is stored."""
        await self._merge(
            self._activities, self._recent_activities, activities, _activity_state, _activity_change
        )
        await self._merge(self._agents, self._recent_agents, agents, _agent_state, _agent_change)

    async def _merge(
        self,
        collection: Collection,
        recent: Recent,
        wanted: Mapping[str, Any],
        state_of: Callable[[Document], Any],
        change: Callable[[str, Any, Any], tuple[Document | None, Any]],
    ) -> None:
        """Read what is stored of `wanted`, unless it is known to hold it all; write the rest.

        `change(key, state or None, wanted)` is (the update or None, the state after it).
        """
        now = time.monotonic()
        unknown = []
        for key, facts in wanted.items():
            known = recent.get(key, now)
            if known is None or change(key, known, facts)[0] is not None:
                unknown.append(key)
        if not unknown:
            return
        stored = await self._by_id(collection, unknown)
        requests, learned = [], {}
        for key in unknown:
            found = stored.get(key)
            update, learned[key] = change(
                key, None if found is None else state_of(found), wanted[key]
            )
            if update is not None:
                requests.append(UpdateOne({"_id": key}, update, upsert=True))
        # Remembered before the write, in the order writes are made: a concurrent request's
        # write that lands later is remembered later too.
        recent.put(learned, now)
        try:
            await self._bulk(collection, requests)
        except BaseException:
            recent.forget(learned)
            raise

    async def link(self, person: str, agents: Mapping[str, Document]) -> None:
        """Make these identifiers (IFI key -> Agent) one person, e.g. from an HR register."""
        requests = [
            UpdateOne(
                {"_id": key},
                {"$set": {"person": person}, "$setOnInsert": {"agent": agent, "names": []}},
                upsert=True,
            )
            for key, agent in agents.items()
        ]
        await self._bulk(self._agents, requests)

    # -- reading ----------------------------------------------------------------------------

    async def definition(self, activity_id: str) -> Document | None:
        """The canonical definition of an Activity ({} if it has none), None if never seen."""
        found = await self._call(self._activities.find_one, {"_id": activity_id})
        if found is None:
            return None
        return _decode_definition(found.get("definition", {}))

    async def identifiers(self, key: str) -> list[Document] | None:
        """The agent documents of the person this IFI key belongs to, this one first."""
        found = await self._call(self._agents.find_one, {"_id": key})
        if found is None:
            return None
        cursor = self._agents.find({"person": found["person"]}).sort([("_id", 1)])
        together: list[Document] = await self._call(cursor.to_list)
        return [found, *(doc for doc in together if doc["_id"] != key)]

    # -- the driver -------------------------------------------------------------------------

    async def _by_id(self, collection: Collection, ids: list[str]) -> dict[str, Any]:
        # Whole documents: they are small, and the embedded engine copies them faster so.
        cursor = collection.find({"_id": {"$in": ids}})
        return {doc["_id"]: doc for doc in await self._call(cursor.to_list)}

    async def _bulk(self, collection: Collection, requests: list[UpdateOne]) -> None:
        if requests:
            await self._call(collection.bulk_write, requests, ordered=False)

    async def _call(self, method: Any, *args: Any, **kwargs: Any) -> Any:
        return await call("definition", method, *args, **kwargs)


class Recent:
    """What this process last read or wrote of each document, trusted for `seconds`.

    A batch that repeats what is stored then needs no read. On the embedded engine, which
    belongs to one process and applies writes in the order they are made, this is exact. On
    MongoDB, names only grow, so a repeated name is never missed; a definition this process
    repeats within `seconds` of seeing it can miss another process's change to it meanwhile,
    as if the two requests had been concurrent.
    """

    def __init__(self, seconds: float, size: int = 50_000) -> None:
        self._seconds = seconds
        self._size = size
        self._entries: dict[str, tuple[float, Any]] = {}

    def get(self, key: str, now: float) -> Any:
        entry = self._entries.get(key)
        return entry[1] if entry is not None and now - entry[0] < self._seconds else None

    def forget(self, keys: Iterable[str]) -> None:
        for key in keys:
            self._entries.pop(key, None)

    def put(self, states: Mapping[str, Any], now: float) -> None:
        for key, state in states.items():
            self._entries.pop(key, None)
            self._entries[key] = (now, state)
        while len(self._entries) > self._size:
            del self._entries[next(iter(self._entries))]


def _activity_state(stored: Document) -> dict[str, Any]:
    return _stored_paths(stored.get("definition", {}))


def _activity_change(
    activity_id: str, current: dict[str, Any] | None, definition: Document | None
) -> tuple[Document | None, dict[str, Any]]:
    """Merging `definition` (None: the id only) into the stored activity's paths."""
    paths = definition_paths(definition or {})
    if current is None:
        return ({"$set": paths} if paths else {"$setOnInsert": {"definition": {}}}), paths
    changed = {path: value for path, value in paths.items() if current.get(path, _ABSENT) != value}
    return ({"$set": changed} if changed else None), {**current, **changed}


def _agent_state(stored: Document) -> frozenset[str]:
    return frozenset(stored.get("names", []))


def _agent_change(
    key: str, names: frozenset[str] | None, facts: AgentFacts
) -> tuple[Document | None, frozenset[str]]:
    """Adding what `facts` say to the stored agent (None: not stored)."""
    if names is None:
        update: Document = {"$setOnInsert": {"person": key, "agent": facts.agent}}
        if facts.names:
            update["$addToSet"] = {"names": {"$each": facts.names}}
        else:
            update["$setOnInsert"]["names"] = []
        return update, frozenset(facts.names)
    new = [name for name in facts.names if name not in names]
    return ({"$addToSet": {"names": {"$each": new}}} if new else None), names | set(new)


# -- definitions as paths -----------------------------------------------------------------------


def definition_paths(definition: Mapping[str, Any]) -> dict[str, Any]:
    """A definition as `$set` paths below `definition`, keys escaped, extension values as JSON."""
    paths: dict[str, Any] = {}
    for name, value in definition.items():
        if name in MERGED and isinstance(value, Mapping):
            for key, item in value.items():
                stored = json.dumps(item, separators=(",", ":")) if name == "extensions" else item
                paths[f"definition.{name}.{_escape(key)}"] = stored
        else:
            paths[f"definition.{name}"] = value
    return paths


def _stored_paths(definition: Mapping[str, Any]) -> dict[str, Any]:
    """The stored (already escaped) definition as the same paths."""
    paths: dict[str, Any] = {}
    for name, value in definition.items():
        if name in MERGED and isinstance(value, Mapping):
            for key, item in value.items():
                paths[f"definition.{name}.{key}"] = item
        else:
            paths[f"definition.{name}"] = value
    return paths


def _decode_definition(stored: Mapping[str, Any]) -> Document:
    definition: Document = {}
    for name, value in stored.items():
        if name in MERGED and isinstance(value, Mapping):
            definition[name] = {
                _unescape(key): json.loads(item) if name == "extensions" else item
                for key, item in value.items()
            }
        else:
            definition[name] = value
    return definition


def _escape(key: str) -> str:
    return "".join(_ESCAPES.get(char, char) for char in key)


def _unescape(key: str) -> str:
    return _ESCAPED.sub(lambda match: _UNESCAPES[match.group()], key)
