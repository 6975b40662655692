"""What a server backend returns in several batches (more than 101 documents, or more than
16 MiB): `more` walks, voiding among them, document lists, and attachments past 16 MiB."""

from __future__ import annotations

import hashlib
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from kompetanse.app import create_app
from kompetanse.settings import Settings
from tests.conftest import make_client
from tests.lrs.api.helpers import statement, voiding
from tests.lrs.api.test_attachments import multipart, part, with_attachment

pytestmark = pytest.mark.anyio
MIB = 1024 * 1024
ACTIVITY = "https://kompetanse.example/activities/ny-i-nav"
AGENT = json.dumps({"mbox": "mailto:kari@nav.example"})


async def post_many(client: httpx.AsyncClient, count: int) -> list[str]:
    ids: list[str] = []
    for start in range(0, count, 100):
        bodies = [statement(actor=f"learner{n}") for n in range(start, min(count, start + 100))]
        response = await client.post("/xapi/statements", json=bodies)
        assert response.status_code == 200, response.text
        ids += response.json()
    return ids


async def walk(client: httpx.AsyncClient, **params: str) -> list[str]:
    """Every statement's id, following `more` to the end."""
    seen: list[str] = []
    response = await client.get("/xapi/statements", params=params)
    while True:
        assert response.status_code == 200, response.text
        page = response.json()
        seen += [s["id"] for s in page["statements"]]
        if not page["more"]:
            return seen
        response = await client.get(page["more"])


async def test_more_walks_pages_larger_than_a_batch(client: httpx.AsyncClient) -> None:
    stored = await post_many(client, 330)
    newest_first = await walk(client, limit="150")
    assert sorted(newest_first) == sorted(stored)
    assert await walk(client, limit="0") == newest_first  # the server's largest page
    assert await walk(client, limit="7", ascending="true") == list(reversed(newest_first))


async def test_voided_statements_leave_every_page(client: httpx.AsyncClient) -> None:
    stored = await post_many(client, 240)
    targets = [stored[3], stored[120], stored[239]]
    voided = await client.post("/xapi/statements", json=[voiding(t) for t in targets])
    assert voided.status_code == 200, voided.text
    walked = await walk(client, limit="110")
    assert set(walked) == (set(stored) - set(targets)) | set(voided.json())
    assert len(walked) == len(set(walked)) == 240
    for target in targets:
        found = await client.get("/xapi/statements", params={"voidedStatementId": target})
        assert found.json()["id"] == target


async def test_a_list_of_more_documents_than_a_batch(client: httpx.AsyncClient) -> None:
    path = "/xapi/activities/state"
    names = sorted(f"bookmark-{n:03d}" for n in range(130))
    for name in names:
        params = {"activityId": ACTIVITY, "agent": AGENT, "stateId": name}
        response = await client.put(path, params=params, json={"page": name})
        assert response.status_code == 204, response.text
    listed = await client.get(path, params={"activityId": ACTIVITY, "agent": AGENT})
    assert sorted(listed.json()) == names
    deleted = await client.delete(path, params={"activityId": ACTIVITY, "agent": AGENT})
    assert deleted.status_code == 204
    emptied = await client.get(path, params={"activityId": ACTIVITY, "agent": AGENT})
    assert emptied.json() == []


@pytest.fixture
async def roomy_app(settings: Settings) -> AsyncIterator[FastAPI]:
    """An app whose request limit lets an attachment past 16 MiB through."""
    settings.limits = settings.limits.model_copy(update={"max_body_bytes": 64 * MIB})
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


async def test_an_attachment_over_16_mib_round_trips(roomy_app: FastAPI) -> None:
    big = bytes(range(256)) * (17 * 4096 + 3)  # 17 MiB and a bit: 18 chunks, two batches
    sha2 = hashlib.sha256(big).hexdigest()
    content, headers = multipart(with_attachment(length=len(big), sha2=sha2), [part(sha2, big)])
    async with make_client(roomy_app) as client:
        response = await client.post("/xapi/statements", content=content, headers=headers)
        assert response.status_code == 200, response.text
        [statement_id] = response.json()
        fetched = await client.get(
            "/xapi/statements", params={"statementId": statement_id, "attachments": "true"}
        )
    assert fetched.status_code == 200
    returned: Any = fetched.content
    assert returned.count(big) == 1
    assert len(returned) < len(big) + 64 * 1024  # the statement and its framing, once
