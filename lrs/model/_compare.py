"""Statement comparison (Data §2.3.1, "Statement Comparison Requirements").

Two statements match when they differ only where the LRS may have changed them:

- properties the LRS assigns: ``stored``, ``authority`` and ``version`` are ignored; ``id`` and
  ``timestamp`` only when one side lacks them (the LRS fills them in), otherwise ids compare
  case-insensitively and timestamps as points in time, to the millisecond (§4.5);
- Activity Definitions and Verb displays are not part of the Statement, attachments neither;
- unordered lists: Group members, context activities (a single Activity equals a list of
  one), context agents and groups, relevant types;
- case-insensitive values: the domain of an mbox, mbox_sha1sum, UUIDs, the context language;
- durations compare to 0.01 s (§4.6), JSON numbers by value (1 equals 1.0).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from lrs.model import _patterns
from lrs.model._time import format_timestamp, parse_timestamp

Document = dict[str, Any]

_IGNORED = frozenset({"id", "timestamp", "stored", "authority", "version", "attachments"})


def same_statement(a: Document, b: Document) -> bool:
    """True when `a` and `b` are the same statement by the xAPI comparison rules.

    Decides whether a statement sent again under a stored id is the same (204) or a
    conflict (409).

    >>> sent = {"actor": {"mbox": "mailto:kari@NAV.example"}, "verb": {"id": "http://x/v"},
    ...         "object": {"id": "http://x/a"}}
    >>> stored = {**sent, "actor": {"mbox": "mailto:kari@nav.example"}, "version": "1.0.0"}
    >>> same_statement(sent, stored)
    True
    """
    return (
        _same_if_both(a.get("id"), b.get("id"), _lower)
        and _same_if_both(a.get("timestamp"), b.get("timestamp"), _instant)
        and _canonical(_statement(a)) == _canonical(_statement(b))
    )


def _same_if_both(a: Any, b: Any, normal: Callable[[Any], Any]) -> bool:
    return a is None or b is None or normal(a) == normal(b)


def _statement(statement: Any) -> Any:
    if not isinstance(statement, dict):
        return statement
    parts: dict[str, Callable[[Any], Any]] = {
        "actor": _agent,
        "verb": _verb,
        "object": _object,
        "result": _result,
        "context": _context,
    }
    return {
        key: parts.get(key, _same)(value) for key, value in statement.items() if key not in _IGNORED
    }


def _substatement(statement: Any) -> Any:
    form = _statement(statement)
    if isinstance(statement, dict) and "timestamp" in statement:
        form["timestamp"] = _instant(statement["timestamp"])
    return form


def _agent(agent: Any) -> Any:
    if not isinstance(agent, dict):
        return agent
    form = dict(agent)
    if isinstance(agent.get("mbox"), str):
        form["mbox"] = _mbox(agent["mbox"])
    if isinstance(agent.get("mbox_sha1sum"), str):
        form["mbox_sha1sum"] = agent["mbox_sha1sum"].lower()
    if isinstance(agent.get("member"), list):
        form["member"] = _unordered([_agent(member) for member in agent["member"]])
    return form


def _verb(verb: Any) -> Any:
    return (
        {key: value for key, value in verb.items() if key != "display"}
        if isinstance(verb, dict)
        else verb
    )


def _activity(activity: Any) -> Any:
    if not isinstance(activity, dict):
        return activity
    return {key: value for key, value in activity.items() if key != "definition"}


def _object(target: Any) -> Any:
    kind = target.get("objectType", "Activity") if isinstance(target, dict) else None
    if kind == "Activity":
        return _activity(target)
    if kind in ("Agent", "Group"):
        return _agent(target)
    if kind == "StatementRef":
        return _reference(target)
    if kind == "SubStatement":
        return _substatement(target)
    return target


def _reference(reference: Any) -> Any:
    if isinstance(reference, dict) and isinstance(reference.get("id"), str):
        return {**reference, "id": reference["id"].lower()}
    return reference


def _result(result: Any) -> Any:
    if isinstance(result, dict) and isinstance(result.get("duration"), str):
        return {**result, "duration": _duration(result["duration"])}
    return result


def _context(context: Any) -> Any:
    if not isinstance(context, dict):
        return context
    form = dict(context)
    for key in ("registration", "language"):
        if isinstance(context.get(key), str):
            form[key] = context[key].lower()
    for key in ("instructor", "team"):
        if key in context:
            form[key] = _agent(context[key])
    if "statement" in context:
        form["statement"] = _reference(context["statement"])
    activities = context.get("contextActivities")
    if isinstance(activities, dict):
        form["contextActivities"] = {
            kind: _unordered([_activity(item) for item in _as_list(value)])
            for kind, value in activities.items()
        }
    for key, inner in (("contextAgents", "agent"), ("contextGroups", "group")):
        if isinstance(context.get(key), list):
            form[key] = _unordered([_related(item, inner) for item in context[key]])
    return form


def _related(item: Any, inner: str) -> Any:
    """A context agent or group: its agent or group, its relevant types as a set."""
    if not isinstance(item, dict):
        return item
    form = dict(item)
    if inner in item:
        form[inner] = _agent(item[inner])
    if isinstance(item.get("relevantTypes"), list):
        form["relevantTypes"] = _unordered(item["relevantTypes"])
    return form


# -- values -------------------------------------------------------------------------------------


def _same(value: Any) -> Any:
    return value


def _lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


def _mbox(mbox: str) -> str:
    """mailto:Kari@NAV.example -> mailto:Kari@nav.example (scheme and domain ignore case)."""
    scheme, _, address = mbox.partition(":")
    local, at, domain = address.rpartition("@")
    return f"{scheme.lower()}:{local}{at}{domain.lower()}"


def _instant(timestamp: Any) -> Any:
    try:
        return format_timestamp(parse_timestamp(timestamp))
    except ValueError:
        return timestamp


def _duration(duration: str) -> str:
    """PT1.2399S -> PT1.23S, PT1.50S -> PT1.5S, PT2.0S -> PT2S: seconds to 0.01 s."""
    match = _patterns.DURATION_SECONDS.search(duration)
    if match is None:
        return duration
    hundredths = match["fraction"][:2].rstrip("0")
    seconds = f"{match['whole']}.{hundredths}" if hundredths else match["whole"]
    return f"{duration[: match.start()]}{seconds}S"


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _unordered(items: list[Any]) -> list[Any]:
    return sorted(items, key=_canonical)


def _canonical(value: Any) -> str:
    """JSON text that is equal for equal JSON values: sorted keys, 1.0 written as 1."""
    return json.dumps(
        _numbers(value), sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    )


def _numbers(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {key: _numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_numbers(item) for item in value]
    return value
