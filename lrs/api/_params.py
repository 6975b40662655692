"""Parsing the parameters of GET /statements, each error naming the parameter."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

from starlette.datastructures import QueryParams

from lrs.api._body import parse_json
from lrs.errors import BadRequest, StatementInvalid
from lrs.model import (
    XapiVersion,
    check_storable,
    format_timestamp,
    parse_timestamp,
    validate_agent,
)
from lrs.store import Format, StatementQuery

QUERY_PARAMS = frozenset(
    {
        "agent",
        "verb",
        "activity",
        "registration",
        "related_activities",
        "related_agents",
        "since",
        "until",
        "limit",
        "format",
        "attachments",
        "ascending",
    }
)
SINGLE_PARAMS = frozenset({"statementId", "voidedStatementId"})
PRESENTATION_PARAMS = frozenset({"format", "attachments"})
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$")
_LIMIT_DIGITS = 18  # every such number fits 64 bits; larger ones would only be cut to the maximum


@dataclass(frozen=True)
class Presentation:
    """How statements are rendered: the format and whether attachments are included."""

    format: Format = "exact"
    attachments: bool = False


def parse_presentation(params: Mapping[str, str]) -> Presentation:
    fmt = params.get("format", "exact")
    if fmt not in ("exact", "ids", "canonical"):
        raise BadRequest(f"format: {fmt!r} is not one of exact, ids, canonical")
    return Presentation(cast(Format, fmt), _boolean(params, "attachments"))


def unique_params(params: QueryParams) -> dict[str, str]:
    """The query parameters as a dict; 400 when one is given more than once."""
    unique = dict(params)
    if len(unique) != len(params.multi_items()):
        raise BadRequest("a parameter is given more than once")
    return unique


def check_known(params: Mapping[str, str], allowed: frozenset[str]) -> None:
    unknown = sorted(set(params) - allowed)
    if unknown:
        raise BadRequest(f"{unknown[0]}: not a parameter of this request")


def parse_query(params: Mapping[str, str], version: XapiVersion) -> StatementQuery:
    """A StatementQuery from GET parameters (statementId/voidedStatementId excluded)."""
    check_known(params, QUERY_PARAMS)
    return StatementQuery(
        agent=parse_agent(params, version) if "agent" in params else None,
        verb=parse_iri(params, "verb"),
        activity=parse_iri(params, "activity"),
        registration=parse_uuid(params, "registration"),
        related_activities=_boolean(params, "related_activities"),
        related_agents=_boolean(params, "related_agents"),
        since=parse_timestamp_param(params, "since"),
        until=parse_timestamp_param(params, "until"),
        limit=_limit(params),
        ascending=_boolean(params, "ascending"),
    )


def parse_statement_id(params: Mapping[str, str], name: str) -> str:
    value = parse_uuid(params, name)
    if value is None:
        raise BadRequest(f"{name}: the parameter is required")
    return value


def parse_agent(params: Mapping[str, str], version: XapiVersion) -> dict[str, Any]:
    """The `agent` parameter: an Agent or identified Group, as JSON."""
    if "agent" not in params:
        raise BadRequest("agent: the parameter is required")
    raw = parse_json_param(params, "agent")
    validate_agent(raw, version=version, path="agent")
    agent = cast(dict[str, Any], raw)
    if not any(k in agent for k in ("mbox", "mbox_sha1sum", "openid", "account")):
        raise StatementInvalid("agent", "an anonymous Group cannot name documents or filter")
    return agent


def parse_iri(params: Mapping[str, str], name: str, *, required: bool = False) -> str | None:
    value = params.get(name)
    if value is None and required:
        raise BadRequest(f"{name}: the parameter is required")
    if value is not None and not _IRI.match(value):
        raise BadRequest(f"{name}: {value!r} is not an IRI")
    return value


def parse_uuid(params: Mapping[str, str], name: str) -> str | None:
    value = params.get(name)
    if value is None:
        return None
    try:
        uuid.UUID(value)
    except ValueError as exc:
        raise BadRequest(f"{name}: {value!r} is not a UUID") from exc
    if len(value) != 36:
        raise BadRequest(f"{name}: {value!r} is not a UUID in its canonical form")
    return value.lower()


def _boolean(params: Mapping[str, str], name: str) -> bool:
    value = params.get(name, "false")
    if value.lower() not in ("true", "false"):
        raise BadRequest(f"{name}: {value!r} is not true or false")
    return value.lower() == "true"


def parse_timestamp_param(params: Mapping[str, str], name: str) -> str | None:
    value = params.get(name)
    if value is None:
        return None
    try:
        return format_timestamp(parse_timestamp(value))
    except ValueError as exc:
        raise BadRequest(f"{name}: {value!r} is not an ISO 8601 timestamp") from exc


def parse_json_param(params: Mapping[str, str], name: str) -> Any:
    """A parameter holding JSON, parsed and checked as the LRS stores JSON (`check_storable`).

    Input nested too deep for the parser, numbers that overflow, lone surrogates and the like
    are a 400 naming the parameter, never a failure of the server.
    """
    value = parse_json(params[name].encode(), name)
    check_storable(value, name)
    return value


def _limit(params: Mapping[str, str]) -> int:
    value = params.get("limit", "0")
    if not (value.isascii() and value.isdigit()):
        raise BadRequest(f"limit: {value[:40]!r} is not a non-negative integer")
    if len(value) > _LIMIT_DIGITS:
        raise BadRequest(f"limit: at most {_LIMIT_DIGITS} digits (0 asks for the most there is)")
    return int(value)
