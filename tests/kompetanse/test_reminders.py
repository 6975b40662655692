"""Reminders by e-mail, delivered to a real SMTP server the suite starts (aiosmtpd, on a free
port): a learner before a deadline (the nearest lead time only) and when it has passed, the
weekly digests of a leader and a county coordinator, each message once across a restart and a
second run, opt-out respected, English for who chose it, an SMTP failure retried later and not
lost, a claim left by a stopped sender never sent again, and the CLI."""

from __future__ import annotations

import asyncio
import io
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, redirect_stderr, redirect_stdout
from datetime import date, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from catalog import Viewer
from catalog._people import PersonRecord
from catalog._periods import subtract_period
from catalog._progress import PackageStatus
from catalog._reminder_plans import iso_week, learner_kind
from kompetanse.cli import main
from kompetanse.metrics import EMAILS_FAILED, EMAILS_SENT
from kompetanse.reminders import Sender, sender
from kompetanse.services import Services, opened
from kompetanse.settings import Settings
from tests.backends import BACKENDS
from tests.server import free_port
from tests.smtp_server import Mailbox, smtp_server

pytestmark = pytest.mark.anyio
TODAY = date.today()


@pytest.fixture
def smtp() -> Iterator[Mailbox]:
    with smtp_server() as mailbox:
        yield mailbox


def started_for(due: date) -> date:
    """The start date that puts Ny i NAV's deadline (six months after it) on `due`."""
    return subtract_period(due, "P6M")


def person(employee_id: str, name: str, due: date, **fields: Any) -> PersonRecord:
    return PersonRecord(
        employee_id=employee_id,
        name=name,
        email=f"{employee_id.lower()}@nav.example",
        office="nav-testby",
        office_name="NAV Testby",
        region="testfylke",
        region_name="Testfylke",
        employer="state",
        start_date=started_for(due),
        **fields,
    )


PEOPLE = [
    person("A1", "Anne Sju", TODAY + timedelta(days=5)),  # the 7-day reminder (not the 30-day)
    person("B1", "Bjørn Tjue", TODAY + timedelta(days=20)),  # the 30-day reminder
    person("C1", "Cecilie Sen", TODAY - timedelta(days=10)),  # overdue
    person("E1", "Erik Lenge", TODAY - timedelta(days=200)),  # overdue long ago: the digest's
    person("D1", "David Tidlig", TODAY + timedelta(days=120)),  # nothing yet
]


def settings_for(data_dir: Path, mailbox: Mailbox, **more: Any) -> Settings:
    return Settings(
        data_dir=data_dir,
        mongodb_uri=None,
        smtp_host="127.0.0.1",
        smtp_port=mailbox.port,
        smtp_starttls=False,
        smtp_from="kompetanse@nav.example",
        public_url="https://kompetanse.nav.example",
        reminder_digest_weekday=1,  # every day is on or after Monday: the digests are due
        **more,
    )


@asynccontextmanager
async def composed(settings: Settings) -> AsyncIterator[tuple[Services, Sender]]:
    async with opened(settings) as services:
        yield services, await sender(services)


async def populate(services: Services) -> None:
    await services.catalog.import_people(PEOPLE)
    accounts = services.catalog.accounts
    await accounts.add_user("leder", "passord-for-leder", "leader", office="nav-testby")
    await accounts.add_user("fylke", "passord-for-fylke", "coordinator", region="testfylke")
    await accounts.set_email("leder", "leder@nav.example")
    await accounts.set_email("fylke", "fylke@nav.example")


def ny_i_nav(mailbox: Mailbox, address: str) -> list[EmailMessage]:
    return [m for m in mailbox.to(address) if "Ny i NAV" in str(m["Subject"])]


def day(value: date) -> str:
    return value.strftime("%d.%m.%Y")


