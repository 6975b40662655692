"""The pages in a real browser (Debian's Chromium through Playwright) against the real server
on the demo data: each role signs in with the form, sees its pages and is refused the others';
axe-core finds no serious or critical WCAG 2.1 AA violation on any page; a screenshot of every
page is saved under test-artifacts/screenshots/."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.pages.browser import assert_accessible, screenshot
from tests.pages.site import PASSWORD, USERS

PAGES = {
    "learner": {"min-laering": "/min-laering", "katalog": "/katalog"},
    "leader": {
        "kontoret": "/kontoret/nav-sagene",
        "person": "/kontoret/nav-sagene/personer/D000000",
        "min-laering": "/min-laering",
        "katalog-pakke": "/katalog/ny-i-nav",
    },
    "coordinator": {"fylket": "/fylket/oslo", "kontor-i-fylket": "/kontoret/nav-frogner"},
    "directorate": {"nasjonalt": "/nasjonalt", "katalog": "/katalog"},
}
REFUSED = {
    "learner": ["/kontoret/nav-sagene", "/fylket/oslo", "/nasjonalt"],
    "leader": ["/kontoret/nav-frogner", "/fylket/oslo", "/nasjonalt"],
    "coordinator": ["/nasjonalt"],
    "directorate": [],
}
HEADINGS = {
    "min-laering": "Min læring",
    "kontoret": "NAV Sagene",
    "fylket": "NAV Oslo",
    "kontor-i-fylket": "NAV Frogner",
    "nasjonalt": "Nasjonalt",
    "katalog": "Katalog",
    "katalog-pakke": "Ny i NAV",
}


def sign_in(page: Page, site_url: str, role: str) -> None:
    page.goto(site_url + "/")
    expect(page).to_have_url(re.compile(r"/logg-inn"))
    page.get_by_label("Brukernavn").fill(USERS[role])
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    expect(page.get_by_role("button", name="Logg ut")).to_be_visible()


def test_the_sign_in_page_by_keyboard(page: Page, site_url: str) -> None:
    page.goto(site_url + "/kontoret")
    expect(page.get_by_role("heading", level=1)).to_have_text("Logg inn")
    assert_accessible(page, "logg-inn")
    screenshot(page, "logg-inn")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Hopp til hovedinnholdet")).to_be_focused()
    page.get_by_label("Brukernavn").focus()
    page.keyboard.type(USERS["leader"])
    page.keyboard.press("Tab")
    expect(page.get_by_label("Passord")).to_be_focused()
    page.keyboard.type("feil passord")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("Feil brukernavn eller passord.")
    assert_accessible(page, "logg-inn-feil")
    screenshot(page, "logg-inn-feil")
    page.get_by_label("Passord").fill(PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/kontoret/nav-sagene$"))


@pytest.mark.parametrize("role", list(PAGES))
def test_each_role_sees_its_pages_and_is_refused_the_rest(
    page: Page, site_url: str, role: str
) -> None:
    sign_in(page, site_url, role)
    for name, path in PAGES[role].items():
        response = page.goto(site_url + path)
        assert response is not None and response.status == 200, path
        heading = page.get_by_role("heading", level=1)
        if name in HEADINGS:
            expect(heading).to_contain_text(HEADINGS[name])
        expect(page.get_by_role("main")).to_be_visible()
        assert_accessible(page, f"{role}-{name}")
        screenshot(page, f"{role}-{name}")
    for path in REFUSED[role]:
        response = page.goto(site_url + path)
        assert response is not None and response.status == 403, path
        expect(page.get_by_role("heading", level=1)).to_have_text("Du har ikke tilgang")
        expect(page.locator("table")).to_have_count(0)
    assert_accessible(page, f"{role}-nektet")
    screenshot(page, f"{role}-nektet")


def test_the_leader_filters_with_a_choice_and_grants_an_exemption(
    page: Page, site_url: str
) -> None:
    sign_in(page, site_url, "leader")
    page.goto(site_url + "/kontoret/nav-sagene")
    # with JavaScript the filter applies as soon as the choice changes
    page.get_by_label("Status", exact=True).select_option("overdue")
    expect(page).to_have_url(re.compile(r"status=overdue"))
    expect(page.get_by_label("Status", exact=True)).to_be_focused()
    matrix = page.get_by_role("table").filter(has_text="personer og").first
    expect(matrix.locator("tbody tr").first).to_be_visible()
    expect(matrix.get_by_text("Forfalt").first).to_be_visible()
    screenshot(page, "leader-kontoret-forfalt")
    matrix.locator("tbody th a").first.click()
    expect(page.get_by_role("heading", name="Gi fritak")).to_be_visible()
    page.get_by_label("Pakke").select_option(index=1)
    page.get_by_role("button", name="Gi fritak").click()
    expect(page.get_by_role("alert")).to_contain_text("Skriv en begrunnelse for fritaket.")
    assert_accessible(page, "leader-fritak-feil")
    screenshot(page, "leader-fritak-feil")
    page.get_by_label("Pakke").select_option(index=1)
    page.get_by_label("Begrunnelse").fill("Har tilsvarende opplæring fra tidligere arbeidsgiver")
    page.get_by_role("button", name="Gi fritak").click()
    expect(page.get_by_role("status")).to_contain_text("er registrert som fritatt")


def test_the_pages_in_english(page: Page, site_url: str) -> None:
    sign_in(page, site_url, "leader")
    page.goto(site_url + "/kontoret/nav-sagene")
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Status per person and package")).to_be_visible()
    assert_accessible(page, "leader-kontoret-en")
    screenshot(page, "leader-kontoret-en")
    page.get_by_role("link", name="Catalog").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Catalog")
    page.get_by_role("link", name="Norsk (bokmål)").click()
    expect(page.locator("html")).to_have_attribute("lang", "nb")


def test_a_signed_out_browser_is_sent_to_sign_in(page: Page, site_url: str) -> None:
    sign_in(page, site_url, "learner")
    page.get_by_role("button", name="Logg ut").click()
    expect(page.get_by_role("status")).to_have_text("Du er logget ut.")
    page.goto(site_url + "/min-laering")
    expect(page).to_have_url(re.compile(r"/logg-inn\?neste=/min-laering"))


def test_the_learner_signs_up_cancels_and_records_learning_at_work(
    page: Page, site_url: str
) -> None:
    sign_in(page, site_url, "learner")
    page.goto(site_url + "/min-laering")
    progress = page.locator("#moduler")
    expect(progress.get_by_role("heading", name="Moduler: gjort og gjenstår")).to_be_visible()
    expect(progress.get_by_text("Samling i fylket").first).to_be_visible()
    assert_accessible(page, "learner-moduler")
    screenshot(page, "learner-moduler")
    day = r"\d{2}\.\d{2}\.\d{4}"
    progress.get_by_role("button", name=re.compile(rf"^Meld meg på {day}$")).first.click()
    expect(page.get_by_role("status")).to_contain_text(re.compile(rf"påmeldt samlingen {day}"))
    assert_accessible(page, "learner-pameldt")
    screenshot(page, "learner-pameldt")
    page.get_by_role("button", name=re.compile(rf"^Meld meg av {day}$")).click()
    expect(page.get_by_role("status")).to_contain_text(re.compile(rf"meldt av samlingen {day}"))

    shoulder = page.locator("#arbeid-skulder-ved-skulder")
    shoulder.locator("summary").click()
    shoulder.get_by_label("Kollega du lærte av (bekrefter)").fill("D000001")  # herself
    shoulder.get_by_label("Oppgave").fill("Mottakssamtale i publikumsmottaket")
    shoulder.get_by_label("Dato").fill("31.02.2026")
    shoulder.get_by_role("button", name=re.compile("^Registrer")).click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Du kan ikke bekrefte din egen læring")
    expect(alert).to_contain_text("Skriv datoen som dd.mm.åååå.")
    assert_accessible(page, "learner-arbeid-feil")
    screenshot(page, "learner-arbeid-feil")
    alert.get_by_role("link", name=re.compile("^Dato")).click()
    expect(shoulder.get_by_label("Dato")).to_be_focused()
    shoulder.get_by_label("Dato").fill("02.11.2026")
    shoulder.get_by_label("Kollega du lærte av (bekrefter)").fill("D000002")
    shoulder.get_by_role("button", name=re.compile("^Registrer")).click()
    expect(page.get_by_role("status")).to_contain_text("Registrert: Skulder ved skulder")
    assert_accessible(page, "learner-arbeid-registrert")
    screenshot(page, "learner-arbeid-registrert")
