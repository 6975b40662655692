"""Statement queries: the parameters of GET /statements and the MongoDB filters they become.

Pure functions, tested without a server.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from typing import Any, Literal

from lrs.errors import BadRequest
from lrs.store._documents import PENDING, ifi_key

Document = dict[str, Any]
Format = Literal["exact", "ids", "canonical"]


@dataclass(frozen=True)
class Cursor:
    """Where the previous page ended: the last statement's (stored, id)."""

    stored: str
    id: str


@dataclass(frozen=True)
class StatementQuery:
    """The filters of a statement query (everything but format, attachments and paging)."""

    agent: Document | None = None
    verb: str | None = None
    activity: str | None = None
    registration: str | None = None
    related_activities: bool = False
    related_agents: bool = False
    since: str | None = None
    until: str | None = None
    limit: int = 0
    ascending: bool = False
    authority: str | None = None  # statements/read/mine: only this authority's statements
    cursor: Cursor | None = field(default=None)

    def has_filters(self) -> bool:
        """Whether a statement must match something beyond the time range."""
        return any(v is not None for v in (self.agent, self.verb, self.activity, self.registration))


def match_filter(query: StatementQuery) -> Document:
    """The conditions on a statement itself (agent, verb, activity, registration)."""
    conditions: Document = {}
    if query.agent is not None:
        key = ifi_key(query.agent)
        conditions["related_agents" if query.related_agents else "agents"] = key
    if query.verb is not None:
        conditions["verb"] = query.verb
    if query.activity is not None:
        field_name = "related_activities" if query.related_activities else "activities"
        conditions[field_name] = query.activity
    if query.registration is not None:
        conditions["registration"] = query.registration.lower()
    return conditions


def via_filter(matches: Document) -> Document:
    """The conditions for a statement that refers to a match through StatementRefs: one of
    the statements it targets (its `via`) meets every condition of `matches`.

    The dotted equalities repeat what `$elemMatch` says, so that an index on ``via.<field>``
    (declared for StatementRefs only) narrows the statements to check.
    """
    return {
        "is_ref": True,
        **{f"via.{field}": value for field, value in matches.items()},
        "via": {"$elemMatch": matches},
    }


def page_filter(query: StatementQuery, matches: Document) -> Document:
    """The whole filter for one page: matches, not voided, in the time range, after the cursor."""
    parts: list[Document] = [{"voided": False, PENDING: {"$exists": False}}, matches]
    if query.authority is not None:
        parts.append({"authority": query.authority})
    stored: Document = {}
    if query.since is not None:
        stored["$gt"] = query.since
    if query.until is not None:
        stored["$lte"] = query.until
    if stored:
        parts.append({"stored": stored})
    if query.cursor is not None:
        before = "$gt" if query.ascending else "$lt"
        parts.append({"stored": {"$gte" if query.ascending else "$lte": query.cursor.stored}})
        parts.append(
            {
                "$or": [
                    {"stored": {before: query.cursor.stored}},
                    {"stored": query.cursor.stored, "_id": {before: query.cursor.id}},
                ]
            }
        )
    return {"$and": [part for part in parts if part]}


def sort_order(query: StatementQuery) -> list[tuple[str, int]]:
    direction = 1 if query.ascending else -1
    return [("stored", direction), ("_id", direction)]


def encode_more(params: dict[str, str], cursor: Cursor) -> str:
    """An opaque token for the next page: the query's parameters and where this page ended."""
    payload = {"p": params, "c": [cursor.stored, cursor.id]}
    raw = json.dumps(payload, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_more(token: str) -> tuple[dict[str, str], Cursor]:
    """The parameters and cursor encoded by `encode_more`; BadRequest if the token is not ours.

    The caller parses the parameters again, exactly as in the first request.
    """
    try:
        payload = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        params, (stored, statement_id) = payload["p"], payload["c"]
        valid = (
            isinstance(params, dict)
            and all(isinstance(k, str) and isinstance(v, str) for k, v in params.items())
            and isinstance(stored, str)
            and isinstance(statement_id, str)
        )
    except (ValueError, TypeError, KeyError, RecursionError, binascii.Error) as exc:
        raise BadRequest("more: not a continuation token issued by this LRS") from exc
    if not valid:
        raise BadRequest("more: not a continuation token issued by this LRS")
    return params, Cursor(stored=stored, id=statement_id)
