"""The storage backends the tests run on, and how to reach each.

- `embedded`: the embedded engine in the test's temporary directory (always);
- `wire`: the real `AsyncMongoClient` against the wire test server (`tests.wire`, always);
- `mongodb`: a real MongoDB at KOMPETANSE_TEST_MONGODB_URI (skipped when that is not set).

A directory opts in by overriding the `backend` fixture (embedded only by default):

    @pytest.fixture(params=BACKENDS)
    def backend(request: pytest.FixtureRequest) -> str:
        return str(request.param)
"""

from __future__ import annotations

import os
import uuid

import pytest

MONGODB_URI = os.environ.get("KOMPETANSE_TEST_MONGODB_URI")

BACKENDS = [
    "embedded",
    "wire",
    pytest.param(
        "mongodb",
        marks=[
            pytest.mark.mongodb,
            pytest.mark.skipif(
                not MONGODB_URI, reason="set KOMPETANSE_TEST_MONGODB_URI to run on MongoDB"
            ),
        ],
    ),
]


def database_name() -> str:
    """A database of one test's own, dropped after it."""
    return f"kompetanse_test_{uuid.uuid4().hex[:12]}"
