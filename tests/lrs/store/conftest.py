"""A database on every backend: the embedded engine always, and a real MongoDB when
KOMPETANSE_TEST_MONGODB_URI is set (skipped otherwise)."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from pymongo import AsyncMongoClient

from lrs.store import EmbeddedClient

MONGODB_URI = os.environ.get("KOMPETANSE_TEST_MONGODB_URI")


@pytest.fixture(
    params=[
        "embedded",
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
)
async def database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Any]:
    if request.param == "embedded":
        client: Any = EmbeddedClient(tmp_path)
        yield client["kompetanse"]
    else:
        client = AsyncMongoClient(MONGODB_URI, tz_aware=True)
        name = f"kompetanse_test_{uuid.uuid4().hex[:12]}"
        yield client[name]
        await client.drop_database(name)
    await client.close()
