"""Fylket in a real browser (Debian's Chromium through Playwright) against the real server on
the demo data: the county coordinator schedules a session (bad input first), places people
from the pipeline (a seat, then the waitlist), raises the seats (the first waiting gets one),
moves a person to another session, cancels it (its people shown again as needing a seat),
filters and downloads the tables, gives everyone of an office without a seat one at once, and
reads the page in English; axe-core finds no serious or critical WCAG 2.1 AA violation at any
step. The sessions it changes are its own, and those it places at once work at an office
(NAV Frogner) the other browser tests leave alone."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta
from pathlib import Path

from openpyxl import load_workbook
from playwright.sync_api import Locator, Page, expect

from tests.pages.browser import assert_accessible, screenshot
from tests.pages.test_pages_browser import sign_in

FIRST = date.today() + timedelta(days=90)
SECOND = date.today() + timedelta(days=97)


def day(value: date) -> str:
    return value.strftime("%d.%m.%Y")


def schedule(page: Page, site_url: str, starts: date, seats: str) -> None:
    page.goto(site_url + "/fylket/oslo")
    page.get_by_role("link", name="Planlegg en samling").click()
    page.get_by_label("Modul").select_option(label="Ny i NAV: Samling i fylket")
    page.get_by_label("Første dag").fill(day(starts))
    page.get_by_label("Siste dag (valgfritt)").fill(day(starts + timedelta(days=2)))
    page.get_by_label("Sted", exact=True).fill("Fylkeshuset, Oslo")
    page.get_by_label("Instruktører (valgfritt)").fill("D000000")
    page.get_by_label("Plasser").fill(seats)
    page.get_by_role("button", name="Planlegg samlingen").click()
    expect(page.get_by_role("status")).to_have_text(f"Samlingen {day(starts)} er planlagt.")


def pipeline_row(page: Page, starts: date, index: int) -> Locator:
    """The `index`th row of the Ny i NAV pipeline that may be placed in the session `starts`."""
    rows = page.locator("table.pipeline tbody tr").filter(
        has=page.locator("option", has_text=day(starts))
    )
    return rows.nth(index)


def place(page: Page, row: Locator, starts: date) -> str:
    """Place the row's person in the session `starts`; returns their employee id."""
    person = row.locator('input[name="person"]').get_attribute("value") or ""
    value = row.locator("option", has_text=day(starts)).first.get_attribute("value")
    row.get_by_role("combobox").select_option(value)
    row.get_by_role("button", name=re.compile("^Plasser")).click()
    return person


def test_the_coordinator_runs_the_countys_sessions(page: Page, site_url: str) -> None:
    sign_in(page, site_url, "coordinator")
    page.goto(site_url + "/fylket/oslo")
    expect(page.get_by_role("heading", name="Ny i NAV-løypa")).to_be_visible()
    assert_accessible(page, "fylket")
    screenshot(page, "coordinator-fylket")

    # schedule: bad input first, a message per field, the link leads to the field
    page.get_by_role("link", name="Planlegg en samling").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Planlegg en samling")
    assert_accessible(page, "fylket-ny-samling")
    page.get_by_label("Første dag").fill("32.13.2027")
    page.get_by_label("Plasser").fill("mange")
    page.get_by_role("button", name="Planlegg samlingen").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Første dag: Skriv datoen som dd.mm.åååå.")
    expect(alert).to_contain_text("Plasser: Skriv et helt tall")
    expect(page.get_by_label("Første dag")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page, "fylket-ny-samling-feil")
    screenshot(page, "coordinator-ny-samling-feil")
    alert.get_by_role("link", name=re.compile("^Plasser")).click()
    expect(page.get_by_label("Plasser")).to_be_focused()
    schedule(page, site_url, FIRST, "1")
    expect(page.get_by_role("main")).to_contain_text("Fylkeshuset, Oslo")
    assert_accessible(page, "fylket-samling")
    screenshot(page, "coordinator-samling")

    # place two people from the pipeline: a seat, then the waitlist
    page.goto(site_url + "/fylket/oslo")
    first = place(page, pipeline_row(page, FIRST, 0), FIRST)
    expect(page.get_by_role("status")).to_have_text(f"Plassert på samlingen {day(FIRST)}.")
    assert_accessible(page, "fylket-plassert")
    second = place(page, pipeline_row(page, FIRST, 1), FIRST)
    expect(page.get_by_role("status")).to_contain_text("full: satt på ventelisten")
    assert first != second

    # raise the seats: the first waiting gets one
    page.locator("#samlinger").get_by_role("link", name=day(FIRST)).click()
    expect(page.get_by_role("main")).to_contain_text("1 av 1 plasser tatt, 1 på venteliste.")
    page.get_by_label("Plasser").fill("2")
    page.get_by_role("button", name="Lagre endringene").click()
    expect(page.get_by_role("status")).to_have_text(
        f"Samlingen {day(FIRST)} er endret. 1 fra ventelisten fikk plass."
    )
    expect(page.get_by_role("main")).to_contain_text("2 av 2 plasser tatt, 0 på venteliste.")
    assert_accessible(page, "fylket-samling-endret")
    screenshot(page, "coordinator-samling-endret")
    page.get_by_label("Plasser").fill("1")  # fewer than enrolled
    page.get_by_role("button", name="Lagre endringene").click()
    expect(page.get_by_role("alert")).to_contain_text("Færre plasser enn påmeldte (2).")
    assert_accessible(page, "fylket-samling-feil")

    # move the first to a second session, then cancel that one
    schedule(page, site_url, SECOND, "5")
    page.goto(site_url + "/fylket/oslo")
    page.locator("#samlinger").get_by_role("link", name=day(FIRST)).click()
    row = page.locator("tbody tr").filter(has=page.locator(f'input[value="{first}"]'))
    row.get_by_role("combobox").select_option(
        row.locator("option", has_text=day(SECOND)).first.get_attribute("value")
    )
    row.get_by_role("button", name=re.compile("^Flytt")).click()
    expect(page.get_by_role("status")).to_have_text(f"Flyttet til samlingen {day(SECOND)}.")
    assert_accessible(page, "fylket-flyttet")
    page.goto(site_url + "/fylket/oslo")
    page.locator("#samlinger").get_by_role("link", name=day(SECOND)).click()
    expect(page.get_by_role("main")).to_contain_text("1 person med plass og 0 personer")
    page.get_by_role("button", name=f"Avlys samlingen {day(SECOND)}").click()  # not ticked
    expect(page.get_by_role("alert")).to_contain_text("Kryss av for at du vil avlyse samlingen.")
    assert_accessible(page, "fylket-avlys-ikke-bekreftet")
    page.get_by_label("Ja, avlys samlingen og frigi plassene").check()
    page.get_by_role("button", name=f"Avlys samlingen {day(SECOND)}").click()
    expect(page.get_by_role("status")).to_contain_text(
        f"Samlingen {day(SECOND)} er avlyst. 1 person er frigitt og trenger ny plass"
    )
    expect(page.locator("#avlyste")).to_contain_text(day(SECOND))
    released = page.locator("table.pipeline tbody tr").filter(
        has=page.locator(f'input[value="{first}"]')
    )
    expect(released).to_contain_text(f"Samlingen {day(SECOND)} ble avlyst: trenger ny plass")
    assert_accessible(page, "fylket-avlyst")
    screenshot(page, "coordinator-fylket-avlyst")


