"""The county coordinator acts on Fylket, over HTTP on the demo data: the pipeline with office,
links and a "place in session" form per row; scheduling, changing (seats added go to the first
waiting) and cancelling a session (its people released and shown again as needing a seat);
moving a person; the downloads with the filter applied; and the denials (another county's
coordinator, a leader, a learner; a form without its CSRF token)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import AsyncIterator
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from openpyxl import load_workbook

from catalog import Viewer
from tests.pages.site import PASSWORD, USERS, demo_app
from tests.pages.test_pages_http import csrf, main_text, signed_in

pytestmark = pytest.mark.anyio
ADMIN = Viewer("admin", "admin")
SOON = date.today() + timedelta(days=20)


@pytest.fixture
async def site(demo_dir: Path, tmp_path: Path) -> AsyncIterator[FastAPI]:
    async with demo_app(demo_dir, tmp_path) as application:
        await application.state.catalog.catch_up()
        await application.state.accounts.add_user(
            "vera", PASSWORD, "coordinator", region="vestland"
        )
        yield application


def day(value: date) -> str:
    return value.strftime("%d.%m.%Y")


async def pipeline_people(site: FastAPI, count: int) -> list[str]:
    """`count` people of the Oslo pipeline for Ny i NAV's gathering (none booked yet)."""
    reports = site.state.reports
    found = await reports.pipeline(Viewer("k", "coordinator", region="oslo"), "oslo")
    [module] = [m for m in found["modules"] if m["package"] == "ny-i-nav"]
    people = [p["person"] for p in [*module["at_risk"], *module["placed"]] if not p["booked"]]
    assert len(people) >= count
    return people[:count]


async def a_session(site: FastAPI, seats: int, starts: date = SOON) -> str:
    session = await site.state.commands.add_session(
        ADMIN, "oslo", "ny-i-nav", "samling", starts, seats, place="Fylkeshuset"
    )
    return str(session.id)


async def test_the_pipeline_names_office_links_package_and_offers_sessions(site: FastAPI) -> None:
    async with signed_in(site, USERS["coordinator"]) as http:
        page = await http.get("/fylket/oslo")
        pipeline = (await http.get("/api/regions/oslo/pipeline")).json()
    assert page.status_code == 200
    text = main_text(page.text)
    [module] = [m for m in pipeline["modules"] if m["package"] == "ny-i-nav"]
    first = module["at_risk"][0]
    office_name = first["office_name"]
    link = f'href="/kontoret/{first["office"]}/personer/{first["person"]}"'
    assert link in page.text and office_name in text
    assert "Ny i NAV: Samling i fylket" in text
    assert page.text.count('action="/fylket/oslo/plassering"') == len(module["at_risk"]) + len(
        module["placed"]
    )
    assert re.search(
        r"\d{2}\.\d{2}\.\d{4}, .*– (rekker|etter) fristen \d{2}\.\d{2}\.\d{4}", text
    ) or (
        re.search(
            r"\d{2}\.\d{2}\.\d{4} – (rekker|etter) fristen \d{2}\.\d{2}\.\d{4} – 25 ledige plasser",
            text,
        )
    )
    # a column per package in the offices table, Ny i NAV first
    header = page.text[page.text.index('class="region-offices"') :]
    header = header[: header.index("</thead>")]
    assert re.findall(r'<th scope="col" class="num">([^<]+)</th>', header)[4] == "Ny i NAV"
    assert "forfalte" in text or "1 forfalt" in text


async def test_the_coordinator_places_a_person_from_the_pipeline(site: FastAPI) -> None:
    session = await a_session(site, seats=1)
    first, second = await pipeline_people(site, 2)
    async with signed_in(site, USERS["coordinator"]) as http:
        token = csrf((await http.get("/fylket/oslo")).text)
        placed = await http.post(
            "/fylket/oslo/plassering",
            data={"csrf": token, "person": first, "session": session, "tilbake": "/fylket/oslo"},
        )
        waiting = await http.post(
            "/fylket/oslo/plassering", data={"csrf": token, "person": second, "session": session}
        )
        after = await http.get(placed.headers["location"])
    assert placed.status_code == 303 and waiting.status_code == 303
    assert "melding=plassert" in placed.headers["location"]
    assert "melding=venteliste" in waiting.headers["location"]
    assert f"Plassert på samlingen {day(SOON)}." in main_text(after.text)
    stored = await site.state.commands.classroom.get(session)
    assert stored.enrolled == (first,) and stored.waitlist == (second,)
    assert re.search(rf"Påmeldt {day(SOON)}", main_text(after.text))
    entries = await site.state.catalog.accounts.audit.entries(action="enrolment")
    assert {(e["target"], e["detail"]["change"]) for e in entries} >= {
        (first, "enrolled"),
        (second, "waitlisted"),
    }


