"""The catalog tests that store something run on every backend (see tests/backends.py)."""

from __future__ import annotations

import pytest

from tests.backends import BACKENDS


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)
