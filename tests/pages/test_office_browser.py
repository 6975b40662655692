"""Kontoret in a real browser (Debian's Chromium through Playwright) against a server of its
own on the demo data: the leader goes from the count of overdue on Ny i NAV to the people with
one click, searches, reads the matrix scrolled sideways with the names kept in view, enrols
someone from the list, offers everyone overdue the next session, downloads the table, and on
a person's page takes them off a session and grants and revokes an exemption; axe-core finds
no serious or critical WCAG 2.1 AA violation on any of it; screenshots are saved."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.pages.browser import assert_accessible, screenshot
from tests.pages.site import demo_server
from tests.pages.test_pages_browser import sign_in

DAY = r"\d{2}\.\d{2}\.\d{4}"


@pytest.fixture(scope="module")
def office_url(demo_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server of this module's own: its actions (seats, exemptions) touch no other test."""
    with demo_server(demo_dir, tmp_path_factory.mktemp("office-browser")) as url:
        yield url


def test_from_the_count_to_the_people_and_the_matrix(page: Page, office_url: str) -> None:
    sign_in(page, office_url, "leader")
    page.goto(office_url + "/kontoret/nav-sagene")
    counts = page.locator("table.counts")
    expect(counts.locator("tbody tr").first.locator("th")).to_have_text("Ny i NAV")
    assert_accessible(page, "kontoret-per-pakke")
    screenshot(page, "kontoret-per-pakke")
    # the matrix scrolls inside its box, not the page; the name column stays in view
    box = page.locator(".scroll.matrix")
    sizes = box.evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert sizes[0] > sizes[1], "the matrix is wider than its box"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    name = box.locator("tbody th").first
    before = name.bounding_box()
    box.evaluate("e => e.scrollBy(600, 0)")
    page.wait_for_function("document.querySelector('.scroll.matrix').scrollLeft > 0")
    after = name.bounding_box()
    assert before and after and abs(before["x"] - after["x"]) < 1, "the name column is frozen"
    screenshot(page, "kontoret-matrise-rullet")

    counts.get_by_role("link", name=re.compile(r"^\d+ Forfalt på Ny i NAV$")).click()
    expect(page).to_have_url(re.compile(r"pakke=ny-i-nav&status=overdue#lister$"))
    expect(page.get_by_role("heading", name=re.compile(r"^Forfalte \(\d+\)$"))).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("^Frist snart"))).to_have_count(0)
    expect(page.get_by_label("Pakke", exact=True)).to_have_value("ny-i-nav")
    expect(page.get_by_label("Status", exact=True)).to_have_value("overdue")
    matrix = page.locator(".scroll.matrix table")
    expect(matrix.locator("thead th")).to_have_count(2)  # the names and Ny i NAV
    assert_accessible(page, "kontoret-forfalt-ny-i-nav")
    screenshot(page, "kontoret-forfalt-ny-i-nav")

    first = matrix.locator("tbody th a").first.inner_text()
    page.get_by_label("Søk etter navn").fill(first)
    page.get_by_label("Søk etter navn").press("Enter")
    expect(page).to_have_url(re.compile(r"sok="))
    rows = matrix.locator("tbody tr")
    expect(rows.first).to_contain_text(first)
    assert rows.count() <= 2  # the name, and a namesake with the employee id beside


def test_enrol_from_the_list_and_offer_everyone_overdue(page: Page, office_url: str) -> None:
    sign_in(page, office_url, "leader")
    page.goto(office_url + "/kontoret/nav-sagene?pakke=ny-i-nav&status=overdue")
    listed = page.locator("#lister")
    listed.get_by_role("button", name=re.compile(rf"^Meld på {DAY}\W")).first.click()
    expect(page.get_by_role("status")).to_contain_text(
        re.compile(rf"fått plass på samlingen {DAY}")
    )
    expect(page).to_have_url(re.compile(r"pakke=ny-i-nav&status=overdue&meldt=enrolled"))
    expect(listed.get_by_text(re.compile(rf"^Har plass {DAY}$")).first).to_be_visible()
    assert_accessible(page, "kontoret-meldt-paa")
    screenshot(page, "kontoret-meldt-paa")

    page.get_by_role(
        "button", name=re.compile(r"^Tilby neste samling til alle \d+ forfalte på Ny i NAV$")
    ).click()
    result = page.locator("section").filter(has=page.locator("#tilbud"))
    expect(result.get_by_role("heading", level=2)).to_have_text(
        "Tilbudet om samling på Ny i NAV er sendt."
    )
    expect(result.get_by_role("heading", name=re.compile(r"^Fikk plass \(\d+\)$"))).to_be_visible()
    expect(
        result.get_by_role("heading", name=re.compile(r"^Hadde allerede plass eller venteliste"))
    ).to_be_visible()  # the one enrolled from the list above
    expect(result.get_by_role("heading", name=re.compile(r"^Ikke plassert: "))).to_be_visible()
    assert_accessible(page, "kontoret-tilbud-resultat")
    screenshot(page, "kontoret-tilbud-resultat")


