"""Confirming learning at work: the learner's entry asks the colleague or leader she named to
confirm it, and the confirmation is a statement of its own, by the confirmer.

Three kinds of statements, all stored by the pages' own credential (`_work.credential`):

- the entry, built by the method's adapter (`_work.register`), by the learner;
- a request, by the learner, one per statement of the entry: verb *request* (Activity Streams),
  object the confirmer (an Agent, so that the LRS finds the requests naming someone by an
  indexed agent query), ``context.statement`` the entry's statement;
- the confirmation, by the confirmer, signed in on Min læring: verb *confirm*, object a
  StatementRef to the entry's statement, ``context.statement`` the request.

Requests and confirmations have deterministic ids (UUID v5 of the entry's id and the
confirmer), so a form sent twice asks once and a confirmation sent twice is stored once. A
confirmation is accepted only from the person the request names (`catalog._access.may_confirm`),
never for one's own entry. Neither credits anything in the catalog (their objects are no
activities) and the record does not list them (`BOOKKEEPING`): they say something about an
entry, which the record shows as awaiting confirmation or as confirmed, by whom and when.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from adapters import XAPI_VERSION, deterministic_id
from adapters.vocabulary import CONFIRMED, HOURS, NAV_IDENT, REQUESTED, TRAINING_METHOD
from catalog._store import CatalogStore
from lrs.auth import Credential
from lrs.errors import Conflict
from lrs.model import format_timestamp
from lrs.statements import StatementService
from lrs.store import StatementQuery, ifi_key

_PAGE = 500
_MOST = 5_000  # statements read per query at most (a person's requests or confirmations)

Document = dict[str, Any]


def ident(person: str) -> Document:
    """The xAPI agent of an employee ident, as the adapters write it."""
    return {"objectType": "Agent", "account": {"homePage": NAV_IDENT, "name": person}}


def requests(
    entries: Iterable[Mapping[str, Any]], learner: str, confirmer: Document
) -> list[Document]:
    """A request to `confirmer` for each statement of `entries` by `learner` herself."""
    own = ifi_key(ident(learner))
    named = ifi_key(confirmer)
    return [
        {
            "id": deterministic_id("confirmation-request", str(entry["id"]), named),
            "actor": dict(entry["actor"]),
            "verb": {
                "id": REQUESTED,
                "display": {"nb": "ba om bekreftelse fra", "en": "asked for confirmation from"},
            },
            "object": dict(confirmer),
            "timestamp": entry["timestamp"],
            "context": {
                "statement": {"objectType": "StatementRef", "id": entry["id"]},
                "extensions": {
                    TRAINING_METHOD: entry.get("context", {})
                    .get("extensions", {})
                    .get(TRAINING_METHOD, "")
                },
            },
        }
        for entry in entries
        if ifi_key(entry["actor"]) == own
    ]


def confirmation(request: Mapping[str, Any], when: datetime) -> Document:
    """The confirmer's statement confirming the entry `request` asks about."""
    entry = request["context"]["statement"]["id"]
    return {
        "id": deterministic_id("confirmation", str(entry), ifi_key(request["object"])),
        "actor": dict(request["object"]),
        "verb": {"id": CONFIRMED, "display": {"nb": "bekreftet", "en": "confirmed"}},
        "object": {"objectType": "StatementRef", "id": entry},
        "timestamp": format_timestamp(when.astimezone(UTC)),
        "context": {"statement": {"objectType": "StatementRef", "id": request["id"]}},
    }


@dataclass(frozen=True)
class Awaiting:
    """An entry awaiting the viewer's confirmation: what the confirmer reads before confirming."""

    entry: str
    learner: str
    learner_name: str
    method: str
    what: Mapping[str, str]
    verb: Mapping[str, str]
    verb_id: str
    when: str
    hours: float | None


@dataclass(frozen=True)
class State:
    """Where one of the learner's entries stands: confirmed (by whom, when) or awaiting."""

    confirmed: bool
    by: str
    on: str | None = None


