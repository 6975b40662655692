"""Reminders end to end: the real server (`kompetanse serve`) on a copy of the demo data with
KOMPETANSE_SMTP_HOST pointing at a real SMTP server the suite starts; its lifespan's task sends
the reminders on its own, and then, in Debian's Chromium, an administrator filters what was
sent and a learner turns reminders off, by keyboard, axe-core finding no serious or critical
WCAG 2.1 AA violation on either page."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.pages.browser import assert_accessible, screenshot
from tests.pages.site import demo_server
from tests.pages.test_pages_browser import sign_in
from tests.smtp_server import Mailbox, smtp_server


@pytest.fixture(scope="module")
def mailbox() -> Iterator[Mailbox]:
    with smtp_server() as found:
        yield found


@pytest.fixture(scope="module")
def mail_site(
    demo_dir: Path, tmp_path_factory: pytest.TempPathFactory, mailbox: Mailbox
) -> Iterator[str]:
    env = {
        "KOMPETANSE_SMTP_HOST": "127.0.0.1",
        "KOMPETANSE_SMTP_PORT": str(mailbox.port),
        "KOMPETANSE_SMTP_STARTTLS": "false",
        "KOMPETANSE_SMTP_FROM": "kompetanse@demo.nav.example",
        "KOMPETANSE_REMINDER_INTERVAL_SECONDS": "2",
        "KOMPETANSE_REMINDER_DIGEST_WEEKDAY": "1",
    }
    with demo_server(demo_dir, tmp_path_factory.mktemp("mail-browser"), env) as url:
        yield url


def wait_for_mail(mailbox: Mailbox, seconds: float = 120.0) -> None:
    deadline = time.monotonic() + seconds
    count = -1
    while time.monotonic() < deadline:  # until a round has sent and the next one sends nothing
        if mailbox.received and len(mailbox.received) == count:
            return
        count = len(mailbox.received)
        time.sleep(3)
    raise AssertionError(f"the server sent {len(mailbox.received)} reminders in {seconds} s")


def test_the_server_sends_reminders_on_its_own_each_once(mail_site: str, mailbox: Mailbox) -> None:
    wait_for_mail(mailbox)
    ids = [m["Message-ID"] for m in mailbox.received]
    assert len(ids) == len(set(ids))  # none twice, over several rounds
    subjects = [str(m["Subject"]) for m in mailbox.received]
    assert any(s.startswith("Påminnelse: frist") for s in subjects)
    assert any(s.startswith("Ukeoversikt for NAV Sagene") for s in subjects)
    body = next(m for m in mailbox.received if "Ukeoversikt" in str(m["Subject"])).get_content()
    assert re.search(r"frist \d{2}\.\d{2}\.\d{4}", body)


def test_an_administrator_filters_what_was_sent(
    page: Page, mail_site: str, mailbox: Mailbox
) -> None:
    wait_for_mail(mailbox)
    sign_in(page, mail_site, "admin")
    page.goto(mail_site + "/admin/utsendinger")
    expect(page.get_by_role("heading", level=1)).to_have_text("Utsendte påminnelser")
    assert_accessible(page, "admin-utsendinger")
    page.get_by_label("Type").select_option("leader")
    page.get_by_label("Status").select_option("sent")
    page.get_by_label("Ansattnummer eller brukernavn").press("Enter")  # submits the form
    expect(page).to_have_url(re.compile(r"kind=leader"))
    table = page.get_by_role("table")
    expect(table).to_contain_text("Ukeoversikt, leder")
    expect(table).not_to_contain_text("Før frist")
    assert_accessible(page, "admin-utsendinger-filtrert")
    screenshot(page, "admin-utsendinger")
    page.get_by_label("Fra og med dato (dd.mm.åååå)").fill("31.02.2026")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_role("alert")).to_contain_text("Skriv en dato som dd.mm.åååå")
    assert_accessible(page, "admin-utsendinger-feil-dato")


def test_a_learner_turns_reminders_off_by_keyboard(page: Page, mail_site: str) -> None:
    sign_in(page, mail_site, "learner")
    page.goto(mail_site + "/min-laering")
    page.get_by_role("link", name="Påminnelser på e-post").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Påminnelser på e-post")
    assert_accessible(page, "varsler")
    expect(page.get_by_label("Ja, send meg påminnelser")).to_be_checked()
    page.get_by_label("Nei, ikke send meg påminnelser").check()
    page.get_by_role("button", name="Lagre").press("Enter")
    expect(page.get_by_role("status")).to_have_text("Påminnelsene er slått av.")
    expect(page.get_by_label("Nei, ikke send meg påminnelser")).to_be_checked()
    assert_accessible(page, "varsler-av")
    screenshot(page, "varsler-av")
    page.get_by_role("button", name="Lagre").click()  # unchanged: saved again, still off
    expect(page.get_by_role("status")).to_have_text("Påminnelsene er slått av.")
