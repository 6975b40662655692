"""The evaluation of training in a real browser (Chromium through Playwright, axe-core) against
the real server on the demo data: the employee evaluates the Ny i NAV gathering she attended
(the problems first, then the answer) and answers the follow-up; the county reads the
session's results without names; the learner is refused the results; no serious or critical
WCAG 2.1 AA violation."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.pages.browser import assert_accessible, screenshot
from tests.pages.site import PASSWORD, copied
from tests.pages.test_pages_browser import sign_in
from tests.server import running_server


@pytest.fixture(scope="module")
def own_url(demo_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real server on a copy of the demo data with an account for D000009, who attended
    the gathering and has not evaluated it (the demo accounts' pages stay as they were)."""
    data = copied(demo_dir, tmp_path_factory.mktemp("evaluation-browser"))
    env = {**os.environ, "KOMPETANSE_DATA_DIR": str(data)}
    env.pop("KOMPETANSE_MONGODB_URI", None)
    account = ["ansatt-9", "--role", "learner", "--person", "D000009", "--password-stdin"]
    subprocess.run(  # noqa: S603 - our own CLI
        [sys.executable, "-m", "kompetanse", "users", "add", *account],
        env=env,
        check=True,
        capture_output=True,
        input=f"{PASSWORD}\n".encode(),
    )
    with running_server(data) as server:
        yield server.endpoint.removesuffix("/xapi")


def test_the_employee_evaluates_and_follows_up(page: Page, own_url: str) -> None:
    site_url = own_url
    page.goto(site_url + "/")
    page.get_by_label("Brukernavn").fill("ansatt-9")
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    expect(page.get_by_role("button", name="Logg ut")).to_be_visible()
    page.goto(site_url + "/min-laering")
    page.get_by_role("link", name="Evaluering av opplæring").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Evaluering av opplæring")
    assert_accessible(page, "evaluation-learner")
    row = page.get_by_role("row", name=re.compile(r"^Ny i NAV \(samling"))
    row.get_by_role("link", name=re.compile("^Evaluer")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Evaluer Ny i NAV")
    assert_accessible(page, "evaluation-form")
    page.get_by_role("button", name="Send").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Samlet inntrykk: velg fra 1 til 5")
    expect(page.get_by_label("Samlet inntrykk")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page, "evaluation-form-feil")
    screenshot(page, "evaluation-form-feil")
    page.get_by_label("Samlet inntrykk").select_option("4")
    page.get_by_label("Relevans for arbeidet ditt").select_option("5")
    page.get_by_label("Kommentar (valgfritt)").fill("Nyttig å møte kollegaer fra andre kontorer.")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("status")).to_contain_text("Svaret ditt er lagret")
    row = page.get_by_role("row", name=re.compile(r"^Ny i NAV \(samling"))
    expect(row).to_contain_text("Gitt ")
    row.get_by_role("link", name=re.compile("^Svar på oppfølgingen")).click()
    page.get_by_label("Delvis").check()
    assert_accessible(page, "evaluation-follow-up")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("status")).to_contain_text("Svaret ditt er lagret")
    assert_accessible(page, "evaluation-learner-lagret")
    screenshot(page, "evaluation-learner-lagret")
    response = page.goto(site_url + "/evaluering")
    assert response is not None and response.status == 403


def test_the_county_reads_the_gathering_results(page: Page, site_url: str) -> None:
    sign_in(page, site_url, "coordinator")
    page.goto(site_url + "/fylket/oslo")
    page.get_by_role("link", name="Resultater av evaluering").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Resultater av evaluering")
    assert_accessible(page, "evaluation-index")
    page.get_by_role("link", name=re.compile("^Ny i NAV, ")).first.click()
    expect(page.get_by_role("table", name=re.compile("^Samlet inntrykk: Snitt"))).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("For mye forelesning, for lite praksis.")
    expect(page.get_by_role("main")).not_to_contain_text("(demo)")  # no names
    assert_accessible(page, "evaluation-results")
    screenshot(page, "evaluation-results")
    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Evaluation results")
    assert_accessible(page, "evaluation-results-en")
