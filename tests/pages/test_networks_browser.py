"""The competence networks in a real browser (Chromium through Playwright, axe-core) against the
real server on the demo data: the member says "Jeg har delt" after a meeting (first with a
wrong date), the office's leader sees who attended and who has not shared back, the county's
coordinator records a meeting; the refusals, English; no serious or critical WCAG 2.1 AA
violation."""

from __future__ import annotations

import re
from datetime import date

from playwright.sync_api import Page, expect

from tests.pages.browser import assert_accessible, screenshot
from tests.pages.test_pages_browser import sign_in

TODAY = date.today().strftime("%d.%m.%Y")


def test_the_member_shares_back_and_the_leader_and_county_see_it(page: Page, site_url: str) -> None:
    sign_in(page, site_url, "learner")
    page.goto(site_url + "/min-laering")
    page.get_by_role("link", name="Nettverk og deling").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nettverk")
    assert_accessible(page, "network-learner")
    page.get_by_label("Dato for delingen").fill("31.02.2020")
    page.get_by_role("button", name="Jeg har delt").click()
    expect(page.get_by_role("alert")).to_contain_text("Dato for delingen: skriv datoen")
    expect(page.get_by_label("Dato for delingen")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page, "network-learner-feil")
    screenshot(page, "network-learner-feil")
    page.get_by_label("Dato for delingen").fill(TODAY)
    page.get_by_label("Hvordan").select_option("fagmote")
    page.get_by_label("Kort om hva du delte").fill("Fagmøte om rundskrivet")
    page.get_by_role("button", name="Jeg har delt").click()
    expect(page.get_by_role("status")).to_have_text("Delingen er registrert.")
    expect(page.get_by_role("main")).to_contain_text(f"Delt {TODAY} (Fagmøte)")
    assert_accessible(page, "network-learner-delt")

    page.context.clear_cookies()  # signed out
    sign_in(page, site_url, "leader")
    page.goto(site_url + "/kontoret/nav-sagene")
    page.get_by_role("link", name="Nettverk og deling").click()
    table = page.get_by_role("table", name=re.compile("Nytt rundskriv"))
    expect(table.get_by_role("row", name=re.compile("D000008"))).to_contain_text("Nei")
    expect(table.get_by_role("row", name=re.compile("D000004"))).to_contain_text("Personalmøte")
    expect(page.get_by_role("main")).not_to_contain_text("D000001")  # another office's member
    assert_accessible(page, "network-office")
    screenshot(page, "network-office")

    page.context.clear_cookies()
    sign_in(page, site_url, "coordinator")
    page.goto(site_url + "/fylket/oslo")
    page.get_by_role("link", name="Nettverk og deling").click()
    county = page.get_by_role("table", name=re.compile("Nytt rundskriv"))
    expect(county.get_by_role("row", name=re.compile("D000001"))).to_contain_text("Fagmøte")
    expect(county.get_by_role("row", name=re.compile("D000003"))).to_contain_text("Ikke delt ennå")
    assert_accessible(page, "network-county")
    meeting = page.get_by_role("group", name=re.compile("^Registrer et møte"))
    meeting.get_by_label("Dato").fill(TODAY)
    page.get_by_role("button", name="Registrer møtet").click()
    expect(page.get_by_role("alert")).to_contain_text("Tema:")
    assert_accessible(page, "network-county-feil")
    meeting.get_by_label("Dato").fill(TODAY)
    meeting.get_by_label("Tema").fill("Oppfølging av sykmeldte")
    meeting.get_by_role("checkbox").first.check()
    page.get_by_role("button", name="Registrer møtet").click()
    expect(page.get_by_role("status")).to_have_text("Møtet er registrert.")
    expect(page.get_by_role("table", name=re.compile("Oppfølging av sykmeldte"))).to_be_visible()
    assert_accessible(page, "network-county-mote")
    screenshot(page, "network-county")


def test_the_refusals_and_english(page: Page, site_url: str) -> None:
    sign_in(page, site_url, "learner")
    for path in ("/kontoret/nav-sagene/nettverk", "/fylket/oslo/nettverk"):
        response = page.goto(site_url + path)
        assert response is not None and response.status == 403
    assert_accessible(page, "network-nektet")
    page.context.clear_cookies()
    sign_in(page, site_url, "leader")
    response = page.goto(site_url + "/fylket/oslo/nettverk")
    assert response is not None and response.status == 403
    page.goto(site_url + "/kontoret/nav-sagene/nettverk")
    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Networks: NAV Sagene")
    assert_accessible(page, "network-office-en")