async def test_the_coordinator_schedules_a_session_and_bad_input_is_shown_per_field(
    site: FastAPI,
) -> None:
    async with signed_in(site, USERS["coordinator"]) as http:
        form = await http.get("/fylket/oslo/samlinger/ny")
        token = csrf(form.text)
        bad = await http.post(
            "/fylket/oslo/samlinger",
            data={
                "csrf": token,
                "module": "ny-i-nav/samling",
                "starts": "31.02.2027",
                "seats": "mange",
            },
        )
        wrong = await http.post(
            "/fylket/oslo/samlinger",
            data={
                "csrf": token,
                "module": "ny-i-nav/e-laering",
                "starts": day(SOON + timedelta(days=3)),
                "ends": day(SOON),
                "instructors": "X999999",
                "seats": "0",
            },
        )
        outside = await http.post(
            "/fylket/oslo/samlinger",
            data={
                "csrf": token,
                "module": "ny-i-nav/samling",
                "starts": day(date.today() - timedelta(days=1)),
                "days": day(SOON + timedelta(days=60)),
                "seats": "20",
            },
        )
        created = await http.post(
            "/fylket/oslo/samlinger",
            data={
                "csrf": token,
                "module": "ny-i-nav/samling",
                "starts": day(SOON),
                "ends": day(SOON + timedelta(days=2)),
                "days": f"{day(SOON)}, {day(SOON + timedelta(days=2))}",
                "place": "NAV Oslo, Økernveien 94",
                "instructors": "D000000",
                "seats": "20",
            },
        )
        shown = await http.get(created.headers["location"])
    assert form.status_code == 200 and 'name="starts"' in form.text
    assert bad.status_code == 400
    assert "Første dag: Skriv datoen som dd.mm.åååå." in main_text(bad.text)
    assert "Plasser: Skriv et helt tall" in main_text(bad.text)
    assert bad.text.count('aria-invalid="true"') == 2 and 'role="alert"' in bad.text
    assert 'value="31.02.2027"' in bad.text  # what was written stays in the form
    assert wrong.status_code == 400
    for message in (
        "Modul: Velg en samlingsmodul fra katalogen.",
        "Siste dag (valgfritt): Siste dag er før første dag.",
        "Instruktører (valgfritt): Oppgi ansattnumre for personer i fylket.",
        "Plasser: Minst 1 plass.",
    ):
        assert message in main_text(wrong.text)
    assert outside.status_code == 400
    assert "Første dag er passert." in outside.text
    assert "Alle dagene må være mellom første og siste dag." in outside.text
    assert created.status_code == 303, created.text
    text = main_text(shown.text)
    assert f"Samlingen {day(SOON)} er planlagt." in text
    assert "NAV Oslo, Økernveien 94" in text and "(D000000)" in text
    assert f"{day(SOON)}, {day(SOON + timedelta(days=2))}" in text
    [session] = [
        s
        for s in await site.state.commands.classroom.in_region("oslo")
        if s.place.startswith("NAV")
    ]
    assert (session.seats, session.last_day, session.instructors) == (
        20,
        SOON + timedelta(days=2),
        ("D000000",),
    )
    [entry] = await site.state.catalog.accounts.audit.entries(action="classroom-session")
    assert entry["detail"]["change"] == "scheduled" and entry["target"] == session.id


