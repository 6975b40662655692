"""Turn pydantic's validation errors into `StatementInvalid`, named by xAPI property path."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from lrs.errors import StatementInvalid
from lrs.model._base import describe
from lrs.model._values import PATTERN_REASONS

# Tags of discriminated unions, which pydantic puts in the location after the union's field.
_TAGS = frozenset({"Agent", "Group", "Activity", "Activity[]", "StatementRef", "SubStatement"})
_UNION_FIELDS = frozenset(
    {"actor", "object", "authority", "instructor", "parent", "grouping", "category", "other"}
)
# Properties whose value is a map: what follows them in a location is a key.
_MAP_FIELDS = frozenset({"display", "description", "extensions", "name"})
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

_TYPE_REASONS = {
    "string_type": "must be a string",
    "bool_type": "must be true or false",
    "int_type": "must be an integer",
    "float_type": "must be a number",
    "model_type": "must be an object",
    "model_attributes_type": "must be an object",
    "dict_type": "must be an object",
    "list_type": "must be an array",
}


def to_statement_invalid(
    error: ValidationError, root: str, *, root_is_union: bool = False
) -> StatementInvalid:
    """The first error of `error`, with its location as a path below `root`."""
    details = error.errors(include_url=False)[0]
    location: list[str | int] = list(details["loc"])
    context = details.get("ctx") or {}
    if details["type"] == "xapi":
        location += list(context.get("at", ()))
    elif details["type"] == "object_type" and _has_object_type(details["input"]):
        location.append("objectType")
    return StatementInvalid(_path(root, location, root_is_union), _reason(details))


def _path(root: str, location: Iterable[str | int], root_is_union: bool) -> str:
    parts = [root]
    previous: str | int | None = None
    for item in location:
        if isinstance(item, int):
            parts.append(f"[{item}]")
        elif item == "[key]":
            continue
        elif item in _TAGS and (previous in _UNION_FIELDS or (previous is None and root_is_union)):
            previous = ""  # the tag stands for the union's value; what follows is a property
            continue
        elif previous in _MAP_FIELDS or _IDENTIFIER.fullmatch(item) is None:
            parts.append(f"[{json.dumps(item, ensure_ascii=False)}]")
        else:
            parts.append(f".{item}")
        previous = item
    return "".join(parts)


def _reason(details: ErrorDetails) -> str:
    kind = details["type"]
    context: dict[str, Any] = details.get("ctx") or {}
    if kind == "xapi":
        return str(context["reason"])
    if kind == "float_type" and _is_number(details["input"]):
        return "must be a number a double can hold"
    if kind in _TYPE_REASONS:
        return f"{_TYPE_REASONS[kind]}, not {_json_type(details['input'])}"
    if kind == "string_pattern_mismatch":
        reason = PATTERN_REASONS.get(context.get("pattern", ""), "has the wrong format")
        return f"{reason}; got {describe(details['input'])}"
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        return "is not a property of this object in xAPI"
    if kind == "literal_error":
        return f"must be {context['expected']}"
    if kind == "greater_than_equal":
        return f"must be at least {context['ge']}"
    if kind == "less_than_equal":
        return f"must be at most {context['le']}"
    if kind == "too_short":
        return "must not be empty"
    if kind == "finite_number":
        return "must be a finite number"
    return str(details["msg"])


def _has_object_type(value: Any) -> bool:
    return isinstance(value, dict) and "objectType" in value


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__
