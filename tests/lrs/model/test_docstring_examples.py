"""The examples in the model's docstrings run as written."""

from __future__ import annotations

import doctest
import importlib

import pytest

DOCUMENTED = [
    "lrs.model",
    "lrs.model._agents",
    "lrs.model._activities",
    "lrs.model._compare",
    "lrs.model._formats",
    "lrs.model._time",
    "lrs.model._validate",
]


@pytest.mark.parametrize("name", DOCUMENTED)
def test_docstring_examples_hold(name: str) -> None:
    results = doctest.testmod(importlib.import_module(name))
    assert results.attempted > 0
    assert results.failed == 0
