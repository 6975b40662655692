"""The competence mapping in a real browser (Chromium through Playwright, axe-core) against the
real server on the demo data: the employee answers and sees the answers back, the leader
closes and opens the round and reads the profile and a person's answers, the county reads
the aggregates, the refusals, English; no serious or critical WCAG 2.1 AA violation."""

from __future__ import annotations

import re
from datetime import date

from playwright.sync_api import Page, expect

from tests.pages.browser import assert_accessible, screenshot
from tests.pages.test_pages_browser import sign_in

YEAR = date.today().year


def test_the_employee_answers_and_sees_the_answers_back(page: Page, site_url: str) -> None:
    sign_in(page, site_url, "leader")  # demo-leder is an employee of NAV Sagene too
    page.goto(site_url + "/min-laering")
    page.get_by_role("link", name="Kompetansekartlegging").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kompetansekartlegging")
    assert_accessible(page, "mapping-learner")
    page.get_by_label("Fagområde").fill("Sosialt arbeid")
    page.get_by_label("År fullført").fill("3000")
    page.get_by_role("button", name="Lagre svarene").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Høyeste fullførte utdanning: velg utdanningen")
    expect(alert).to_contain_text("År fullført: et årstall fra 1950 til i år")
    expect(page.get_by_label("År fullført")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page, "mapping-learner-feil")
    screenshot(page, "mapping-learner-feil")
    page.get_by_label("Basiskompetanse").select_option("3")
    page.get_by_label("Kompetanseledelse").select_option("4")
    page.get_by_label("Høyeste fullførte utdanning").select_option("master")
    page.get_by_label("År fullført").fill("2011")
    page.get_by_role("button", name="Lagre svarene").click()
    expect(page.get_by_role("status")).to_contain_text("Svarene dine er lagret")
    answers = page.get_by_role("table", name="Dine svar")
    expect(answers.get_by_role("row", name=re.compile("^Basiskompetanse"))).to_contain_text(
        "3 – Kan selvstendig"
    )
    expect(answers).to_contain_text("Master eller tilsvarende, Sosialt arbeid (2011)")
    expect(page.get_by_label("Kompetanseledelse")).to_have_value("4")  # editable while open
    assert_accessible(page, "mapping-learner-lagret")
    screenshot(page, "mapping-learner-lagret")


def test_the_leader_runs_the_round_and_reads_the_profile(page: Page, site_url: str) -> None:
    sign_in(page, site_url, "leader")
    page.goto(site_url + "/kontoret/nav-sagene")
    page.get_by_role("link", name="Kompetansekartlegging").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Kompetansekartlegging {YEAR}")
    expect(page.get_by_role("table", name=re.compile("Antall svar, snitt"))).to_contain_text(
        f"Snitt {YEAR - 1}"
    )
    gaps = page.get_by_role("table", name=re.compile("Hvem som har vurdert seg under"))
    expect(gaps.locator("tbody tr").first).to_be_visible()
    assert_accessible(page, "mapping-office")
    screenshot(page, "mapping-office")

    page.get_by_role("button", name=f"Lukk kartleggingen for {YEAR}").click()
    expect(page.get_by_role("status")).to_have_text("Kartleggingen er lukket.")
    assert_accessible(page, "mapping-office-lukket")
    page.get_by_role("button", name=f"Åpne kartleggingen for {YEAR}").click()
    expect(page.get_by_role("status")).to_have_text("Kartleggingen er åpnet.")

    gaps.locator("tbody th a").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kartlegging: ")
    expect(page.get_by_role("table")).to_contain_text("Formell utdanning")
    assert_accessible(page, "mapping-person")
    page.get_by_role("link", name="Tilbake til kartleggingen").click()
    page.get_by_role("link", name=str(YEAR - 1), exact=True).click()
    expect(page.get_by_role("main")).to_contain_text(f"Kartleggingen for {YEAR - 1} ble lukket")
    assert_accessible(page, "mapping-office-i-fjor")


def test_the_county_reads_aggregates_only(page: Page, site_url: str) -> None:
    sign_in(page, site_url, "coordinator")
    page.goto(site_url + "/fylket/oslo")
    page.get_by_role("link", name="Kompetansekartlegging").click()
    table = page.get_by_role("table", name=re.compile("Snitt per kontor"))
    expect(table.get_by_role("row", name=re.compile("NAV Grünerløkka"))).to_contain_text(
        "Ikke åpnet"
    )
    assert_accessible(page, "mapping-county")
    screenshot(page, "mapping-county")
    table.get_by_role("link", name="NAV Sagene").click()
    expect(page.get_by_role("main")).to_contain_text("færre enn 5 personer vises ikke")
    expect(page.get_by_role("heading", name="Gap per person")).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile("kartleggingen"))).to_have_count(0)
    assert_accessible(page, "mapping-county-office")
    response = page.goto(site_url + "/kontoret/nav-sagene/kartlegging/personer/D000004")
    assert response is not None and response.status == 403


def test_the_learner_is_refused_the_office_and_others_answers(page: Page, site_url: str) -> None:
    sign_in(page, site_url, "learner")
    for path in (
        "/kontoret/nav-sagene/kartlegging",
        "/kontoret/nav-sagene/kartlegging/personer/D000004",
    ):
        response = page.goto(site_url + path)
        assert response is not None and response.status == 403
    assert_accessible(page, "mapping-nektet")
    page.goto(site_url + "/min-laering/kartlegging")
    expect(page.get_by_role("main")).to_contain_text("ingen åpen kartlegging")
    assert_accessible(page, "mapping-learner-ingen-runde")


def test_the_mapping_in_english(page: Page, site_url: str) -> None:
    sign_in(page, site_url, "leader")
    page.goto(site_url + "/kontoret/nav-sagene/kartlegging")
    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Competence mapping {YEAR}")
    expect(page.get_by_role("heading", name="Gaps by person")).to_be_visible()
    assert_accessible(page, "mapping-office-en")
    page.goto(site_url + "/min-laering/kartlegging")
    expect(page.get_by_label("Highest completed education")).to_be_visible()
    assert_accessible(page, "mapping-learner-en")
