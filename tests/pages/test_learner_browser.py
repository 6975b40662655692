"""Min læring in a real browser (Debian's Chromium through Playwright) against the real server:
readable on a 390 px phone without sideways scrolling (and the person page too), the two
newest learning-at-work forms, a confirmation by the leader the learner named and the
learner seeing it confirmed, and the error pages in the chosen language with names. axe-core
finds no serious or critical WCAG 2.1 AA violation on any of them."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.pages.browser import assert_accessible, screenshot
from tests.pages.site import PASSWORD, USERS

PHONE = {"width": 390, "height": 844}
DAY = r"\d{2}\.\d{2}\.\d{4}"


@pytest.fixture
def phone(chromium: Browser) -> Iterator[BrowserContext]:
    context = chromium.new_context(
        locale="nb-NO", viewport=PHONE, bypass_csp=True, is_mobile=True, has_touch=True
    )
    yield context
    context.close()


def sign_in(page: Page, site_url: str, username: str) -> None:
    page.goto(site_url + "/logg-inn")
    page.get_by_label("Brukernavn").fill(username)
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    expect(page.get_by_role("button", name="Logg ut")).to_be_visible()


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Logg ut").click()
    expect(page.get_by_role("status")).to_have_text("Du er logget ut.")


def scroll_width(page: Page) -> int:
    return int(page.evaluate("document.scrollingElement.scrollWidth"))


def too_wide(page: Page) -> list[str]:
    """The innermost elements reaching past the viewport's right edge, to say what to fix."""
    return list(
        page.evaluate(
            """width => [...document.querySelectorAll('body *')]
              .filter(e => e.getBoundingClientRect().right > width + 0.5)
              .filter(e => ![...e.children].some(
                  c => c.getBoundingClientRect().right > width + 0.5))
              .slice(0, 8)
              .map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '') + ': '
                   + (e.textContent || '').trim().slice(0, 60))""",
            PHONE["width"],
        )
    )


def open_every_section(page: Page) -> None:
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")


@pytest.mark.parametrize(
    ("role", "path"),
    [
        pytest.param("learner", "/min-laering", id="min-laering"),
        pytest.param("leader", "/min-laering", id="min-laering-leader"),
        pytest.param("leader", "/kontoret/nav-sagene/personer/D000001", id="person"),
    ],
)
def test_readable_at_390_px_without_sideways_scrolling(
    phone: BrowserContext, site_url: str, role: str, path: str
) -> None:
    page = phone.new_page()
    sign_in(page, site_url, USERS[role])
    page.goto(site_url + path)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert scroll_width(page) <= PHONE["width"], f"{path} closed: {too_wide(page)}"
    open_every_section(page)
    assert scroll_width(page) <= PHONE["width"], f"{path} open: {too_wide(page)}"
    assert_accessible(page, f"{role}{path.replace('/', '-')}-390")
    screenshot(page, f"{role}{path.replace('/', '-')}-390")


def test_the_named_leader_confirms_the_learners_entry(page: Page, site_url: str) -> None:
    sign_in(page, site_url, USERS["learner"])
    page.goto(site_url + "/min-laering")

    team = page.locator("#arbeid-teamarbeid")
    team.locator("summary").click()
    team.get_by_label("Teamets navn").fill("Tverrfaglig team for sammensatte behov")
    team.get_by_label("Andre i teamet").fill("D000001")  # only herself
    team.get_by_label("Hva teamet arbeidet med").fill("Felles plan for oppfølging")
    team.get_by_label("Dato").fill("09.11.2026")
    team.get_by_label("Bekreftes av").fill("D000000")
    team.get_by_role("button", name=re.compile("^Registrer")).click()
    expect(page.get_by_role("alert")).to_contain_text("Skriv minst én annen i teamet")
    assert_accessible(page, "learner-teamarbeid-feil")
    team.get_by_label("Andre i teamet").fill("D000002; D000003")
    team.get_by_role("button", name=re.compile("^Registrer")).click()
    expect(page.get_by_role("status")).to_contain_text("Registrert: Teamarbeid")

    study = page.locator("#arbeid-etter-og-videreutdanning")
    study.locator("summary").click()
    study.get_by_label("Lærested").fill("OsloMet")
    study.get_by_label("Emne", exact=True).fill("Arbeidsrettet oppfølging")
    study.get_by_label("Studiepoeng").fill("7,5")
    study.get_by_label("Karakter (valgfritt)").fill("B")
    study.get_by_label("Eksamensdato").fill("10.11.2026")
    study.get_by_label("Bekreftes av").fill("D000000")
    study.get_by_role("button", name=re.compile("^Registrer")).click()
    expect(page.get_by_role("status")).to_contain_text("Registrert: Etter- og videreutdanning")
    record = page.locator("section[aria-labelledby='record']")
    open_every_section(page)
    expect(record.get_by_text(re.compile("Venter på bekreftelse fra ")).first).to_be_visible()
    assert_accessible(page, "learner-ubekreftet")
    screenshot(page, "learner-ubekreftet")
    expect(page.locator("#bekreft")).to_have_count(0)  # nobody asked her
    sign_out(page)

    sign_in(page, site_url, USERS["leader"])
    page.goto(site_url + "/min-laering")
    awaiting = page.locator("#bekreft")
    expect(awaiting.get_by_role("heading", name="Venter på din bekreftelse")).to_be_visible()
    expect(awaiting.get_by_text("Felles plan for oppfølging")).to_be_visible()
    assert_accessible(page, "leader-venter-pa-bekreftelse")
    screenshot(page, "leader-venter-pa-bekreftelse")
    study_entry = awaiting.locator("li", has_text="Arbeidsrettet oppfølging").locator("form")
    action = study_entry.get_attribute("action")
    awaiting.get_by_role("button", name=re.compile("Felles plan for oppfølging")).click()
    expect(page.get_by_role("status")).to_contain_text("Bekreftet.")
    expect(page.locator("#bekreft").get_by_text("Felles plan for oppfølging")).to_have_count(0)
    sign_out(page)

    sign_in(page, site_url, USERS["learner"])
    page.goto(site_url + "/min-laering")
    open_every_section(page)
    record = page.locator("section[aria-labelledby='record']")
    expect(record.get_by_text(re.compile(rf"Bekreftet av .+ {DAY}")).first).to_be_visible()
    assert_accessible(page, "learner-bekreftet")
    screenshot(page, "learner-bekreftet")

    # the learner cannot confirm her own entry, even with a form of her own making
    page.evaluate(
        """action => {
          const form = document.createElement('form');
          form.method = 'post';
          form.action = action;
          form.appendChild(document.querySelector('input[name=csrf]').cloneNode());
          document.body.appendChild(form);
          form.submit();
        }""",
        action,
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Du har ikke tilgang")
    expect(page.get_by_role("alert")).to_have_text(
        "Denne registreringen venter ikke på din bekreftelse."
    )
    assert_accessible(page, "learner-bekreft-nektet")


def test_an_error_page_in_the_chosen_language_with_names(page: Page, site_url: str) -> None:
    sign_in(page, site_url, USERS["leader"])
    response = page.goto(site_url + "/kontoret/nav-frogner")
    assert response is not None and response.status == 403
    expect(page.get_by_role("alert")).to_have_text("Du har ikke tilgang til NAV Frogner.")
    assert_accessible(page, "feil-nb")
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("alert")).to_have_text("You may not see NAV Frogner.")
    expect(page.get_by_role("heading", level=1)).to_have_text("You do not have access")
    assert_accessible(page, "feil-en")
    screenshot(page, "feil-en")
    page.get_by_role("link", name="Norsk (bokmål)").click()
