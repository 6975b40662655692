"""Every administration action in a real browser (Debian's Chromium through Playwright)
against the real server on a copy of the demo data of this module's own (the actions change
users, credentials and people): the overview, users (filter, add with a generated password,
change role and unit, reset the password, disable, remove), xAPI credentials (add, revoke),
the HR import by upload (a dry run with errors, one without, the confirmation), the unmatched
actors and unmapped activities. axe-core finds no serious or critical WCAG 2.1 AA violation
on each page, the forms refused for bad input included; everything works without JavaScript
(plain forms)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.pages.browser import assert_accessible, screenshot
from tests.pages.site import demo_server
from tests.pages.test_pages_browser import sign_in

HEADER = "employee_id,name,email,office,region,employer,start_date,roles"


@pytest.fixture(scope="module")
def admin_site(demo_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with demo_server(demo_dir, tmp_path_factory.mktemp("admin-browser")) as url:
        yield url


def test_the_overview_and_the_lists_of_what_matches_nothing(page: Page, admin_site: str) -> None:
    sign_in(page, admin_site, "admin")
    page.get_by_role("navigation").get_by_role("link", name="Administrasjon").click()
    expect(page).to_have_url(re.compile(r"/admin$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Administrasjon")
    expect(page.get_by_role("heading", name="Fullføringsberegningen")).to_be_visible()
    assert_accessible(page, "admin-oversikt")
    screenshot(page, "admin-oversikt")
    page.get_by_role("link", name="Ukjente aktører").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ukjente aktører")
    assert_accessible(page, "admin-ukjente-aktorer")
    page.get_by_role("link", name="Administrasjon").first.click()
    page.get_by_role("link", name="Ukjente aktiviteter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ukjente aktiviteter")
    assert_accessible(page, "admin-ukjente-aktiviteter")
    screenshot(page, "admin-ukjente-aktiviteter")


def test_an_administrator_manages_a_user_from_start_to_end(page: Page, admin_site: str) -> None:
    sign_in(page, admin_site, "admin")
    page.goto(admin_site + "/admin/brukere")
    page.locator("#f-rolle").select_option("leader")
    page.get_by_role("button", name="Filtrer").click()
    expect(page).to_have_url(re.compile(r"rolle=leader"))
    expect(page.get_by_role("table")).to_contain_text("demo-leder")
    expect(page.get_by_role("table")).not_to_contain_text("demo-ansatt")
    assert_accessible(page, "admin-brukere")
    screenshot(page, "admin-brukere")

    page.locator("#ny-username").fill("x")
    page.locator("#ny-role").select_option("leader")
    page.get_by_role("button", name="Legg til brukeren").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Skriv 2–64 tegn")
    expect(alert).to_contain_text("En leder må ha et kontor.")
    expect(page.locator("#ny-office")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page, "admin-brukere-feil")
    screenshot(page, "admin-brukere-feil")

    page.locator("#ny-username").fill("ny-leder-nettleser")
    page.locator("#ny-office").select_option("nav-frogner")
    page.get_by_role("button", name="Legg til brukeren").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("ny-leder-nettleser er lagt til")
    password = page.locator(".secret code").nth(1).inner_text()
    assert len(password) >= 12
    assert_accessible(page, "admin-passord-vist-en-gang")
    screenshot(page, "admin-passord-vist-en-gang")

    page.get_by_role("link", name="ny-leder-nettleser").click()
    page.get_by_label("Rolle", exact=True).select_option("coordinator")
    page.get_by_label("Fylke (for fylkeskoordinatorer)").select_option("oslo")
    page.get_by_role("button", name="Lagre rolle og enhet").click()
    expect(page.get_by_role("status")).to_have_text("Endringen for ny-leder-nettleser er lagret.")
    expect(page.locator(".facts")).to_contain_text("Fylkeskoordinator")
    assert_accessible(page, "admin-bruker")
    screenshot(page, "admin-bruker")

    page.get_by_role("button", name="Lag nytt passord for ny-leder-nettleser").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nytt passord for ny-leder-nettleser")
    assert page.locator(".secret code").nth(1).inner_text() != password
    page.get_by_role("link", name="ny-leder-nettleser").click()
    page.get_by_role("button", name="Deaktiver ny-leder-nettleser").click()
    expect(page.get_by_role("status")).to_have_text("ny-leder-nettleser er deaktivert.")

    page.get_by_role("button", name="Fjern ny-leder-nettleser").click()  # not ticked
    expect(page.get_by_role("alert")).to_contain_text("Kryss av for at du vil fjerne kontoen.")
    assert_accessible(page, "admin-bruker-fjern-uten-bekreftelse")
    page.get_by_label("Ja, fjern kontoen").check()
    page.get_by_role("button", name="Fjern ny-leder-nettleser").click()
    expect(page).to_have_url(re.compile(r"/admin/brukere\?melding=fjernet"))
    expect(page.get_by_role("status")).to_have_text("ny-leder-nettleser er fjernet.")
    expect(page.get_by_role("table")).not_to_contain_text("ny-leder-nettleser")


def test_an_administrator_adds_and_revokes_a_credential(page: Page, admin_site: str) -> None:
    sign_in(page, admin_site, "admin")
    page.goto(admin_site + "/admin/xapi-nokler")
    assert_accessible(page, "admin-xapi-nokler")
    page.get_by_label("Navn (hvem eller hva bruker den)").fill("Nettleserplattform")
    page.get_by_role("button", name="Lag nøkkelen").click()
    expect(page.get_by_role("alert")).to_contain_text("Velg minst én tilgang.")
    assert_accessible(page, "admin-xapi-nokler-feil")
    page.get_by_label("statements/write").check()
    page.get_by_label("state", exact=True).check()
    page.get_by_role("button", name="Lag nøkkelen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ny xAPI-nøkkel: Nettleserplattform")
    key = page.locator(".secret code").first.inner_text()
    assert_accessible(page, "admin-xapi-nokkel-vist-en-gang")
    screenshot(page, "admin-xapi-nokkel-vist-en-gang")
    page.get_by_role("link", name="xAPI-nøkler").click()
    row = page.get_by_role("row").filter(has_text=key)
    expect(row).to_contain_text("state, statements/write")
    screenshot(page, "admin-xapi-nokler")
    row.get_by_role("button", name="Tilbakekall Nettleserplattform").click()
    expect(page.get_by_role("status")).to_have_text("Nøkkelen Nettleserplattform er tilbakekalt.")
    expect(page.get_by_role("table")).not_to_contain_text(key)


def test_an_administrator_imports_people_after_a_dry_run(
    page: Page, admin_site: str, tmp_path: Path
) -> None:
    bad = tmp_path / "feil.csv"
    bad.write_text(f"{HEADER}\nN100001,Uten Epost,,nav-sagene,oslo,state,01.01.2026,\n")
    good = tmp_path / "hr.csv"
    good.write_text(
        f"{HEADER}\nN100002,Nettleser Person,n100002@nav.example,nav-ny-i-nettleser,oslo,"
        "state,05.01.2026,\n"
    )
    sign_in(page, admin_site, "admin")
    page.goto(admin_site + "/admin/import")
    assert_accessible(page, "admin-import")
    page.get_by_role("button", name="Prøvekjør importen").click()  # no file
    expect(page.get_by_role("alert")).to_contain_text("Velg en fil.")
    assert_accessible(page, "admin-import-uten-fil")
    page.get_by_label("Fil (.csv eller .xlsx)").set_input_files(bad)
    page.get_by_role("button", name="Prøvekjør importen").click()
    expect(
        page.get_by_role("heading", name="Feil i filen: ingenting kan importeres")
    ).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("email")
    expect(page.get_by_role("button", name=re.compile("^Importer"))).to_have_count(0)
    assert_accessible(page, "admin-import-feil")
    screenshot(page, "admin-import-feil")
    page.get_by_label("Fil (.csv eller .xlsx)").set_input_files(good)
    page.get_by_label(re.compile("Opprett kontorer")).check()
    page.get_by_role("button", name="Prøvekjør importen").click()
    expect(page.locator(".dry-run")).to_contain_text("Nye: 1.")
    expect(page.locator(".dry-run")).to_contain_text("nav-ny-i-nettleser")
    assert_accessible(page, "admin-import-provekjoring")
    screenshot(page, "admin-import-provekjoring")
    page.get_by_role("button", name="Importer 1 person").click()
    expect(page).to_have_url(re.compile(r"/admin/import\?importert=1"))
    expect(page.get_by_role("status")).to_have_text("Importert. Nye: 1. Endret: 0. Uendret: 0.")
    page.goto(admin_site + "/admin/personer/N100002")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nettleser Person")
