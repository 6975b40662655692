"""/metrics in Prometheus' text format: behind a bearer token, counting requests by route and
status, statements stored and refused, batch sizes, the projection's lag, e-mails, and store
errors by kind; under --workers, the counts of every process added up."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest
from fastapi import FastAPI
from prometheus_client.parser import text_string_to_metric_families
from pydantic import SecretStr

from kompetanse.settings import Settings
from tests.conftest import make_client
from tests.lrs.api.helpers import statement
from tests.server import HEADERS, KEY, SECRET, running_server
from tests.wire import WireServer

pytestmark = pytest.mark.anyio
TOKEN = "scrape-token-for-the-tests"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"metrics_token": SecretStr(TOKEN)})


@pytest.fixture
async def scraper(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with make_client(app, auth=None, version="") as http:
        http.headers["Authorization"] = f"Bearer {TOKEN}"
        yield http


def samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


async def scrape(http: httpx.AsyncClient) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    response = await http.get("/metrics")
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    return samples(response.text)


def value(
    found: dict[tuple[str, frozenset[tuple[str, str]]], float], name: str, **labels: str
) -> float:
    return found.get((name, frozenset(labels.items())), 0.0)


async def test_metrics_are_off_without_a_token(tmp_path: Path) -> None:
    from kompetanse.app import create_app

    app = create_app(Settings(data_dir=tmp_path / "data"))
    async with app.router.lifespan_context(app), make_client(app, auth=None) as http:
        response = await http.get("/metrics", headers={"Authorization": "Bearer anything"})
    assert response.status_code == 404
    assert "KOMPETANSE_METRICS_TOKEN" in response.json()["message"]


@pytest.mark.parametrize(
    "authorization",
    [
        pytest.param(None, id="none"),
        pytest.param("Bearer not-the-token-at-all", id="wrong-token"),
        pytest.param(f"Basic {TOKEN}", id="wrong-scheme"),
        pytest.param("Bearer", id="empty"),
    ],
)
async def test_metrics_need_the_token(app: FastAPI, authorization: str | None) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    async with make_client(app, auth=None) as http:
        response = await http.get("/metrics", headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert TOKEN not in response.text


async def test_requests_and_statements_are_counted(
    app: FastAPI, client: httpx.AsyncClient, scraper: httpx.AsyncClient
) -> None:
    before = await scrape(scraper)
    batch = await client.post("/xapi/statements", json=[statement(), statement(), statement()])
    assert batch.status_code == 200
    single = await client.put(
        "/xapi/statements", params={"statementId": str(uuid.uuid4())}, json=statement()
    )
    assert single.status_code == 204
    refused = await client.post("/xapi/statements", json=[statement(), {"actor": "nobody"}])
    assert refused.status_code == 400
    assert (await client.get("/xapi/statements")).status_code == 200
    assert (await client.get("/no/such/page")).status_code == 404
    after = await scrape(scraper)

    def grew(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert grew("kompetanse_statements_stored_total") == 4
    assert grew("kompetanse_statements_rejected_total", status="400") == 2
    assert grew("kompetanse_statement_batch_size_count") == 3
    assert grew("kompetanse_statement_batch_size_sum") == 3 + 1 + 2
    assert grew("kompetanse_statement_batch_size_bucket", le="1.0") == 1
    route = {"method": "POST", "route": "/xapi/statements"}
    assert grew("kompetanse_http_requests_total", **route, status="200") == 1
    assert grew("kompetanse_http_requests_total", **route, status="400") == 1
    assert grew("kompetanse_http_request_duration_seconds_count", **route) == 2
    assert (
        grew("kompetanse_http_requests_total", method="GET", route="unmatched", status="404") == 1
    )
    # Paths are templates, never a query or a value.
    assert not [key for key in after if "nobody" in str(key) or "/no/such" in str(key)]


async def test_the_projections_lag_and_the_mail_counters(
    app: FastAPI, scraper: httpx.AsyncClient
) -> None:
    from kompetanse.metrics import EMAILS_FAILED, EMAILS_SENT

    async def projection_lag() -> float:
        return 4.5

    app.state.catalog = SimpleNamespace(projection_lag=projection_lag)
    before = await scrape(scraper)
    EMAILS_SENT.inc(2)
    EMAILS_FAILED.inc()
    after = await scrape(scraper)
    assert value(after, "kompetanse_projection_lag_seconds") == 4.5
    assert (
        value(after, "kompetanse_emails_sent_total") - value(before, "kompetanse_emails_sent_total")
        == 2
    )
    assert (
        value(after, "kompetanse_emails_failed_total")
        - value(before, "kompetanse_emails_failed_total")
        == 1
    )


def test_store_errors_are_counted_by_kind(tmp_path: Path) -> None:
    """MongoDB gone under a running server: the write is answered 503, and /metrics counts a
    store error of the driver's kind."""
    wire = WireServer().start()
    uri = wire.uri + "&serverSelectionTimeoutMS=300"
    env = {"KOMPETANSE_METRICS_TOKEN": TOKEN, "KOMPETANSE_MONGODB_DATABASE": "metrics"}
    with running_server(tmp_path, mongodb_uri=uri, env=env) as server:
        base = server.endpoint.removesuffix("/xapi")
        scrape_headers = {"Authorization": f"Bearer {TOKEN}"}
        wire.stop()
        with httpx.Client(auth=(KEY, SECRET), headers=HEADERS, timeout=30) as http:
            down = http.post(f"{server.endpoint}/statements", json=statement())
        assert down.status_code == 503
        found = samples(httpx.get(f"{base}/metrics", headers=scrape_headers).text)
        kinds = {
            dict(labels)["kind"]: count
            for (name, labels), count in found.items()
            if name == "kompetanse_store_errors_total"
        }
        assert sum(kinds.values()) >= 1
        assert set(kinds) <= {"ServerSelectionTimeoutError", "AutoReconnect", "NetworkTimeout"}
        assert value(found, "kompetanse_statements_rejected_total", status="503") == 1
        wire = WireServer(port=wire.port).start()  # back, so that the server stops at once
        time.sleep(0.5)
    wire.stop()


async def test_workers_are_added_up(tmp_path: Path) -> None:
    """Under --workers 2, any scrape counts the statements every worker stored."""
    with WireServer() as wire:
        env = {"KOMPETANSE_METRICS_TOKEN": TOKEN, "KOMPETANSE_MONGODB_DATABASE": "workers"}
        with running_server(
            tmp_path, mongodb_uri=wire.uri, args=("--workers", "2"), env=env
        ) as server:
            base = server.endpoint.removesuffix("/xapi")
            async with httpx.AsyncClient(auth=(KEY, SECRET), headers=HEADERS, timeout=30) as http:
                answers = await asyncio.gather(
                    *[
                        http.post(f"{server.endpoint}/statements", json=statement())
                        for _ in range(40)
                    ]
                )
                assert [a.status_code for a in answers] == [200] * 40
                # whichever worker answers the scrape (a new connection each time)
                scrape_headers = {"Authorization": f"Bearer {TOKEN}", "Connection": "close"}
                for _ in range(6):
                    response = await http.get(f"{base}/metrics", headers=scrape_headers, auth=None)
                    assert response.status_code == 200, response.text
                    found = samples(response.text)
                    assert value(found, "kompetanse_statements_stored_total") == 40
