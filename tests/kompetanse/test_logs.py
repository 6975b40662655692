"""Logs: one request id per request, in `X-Request-ID` and in every line the request causes
(errors included); JSON lines with KOMPETANSE_LOG_FORMAT=json; no secret, password or e-mail
address in them."""

from __future__ import annotations

import io
import json
import logging
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from kompetanse.logs import JsonFormatter, RequestIdFilter
from tests.conftest import make_client
from tests.server import HEADERS, KEY, SECRET, running_server

pytestmark = pytest.mark.anyio


@pytest.fixture
def json_lines() -> Iterator[io.StringIO]:
    """What the root logger writes, as the server's JSON handler writes it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield stream
    root.removeHandler(handler)
    root.setLevel(level)


def lines(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


async def test_each_request_has_an_id(app: FastAPI) -> None:
    async with make_client(app, auth=None, version="") as http:
        first = await http.get("/healthz")
        second = await http.get("/healthz")
        kept = await http.get("/healthz", headers={"X-Request-ID": "lb-7f3a9c21-0042"})
        refused = await http.get("/healthz", headers={"X-Request-ID": "bad id\r\nwith junk"})
    ids = [r.headers["X-Request-ID"] for r in (first, second, refused)]
    assert len(set(ids)) == 3
    assert all(len(i) == 32 and int(i, 16) >= 0 for i in ids)
    assert kept.headers["X-Request-ID"] == "lb-7f3a9c21-0042"


async def test_an_error_is_logged_with_the_request_id(
    app: FastAPI, json_lines: io.StringIO
) -> None:
    async def fail() -> None:
        raise RuntimeError("the projection's checkpoint vanished")

    app.add_api_route("/test-only/fail", fail)
    async with make_client(app, auth=None, version="") as http:
        response = await http.get("/test-only/fail")
    assert response.status_code == 500
    rid = response.headers["X-Request-ID"]
    logged = lines(json_lines)
    error = next(line for line in logged if line["level"] == "error")
    assert error["request_id"] == rid
    assert "RuntimeError: the projection's checkpoint vanished" in str(error["exception"])
    access = next(line for line in logged if line["logger"] == "kompetanse.access")
    assert access["request_id"] == rid
    assert access["status"] == 500
    assert access["route"] == "/test-only/fail"


def test_the_server_writes_json_lines_without_personal_data(tmp_path: Path) -> None:
    log_file = tmp_path / "server.log"
    mbox = "mailto:kari.nordmann@nav.example"
    statement = {
        "id": str(uuid.uuid4()),
        "actor": {"mbox": mbox, "name": "Kari Nordmann"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
        "object": {"id": "https://kompetanse.example/activities/ny-i-nav"},
    }
    env = {"KOMPETANSE_LOG_FORMAT": "json", "KOMPETANSE_LOG_LEVEL": "info"}
    with (
        log_file.open("wb") as sink,
        running_server(tmp_path / "data", env=env, stderr=sink) as server,
        httpx.Client(headers=HEADERS) as http,
    ):
        stored = http.post(f"{server.endpoint}/statements", json=statement, auth=(KEY, SECRET))
        assert stored.status_code == 200
        query = http.get(
            f"{server.endpoint}/statements",
            params={"agent": json.dumps({"mbox": mbox})},
            auth=(KEY, SECRET),
            headers={"X-Request-ID": "trace-query-0001"},
        )
        assert query.status_code == 200
        wrong = http.get(f"{server.endpoint}/statements", auth=(KEY, "not-the-secret-pw"))
        assert wrong.status_code == 401
        bad = http.post(
            f"{server.endpoint}/statements",
            json={**statement, "id": "not-a-uuid"},
            auth=(KEY, SECRET),
        )
        assert bad.status_code == 400
        server.process.terminate()
        server.process.wait(timeout=15)
    text = log_file.read_text()
    logged = [json.loads(line) for line in text.splitlines()]  # every line is JSON
    access = {
        line.get("request_id"): line for line in logged if line["logger"] == "kompetanse.access"
    }
    for response in (stored, query, wrong, bad):
        line = access[response.headers["X-Request-ID"]]
        assert line["status"] == response.status_code
        assert line["route"] == "/xapi/statements"
        assert line["path"] == "/xapi/statements"
        assert isinstance(line["duration_ms"], float)
    assert "trace-query-0001" in access
    for secret in (SECRET, "not-the-secret-pw", "kari.nordmann", "Kari Nordmann", "nav.example"):
        assert secret not in text
