"""Induction plans in a real browser (Chromium through Playwright, axe-core) against the real
server on a copy of the demo data of this module's own (it changes plans and users): the
leader names a buddy for NAV Sagene's newest new hire, the buddy signs in, finds the new hire
on "Mine nyansatte" and confirms an item learned shoulder to shoulder; no serious or critical
WCAG 2.1 AA violation on any page on the way."""

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
from tests.pages.site import copied, demo_server
from tests.pages.test_pages_browser import sign_in

BUDDY_PASSWORD = "fadder-passord-for-nettleseren"


COMMAND = [sys.executable, "-m", "kompetanse", "users", "add", "fadder-nettleser"]
BUDDY = "D000004"  # a NAV Sagene colleague, not its newest new hire


@pytest.fixture(scope="module")
def induction_site(demo_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real server on a copy of the demo data with an account for the buddy-to-be."""
    prepared = copied(demo_dir, tmp_path_factory.mktemp("induction-data"))
    env = {**os.environ, "KOMPETANSE_DATA_DIR": str(prepared)}
    env.pop("KOMPETANSE_MONGODB_URI", None)
    subprocess.run(  # noqa: S603 - our own CLI
        [*COMMAND, "--role", "learner", "--person", BUDDY, "--password-stdin"],
        env=env,
        check=True,
        capture_output=True,
        input=f"{BUDDY_PASSWORD}\n".encode(),
    )
    with demo_server(prepared, tmp_path_factory.mktemp("induction-browser")) as url:
        yield url


def test_the_leader_names_a_buddy_who_confirms_an_item(page: Page, induction_site: str) -> None:
    sign_in(page, induction_site, "leader")
    page.goto(induction_site + "/kontoret/nav-sagene")
    page.get_by_role("link", name="Opplæringsplaner for nyansatte").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Opplæringsplaner for nyansatte")
    assert_accessible(page, "induction-office")
    screenshot(page, "induction-office")

    first = page.locator("section[id^='plan-']").first
    new_hire = (first.get_attribute("id") or "").removeprefix("plan-")
    chooser = first.get_by_label("Fadder", exact=True)
    assert new_hire != BUDDY
    chooser.select_option(BUDDY)
    first.get_by_role("button", name="Lagre fadder").click()
    expect(page.get_by_role("status")).to_have_text("Fadderen er lagret.")
    expect(page.locator(f"#plan-{new_hire}").get_by_label("Fadder", exact=True)).to_have_value(
        BUDDY
    )
    assert_accessible(page, "induction-office-fadder")
    page.get_by_role("button", name="Logg ut").click()

    page.goto(induction_site + "/")
    page.get_by_label("Brukernavn").fill("fadder-nettleser")
    page.get_by_label("Passord").fill(BUDDY_PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    expect(page.get_by_role("button", name="Logg ut")).to_be_visible()
    page.goto(induction_site + "/min-laering")
    page.get_by_role("link", name="Mine nyansatte (fadder)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mine nyansatte")
    plan = page.locator(f"#plan-{new_hire}")
    expect(plan.get_by_role("heading")).to_contain_text("(demo)")
    assert_accessible(page, "induction-buddy")
    screenshot(page, "induction-buddy")
    plan.get_by_role(
        "button", name="Bekreft skulder ved skulder: Brukersamtaler sammen med fadder"
    ).click()
    expect(page.get_by_role("status")).to_have_text("Punktet er markert som utført.")
    row = page.locator(f"#plan-{new_hire}").get_by_role(
        "row", name=re.compile("^Brukersamtaler sammen med fadder")
    )
    expect(row).to_contain_text("bekreftet av fadder")
    assert_accessible(page, "induction-buddy-bekreftet")
    screenshot(page, "induction-buddy-bekreftet")
