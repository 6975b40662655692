"""The development plans in a real browser (Chromium through Playwright, axe-core) against the
real server on the demo data: the employee raises a need with its problems shown, the leader
reads the office's plans, records a talk and a goal in a person's plan and turns a need into a
goal, English; no serious or critical WCAG 2.1 AA violation."""

from __future__ import annotations

import re
from datetime import date

from playwright.sync_api import Page, expect

from tests.pages.browser import assert_accessible, screenshot
from tests.pages.test_pages_browser import sign_in

YEAR = date.today().year


def test_the_employee_raises_a_need(page: Page, site_url: str) -> None:
    sign_in(page, site_url, "leader")  # demo-leder is an employee of NAV Sagene too
    page.goto(site_url + "/min-laering")
    page.get_by_role("link", name="Utviklingsplan", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Utviklingsplan")
    assert_accessible(page, "development-learner")
    page.get_by_label("Hva trenger du?").fill("Mer om arbeidsmarkedet")
    page.get_by_role("button", name="Send behovet").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Kompetanseområde: må fylles ut")
    expect(page.get_by_label("Kompetanseområde")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Hva trenger du?")).to_have_value("Mer om arbeidsmarkedet")
    assert_accessible(page, "development-learner-feil")
    page.get_by_label("Kompetanseområde").select_option("arbeidsmarkedskunnskap")
    page.get_by_role("button", name="Send behovet").click()
    expect(page.get_by_role("status")).to_contain_text("Behovet er sendt")
    expect(page.get_by_role("table", name="Dine behov")).to_contain_text("Mer om arbeidsmarkedet")
    assert_accessible(page, "development-learner-sendt")
    screenshot(page, "development-learner")


def test_the_leader_records_a_talk_and_goals(page: Page, site_url: str) -> None:
    sign_in(page, site_url, "leader")
    page.goto(site_url + "/kontoret/nav-sagene")
    page.get_by_role("link", name="Utviklingsplaner").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Utviklingsplaner {YEAR}")
    people = page.get_by_role("table", name=re.compile("Kontorets ansatte"))
    expect(people).to_contain_text("Enige")
    expect(page.get_by_role("table", name="Åpne behov, eldste først.")).to_contain_text(
        "kvalifiseringsprogrammet"
    )
    assert_accessible(page, "development-office")
    screenshot(page, "development-office")

    people.get_by_role("row", name=re.compile("Ingen plan")).first.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Utviklingsplan {YEAR}")
    page.get_by_label("Dato for samtalen").fill("i går")
    page.get_by_role("button", name="Lagre samtalen").click()
    expect(page.get_by_role("alert")).to_contain_text("Dato for samtalen: en dato som dd.mm.åååå")
    expect(page.get_by_label("Kort oppsummering")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page, "development-person-feil")
    page.get_by_label("Dato for samtalen").fill(f"01.03.{YEAR}")
    page.get_by_label("Kort oppsummering").fill("Ønsker å lære mer om pensjon.")
    page.get_by_role("button", name="Lagre samtalen").click()
    expect(page.get_by_role("status")).to_have_text("Samtalen er lagret.")
    page.get_by_label("Målet").fill("Forstå pensjonsreformen")
    page.get_by_role("radio", name="Pakke").check()
    page.get_by_label("Hvilken pakke").select_option("pensjonsreformen")
    page.get_by_label("Frist", exact=True).fill(f"31.01.{YEAR + 1}")
    page.get_by_role("button", name="Legg til målet").click()
    expect(page.get_by_role("status")).to_contain_text("Målet er lagt til.")
    goals = page.get_by_role("table", name=re.compile(f"Målene for {YEAR}"))
    expect(goals).to_contain_text("Pakke: Pensjonsreformen")
    assert_accessible(page, "development-person")
    screenshot(page, "development-person")

    page.get_by_role("link", name="Tilbake til utviklingsplanene").click()
    needs = page.get_by_role("table", name="Åpne behov, eldste først.")
    needs.get_by_role("row", name=re.compile("kvalifiseringsprogrammet")).get_by_role(
        "link"
    ).click()
    section = page.locator("#behov-section .card").filter(has_text="kvalifiseringsprogrammet")
    section.get_by_role("textbox").first.fill(f"01.02.{YEAR + 1}")
    section.get_by_role("button", name="Gjør til mål").click()
    expect(page.get_by_role("status")).to_have_text("Behovet er gjort til et mål.")
    expect(page.get_by_role("table", name=re.compile(f"Målene for {YEAR}"))).to_contain_text(
        "Kompetanseområde: Kvalifiseringsprogrammet"
    )
    assert_accessible(page, "development-person-behov")


def test_the_county_is_refused_and_english(page: Page, site_url: str) -> None:
    sign_in(page, site_url, "coordinator")
    response = page.goto(site_url + "/kontoret/nav-sagene/utviklingsplaner")
    assert response is not None and response.status == 403
    assert_accessible(page, "development-nektet")
    page.get_by_role("button", name="Logg ut").click()
    sign_in(page, site_url, "leader")
    page.goto(site_url + "/kontoret/nav-sagene/utviklingsplaner")
    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Development plans {YEAR}")
    assert_accessible(page, "development-office-en")
