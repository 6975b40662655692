"""The office's competence plan in a real browser (Chromium through Playwright, axe-core)
against the real server on the demo data: the leader reads NAV Sagene's approved plan with
its progress and the representative's comment, makes a new revision, adds a priority (a
wrong number of hours first) and sends it for comments; the county reads the overview with
the offices that have none; no serious or critical WCAG 2.1 AA violation."""

from __future__ import annotations

import re
from datetime import date

from playwright.sync_api import Page, expect

from tests.pages.browser import assert_accessible, screenshot
from tests.pages.test_pages_browser import sign_in

YEAR = date.today().year


def test_the_leader_revises_and_sends_the_plan_and_the_county_reads_it(
    page: Page, site_url: str
) -> None:
    sign_in(page, site_url, "leader")
    page.goto(site_url + "/kontoret/nav-sagene")
    page.get_by_role("link", name="Kompetanseplan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Kompetanseplan {YEAR}")
    priorities = page.get_by_role("table", name=re.compile("Årets prioriteringer"))
    expect(priorities).to_contain_text("Hospitering hos NAV Frogner")
    expect(page.get_by_role("heading", name=re.compile("Status: Godkjent"))).to_be_visible()
    expect(page.get_by_text("Vi støtter prioriteringene")).to_be_visible()
    assert_accessible(page, "competence-plan-approved")
    screenshot(page, "competence-plan-approved")

    page.get_by_role("button", name="Lag en ny revisjon").click()
    expect(page.get_by_role("status")).to_contain_text("En ny revisjon er laget")
    expect(page.get_by_role("heading", name=re.compile("Revisjon 2"))).to_be_visible()
    expect(page.get_by_role("table", name=re.compile("Gap fra kartleggingen"))).to_be_visible()
    assert_accessible(page, "competence-plan-draft")

    page.get_by_label("Type", exact=True).select_option("measure")
    page.get_by_label("Lokalt tiltak", exact=True).fill("Fagdag om sykefraværsoppfølging")
    page.get_by_label("Opplæringsmetode", exact=True).select_option("kurs-og-samlinger")
    page.get_by_label("Estimerte timer", exact=True).fill("mange")
    page.get_by_role("button", name="Legg til", exact=True).click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Estimerte timer: et tall fra 0 til 10000")
    expect(page.get_by_label("Estimerte timer", exact=True)).to_have_attribute(
        "aria-invalid", "true"
    )
    assert_accessible(page, "competence-plan-feil")
    screenshot(page, "competence-plan-feil")
    page.get_by_label("Estimerte timer", exact=True).fill("7,5")
    page.get_by_role("button", name="Legg til", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Prioriteringen er lagret")
    expect(priorities).to_contain_text("Fagdag om sykefraværsoppfølging")
    page.get_by_role("button", name="Send på høring til de tillitsvalgte").click()
    expect(page.get_by_role("status")).to_contain_text("sendt på høring")
    assert_accessible(page, "competence-plan-sent")

    page.get_by_role("button", name="Logg ut").click()
    sign_in(page, site_url, "coordinator")
    page.goto(site_url + "/fylket/oslo")
    page.get_by_role("link", name="Kompetanseplan").click()
    overview = page.get_by_role("table", name=re.compile("Hvert kontors kompetanseplan"))
    expect(overview.get_by_role("row", name=re.compile("NAV Sagene"))).to_contain_text(
        "Sendt på høring"
    )
    expect(overview.get_by_role("row", name=re.compile("NAV Grünerløkka"))).to_contain_text(
        "Utkast"
    )
    expect(page.get_by_role("heading", name=f"Kontorer uten plan for {YEAR}")).to_be_visible()
    assert_accessible(page, "competence-plan-region")
    screenshot(page, "competence-plan-region")