async def test_each_reminder_is_sent_once_across_a_restart_and_a_second_run(
    smtp: Mailbox, tmp_path: Path
) -> None:
    settings = settings_for(tmp_path / "data", smtp)
    sent_before = EMAILS_SENT._value.get()
    async with composed(settings) as (services, reminders):
        await populate(services)
        first = await reminders.run_once()
    assert first.failed == 0 and first.sent == len(smtp.received) > 0

    (seven,) = ny_i_nav(smtp, "a1@nav.example")
    due_a = PEOPLE[0].start_date
    assert "Påminnelse: frist" in str(seven["Subject"])
    body = seven.get_content()
    assert "Hei Anne Sju!" in body
    assert "om 5 dager" in body or "om 4 dager" in body or "om 6 dager" in body
    assert "Forarbeid på e-læring (3 timer)" in body and "Samling i fylket (22,5 timer)" in body
    assert "https://kompetanse.nav.example/min-laering" in body
    assert "https://kompetanse.nav.example/min-laering/varsler" in body
    assert due_a.isoformat() not in body  # dates as dd.mm.yyyy only
    assert seven["Auto-Submitted"] == "auto-generated" and seven["Message-ID"]
    (thirty,) = ny_i_nav(smtp, "b1@nav.example")
    assert "Påminnelse: frist" in str(thirty["Subject"])
    (late,) = ny_i_nav(smtp, "c1@nav.example")
    assert str(late["Subject"]) == "Fristen for Ny i NAV er passert"
    assert day(TODAY - timedelta(days=10)) in late.get_content() or "var " in late.get_content()
    assert ny_i_nav(smtp, "d1@nav.example") == []
    assert ny_i_nav(smtp, "e1@nav.example") == []  # passed long ago: the leader's digest says it
    assert len(smtp.to("leder@nav.example")) == 1 and len(smtp.to("fylke@nav.example")) == 1
    assert EMAILS_SENT._value.get() - sent_before == first.sent

    count = len(smtp.received)
    async with composed(settings) as (services, reminders):  # a restart
        again = await reminders.run_once()
        assert (again.sent, again.failed) == (0, 0)
        recorded = await reminders.outbox.listing(limit=1000)
    assert len(smtp.received) == count
    assert {doc["state"] for doc in recorded} == {"sent"}
    keys = {doc["_id"] for doc in recorded}
    assert any(k.startswith("before:A1:ny-i-nav:") and k.endswith(":7") for k in keys)
    assert any(k.startswith("before:B1:ny-i-nav:") and k.endswith(":30") for k in keys)
    assert f"leader:leder:{iso_week(TODAY)}" in keys


