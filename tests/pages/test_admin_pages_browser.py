"""The administration pages in a real browser (Debian's Chromium through Playwright) against
the real server on the demo data: axe-core finds no serious or critical WCAG 2.1 AA violation
on the person's page, the erasure form refused for a missing reason, and the audit log; the
form and the filters work by keyboard and without JavaScript."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.pages.browser import assert_accessible, screenshot
from tests.pages.test_pages_browser import sign_in


def test_the_administration_pages_are_accessible(page: Page, site_url: str) -> None:
    sign_in(page, site_url, "admin")
    page.goto(site_url + "/admin")
    expect(page.get_by_role("heading", level=1)).to_have_text("Administrasjon")
    assert_accessible(page, "admin")
    page.get_by_label("Ansattnummer").fill("D000002")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/admin/personer/D000002$"))
    assert_accessible(page, "admin-person")
    screenshot(page, "admin-person")
    page.get_by_role("button", name=re.compile("for godt")).click()  # no reason written
    expect(page.get_by_role("alert")).to_contain_text("Skriv en begrunnelse for slettingen.")
    expect(page.get_by_label("Begrunnelse")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page, "admin-person-uten-begrunnelse")
    screenshot(page, "admin-person-uten-begrunnelse")
    page.goto(site_url + "/admin/revisjonslogg")
    page.get_by_label("Handling").select_option("sign-in")
    page.get_by_role("button", name="Filtrer").click()
    expect(page).to_have_url(re.compile(r"action=sign-in"))
    expect(page.get_by_role("table")).to_contain_text("demo-admin")
    assert_accessible(page, "admin-revisjonslogg")
    screenshot(page, "admin-revisjonslogg")