def test_the_coordinator_filters_and_downloads_the_tables(page: Page, site_url: str) -> None:
    sign_in(page, site_url, "coordinator")
    page.goto(site_url + "/fylket/oslo")
    page.get_by_label("Kontor", exact=True).select_option("nav-sagene")  # applies at once
    expect(page).to_have_url(re.compile(r"kontor=nav-sagene"))
    page.get_by_label("Bare de som ikke rekker fristen").check()
    page.get_by_role("button", name="Vis").click()
    expect(page).to_have_url(re.compile(r"bare=risiko"))
    offices = page.locator("table.region-offices tbody tr")
    expect(offices).to_have_count(1)
    expect(page.get_by_role("main")).to_contain_text("Tabellene og nedlastingene viser utvalget.")
    assert_accessible(page, "fylket-utvalg")
    screenshot(page, "coordinator-fylket-utvalg")
    shown = page.locator("table.pipeline tbody tr").count()
    with page.expect_download() as csv_download:
        page.locator("#loypa").get_by_role("link", name="CSV").click()
    content = Path(csv_download.value.path()).read_text(encoding="utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(content), delimiter=";"))
    assert header[:3] == ["Ansattnummer", "Navn", "Kontor"]
    assert len(rows) == shown and all(r[2] == "NAV Sagene" for r in rows)
    with page.expect_download() as xlsx_download:
        page.locator("#samlinger").get_by_role("link", name="Excel (XLSX)").click()
    workbook = load_workbook(io.BytesIO(Path(xlsx_download.value.path()).read_bytes()))
    assert workbook.sheetnames == ["Samlinger", "Deltakere", "Utvalg"]
    # everyone of one office without a seat gets one at once (NAV Frogner: the other
    # browser tests' people work elsewhere)
    page.goto(site_url + "/fylket/oslo?kontor=nav-frogner")
    page.get_by_role("button", name=re.compile(r"^Gi plass til alle uten plass")).click()
    expect(page.get_by_role("status")).to_contain_text("har fått plass.")
    expect(page).to_have_url(re.compile(r"kontor=nav-frogner"))
    expect(page.locator("table.pipeline").first).not_to_contain_text("Rekker ikke fristen")
    assert_accessible(page, "fylket-alle-plassert")
    screenshot(page, "coordinator-fylket-alle-plassert")
    page.goto(site_url + "/fylket/oslo?kontor=nav-sagene&bare=risiko")
    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", name="The Ny i NAV pipeline")).to_be_visible()
    expect(page.get_by_label("Only those who cannot make the deadline")).to_be_checked()
    assert_accessible(page, "fylket-en")
    screenshot(page, "coordinator-fylket-en")
    page.get_by_role("link", name="Norsk (bokmål)").click()
