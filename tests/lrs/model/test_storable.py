"""`check_storable` and `check_json`: the pure check of parsed JSON against what is stored."""

from __future__ import annotations

import sys
from typing import Any

import pytest
from hypothesis import given, settings

from lrs.errors import StatementInvalid
from lrs.model import MAX_DEPTH, STATEMENT_LEVEL, check_json, check_storable
from tests.lrs.model.strategies import statements


def deep(levels: int, kind: str = "list") -> Any:
    value: Any = 1
    for _ in range(levels):
        value = [value] if kind == "list" else {"k": value}
    return value


def refusal(value: Any, path: str = "statement", **options: Any) -> StatementInvalid:
    with pytest.raises(StatementInvalid) as caught:
        check_storable(value, path, **options)
    return caught.value


@pytest.mark.parametrize(
    ("value", "path", "words"),
    [
        pytest.param({"a": 2**63}, "statement.a", "2^63", id="int64-max-plus-one"),
        pytest.param({"a": -(2**63) - 1}, "statement.a", "2^63", id="int64-min-minus-one"),
        pytest.param({"a": [0, 10**30]}, "statement.a[1]", "2^63", id="in-array"),
        pytest.param({"a": float("inf")}, "statement.a", "finite", id="inf"),
        pytest.param({"a": float("-inf")}, "statement.a", "finite", id="minus-inf"),
        pytest.param({"a": float("nan")}, "statement.a", "finite", id="nan"),
        pytest.param({"a": "x\ud800"}, "statement.a", "surrogates", id="surrogate"),
        pytest.param({"\udc00": 1}, 'statement["\\udc00"]', "surrogates", id="surrogate-key"),
        pytest.param({"a\x00": 1}, 'statement["a\\u0000"]', "NUL", id="nul-key"),
        pytest.param({"$x": 1}, 'statement["$x"]', '"$"', id="dollar-key"),
        pytest.param(
            {"extensions": {"http://x/e": {"name": {"en": "\ud800"}}}},
            'statement.extensions["http://x/e"].name["en"]',
            "surrogates",
            id="map-keys-in-brackets-as-lrs-model-writes-them",
        ),
        pytest.param({"a": {"b": [{"c": 2**70}]}}, "statement.a.b[0].c", "2^63", id="nested"),
        pytest.param({"my key": {"$k": 1}}, 'statement["my key"]["$k"]', '"$"', id="odd-keys"),
    ],
)
def test_what_no_backend_stores_is_named_by_its_path(value: Any, path: str, words: str) -> None:
    error = refusal(value)
    assert error.path == path
    assert words in error.reason


@pytest.mark.parametrize(
    ("value", "words"),
    [
        pytest.param(2**64, "2^63", id="int"),
        pytest.param(float("inf"), "finite", id="inf"),
        pytest.param("\ud800", "surrogates", id="surrogate"),
    ],
)
def test_a_scalar_at_the_root_is_checked_too(value: Any, words: str) -> None:
    error = refusal(value, "agent")
    assert error.path == "agent"
    assert words in error.reason


@pytest.mark.parametrize(
    "value",
    [
        pytest.param({"a": 2**63 - 1, "b": -(2**63)}, id="int64-bounds"),
        pytest.param({"a": 1e308, "b": -0.0, "c": 5e-324}, id="finite-floats"),
        pytest.param({"a.b": 1, "x$": 2, "": 3, "æ": "ø \U0001f600"}, id="keys-mongodb-stores"),
        pytest.param({"a": None, "b": True, "c": [], "d": {}}, id="empty-and-constants"),
        pytest.param(deep(MAX_DEPTH), id="deepest-list"),
        pytest.param(deep(MAX_DEPTH, "dict"), id="deepest-object"),
        pytest.param("\U0001f600", id="astral-text"),
    ],
)
def test_what_every_backend_stores_passes(value: Any) -> None:
    check_storable(value, "statement")


@pytest.mark.parametrize("kind", ["list", "dict"])
def test_depth_counts_from_the_level_given(kind: str) -> None:
    check_storable(deep(MAX_DEPTH, kind), "statement")  # the root is level 1
    error = refusal(deep(MAX_DEPTH + 1, kind), "statement")
    assert "deeper than 100 levels" in error.reason
    # A statement is level 3 (STATEMENT_LEVEL): 98 levels of its own.
    check_storable(deep(MAX_DEPTH - STATEMENT_LEVEL + 1, kind), "s", level=STATEMENT_LEVEL)
    refusal(deep(MAX_DEPTH - STATEMENT_LEVEL + 2, kind), "s", level=STATEMENT_LEVEL)


def test_the_path_of_too_deep_names_the_container_over_the_limit() -> None:
    error = refusal({"a": deep(200)}, "statement", level=STATEMENT_LEVEL)
    assert error.path == "statement.a" + "[0]" * (MAX_DEPTH - STATEMENT_LEVEL)


def test_nesting_far_beyond_the_stack_is_walked_without_recursion() -> None:
    value = deep(sys.getrecursionlimit() * 20)
    assert "deeper" in refusal(value).reason
    with pytest.raises(StatementInvalid):
        check_json(value, "body")


def test_check_json_refuses_only_what_json_cannot_write_back() -> None:
    check_json({"$x": 2**80, "\x00": "\ud800"}, "body")
    with pytest.raises(StatementInvalid) as caught:
        check_json({"a": [float("inf")]}, "body")
    assert caught.value.path == "body.a[0]"
    with pytest.raises(StatementInvalid):
        check_json(deep(MAX_DEPTH + 1), "body")


def unstorable(value: Any, level: int) -> bool:
    """A recursive reference for `check_storable`, fine for what Hypothesis draws."""
    if isinstance(value, dict | list):
        if level > MAX_DEPTH:
            return True
        keys = [k for k in value if isinstance(value, dict)]
        if any(k.startswith("$") or "\x00" in k or _has_surrogate(k) for k in keys):
            return True
        items = value.values() if isinstance(value, dict) else value
        return any(unstorable(item, level + 1) for item in items)
    if isinstance(value, bool) or value is None:
        return False
    if isinstance(value, int):
        return not -(2**63) <= value < 2**63
    if isinstance(value, float):
        return value != value or value in (float("inf"), float("-inf"))
    return isinstance(value, str) and _has_surrogate(value)


def _has_surrogate(text: str) -> bool:
    return any(0xD800 <= ord(char) <= 0xDFFF for char in text)


@settings(max_examples=300, deadline=None)
@given(statement=statements("2.0.0") | statements("1.0.3"))
def test_the_check_refuses_exactly_what_the_reference_finds(statement: Any) -> None:
    """Valid statements pass, unless they hold what no backend stores (in an extension)."""
    expected = unstorable(statement, STATEMENT_LEVEL)
    try:
        check_storable(statement, "statement", level=STATEMENT_LEVEL)
    except StatementInvalid as error:
        assert expected, error
        assert error.path.startswith("statement")
        assert "extensions" in error.path, error
    else:
        assert not expected
