"""Browser fixtures: one Chromium per test module, a fresh context (cookies, storage) per test;
the demo site the page tests sign in to."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from tests.pages.browser import AXE, CHROMIUM, FLAGS
from tests.pages.site import demo_server, prepare


@pytest.fixture(scope="module")
def anyio_backend() -> str:
    """Per module, for the page tests' module-wide sites (`demo_app` on one copy)."""
    return "asyncio"


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    """Per module: Playwright's sync API holds an event loop open in this thread while it runs,
    so it must be stopped before the async tests of other modules start theirs."""
    for needed, what in ((CHROMIUM, "Chromium"), (AXE, "axe-core")):
        if not needed.exists():
            pytest.fail(f"{what} is missing at {needed}: run `make browser` (make test does)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def context(chromium: Browser) -> Iterator[BrowserContext]:
    # axe-core is injected as an inline script, which the pages' CSP refuses (as it should);
    # the CSP itself is checked over HTTP (tests/kompetanse/test_security.py)
    context = chromium.new_context(
        locale="nb-NO", viewport={"width": 1280, "height": 900}, bypass_csp=True
    )
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo data with known passwords, prepared once; tests use copies of it."""
    data = tmp_path_factory.mktemp("demo") / "data"
    prepare(data)
    return data


@pytest.fixture(scope="session")
def site_url(demo_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real server (`kompetanse serve`) on a copy of the demo data."""
    with demo_server(demo_dir, tmp_path_factory.mktemp("browser")) as url:
        yield url