async def test_raising_the_seats_gives_them_to_the_first_waiting(site: FastAPI) -> None:
    session = await a_session(site, seats=1)
    people = await pipeline_people(site, 3)
    for person in people:
        await site.state.commands.enrol(ADMIN, session, person)
    url = f"/fylket/oslo/samlinger/{session}"
    async with signed_in(site, USERS["coordinator"]) as http:
        page = await http.get(url)
        token = csrf(page.text)
        fields = {
            "csrf": token,
            "module": "ny-i-nav/samling",
            "starts": day(SOON),
            "ends": "",
            "days": "",
            "place": "Fylkeshuset, sal 2",
            "instructors": "",
        }
        fewer = await http.post(f"{url}/endre", data={**fields, "seats": "0"})
        raised = await http.post(f"{url}/endre", data={**fields, "seats": "2"})
        after = await http.get(raised.headers["location"])
    assert page.status_code == 200 and "1 av 1 plasser tatt, 2 på venteliste." in main_text(
        page.text
    )
    assert fewer.status_code == 400 and "Minst 1 plass." in fewer.text
    assert raised.status_code == 303
    text = main_text(after.text)
    assert f"Samlingen {day(SOON)} er endret. 1 fra ventelisten fikk plass." in text
    assert "Fylkeshuset, sal 2" in text
    stored = await site.state.commands.classroom.get(session)
    assert stored.enrolled == tuple(people[:2]) and stored.waitlist == (people[2],)
    entries = await site.state.catalog.accounts.audit.entries(action="enrolment")
    assert (people[1], "promoted") in {(e["target"], e["detail"]["change"]) for e in entries}
    # fewer seats than enrolled is refused with the count
    async with signed_in(site, USERS["coordinator"]) as http:
        token = csrf((await http.get(url)).text)
        below = await http.post(f"{url}/endre", data={**fields, "csrf": token, "seats": "1"})
    assert below.status_code == 400
    assert "Færre plasser enn påmeldte (2)." in main_text(below.text)


async def test_moving_a_person_frees_the_old_seat_for_the_first_waiting(site: FastAPI) -> None:
    old, new = await a_session(site, seats=1), await a_session(site, 5, SOON + timedelta(days=7))
    first, second = await pipeline_people(site, 2)
    await site.state.commands.enrol(ADMIN, old, first)
    await site.state.commands.enrol(ADMIN, old, second)  # waiting
    async with signed_in(site, USERS["coordinator"]) as http:
        page = await http.get(f"/fylket/oslo/samlinger/{old}")
        moved = await http.post(
            f"/fylket/oslo/samlinger/{old}/flytt",
            data={"csrf": csrf(page.text), "person": first, "to": new},
        )
        after = await http.get(moved.headers["location"])
    assert f'action="/fylket/oslo/samlinger/{old}/flytt"' in page.text
    assert moved.status_code == 303
    text = main_text(after.text)
    assert f"Flyttet til samlingen {day(SOON + timedelta(days=7))}." in text
    assert "Plassen som ble ledig gikk til den første på ventelisten." in text
    assert (await site.state.commands.classroom.get(old)).enrolled == (second,)
    assert (await site.state.commands.classroom.get(new)).enrolled == (first,)


async def test_cancelling_a_session_releases_its_people_into_the_pipeline(site: FastAPI) -> None:
    session = await a_session(site, seats=1)
    first, second = await pipeline_people(site, 2)
    await site.state.commands.enrol(ADMIN, session, first)
    await site.state.commands.enrol(ADMIN, session, second)
    url = f"/fylket/oslo/samlinger/{session}"
    async with signed_in(site, USERS["coordinator"]) as http:
        page = await http.get(url)
        unconfirmed = await http.post(f"{url}/avlys", data={"csrf": csrf(page.text)})
        cancelled = await http.post(f"{url}/avlys", data={"csrf": csrf(page.text), "bekreft": "ja"})
        county = await http.get(cancelled.headers["location"])
        gone = await http.get(url)
    assert "1 person med plass og 1 person på ventelisten mister plassen" in main_text(page.text)
    assert unconfirmed.status_code == 400
    assert "Kryss av for at du vil avlyse samlingen." in main_text(unconfirmed.text)
    assert 'aria-invalid="true"' in unconfirmed.text
    assert cancelled.status_code == 303 and cancelled.headers["location"].endswith("#avlyste")
    text = main_text(county.text)
    assert f"Samlingen {day(SOON)} er avlyst. 2 personer er frigitt og trenger ny plass" in text
    assert text.count(f"Samlingen {day(SOON)} ble avlyst: trenger ny plass") == 2
    assert "Avlyste samlinger" in text
    assert "Samlingen er avlyst." in main_text(gone.text) and "/endre" not in gone.text
    stored = await site.state.commands.classroom.get(session)
    assert stored.cancelled and stored.released == (first, second) and not stored.enrolled
    changes = {
        (e["target"], e["detail"]["change"])
        for e in await site.state.catalog.accounts.audit.entries(action="enrolment")
    }
    assert {(first, "released"), (second, "released")} <= changes


