"""Fixtures shared by every test: an app on a fresh embedded store, and HTTP clients for it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from kompetanse.app import create_app
from kompetanse.settings import Settings

KEY, SECRET = "test-key", "test-secret-for-tests"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        mongodb_uri=None,
        bootstrap_key=KEY,
        bootstrap_secret=SECRET,
    )


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
