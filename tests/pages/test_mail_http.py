"""The reminders' pages over HTTP on the demo data: a signed-in person turns reminders off and
on at /min-laering/varsler (CSRF-checked, a missing choice re-rendered with its message, the
choice kept in the language of the page), which the next round respects; administrators see
what was sent to whom at /admin/utsendinger with filters (a bad date re-rendered with its
message), and every other role gets a 403 page."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI

from catalog import Viewer
from kompetanse.reminders import Mailer, Sender
from kompetanse.settings import Settings
from tests.pages.site import demo_app
from tests.pages.test_pages_http import browser, csrf, main_text, signed_in
from tests.smtp_server import Mailbox, smtp_server

pytestmark = pytest.mark.anyio
LEARNER = "D000001"  # demo-ansatt's person
EVERY_DEADLINE = {"reminder_overdue_within_days": 3650}  # the demo's deadlines passed long ago


@pytest.fixture
def smtp() -> Iterator[Mailbox]:
    with smtp_server() as mailbox:
        yield mailbox


@pytest.fixture
async def site(demo_dir: Path, tmp_path: Path) -> AsyncIterator[FastAPI]:
    async with demo_app(
        demo_dir, tmp_path, reminder_digest_weekday=1, **EVERY_DEADLINE
    ) as application:
        await application.state.catalog.catch_up()
        await settled(application)
        yield application


async def settled(site: FastAPI) -> None:
    """The consumer's start recomputes every status (the demo's loader left without its
    goodbye); a round of reminders waits for that, so the tests do too."""
    for _ in range(600):
        if not (await site.state.catalog.lag()).rebuilding:
            return
        await asyncio.sleep(0.1)
    raise AssertionError("the projection kept rebuilding")


@pytest.fixture(scope="module")
async def shared(
    demo_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[FastAPI]:
    """One copy of the demo data for the tests that change nothing."""
    async with demo_app(
        demo_dir, tmp_path_factory.mktemp("mail-pages"), **EVERY_DEADLINE
    ) as application:
        yield application


def sending(site: FastAPI, mailbox: Mailbox) -> Sender:
    """A sender on the site's store delivering to `mailbox`."""
    services = site.state.services
    smtp = Settings(
        smtp_host="127.0.0.1", smtp_port=mailbox.port, smtp_starttls=False, mongodb_uri=None
    )
    return Sender(services, site.state.reminders, Mailer(smtp))


async def learner_email(site: FastAPI) -> str:
    found = await site.state.catalog.store.people.find_one({"_id": LEARNER})
    return str(found["email"])


async def test_the_learner_turns_reminders_off_and_the_next_round_respects_it(
    site: FastAPI, smtp: Mailbox
) -> None:
    async with signed_in(site, "learner") as http:
        mine = await http.get("/min-laering")
        assert '<a href="/min-laering/varsler">Påminnelser på e-post</a>' in mine.text
        page = await http.get("/min-laering/varsler")
        assert page.status_code == 200
        assert 'value="on" checked' in page.text and 'value="off" checked' not in page.text
        off = await http.post(
            "/min-laering/varsler", data={"csrf": csrf(page.text), "reminders": "off"}
        )
        assert off.status_code == 303
        assert off.headers["location"] == "/min-laering/varsler?lagret=av"
        shown = await http.get(off.headers["location"])
        assert "Påminnelsene er slått av." in main_text(shown.text)
        assert 'value="off" checked' in shown.text
    assert not await site.state.reminders.wants(Viewer("demo-ansatt", "learner", person=LEARNER))
    await sending(site, smtp).run_once()
    address = await learner_email(site)
    assert smtp.to(address) == []
    assert smtp.received  # the others got theirs
    assert await site.state.reminders.listing(person=LEARNER) == []


async def test_turning_them_on_again_in_english_sends_english(site: FastAPI, smtp: Mailbox) -> None:
    outbox = site.state.reminders
    await outbox.choose(Viewer("demo-ansatt", "learner", person=LEARNER), on=False, language="nb")
    async with signed_in(site, "learner") as http:
        http.cookies.set("kompetanse_lang", "en")
        page = await http.get("/min-laering/varsler")
        assert "Do you want reminders by e-mail?" in page.text
        on = await http.post(
            "/min-laering/varsler", data={"csrf": csrf(page.text), "reminders": "on"}
        )
        assert on.status_code == 303
        shown = await http.get(on.headers["location"])
        assert "Reminders are on." in main_text(shown.text)
    await sending(site, smtp).run_once()
    messages = smtp.to(await learner_email(site))
    assert messages and all(m["Content-Language"] == "en" for m in messages)
    assert any(str(m["Subject"]).startswith(("Reminder:", "The deadline")) for m in messages)


