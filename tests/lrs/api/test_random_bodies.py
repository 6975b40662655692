"""Arbitrary JSON bodies and query strings never make the LRS answer with a 5xx."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.lrs.api.helpers import statement

pytestmark = pytest.mark.anyio
FIXTURES_OK = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=20,
)
statement_keys = st.sampled_from(
    ["actor", "verb", "object", "result", "context", "timestamp", "id", "attachments", "version"]
)


def replace_property(value: Any, key: str) -> dict[str, Any]:
    body = statement()
    body[key] = value
    return body


@FIXTURES_OK
@given(body=json_values | st.builds(replace_property, json_values, statement_keys))
async def test_arbitrary_statement_bodies_get_200_or_400(
    client: httpx.AsyncClient, body: Any
) -> None:
    response = await client.post(
        "/xapi/statements", content=json.dumps(body), headers={"Content-Type": "application/json"}
    )
    assert response.status_code in (200, 400), response.text
    if response.status_code == 400:
        assert response.json()["message"]


@FIXTURES_OK
@given(
    params=st.dictionaries(
        st.sampled_from(
            [
                "agent",
                "verb",
                "activity",
                "registration",
                "since",
                "until",
                "limit",
                "format",
                "ascending",
                "related_agents",
                "statementId",
                "more",
                "other",
            ]
        ),
        st.text(max_size=30),
        max_size=4,
    )
)
async def test_arbitrary_query_parameters_never_fail_the_server(
    client: httpx.AsyncClient, params: dict[str, str]
) -> None:
    response = await client.get("/xapi/statements", params=params)
    assert response.status_code in (200, 400, 404), response.text