def _env(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point the CLI (which reads the environment) at the same store and SMTP server."""
    monkeypatch.setenv("KOMPETANSE_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("KOMPETANSE_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("KOMPETANSE_SMTP_PORT", str(settings.smtp_port))
    monkeypatch.setenv("KOMPETANSE_SMTP_STARTTLS", "false")
    monkeypatch.setenv("KOMPETANSE_REMINDER_DIGEST_WEEKDAY", "1")
    monkeypatch.delenv("KOMPETANSE_MONGODB_URI", raising=False)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """The test asking for `mongodb_uri` runs on every backend (tests/backends.py)."""
    return str(request.param)


async def test_once_and_retried_on_every_backend(
    smtp: Mailbox, tmp_path: Path, mongodb_uri: str | None, mongodb_database: str
) -> None:
    """The outbox's claim (a unique key), state changes and lease on the embedded engine,
    through PyMongo against the wire test server, and on MongoDB when one is given."""
    settings = settings_for(tmp_path / "data", smtp)
    settings.mongodb_uri = None if mongodb_uri is None else SecretStr(mongodb_uri)
    settings.mongodb_database = mongodb_database
    smtp.unknown = {"c1@nav.example"}
    async with composed(settings) as (services, reminders):
        await populate(services)
        first = await reminders.run_once()
        assert first.sent > 0 and first.failed > 0
    smtp.unknown = set()
    count = len(smtp.received)
    async with composed(settings) as (services, reminders):
        reminders.outbox.clock = lambda: time.time() + 3600
        again = await reminders.run_once()
        assert (again.retried, again.sent, again.failed) == (first.failed, first.failed, 0)
        assert await reminders.outbox.listing(state="failed") == []
    assert len(smtp.received) == count + first.failed
    assert len({m["Message-ID"] for m in smtp.received}) == len(smtp.received)


async def test_the_digests_name_who_is_overdue_and_due_soon_and_the_offices_behind(
    smtp: Mailbox, tmp_path: Path
) -> None:
    async with composed(settings_for(tmp_path / "data", smtp)) as (services, reminders):
        await populate(services)
        await reminders.run_once()
    (leader,) = smtp.to("leder@nav.example")
    assert str(leader["Subject"]).startswith("Ukeoversikt for NAV Testby:")
    body = leader.get_content()
    overdue_part, soon_part = body.split("Frist snart")
    assert "Forsinket (" in overdue_part and "Cecilie Sen – Ny i NAV – frist" in overdue_part
    assert "Anne Sju – Ny i NAV" in soon_part and "Bjørn Tjue – Ny i NAV" in soon_part
    assert "David Tidlig – Ny i NAV" not in body
    assert "https://kompetanse.nav.example/kontoret/nav-testby" in body
    (county,) = smtp.to("fylke@nav.example")
    assert str(county["Subject"]) == "Ukeoversikt for Testfylke: 1 kontorer med forsinkede"
    text = county.get_content()
    assert "NAV Testby: 7 forsinkede krav (5 ansatte)" in text
    assert "Ny i NAV – Samling i fylket: 0 har plass" in text and "rekker den ikke" in text
    assert "https://kompetanse.nav.example/fylket/testfylke" in text


async def test_a_person_who_turned_reminders_off_gets_none_until_turned_on(
    smtp: Mailbox, tmp_path: Path
) -> None:
    settings = settings_for(tmp_path / "data", smtp)
    async with composed(settings) as (services, reminders):
        await populate(services)
        learner = Viewer("anne", "learner", person="A1")
        leader = Viewer("leder", "leader", office="nav-testby")
        await reminders.outbox.choose(learner, on=False, language="nb")
        await reminders.outbox.choose(leader, on=False, language="nb")
        assert not await reminders.outbox.wants(learner)
        await reminders.run_once()
        assert smtp.to("a1@nav.example") == [] and smtp.to("leder@nav.example") == []
        assert ny_i_nav(smtp, "b1@nav.example")  # the others are reminded
        assert await reminders.outbox.listing(person="A1") == []  # nothing recorded for her
        await reminders.outbox.choose(learner, on=True, language="en")  # on again, in English
        await reminders.run_once()
    (message,) = [m for m in smtp.to("a1@nav.example") if "New in NAV" in str(m["Subject"])]
    assert str(message["Subject"]).startswith("Reminder: New in NAV is due ")
    body = message.get_content()
    assert "Hello Anne Sju," in body and "E-learning prework (3 hours)" in body
    assert message["Content-Language"] == "en"
    assert smtp.to("leder@nav.example") == []  # the leader left them off


async def test_an_smtp_failure_is_retried_later_and_not_lost(smtp: Mailbox, tmp_path: Path) -> None:
    """Retried after 60 s, then 120 s (doubling), across restarts; the outbox's clock is moved
    on instead of waiting."""
    settings = settings_for(tmp_path / "data", smtp, reminder_retry_seconds=60)
    failed_before = EMAILS_FAILED._value.get()
    smtp.refusing = True
    async with composed(settings) as (services, reminders):
        await populate(services)
        first = await reminders.run_once()
        assert first.sent == 0 and first.failed > 0
        assert EMAILS_FAILED._value.get() - failed_before == first.failed
        failed = await reminders.outbox.listing(state="failed", limit=1000)
        assert len(failed) == first.failed
        assert all("451" in doc["last_error"] and doc["attempts"] == 1 for doc in failed)
        assert (await reminders.run_once()).retried == 0  # not before its time
    smtp.refusing = False
    settings_down = settings_for(tmp_path / "data", smtp, reminder_retry_seconds=60)
    settings_down.smtp_port = free_port()  # nothing listens: connection refused
    async with composed(settings_down) as (services, reminders):
        reminders.outbox.clock = lambda: time.time() + 61
        down = await reminders.run_once()
        assert down.retried == first.failed and down.failed == first.failed
        again = await reminders.outbox.listing(state="failed", limit=1000)
        assert {doc["attempts"] for doc in again} == {2}
        assert all("ConnectionRefusedError" in doc["last_error"] for doc in again)
    async with composed(settings) as (services, reminders):  # after a restart, the server up
        reminders.outbox.clock = lambda: time.time() + 61 + 100
        soon = await reminders.run_once()
        assert soon.retried == 0  # the second retry waits 120 s
        reminders.outbox.clock = lambda: time.time() + 61 + 121
        later = await reminders.run_once()
        assert later.retried == first.failed and later.sent == first.failed
        assert await reminders.outbox.listing(state="failed") == []
        sent = await reminders.outbox.listing(limit=1000)
        assert {doc["attempts"] for doc in sent} == {3}
    assert len(smtp.received) == first.failed
    assert len({m["Message-ID"] for m in smtp.received}) == first.failed  # each once


async def test_an_address_the_server_refuses_fails_alone(smtp: Mailbox, tmp_path: Path) -> None:
    smtp.unknown = {"b1@nav.example"}
    async with composed(settings_for(tmp_path / "data", smtp)) as (services, reminders):
        await populate(services)
        done = await reminders.run_once()
        refused = await reminders.outbox.listing(state="failed", limit=1000)
    assert done.failed == len(refused) > 0 and done.sent > 0
    assert {doc["to"] for doc in refused} == {"b1@nav.example"}
    assert all("550" in doc["last_error"] for doc in refused)
    assert ny_i_nav(smtp, "a1@nav.example") and ny_i_nav(smtp, "c1@nav.example")


async def test_a_message_the_server_keeps_refusing_is_given_up_and_shown(
    smtp: Mailbox, tmp_path: Path
) -> None:
    settings = settings_for(tmp_path / "data", smtp, reminder_max_attempts=2)
    smtp.refusing = True
    async with composed(settings) as (services, reminders):
        await populate(services)
        first = await reminders.run_once()
        reminders.outbox.clock = lambda: time.time() + 10_000
        second = await reminders.run_once()
        assert second.retried == first.failed
        given_up = await reminders.outbox.listing(state="given_up", limit=1000)
        assert len(given_up) == first.failed
        assert (await reminders.run_once()).retried == 0  # never again


async def test_a_claim_left_by_a_stopped_sender_is_never_sent_again(
    smtp: Mailbox, tmp_path: Path
) -> None:
    settings = settings_for(tmp_path / "data", smtp)
    async with composed(settings) as (services, reminders):
        await populate(services)
        due = await reminders.outbox.unrecorded(await reminders.planner.due())
        interrupted = next(m for m in due if m.person == "A1")
        assert await reminders.outbox.claim(interrupted, hold=0.0)  # then the process stopped
        assert not await reminders.outbox.claim(interrupted, hold=60.0)  # recorded once only
        await asyncio.sleep(0.01)
        done = await reminders.run_once()
        assert done.unknown == 1
        (doc,) = await reminders.outbox.listing(person="A1", state="unknown")
        assert doc["_id"] == interrupted.key
    assert ny_i_nav(smtp, "a1@nav.example") == []


async def test_only_one_process_sends_at_a_time(smtp: Mailbox, tmp_path: Path) -> None:
    async with composed(settings_for(tmp_path / "data", smtp)) as (services, reminders):
        await populate(services)
        other = await sender(services)  # another process's sender on the same store
        assert await other.outbox.lease(60.0)
        busy = await reminders.run_once()
        assert not busy.leased and smtp.received == []
        await other.outbox.release()
        assert (await reminders.run_once()).sent > 0


@pytest.mark.parametrize(
    ("status", "left", "expected"),
    [
        pytest.param("not_started", 40, None, id="before-any-lead-time"),
        pytest.param("not_started", 30, "before:30", id="thirty-days"),
        pytest.param("in_progress", 7, "before:7", id="seven-days"),
        pytest.param("due_soon", 2, "before:7", id="nearest-lead-time-only"),
        pytest.param("overdue", -3, "overdue", id="passed"),
        pytest.param("overdue", -30, "overdue", id="passed-a-month-ago"),
        pytest.param("overdue", -31, None, id="passed-long-ago"),
        pytest.param("in_progress", -1, "overdue", id="passed-today-not-yet-rolled"),
        pytest.param("expired", -1, "overdue", id="expired"),
        pytest.param("completed", 3, None, id="completed"),
        pytest.param("waived", 3, None, id="waived"),
    ],
)
def test_which_reminder_a_status_calls_for(status: str, left: int, expected: str | None) -> None:
    found = PackageStatus(
        "ny-i-nav",
        "skal",
        status,  # type: ignore[arg-type]
        TODAY + timedelta(days=left),
        None,
        None,
        {},
        None,
    )
    assert learner_kind(found, TODAY, (30, 7)) == expected


def test_how_long_after_a_deadline_a_reminder_goes_is_a_setting() -> None:
    found = PackageStatus(
        "ny-i-nav", "skal", "overdue", TODAY - timedelta(days=90), None, None, {}, None
    )
    assert learner_kind(found, TODAY, (30, 7), overdue_within_days=90) == "overdue"
    assert learner_kind(found, TODAY, (30, 7), overdue_within_days=89) is None


def test_a_should_package_without_a_deadline_is_never_reminded() -> None:
    found = PackageStatus("x", "bør", "not_started", None, None, None, {}, None)
    assert learner_kind(found, TODAY, (30, 7)) is None


def test_the_cli_dry_run_lists_what_is_due_and_records_nothing_then_sends_once(
    smtp: Mailbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = settings_for(tmp_path / "data", smtp)

    async def prepare() -> None:
        async with composed(settings) as (services, _):
            await populate(services)

    asyncio.run(prepare())
    _env(settings, monkeypatch)
    monkeypatch.setattr("sys.stdin", io.StringIO("passord-for-fylke-to\n"))
    added = ["users", "add", "fylke2", "--role", "coordinator", "--region", "testfylke"]
    with redirect_stdout(io.StringIO()):
        assert main([*added, "--email", "fylke2@nav.example", "--password-stdin"]) == 0
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["reminders", "send", "--dry-run"]) == 0
    printed = out.getvalue()
    assert "before\ta1@nav.example\tPåminnelse: frist" in printed
    assert "leader\tleder@nav.example\tUkeoversikt" in printed
    assert "coordinator\tfylke2@nav.example\tUkeoversikt for Testfylke" in printed
    assert "(dry run: nothing recorded or sent)" in printed
    assert smtp.received == []
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["reminders", "send"]) == 0
    assert "0 failed" in out.getvalue() and len(smtp.received) > 0
    count = len(smtp.received)
    with redirect_stdout(io.StringIO()):
        assert main(["reminders", "send"]) == 0  # a second run
    assert len(smtp.received) == count


def test_the_cli_says_what_is_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KOMPETANSE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("KOMPETANSE_SMTP_HOST", raising=False)
    err = io.StringIO()
    with redirect_stderr(err):
        assert main(["reminders", "send"]) == 2
    assert "KOMPETANSE_SMTP_HOST" in err.getvalue()
    with redirect_stderr(err):
        code = main(["users", "add", "x", "--role", "admin", "--email", "nope"])
    assert code == 2 and "--email: 'nope' is not an e-mail address" in err.getvalue()


def test_settings_read_the_lead_times_and_refuse_half_a_login(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KOMPETANSE_REMINDER_LEAD_DAYS", "7, 30,14")
    assert Settings().reminder_lead_days == [30, 14, 7]
    monkeypatch.setenv("KOMPETANSE_SMTP_USER", "kompetanse")
    with pytest.raises(ValueError, match="KOMPETANSE_SMTP_PASSWORD"):
        Settings()