async def test_everyone_without_a_seat_gets_one_at_once(site: FastAPI) -> None:
    extra = await a_session(site, seats=3)
    async with signed_in(site, USERS["coordinator"]) as http:
        page = await http.get("/fylket/oslo?kontor=nav-sagene")
        action = "/fylket/oslo/plassering/alle?kontor=nav-sagene"
        assert f'action="{action}"' in page.text
        fields = {"csrf": csrf(page.text), "package": "ny-i-nav", "module": "samling"}
        done = await http.post(action, data=fields)
        after = await http.get(done.headers["location"])
        unknown = await http.post(action, data={**fields, "module": "e-laering"})
    assert done.status_code == 303 and "kontor=nav-sagene" in done.headers["location"]
    placed = int(re.search(r"(\d+) personer har fått plass\.", main_text(after.text))[1])
    pipeline = await site.state.reports.pipeline(ADMIN, "oslo")
    [module] = [m for m in pipeline["modules"] if m["package"] == "ny-i-nav"]
    rows = [r for r in (*module["at_risk"], *module["placed"]) if r["office"] == "nav-sagene"]
    assert placed == len(rows) and all(r["booked"] for r in rows)
    assert all(not r["waitlisted"] for r in rows)
    assert (
        "Gi plass til alle uten plass"
        not in after.text.split('id="loypa"')[1].split("</section>")[0]
    )
    assert (await site.state.commands.classroom.get(extra)).enrolled  # the soonest, first
    assert unknown.status_code == 404


def rows_of(response: httpx.Response) -> list[list[str]]:
    assert response.content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


async def test_the_downloads_have_norwegian_headers_words_dates_sheets_and_the_filter(
    site: FastAPI,
) -> None:
    session = await a_session(site, seats=5)
    [person] = await pipeline_people(site, 1)
    await site.state.commands.enrol(ADMIN, session, person)
    async with signed_in(site, USERS["coordinator"]) as http:
        offices = await http.get("/fylket/oslo/eksport/kontorer.csv")
        one = await http.get("/fylket/oslo/eksport/kontorer.csv?kontor=nav-sagene&pakke=ny-i-nav")
        pipeline = await http.get("/fylket/oslo/eksport/loypa.csv?bare=risiko")
        everyone = await http.get("/fylket/oslo/eksport/loypa.csv")
        sessions = await http.get("/fylket/oslo/eksport/samlinger.xlsx?pakke=ny-i-nav")
        filtered = await http.get("/fylket/oslo?kontor=nav-sagene")
        missing = await http.get("/fylket/oslo/eksport/alt.csv")
        await http.get("/sprak?lang=en")
        english = await http.get("/fylket/oslo/eksport/loypa.csv")
    header, *rest = rows_of(offices)
    assert header[:6] == ["Kontor-id", "Kontor", "Personer", "Fullført", "Forfalte", "Frist snart"]
    assert "Ny i NAV – fullført" in header and len(rest) > 1
    header, *rest = rows_of(one)
    assert header[6:] == ["Ny i NAV – fullført", "Ny i NAV – forfalte"]
    assert [r[0] for r in rest] == ["nav-sagene"]
    header, *risk = rows_of(pipeline)
    assert header == [
        "Ansattnummer",
        "Navn",
        "Kontor",
        "Pakke",
        "Modul",
        "Frist",
        "Situasjon",
        "Samling",
    ]
    assert risk and {r[6] for r in risk} <= {
        "Rekker ikke fristen",
        "Påmeldt – rekker fristen",
        "Påmeldt – etter fristen",
    }
    assert all(re.fullmatch(r"\d{2}\.\d{2}\.\d{4}", r[5]) for r in risk)
    _, *all_rows = rows_of(everyone)
    assert len(all_rows) >= len(risk)
    booked = next(r for r in all_rows if r[0] == person)
    assert booked[6].startswith("Påmeldt") and booked[7] == day(SOON)
    workbook = load_workbook(io.BytesIO(sessions.content))
    assert workbook.sheetnames == ["Samlinger", "Deltakere", "Utvalg"]
    listed = [[c.value for c in row] for row in workbook["Deltakere"].iter_rows()]
    assert listed[0][:6] == ["Dato", "Pakke", "Modul", "Sted", "Ansattnummer", "Navn"]
    assert any(row[4] == person and row[7] == "Plass" for row in listed[1:])
    chosen = {row[0].value: row[1].value for row in workbook["Utvalg"].iter_rows(min_row=2)}
    assert chosen["Pakke"] == "Ny i NAV" and chosen["Kontor"] == "Alle"
    assert "/fylket/oslo/eksport/loypa.csv?kontor=nav-sagene" in filtered.text
    assert missing.status_code == 404
    assert rows_of(english)[0][:3] == ["Employee id", "Name", "Office"]