async def test_the_choice_is_checked_and_required(site: FastAPI) -> None:
    async with signed_in(site, "learner") as http:
        page = await http.get("/min-laering/varsler")
        forged = await http.post(
            "/min-laering/varsler", data={"csrf": "0" * 64, "reminders": "off"}
        )
        assert forged.status_code == 400
        none = await http.post("/min-laering/varsler", data={"csrf": csrf(page.text)})
        assert none.status_code == 400
        assert "Velg ja eller nei." in main_text(none.text)
        assert 'aria-describedby="reminders-error"' in none.text
        odd = await http.post(
            "/min-laering/varsler", data={"csrf": csrf(page.text), "reminders": "kanskje"}
        )
        assert odd.status_code == 400
    assert await site.state.reminders.wants(Viewer("demo-ansatt", "learner", person=LEARNER))


async def test_a_leader_is_told_of_the_weekly_overview_and_may_turn_it_off(site: FastAPI) -> None:
    async with signed_in(site, "leader") as http:
        page = await http.get("/min-laering/varsler")
        assert "ukentlig oversikt" in main_text(page.text)
        off = await http.post(
            "/min-laering/varsler", data={"csrf": csrf(page.text), "reminders": "off"}
        )
        assert off.status_code == 303
    leader = Viewer("demo-leder", "leader", person="D000000", office="nav-sagene")
    assert not await site.state.reminders.wants(leader)


async def test_without_a_session_both_pages_send_to_sign_in(shared: FastAPI) -> None:
    async with browser(shared) as http:
        for path in ("/min-laering/varsler", "/admin/utsendinger"):
            response = await http.get(path)
            assert response.status_code == 303
            assert response.headers["location"].startswith("/logg-inn?neste=")


async def test_administrators_see_what_was_sent_to_whom_with_filters(
    site: FastAPI, smtp: Mailbox
) -> None:
    done = await sending(site, smtp).run_once()
    assert done.sent == len(smtp.received) > 0, done
    address = await learner_email(site)
    today = date.today().strftime("%d.%m.%Y")
    async with signed_in(site, "admin") as http:
        overview = await http.get("/admin")
        assert 'href="/admin/utsendinger">Utsendte påminnelser</a>' in overview.text
        everything = await http.get("/admin/utsendinger")
        assert everything.status_code == 200
        words = main_text(everything.text)
        assert "Utsendte påminnelser" in words and "Sendt" in words
        assert "@demo.nav.example" in words and "Ukeoversikt, leder" in words
        assert today in words  # when, as dd.mm.yyyy
        theirs = await http.get("/admin/utsendinger", params={"person": LEARNER})
        rows = main_text(theirs.text)
        assert address in rows and "Ukeoversikt" not in rows.split("Forsøk")[1]
        digests = await http.get("/admin/utsendinger", params={"kind": "leader"})
        assert "Ukeoversikt for" in main_text(digests.text)
        assert "Påminnelse: frist" not in main_text(digests.text)
        dated = await http.get(
            "/admin/utsendinger", params={"person": LEARNER, "since": today, "until": today}
        )
        assert address in main_text(dated.text)
        tomorrow = (date.today() + timedelta(days=1)).strftime("%d.%m.%Y")
        later = await http.get("/admin/utsendinger", params={"since": tomorrow})
        assert "Ingen påminnelser passer filtrene." in main_text(later.text)
        failed = await http.get("/admin/utsendinger", params={"state": "failed"})
        assert "Ingen påminnelser passer filtrene." in main_text(failed.text)
        bad = await http.get("/admin/utsendinger", params={"since": "31.02.2026"})
        assert bad.status_code == 400
        assert "Skriv en dato som dd.mm.åååå" in main_text(bad.text)
        assert 'aria-invalid="true"' in bad.text
        http.cookies.set("kompetanse_lang", "en")
        english = await http.get("/admin/utsendinger")
        assert "Reminders sent" in english.text and "Weekly overview, leader" in english.text


@pytest.mark.parametrize("role", ["learner", "leader", "coordinator", "directorate"])
async def test_only_administrators_see_what_was_sent(shared: FastAPI, role: str) -> None:
    async with signed_in(shared, role) as http:
        response = await http.get("/admin/utsendinger", params={"person": LEARNER})
    assert response.status_code == 403
    assert "Du har ikke tilgang" in response.text


async def test_what_was_sent_to_and_about_a_person_goes_with_their_erasure(
    site: FastAPI, smtp: Mailbox
) -> None:
    await sending(site, smtp).run_once()
    outbox = site.state.reminders
    (digest,) = await outbox.listing(person="demo-leder")
    named = ""
    for someone in digest["about"]:  # someone the digest names, reminded themselves too
        if await outbox.listing(person=someone, kind="overdue"):
            named = someone
            break
    await outbox.choose(Viewer("x", "learner", person=named), on=False, language="nb")
    privacy = site.state.catalog.privacy
    export = await privacy.export(named, by="test")
    assert export["reminders"] and export["reminder_preferences"]
    await privacy.erase(named, "the person asked", by="test")
    assert await outbox.listing(person=named) == []  # theirs, and the digest naming them
    assert await outbox.preferences.find_one({"person": named}) is None
    assert await outbox.listing(person="D000001")  # others' stay
