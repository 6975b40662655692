"""Fixtures shared by every test: an app on a fresh store, and HTTP clients for it.

The store is the embedded engine unless a directory's conftest parametrises `backend` (see
tests/backends.py); then `settings` and `database` name a database of the test's own on the
wire test server or on a real MongoDB, dropped after the test.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from pymongo import AsyncMongoClient, MongoClient

from kompetanse.app import create_app
from kompetanse.settings import Settings
from lrs.store import EmbeddedClient
from tests.backends import MONGODB_URI, database_name
from tests.wire import WireServer

KEY, SECRET = "test-key", "test-secret-for-tests"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="session")
def wire_server() -> Iterator[WireServer]:
    """One wire test server for the whole run, in this process's threads."""
    with WireServer() as server:
        yield server


@pytest.fixture
def backend() -> str:
    """Where `settings` and `database` store: the embedded engine unless overridden."""
    return "embedded"


@pytest.fixture
def mongodb_uri(backend: str, request: pytest.FixtureRequest) -> str | None:
    """The URI of the backend's server; None for the embedded engine."""
    if backend == "wire":
        server: WireServer = request.getfixturevalue("wire_server")
        return server.uri
    return MONGODB_URI if backend == "mongodb" else None


@pytest.fixture
def mongodb_database(mongodb_uri: str | None) -> Iterator[str]:
    """The name of the test's own database, dropped after it (on a server backend)."""
    if mongodb_uri is None:
        yield "kompetanse"
        return
    name = database_name()
    yield name
    with MongoClient(mongodb_uri) as client:
        client.drop_database(name)


@pytest.fixture
def settings(tmp_path: Path, mongodb_uri: str | None, mongodb_database: str) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        mongodb_uri=mongodb_uri,
        mongodb_database=mongodb_database,
        bootstrap_key=KEY,
        bootstrap_secret=SECRET,
    )


@pytest.fixture
async def database(
    tmp_path: Path, mongodb_uri: str | None, mongodb_database: str
) -> AsyncIterator[Any]:
    """The test's database, opened as the product opens it (PyMongo's async API)."""
    client: Any = (
        EmbeddedClient(tmp_path / "data")
        if mongodb_uri is None
        else AsyncMongoClient(mongodb_uri, tz_aware=True)
    )
    yield client[mongodb_database]
    await client.close()


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[FastAPI]:
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


def make_client(
    app: FastAPI, *, version: str = "1.0.3", auth: tuple[str, str] | None = (KEY, SECRET)
) -> httpx.AsyncClient:
    headers = {"X-Experience-API-Version": version} if version else {}
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://lrs.test",
        auth=auth,
        headers=headers,
    )


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with make_client(app) as http:
        yield http


@pytest.fixture
async def client2(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """A client speaking xAPI 2.0."""
    async with make_client(app, version="2.0.0") as http:
        yield http


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests that start server processes (`tests.server.running_server`) or a browser are
    marked `slow`: `pytest -m "not slow"` is the fast inner loop, `make test` runs them all."""
    for item in items:
        module = getattr(item, "module", None)
        names = vars(module) if module is not None else {}
        in_browser = any(
            str(getattr(value, "__module__", "")).startswith("playwright")
            for value in names.values()
        )
        if "running_server" in names or in_browser:
            item.add_marker(pytest.mark.slow)