async def test_another_county_a_leader_and_a_learner_are_refused(site: FastAPI) -> None:
    session = await a_session(site, seats=5)
    other = await a_session(site, seats=5, starts=SOON + timedelta(days=3))
    [person] = await pipeline_people(site, 1)
    await site.state.commands.enrol(ADMIN, session, person)
    elsewhere = await site.state.commands.add_session(
        ADMIN, "vestland", "ny-i-nav", "samling", SOON, 5
    )
    base = f"/fylket/oslo/samlinger/{session}"
    form = {"module": "ny-i-nav/samling", "starts": day(SOON), "seats": "30"}
    for username in ("vera", USERS["leader"], USERS["learner"]):
        async with signed_in(site, username) as http:
            token = csrf((await http.get("/katalog")).text)
            answers = [
                await http.get("/fylket/oslo"),
                await http.get("/fylket/oslo/samlinger/ny"),
                await http.get(base),
                await http.get("/fylket/oslo/eksport/loypa.csv"),
                await http.post("/fylket/oslo/samlinger", data={"csrf": token, **form}),
                await http.post(f"{base}/endre", data={"csrf": token, **form}),
                await http.post(f"{base}/avlys", data={"csrf": token, "bekreft": "ja"}),
                await http.post(
                    f"{base}/flytt", data={"csrf": token, "person": person, "to": other}
                ),
                await http.post(
                    "/fylket/oslo/plassering",
                    data={"csrf": token, "person": person, "session": other},
                ),
                await http.post(
                    "/fylket/oslo/plassering/alle",
                    data={"csrf": token, "package": "ny-i-nav", "module": "samling"},
                ),
                await http.patch(f"/api/sessions/{session}", json={"seats": 30}),
                await http.delete(f"/api/sessions/{session}"),
                await http.post(
                    f"/api/sessions/{session}/enrolments/{person}/move", json={"to": other}
                ),
            ]
        assert [a.status_code for a in answers] == [403] * len(answers), username
        assert "Du har ikke tilgang" in answers[4].text
    stored = await site.state.commands.classroom.get(session)
    assert (stored.seats, stored.enrolled, stored.cancelled) == (5, (person,), False)
    async with signed_in(site, USERS["coordinator"]) as http:
        token = csrf((await http.get("/fylket/oslo")).text)
        forged = await http.post(f"{base}/avlys", data={"csrf": "0" * 64, "bekreft": "ja"})
        not_here = await http.get(f"/fylket/oslo/samlinger/{elsewhere.id}")
        not_mine = await http.post(
            f"/fylket/vestland/samlinger/{elsewhere.id}/avlys",
            data={"csrf": token, "bekreft": "ja"},
        )
        api = await http.delete(f"/api/sessions/{elsewhere.id}")
    assert forged.status_code == 400 and "Skjemaet var utløpt" in forged.text
    assert not_here.status_code == 404
    assert not_mine.status_code == 403 and api.status_code == 403
    assert not (await site.state.commands.classroom.get(elsewhere.id)).cancelled


async def test_the_session_pages_in_english(site: FastAPI) -> None:
    session = await a_session(site, seats=1)
    [person] = await pipeline_people(site, 1)
    await site.state.commands.enrol(ADMIN, session, person)
    async with signed_in(site, USERS["coordinator"]) as http:
        await http.get("/sprak?lang=en")
        county = await http.get("/fylket/oslo")
        new = await http.get("/fylket/oslo/samlinger/ny")
        page = await http.get(f"/fylket/oslo/samlinger/{session}")
        bad = await http.post(
            f"/fylket/oslo/samlinger/{session}/endre",
            data={"csrf": csrf(page.text), "module": "ny-i-nav/samling", "starts": "x"},
        )
        unticked = await http.post(
            f"/fylket/oslo/samlinger/{session}/avlys", data={"csrf": csrf(page.text)}
        )
    assert '<html lang="en">' in county.text and "Place in a session" in county.text
    assert "Give a seat to everyone without one" in county.text
    assert "Schedule the session" in new.text and "First day" in new.text
    text = main_text(page.text)
    assert "1 of 1 seats taken, 0 waitlisted." in text and "Cancel the session on" in text
    assert "1 person with a seat and 0 people on the waitlist lose their place" in text
    assert bad.status_code == 400
    assert "First day: Write the date as dd.mm.yyyy." in main_text(bad.text)
    assert "Seats: Write a whole number" in main_text(bad.text)
    assert unticked.status_code == 400 and "Tick the box" in unticked.text
