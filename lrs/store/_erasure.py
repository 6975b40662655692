"""Erasing an agent from statements (GDPR article 17), as pure functions of a statement.

`StatementStore.delete_by_actor` deletes the statements an agent made; `replace_agent` puts
an anonymous agent wherever the agent appears in other statements (the object, an
instructor, a team or a group's member, a context agent, the authority), through `redacted`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lrs.store._documents import ifi_key

Document = dict[str, Any]
_IDENTIFIERS = ("mbox", "mbox_sha1sum", "openid", "account")


def redacted(value: Any, keys: frozenset[str], replacement: Mapping[str, Any]) -> Any:
    """`value` (a statement or any part of one) with every Agent or Group whose identifier
    key is in `keys` replaced by `replacement` (its objectType kept; a Group's other members
    kept, themselves redacted). Names go with the identifier. Equal to `value` when nothing
    names the keys."""
    if isinstance(value, list):
        return [redacted(item, keys, replacement) for item in value]
    if not isinstance(value, Mapping):
        return value
    if any(name in value for name in _IDENTIFIERS) and ifi_key(value) in keys:
        anonymous: Document = {"objectType": value.get("objectType", "Agent"), **replacement}
        if "member" in value:
            anonymous["member"] = redacted(value["member"], keys, replacement)
        return anonymous
    return {name: redacted(item, keys, replacement) for name, item in value.items()}


def actor_key(statement: Mapping[str, Any]) -> str | None:
    actor = statement.get("actor")
    return ifi_key(actor) if isinstance(actor, Mapping) else None
