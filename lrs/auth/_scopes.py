"""xAPI scopes and the one place where they are checked.

A credential holds scopes (xAPI Communication §4.2). Each request asks for one `Action`;
`authorize` decides, from this table alone, whether the credential may do it and whether reading
is limited to the credential's own statements (`statements/read/mine`). `permits` answers the
questions that change what a request does rather than whether it may: whether the statements a
credential writes (re)define Activities and Agents (`define`, §4.2), and whether it sees every
identifier of a person (Communication §2.4.s3.b1: "increased, explicitly given permissions").
"""

from __future__ import annotations

from enum import StrEnum

from lrs.errors import Forbidden


class Scope(StrEnum):
    STATEMENTS_WRITE = "statements/write"
    STATEMENTS_READ = "statements/read"
    STATEMENTS_READ_MINE = "statements/read/mine"
    ALL_READ = "all/read"
    ALL = "all"
    STATE = "state"
    DEFINE = "define"
    PROFILE = "profile"


class Action(StrEnum):
    WRITE_STATEMENTS = "write statements"
    READ_STATEMENTS = "read statements"
    READ_STATE = "read state documents"
    WRITE_STATE = "write state documents"
    READ_PROFILES = "read profile documents"
    WRITE_PROFILES = "write profile documents"
    READ_ACTIVITIES = "read activity definitions"
    READ_AGENTS = "read agents"
    READ_EVERY_IDENTIFIER = "see every identifier of a person"
    DEFINE = "define activities and agents"


_GRANTS: dict[Action, frozenset[Scope]] = {
    Action.WRITE_STATEMENTS: frozenset({Scope.STATEMENTS_WRITE, Scope.ALL}),
    Action.READ_STATEMENTS: frozenset({Scope.STATEMENTS_READ, Scope.ALL_READ, Scope.ALL}),
    Action.READ_STATE: frozenset({Scope.STATE, Scope.ALL_READ, Scope.ALL}),
    Action.WRITE_STATE: frozenset({Scope.STATE, Scope.ALL}),
    Action.READ_PROFILES: frozenset({Scope.PROFILE, Scope.ALL_READ, Scope.ALL}),
    Action.WRITE_PROFILES: frozenset({Scope.PROFILE, Scope.ALL}),
    # What the Activities and Agents resources return is merged from everyone's statements,
    # so reading it is reading statements: not for statements/read/mine.
    Action.READ_ACTIVITIES: frozenset({Scope.STATEMENTS_READ, Scope.ALL_READ, Scope.ALL}),
    Action.READ_AGENTS: frozenset({Scope.STATEMENTS_READ, Scope.ALL_READ, Scope.ALL}),
    Action.READ_EVERY_IDENTIFIER: frozenset({Scope.ALL_READ, Scope.ALL}),
    Action.DEFINE: frozenset({Scope.DEFINE, Scope.ALL}),
}
# Scopes that grant reading statements, but only the credential's own.
_MINE: dict[Action, frozenset[Scope]] = {
    Action.READ_STATEMENTS: frozenset({Scope.STATEMENTS_READ_MINE}),
}


def authorize(scopes: frozenset[Scope], action: Action) -> bool:
    """Whether `scopes` allow `action`; True means "only the credential's own" (read/mine).

    Raises Forbidden when no scope allows the action.
    """
    if scopes & _GRANTS[action]:
        return False
    if scopes & _MINE.get(action, frozenset()):
        return True
    allowed = ", ".join(sorted(_GRANTS[action] | _MINE.get(action, frozenset())))
    raise Forbidden(f"this credential may not {action}: it needs one of the scopes {allowed}")


def permits(scopes: frozenset[Scope], action: Action) -> bool:
    """Whether `scopes` allow `action` in full; never raises (for decisions, not denials)."""
    return bool(scopes & _GRANTS[action])


def parse_scopes(values: list[str]) -> frozenset[Scope]:
    """Scopes from their names; ValueError names an unknown one."""
    known = {scope.value: scope for scope in Scope}
    unknown = [value for value in values if value not in known]
    if unknown:
        raise ValueError(f"unknown scope {unknown[0]!r}; known: {', '.join(known)}")
    return frozenset(known[value] for value in values)