class Confirmations:
    """The requests and confirmations of the pages' credential in the LRS."""

    def __init__(
        self, statements: StatementService, people: CatalogStore, credential: Credential
    ) -> None:
        self.statements = statements
        self.people = people
        self.credential = credential
        self.authority = ifi_key(credential.authority)

    async def agents_of(self, person: str) -> list[Document]:
        found = await self.people.person_document(person)
        return list(found["agents"]) if found is not None else [ident(person)]

    async def _all(self, query: StatementQuery) -> list[Document]:
        query = replace(query, authority=self.authority)
        found: list[Document] = []
        while len(found) < _MOST:
            page = await self.statements.query(query, _PAGE)
            found.extend(page.statements)
            if page.more is None:
                break
            query = replace(query, cursor=page.more)
        return found

    async def _named(self, agents: list[Document], verb: str) -> list[Document]:
        found: dict[str, Document] = {}
        for agent in agents:
            for statement in await self._all(StatementQuery(agent=agent, verb=verb)):
                found[statement["id"]] = statement
        return list(found.values())

    async def awaiting(self, person: str) -> list[Awaiting]:
        """The entries whose learners named `person` as confirming them, not yet confirmed
        by them, oldest first."""
        agents = await self.agents_of(person)
        keys = {ifi_key(agent) for agent in agents}
        confirmed = {
            str(s["object"]["id"]).lower()
            for s in await self._named(agents, CONFIRMED)
            if ifi_key(s["actor"]) in keys
        }
        found = []
        for request in await self._named(agents, REQUESTED):
            entry_id = str(request["context"]["statement"]["id"]).lower()
            if ifi_key(request["object"]) not in keys or ifi_key(request["actor"]) in keys:
                continue
            if entry_id in confirmed:
                continue
            entry = await self._entry(entry_id)
            if entry is None:
                continue  # voided or erased since
            learner = await self.people.person_for(entry["actor"])
            who = await self.people.person_document(learner) if learner else None
            extensions = entry.get("context", {}).get("extensions", {})
            found.append(
                Awaiting(
                    entry=entry_id,
                    learner=learner or "",
                    learner_name=str(who["name"]) if who else _address(entry["actor"]),
                    method=str(extensions.get(TRAINING_METHOD, "")).rsplit("/", 1)[-1],
                    what=entry["object"].get("definition", {}).get("name", {}),
                    verb=entry["verb"].get("display", {}),
                    verb_id=entry["verb"]["id"],
                    when=str(entry["timestamp"])[:10],
                    hours=extensions.get(HOURS),
                )
            )
        return sorted(found, key=lambda item: (item.when, item.learner_name))

    async def _entry(self, entry_id: str) -> Document | None:
        return await self.statements.get(entry_id, voided=False, credential_mine=self.authority)

    async def request_to(self, entry_id: str, agents: list[Document]) -> Document | None:
        """The request naming one of `agents` to confirm the entry, if there is one."""
        for agent in agents:
            request_id = deterministic_id("confirmation-request", entry_id, ifi_key(agent))
            found = await self._entry(request_id)
            if found is not None and found["verb"]["id"] == REQUESTED:
                return found
        return None

    async def confirm(self, request: Mapping[str, Any], when: datetime) -> None:
        """Store the confirmation; one sent before (the same id) stays as it was."""
        try:
            await self.statements.save(
                [confirmation(request, when)], version=XAPI_VERSION, credential=self.credential
            )
        except Conflict:
            pass  # confirmed already, at another moment: the first confirmation stands

    async def states(self, person: str) -> dict[str, State]:
        """Each of the person's entries that asked for confirmation: confirmed or awaiting."""
        own = ident(person)
        mine = await self._all(StatementQuery(agent=own))
        names: dict[str, str] = {}
        result: dict[str, State] = {}
        for statement in mine:
            if statement["verb"]["id"] != REQUESTED or ifi_key(statement["actor"]) != ifi_key(own):
                continue
            entry_id = str(statement["context"]["statement"]["id"]).lower()
            by = await self._name(statement["object"], names)
            result.setdefault(entry_id, State(False, by))
        for statement in mine:
            target = statement.get("object", {})
            if statement["verb"]["id"] != CONFIRMED or target.get("objectType") != "StatementRef":
                continue
            entry_id = str(target["id"]).lower()
            if entry_id in result:
                by = await self._name(statement["actor"], names)
                result[entry_id] = State(True, by, str(statement["timestamp"])[:10])
        return result

    async def _name(self, agent: Mapping[str, Any], names: dict[str, str]) -> str:
        key = ifi_key(agent) or ""
        if key not in names:
            person = await self.people.person_for(agent)
            found = await self.people.person_document(person) if person else None
            names[key] = str(found["name"]) if found else str(agent.get("name") or _address(agent))
        return names[key]


def _address(agent: Mapping[str, Any]) -> str:
    if "mbox" in agent:
        return str(agent["mbox"]).removeprefix("mailto:")
    return str(agent.get("account", {}).get("name", ""))