def test_the_download_is_the_filtered_table_in_words(page: Page, office_url: str) -> None:
    sign_in(page, office_url, "leader")
    page.goto(office_url + "/kontoret/nav-sagene?pakke=ny-i-nav&status=overdue")
    shown = page.locator(".scroll.matrix tbody th a").all_inner_texts()
    with page.expect_download() as download:
        page.get_by_role("link", name="Tabellen som CSV").click()
    assert re.fullmatch(
        r"status-nav-sagene-\d{4}-\d{2}-\d{2}\.csv", download.value.suggested_filename
    )
    content = Path(download.value.path()).read_bytes().decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(content), delimiter=";"))
    assert table[0] == ["Ansattnummer", "Navn", "Roller", "Ny i NAV", "Ny i NAV – frist"]
    assert [row[1] for row in table[1:]] == shown
    assert all(row[3] == "Forfalt" and re.fullmatch(DAY, row[4]) for row in table[1:])


def test_a_person_enrolled_and_taken_off_and_an_exemption_revoked(
    page: Page, office_url: str
) -> None:
    sign_in(page, office_url, "leader")
    page.goto(office_url + "/kontoret/nav-sagene?pakke=ny-i-nav&status=overdue")
    needs = (
        page.locator("#lister tbody tr")
        .filter(has_text=re.compile(r"Meld på|Sett på venteliste|Har plass|På venteliste"))
        .first
    )
    needs.locator("th a").click()
    sessions = page.locator("#samlinger")
    expect(sessions.get_by_role("heading", name="Ny i NAV: Samling i fylket")).to_be_visible()
    assert_accessible(page, "person-samlinger")
    screenshot(page, "person-samlinger")
    off = sessions.get_by_role("button", name=re.compile(rf"^Meld av {DAY}"))
    if off.count():  # a seat from another test: give it up first
        off.click()
        expect(page.get_by_role("status")).to_contain_text("er meldt av samlingen")
    page.locator("#samlinger").get_by_role(
        "button", name=re.compile(rf"^Meld på {DAY}")
    ).first.click()
    expect(page.get_by_role("status")).to_contain_text(
        re.compile(rf"fått plass på samlingen {DAY}")
    )
    expect(page).to_have_url(re.compile(r"#samlinger$"))
    sessions = page.locator("#samlinger")
    expect(sessions.get_by_text(re.compile(rf"^Har plass {DAY}"))).to_be_visible()
    sessions.get_by_role("button", name=re.compile(rf"^Meld av {DAY}")).click()
    expect(page.get_by_role("status")).to_contain_text(re.compile(rf"meldt av samlingen {DAY}"))
    expect(
        page.locator("#samlinger").get_by_role("button", name=re.compile(rf"^Meld på {DAY}"))
    ).not_to_have_count(0)

    page.get_by_label("Pakke").select_option("ny-i-nav")
    page.get_by_label("Begrunnelse", exact=True).fill("Har tilsvarende fra tidligere arbeidsgiver")
    page.get_by_role("button", name="Gi fritak").click()
    exemptions = page.locator("#fritak")
    expect(exemptions.get_by_role("heading", name="Ny i NAV")).to_be_visible()
    expect(exemptions).to_contain_text("Har tilsvarende fra tidligere arbeidsgiver")
    expect(exemptions).to_contain_text("demo-leder")
    assert_accessible(page, "person-fritak")
    screenshot(page, "person-fritak")
    exemptions.get_by_role("button", name=re.compile("^Opphev fritaket")).click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Skriv en begrunnelse for å oppheve fritaket.")
    assert_accessible(page, "person-opphev-feil")
    screenshot(page, "person-opphev-feil")
    alert.get_by_role("link").click()
    expect(page.get_by_label("Hvorfor fritaket oppheves")).to_be_focused()
    page.get_by_label("Hvorfor fritaket oppheves").fill("Skal likevel ta samlingen")
    page.locator("#fritak").get_by_role("button", name=re.compile("^Opphev fritaket")).click()
    expect(page.get_by_role("status")).to_have_text("Fritaket fra Ny i NAV er opphevet.")
    page.locator("#fritak summary").click()
    history = page.locator("#fritak table")
    expect(history.locator("tbody tr")).to_have_count(2)
    expect(history).to_contain_text("Skal likevel ta samlingen")
    assert_accessible(page, "person-fritak-opphevet")
    screenshot(page, "person-fritak-opphevet")
    page.set_viewport_size({"width": 390, "height": 844})  # a phone: no sideways scrolling
    page.reload()
    page.locator("#fritak summary").click()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "person-fritak-390")


def test_kontoret_in_english(page: Page, office_url: str) -> None:
    sign_in(page, office_url, "leader")
    page.goto(office_url + "/kontoret/nav-sagene")
    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", name="By package")).to_be_visible()
    expect(
        page.get_by_role("link", name=re.compile(r"^\d+ Overdue on New in NAV$"))
    ).to_be_visible()
    expect(page.get_by_label("Search by name")).to_be_visible()
    assert_accessible(page, "kontoret-en")
    page.get_by_role("link", name="Norsk (bokmål)").click()
