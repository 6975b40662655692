"""What parsed JSON must be so that every backend stores it and returns it as JSON again.

xAPI lets extensions hold any JSON, but MongoDB (and BSON) cannot hold all of it:

- no more than 100 levels of nesting (`MAX_DEPTH`; the stored document is level 1 and each
  object or array inside it adds one);
- integers only within 64 bits; numbers only finite (JSON text such as ``1e400`` parses to
  infinity, which JSON cannot write back);
- text only as Unicode scalar values (a lone surrogate such as ``"\\ud800"`` cannot be UTF-8);
- keys without NUL and not starting with ``$`` (MongoDB reserves those for operators, and
  the drivers read ``{"$ref": ..., "$id": ...}`` or ``{"$date": ...}`` back as other types).

`check_storable` walks a value once, iteratively (input nested thousands of levels deep does
not touch the stack), and raises `lrs.errors.StatementInvalid` naming the first property it
finds that breaks a rule. `check_json` applies only the rules JSON itself needs (depth and
finite numbers), for documents the LRS stores as bytes but has to merge.

Standard library only: the adapters use this module through `lrs.model`.

>>> check_storable({"score": 1e400}, "statement.result")
Traceback (most recent call last):
lrs.errors.StatementInvalid: statement.result.score: must be a finite number (Infinity is not \
JSON, and a number this large overflows)
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from lrs.errors import StatementInvalid

MAX_DEPTH = 100
"""MongoDB's limit on nesting: the top-level document is level 1, each object or array one more."""

STATEMENT_LEVEL = 3
"""The level of a statement's own object in what is stored, counting as `MAX_DEPTH` does.

The stored document is level 1 and holds the statement under ``statement`` (level 2); one
level is kept in reserve for a wrapper around it (an update carrying the statement, a journal
record). So a statement may nest 98 levels itself: ``{"result": {"extensions": {IRI: v}}}``
puts `v`'s first object at level 3 of the statement, level 5 of the reserve-counted whole.
"""

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
_SURROGATE = re.compile("[\ud800-\udfff]")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_CONTAINERS = (dict, list)
_MAP_FIELDS = frozenset({"display", "description", "extensions", "name"})
"""As in `lrs.model._errors`: the keys of these maps are written ["key"], never .key."""

# A node on the walk: (container, the parent node or None, the key in the parent, its level).
_Node = tuple[Any, "_Node | None", "str | int | None", int]


def check_storable(value: object, path: str, *, level: int = 1) -> None:
    """Raise StatementInvalid at the first part of `value` that a backend cannot store.

    `value` is parsed JSON at `path` (e.g. ``statement[2]``); `level` is the level its own
    object or array would have in the stored document (`STATEMENT_LEVEL` for a statement).

    >>> check_storable({"extensions": {"http://x.example/e": 2**63}}, "statement.result")
    Traceback (most recent call last):
    lrs.errors.StatementInvalid: statement.result.extensions["http://x.example/e"]: must be an \
integer from -2^63 to 2^63-1 (MongoDB stores 64 bits)
    """
    _walk(value, path, level, storable=True)


def check_json(value: object, path: str) -> None:
    """Raise StatementInvalid unless `value` writes back as JSON: finite, within `MAX_DEPTH`."""
    _walk(value, path, 1, storable=False)


def _walk(value: object, path: str, level: int, *, storable: bool) -> None:
    if not isinstance(value, _CONTAINERS):
        reason = _scalar_problem(value, storable)
        if reason is not None:
            raise StatementInvalid(path, reason)
        return
    stack: list[_Node] = [(value, None, None, level)]
    while stack:
        node = stack.pop()
        container, _, _, depth = node
        if depth > MAX_DEPTH:
            raise StatementInvalid(
                _path_of(path, node),
                f"nests deeper than {MAX_DEPTH} levels, the most a stored document may hold",
            )
        items = container.items() if isinstance(container, dict) else enumerate(container)
        for key, item in items:
            if (
                storable
                and key.__class__ is str
                and (key[:1] == "$" or "\x00" in key or not key.isascii())
            ):
                _check_key(key, path, node)
            if isinstance(item, _CONTAINERS):
                stack.append((item, node, key, depth + 1))
            elif item is not None and item.__class__ is not bool:
                reason = _scalar_problem(item, storable)
                if reason is not None:
                    raise StatementInvalid(_path_of(path, node, key), reason)


def _scalar_problem(value: object, storable: bool) -> str | None:
    """What is wrong with a string or number (None: nothing)."""
    if isinstance(value, str):
        if storable and not value.isascii() and _SURROGATE.search(value):
            return "must be Unicode text, without lone surrogates"
    elif isinstance(value, bool):
        return None
    elif isinstance(value, int):
        if storable and not INT64_MIN <= value <= INT64_MAX:
            return "must be an integer from -2^63 to 2^63-1 (MongoDB stores 64 bits)"
    elif isinstance(value, float) and math.isnan(value):
        return "must be a finite number (NaN is not JSON)"
    elif isinstance(value, float) and not math.isfinite(value):
        return "must be a finite number (Infinity is not JSON, and a number this large overflows)"
    return None


def _check_key(key: str, path: str, node: _Node) -> None:
    if key.startswith("$"):
        raise StatementInvalid(
            _path_of(path, node, key), 'a key must not start with "$" (MongoDB reserves those)'
        )
    if "\x00" in key:
        raise StatementInvalid(_path_of(path, node, key), "a key must not contain NUL (\\u0000)")
    if not key.isascii() and _SURROGATE.search(key):
        raise StatementInvalid(
            _path_of(path, node, key), "a key must be Unicode text, without lone surrogates"
        )


def _path_of(root: str, node: _Node, key: str | int | None = None) -> str:
    """The path of `node` below `root` (of its item `key` if given), as `lrs.model` writes paths.

    Built only when something is wrong, by walking up the parents: the walk itself makes no
    strings.
    """
    keys: list[str | int] = [] if key is None else [key]
    current: _Node | None = node
    while current is not None and current[1] is not None:
        keys.append(current[2])  # type: ignore[arg-type]  # a node with a parent has a key
        current = current[1]
    parts = [root]
    previous: str | int | None = root.rpartition(".")[2]
    for part in reversed(keys):
        if isinstance(part, int):
            parts.append(f"[{part}]")
        elif _IDENTIFIER.fullmatch(part) and previous not in _MAP_FIELDS:
            parts.append(f".{part}")
        else:
            # ASCII escapes for what a response could not carry (lone surrogates) or show (NUL).
            ascii_only = bool(_SURROGATE.search(part))
            parts.append(f"[{json.dumps(part, ensure_ascii=ascii_only)}]")
        previous = part
    return "".join(parts)
