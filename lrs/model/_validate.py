"""The entry points: validate parsed JSON as a Statement or an Agent/Group."""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter, ValidationError

from lrs.model._agents import Agent, AgentOrGroup, Group
from lrs.model._base import XapiVersion
from lrs.model._errors import to_statement_invalid
from lrs.model._statement import Statement

_CONTEXTS: dict[str, dict[str, Any]] = {
    "1.0.3": {"version": "1.0.3"},
    "2.0.0": {"version": "2.0.0"},
}
_AGENT_OR_GROUP: TypeAdapter[Agent | Group] = TypeAdapter(AgentOrGroup)


def validate_statement(data: object, *, version: XapiVersion, path: str = "statement") -> Statement:
    """Check parsed JSON against the Statement rules of xAPI `version` (Data §2).

    Raises `lrs.errors.StatementInvalid` naming the first offending property below `path`,
    e.g. ``statement[3].actor.mbox``. Nothing else escapes, whatever JSON `data` holds.

    >>> validate_statement({"actor": {"mbox": "mailto:kari@nav.example"},
    ...     "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced"},
    ...     "object": {"id": "https://kompetanse.example/activities/ny-i-nav"}},
    ...     version="1.0.3").verb.id
    'http://adlnet.gov/expapi/verbs/experienced'
    """
    try:
        return Statement.model_validate(data, context=_context(version))
    except ValidationError as error:
        raise to_statement_invalid(error, path) from None


def validate_agent(data: object, *, version: XapiVersion, path: str = "agent") -> Agent | Group:
    """Check parsed JSON as an Agent, or a Group when its objectType is "Group".

    For the `agent` parameter of the Statement and document resources. Raises
    `lrs.errors.StatementInvalid` like `validate_statement`.
    """
    try:
        return _AGENT_OR_GROUP.validate_python(data, context=_context(version))
    except ValidationError as error:
        raise to_statement_invalid(error, path, root_is_union=True) from None


def _context(version: XapiVersion) -> dict[str, Any]:
    return _CONTEXTS.get(version, _CONTEXTS["2.0.0"])
