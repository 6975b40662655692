"""The learner acts on Min læring, over HTTP on the demo data: progress per module with the
link to start, signing up for and cancelling a classroom session (and the denials), and
registering learning at work through a form per training method (bad input re-rendered with a
message per field; a form sent twice stores nothing twice)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from adapters.vocabulary import BASE_IRI, BOOKKEEPING
from adapters.vocabulary import CONFIRMED as CONFIRM
from adapters.vocabulary import REQUESTED as REQUEST
from catalog import Viewer
from kompetanse.pages._work import CONFIRMED_BY, credential
from lrs.store import StatementQuery
from tests.pages.site import PASSWORD, USERS, demo_app
from tests.pages.test_pages_http import browser, csrf, main_text, signed_in

pytestmark = pytest.mark.anyio
DAY = re.compile(r"\d{2}\.\d{2}\.\d{4}")


@pytest.fixture
async def site(demo_dir: Path, tmp_path: Path) -> AsyncIterator[FastAPI]:
    async with demo_app(demo_dir, tmp_path) as application:
        await application.state.catalog.catch_up()  # the demo's statements all credited
        yield application


def ny_i_nav(page: str) -> str:
    """The words of Ny i NAV's part of the progress section."""
    text = main_text(page)
    start = text.index("Moduler: gjort og gjenstår")
    part = text[start:]
    return part[part.index("Ny i NAV") :][:1500]


NEW_HIRE = {
    "employee_id": "N000001",
    "name": "Nora Nyansatt",
    "email": "nora.nyansatt@demo.nav.example",
    "office": "nav-sagene",
    "region": "oslo",
    "roles": [],
    "employer": "state",
    "start_date": (date.today() - timedelta(days=10)).isoformat(),
}


async def test_progress_per_module_with_dates_and_the_link_to_start(site: FastAPI) -> None:
    async with browser(site) as admin:
        signed = await admin.post(
            "/api/session", json={"username": USERS["admin"], "password": PASSWORD}
        )
        assert signed.status_code == 204
        assert (await admin.post("/api/people", json=[NEW_HIRE])).status_code == 200
    await site.state.accounts.add_user("nora", PASSWORD, "learner", person="N000001")
    async with signed_in(site, "nora") as http:
        page = (await http.get("/min-laering")).text
        before = ny_i_nav(page)
        completed = {
            "actor": {"account": {"homePage": "https://ident.nav.no", "name": "N000001"}},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
            "object": {"id": "https://kompetanse.nav.no/xapi/activities/ny-i-nav/e-laering"},
            "timestamp": "2026-10-15T10:00:00Z",
        }
        await site.state.statements.save(
            [completed], version="1.0.3", credential=credential(BASE_IRI)
        )
        after = ny_i_nav((await http.get("/min-laering")).text)
    assert "0 av 2 moduler fullført" in before
    assert 'href="https://kompetanse.nav.no/e-laering/ny-i-nav/forarbeid"' in page
    assert "Forarbeid på e-læring Gjenstår (3 timer) Start Forarbeid på e-læring" in before
    assert re.search(
        r"Samling i fylket Gjenstår \(22,5 timer\) \d{2}\.\d{2}\.\d{4}: rekker fristen", before
    )
    assert "1 av 2 moduler fullført" in after
    assert "Forarbeid på e-læring Fullført 15.10.2026" in after
    assert "Start Forarbeid" not in after


async def test_the_learner_signs_up_and_cancels_on_the_page(site: FastAPI) -> None:
    async with signed_in(site, USERS["learner"]) as http:
        page = (await http.get("/min-laering")).text
        part = ny_i_nav(page)
        assert "Samling i fylket Gjenstår" in part
        assert re.search(r"\d{2}\.\d{2}\.\d{4}: etter fristen \d{2}\.\d{2}\.\d{4}", part)
        assert "25 ledige plasser av 25" in part
        [first, *_] = re.findall(r'action="/min-laering/samlinger/([^/"]+)/pamelding"', page)
        refused = await http.post(f"/min-laering/samlinger/{first}/pamelding", data={})
        assert refused.status_code == 400 and "Skjemaet var utløpt" in refused.text
        signed = await http.post(
            f"/min-laering/samlinger/{first}/pamelding", data={"csrf": csrf(page)}
        )
        assert signed.status_code == 303
        assert signed.headers["location"].startswith("/min-laering?melding=pameldt&dato=")
        after = (await http.get(signed.headers["location"])).text
        assert re.search(r"Du er påmeldt samlingen \d{2}\.\d{2}\.\d{4}\.", main_text(after))
        assert 'role="status"' in after
        assert f'action="/min-laering/samlinger/{first}/avmelding"' in after
        session = await site.state.commands.classroom.get(first)
        assert session.enrolled == ("D000001",)
        cancelled = await http.post(
            f"/min-laering/samlinger/{first}/avmelding", data={"csrf": csrf(after)}
        )
        assert cancelled.status_code == 303
        done = (await http.get(cancelled.headers["location"])).text
    assert re.search(r"Du er meldt av samlingen \d{2}\.\d{2}\.\d{4}\.", main_text(done))
    assert (await site.state.commands.classroom.get(first)).enrolled == ()


async def test_the_learner_may_not_take_a_seat_in_another_county(site: FastAPI) -> None:
    admin = Viewer("admin", "admin")
    elsewhere = await site.state.commands.add_session(
        admin, "vestland", "ny-i-nav", "samling", date.today() + timedelta(days=20), 5
    )
    async with signed_in(site, USERS["learner"]) as http:
        token = csrf((await http.get("/min-laering")).text)
        refused = await http.post(
            f"/min-laering/samlinger/{elsewhere.id}/pamelding", data={"csrf": token}
        )
        unknown = await http.post("/min-laering/samlinger/nei/pamelding", data={"csrf": token})
        not_hers = await http.post(
            f"/min-laering/samlinger/{elsewhere.id}/avmelding", data={"csrf": token}
        )
    assert refused.status_code == 403 and "Du har ikke tilgang" in refused.text
    assert unknown.status_code == 404
    assert not_hers.status_code == 403
    assert (await site.state.commands.classroom.get(elsewhere.id)).enrolled == ()


async def test_the_person_page_shows_progress_without_the_learners_forms(site: FastAPI) -> None:
    async with signed_in(site, USERS["coordinator"]) as http:
        page = (await http.get("/kontoret/nav-grunerlokka/personer/D000001")).text
    assert "Moduler: gjort og gjenstår" in page
    assert "Samling i fylket Gjenstår" in ny_i_nav(page)
    assert "/min-laering/samlinger" not in page and "/min-laering/laering" not in page


SHOULDER = {
    "colleague": "D000002",
    "task": "Mottakssamtale i publikumsmottaket",
    "learned_on": "02.11.2026",
    "hours": "2,5",
}
VALID = {
    "skulder-ved-skulder": SHOULDER,
    "veiledning-fra-kollega": {
        "mentor": "Kari Nordmann <kari.nordmann@nav.no>",
        "topic": "Arbeidsevnevurdering",
        "guided_on": "03.11.2026",
    },
    "hospitering": {
        "host_unit": "NAV Arbeidslivssenter Oslo",
        "purpose": "Oppfølging av IA-virksomheter",
        "started_on": "04.11.2026",
        "days": "2",
        "confirmed_by": "D000000",
    },
    "kompetansenettverk": {
        "network": "Fagnettverk for arbeidsavklaring",
        "met_on": "05.11.2026",
        "shared_on": "06.11.2026",
        "confirmed_by": "D000000",
    },
    "egentrening": {
        "material": "Forarbeid til Ny i NAV: kapittel 2",
        "studied_on": "06.11.2026",
        "hours": "1",
        "completed": "ja",
        "confirmed_by": "D000002",
    },
    "teamarbeid": {
        "team": "Tverrfaglig team for sammensatte behov",
        "members": "D000002; D000003",
        "work": "Felles plan for oppfølging",
        "worked_on": "09.11.2026",
        "hours": "1,5",
        "confirmed_by": "D000000",
    },
    "etter-og-videreutdanning": {
        "institution": "OsloMet",
        "course_name": "Arbeidsrettet oppfølging",
        "course_code": "ARB1000",
        "ects": "7,5",
        "passed": "ja",
        "grade": "B",
        "finished_on": "10.11.2026",
        "confirmed_by": "D000000",
    },
}


async def record_size(http: httpx.AsyncClient) -> int:
    return int((await http.get("/api/me/record")).json()["statements"])


@pytest.mark.parametrize("method", list(VALID))
async def test_learning_at_work_is_registered_once(site: FastAPI, method: str) -> None:
    async with signed_in(site, USERS["learner"]) as http:
        page = (await http.get("/min-laering")).text
        assert f'action="/min-laering/laering/{method}"' in page
        before = await record_size(http)
        sent = await http.post(
            f"/min-laering/laering/{method}", data={"csrf": csrf(page), **VALID[method]}
        )
        assert sent.status_code == 303, main_text(sent.text)
        assert sent.headers["location"] == f"/min-laering?registrert={method}#arbeid"
        confirmed = (await http.get(sent.headers["location"])).text
        assert "Registrert:" in main_text(confirmed)
        added = await record_size(http) - before
        assert added >= 1
        again = await http.post(
            f"/min-laering/laering/{method}", data={"csrf": csrf(page), **VALID[method]}
        )
        assert again.status_code == 303
        assert await record_size(http) - before == added  # the same ids: stored once


async def test_the_confirmer_is_named_in_the_statement(site: FastAPI) -> None:
    async with signed_in(site, USERS["learner"]) as http:
        token = csrf((await http.get("/min-laering")).text)
        for method in ("skulder-ved-skulder", "hospitering"):
            sent = await http.post(
                f"/min-laering/laering/{method}", data={"csrf": token, **VALID[method]}
            )
            assert sent.status_code == 303
    me = {"account": {"homePage": "https://ident.nav.no", "name": "D000001"}}
    page = await site.state.statements.query(StatementQuery(agent=me), 500)
    by_method = {
        s["context"]["extensions"]
        .get("https://kompetanse.nav.no/xapi/extensions/training-method", "")
        .rsplit("/", 1)[-1]: s
        for s in page.statements
        if "Min læring" in str(s.get("authority", {}).get("name"))
        and s["verb"]["id"] not in BOOKKEEPING
    }
    shoulder = by_method["skulder-ved-skulder"]
    assert shoulder["context"]["instructor"]["account"]["name"] == "D000002"
    shadowing = by_method["hospitering"]
    assert shadowing["context"]["extensions"][CONFIRMED_BY]["account"]["name"] == "D000000"
    assert "instructor" not in shadowing["context"]


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        pytest.param(
            {"colleague": "", "task": "", "learned_on": "", "hours": ""},
            {"colleague": "Fyll inn feltet.", "task": "Fyll inn feltet."},
            id="empty",
        ),
        pytest.param(
            {**SHOULDER, "learned_on": "31.02.2026", "hours": "mye"},
            {
                "learned_on": "Skriv datoen som dd.mm.åååå.",
                "hours": "Skriv et tall større enn 0, for eksempel 1,5.",
            },
            id="bad-date-and-hours",
        ),
        pytest.param(
            {**SHOULDER, "colleague": "D000001"},
            {"colleague": "Du kan ikke bekrefte din egen læring."},
            id="confirms-herself",
        ),
        pytest.param(
            {**SHOULDER, "colleague": "ikke en person!"},
            {"colleague": "Skriv et ansattnummer (A123456) eller en e-postadresse."},
            id="not-a-person",
        ),
        pytest.param(
            {**SHOULDER, "task": "x" * 501},
            {"task": "Skriv mellom 1 og 500 tegn."},
            id="too-long",
        ),
        pytest.param(
            {**SHOULDER, "learned_on": "01.01.2099"},
            {"learned_on": "Datoen er fram i tid."},
            id="in-the-future",
        ),
    ],
)
async def test_bad_input_is_shown_on_the_form(
    site: FastAPI, fields: dict[str, str], expected: dict[str, str]
) -> None:
    async with signed_in(site, USERS["learner"]) as http:
        token = csrf((await http.get("/min-laering")).text)
        before = await record_size(http)
        response = await http.post(
            "/min-laering/laering/skulder-ved-skulder", data={"csrf": token, **fields}
        )
        assert await record_size(http) == before
    assert response.status_code == 400
    page = response.text
    assert 'role="alert"' in page and '<details id="arbeid-skulder-ved-skulder" open>' in page
    for field, message in expected.items():
        error = re.search(
            rf'<p class="field-error" id="skulder-ved-skulder-{field}-error">([^<]*)</p>', page
        )
        assert error and message in error.group(1), field
        assert re.search(rf'id="skulder-ved-skulder-{field}"[^>]*aria-invalid="true"', page, re.S)
    if "task" not in expected:  # what was typed is kept
        assert 'value="Mottakssamtale i publikumsmottaket"' in page


async def test_a_shared_meeting_before_it_happened_and_an_unknown_form(site: FastAPI) -> None:
    async with signed_in(site, USERS["learner"]) as http:
        token = csrf((await http.get("/min-laering")).text)
        fields = {**VALID["kompetansenettverk"], "shared_on": "01.11.2026"}
        early = await http.post(
            "/min-laering/laering/kompetansenettverk", data={"csrf": token, **fields}
        )
        unknown = await http.post("/min-laering/laering/dans", data={"csrf": token})
        forged = await http.post("/min-laering/laering/egentrening", data=VALID["egentrening"])
    assert early.status_code == 400
    assert "Du kan ikke ha delt det på kontoret før møtet." in main_text(early.text)
    assert unknown.status_code == 404
    assert forged.status_code == 400 and "Skjemaet var utløpt" in forged.text


async def test_a_leader_without_a_person_has_no_learning_to_register(site: FastAPI) -> None:
    async with signed_in(site, USERS["coordinator"]) as http:
        token = csrf((await http.get("/fylket/oslo")).text)
        response = await http.post(
            "/min-laering/laering/egentrening", data={"csrf": token, **VALID["egentrening"]}
        )
    assert response.status_code == 404
    assert "ikke knyttet til en person" in response.text


ME = {"account": {"homePage": "https://ident.nav.no", "name": "D000001"}}


async def own_statements(site: FastAPI, person: str = "D000001") -> list[dict[str, Any]]:
    """The person's statements stored through Min læring (and those referring to them)."""
    agent = {"account": {"homePage": "https://ident.nav.no", "name": person}}
    page = await site.state.statements.query(StatementQuery(agent=agent), 500)
    return [s for s in page.statements if "Min læring" in str(s["authority"].get("name"))]


async def test_team_work_stores_the_learners_own_statement_only(site: FastAPI) -> None:
    async with signed_in(site, USERS["learner"]) as http:
        token = csrf((await http.get("/min-laering")).text)
        fields = {**VALID["teamarbeid"], "members": "D000003; d000001 ;D000002"}
        sent = await http.post("/min-laering/laering/teamarbeid", data={"csrf": token, **fields})
        assert sent.status_code == 303
    [entry] = [s for s in await own_statements(site) if s["verb"]["id"] not in BOOKKEEPING]
    assert entry["actor"]["account"]["name"] == "D000001"
    members = [m["account"]["name"] for m in entry["context"]["team"]["member"]]
    assert members == ["D000001", "D000002", "D000003"]  # herself once, the others in order
    assert entry["context"]["extensions"][CONFIRMED_BY]["account"]["name"] == "D000000"
    assert not [s for s in await own_statements(site, "D000002") if s["verb"]["id"] != REQUEST]


@pytest.mark.parametrize(
    ("method", "fields", "expected"),
    [
        pytest.param(
            "etter-og-videreutdanning",
            {"ects": "mye"},
            {"ects": "Skriv et tall større enn 0 og høyst 300"},
            id="credits-not-a-number",
        ),
        pytest.param(
            "etter-og-videreutdanning",
            {"grade": "F"},
            {"grade": "Karakteren stemmer ikke med om du bestod."},
            id="grade-contradicts-passed",
        ),
        pytest.param(
            "etter-og-videreutdanning",
            {"grade": "Z", "course_code": "x" * 41},
            {"grade": "Skriv en karakter fra A til F", "course_code": "Skriv høyst 40 tegn."},
            id="bad-grade-and-code",
        ),
        pytest.param(
            "teamarbeid",
            {"members": "D000001"},
            {"members": "Skriv minst én annen i teamet"},
            id="team-of-one",
        ),
        pytest.param(
            "teamarbeid",
            {"members": "", "confirmed_by": ""},
            {"members": "Fyll inn feltet.", "confirmed_by": "Fyll inn feltet."},
            id="team-empty",
        ),
    ],
)
async def test_bad_input_on_the_new_forms(
    site: FastAPI, method: str, fields: dict[str, str], expected: dict[str, str]
) -> None:
    async with signed_in(site, USERS["learner"]) as http:
        token = csrf((await http.get("/min-laering")).text)
        response = await http.post(
            f"/min-laering/laering/{method}", data={"csrf": token, **VALID[method], **fields}
        )
    assert response.status_code == 400
    for field, message in expected.items():
        error = re.search(
            rf'<p class="field-error" id="{method}-{field}-error">([^<]*)</p>', response.text
        )
        assert error and message in error.group(1), field
    assert not [s for s in await own_statements(site) if s["verb"]["id"] not in BOOKKEEPING]


async def register(http: httpx.AsyncClient, method: str, **changes: str) -> None:
    token = csrf((await http.get("/min-laering")).text)
    fields = {"csrf": token, **VALID[method], **changes}
    sent = await http.post(f"/min-laering/laering/{method}", data=fields)
    assert sent.status_code == 303, main_text(sent.text)


def awaiting_ids(page: str) -> list[str]:
    return re.findall(r'action="/min-laering/bekreftelser/([0-9a-f-]+)"', page)


async def test_the_named_leader_confirms_and_the_learner_sees_it(site: FastAPI) -> None:
    leader = (await site.state.reports.store.person_document("D000000"))["name"]
    learner = (await site.state.reports.store.person_document("D000001"))["name"]
    async with signed_in(site, USERS["learner"]) as http:
        await register(http, "hospitering")
        mine = main_text((await http.get("/min-laering")).text)
        assert f"Venter på bekreftelse fra {leader}" in mine
        assert "Venter på din bekreftelse" not in mine  # nobody asked her
    office = (await site.state.reports.store.person_document("D000001"))["office"]
    her_page = f"/kontoret/{office}/personer/D000001"
    async with signed_in(site, USERS["coordinator"]) as http:  # who may see her office
        hers = main_text((await http.get(her_page)).text)
    assert f"Venter på bekreftelse fra {leader}" in hers  # her person page says it too
    async with signed_in(site, USERS["leader"]) as http:
        page = (await http.get("/min-laering")).text
        words = main_text(page)
        assert "Venter på din bekreftelse" in words
        confirmer = (await http.get("/api/me/record")).json()
        assert not {e["verb_id"] for e in confirmer["entries"].values()} & BOOKKEEPING
        assert f"{learner} – Hospitering, 04.11.2026, 15 timer" in words
        [entry] = awaiting_ids(page)
        forged = await http.post(f"/min-laering/bekreftelser/{entry}", data={})
        assert forged.status_code == 400
        done = await http.post(f"/min-laering/bekreftelser/{entry}", data={"csrf": csrf(page)})
        assert (
            done.status_code == 303 and done.headers["location"] == "/min-laering?bekreftet#bekreft"
        )
        after = (await http.get(done.headers["location"])).text
        assert "Bekreftet. Det står nå som bekreftet" in main_text(after)
        assert awaiting_ids(after) == []
        again = await http.post(f"/min-laering/bekreftelser/{entry}", data={"csrf": csrf(page)})
        assert again.status_code == 303
    statements = await own_statements(site)
    [confirmation] = [s for s in statements if s["verb"]["id"] == CONFIRM]
    [request] = [s for s in statements if s["verb"]["id"] == REQUEST]
    assert confirmation["actor"]["account"]["name"] == "D000000"
    assert confirmation["object"] == {"objectType": "StatementRef", "id": entry}
    assert confirmation["context"]["statement"]["id"] == request["id"]
    assert request["context"]["statement"]["id"] == entry
    async with signed_in(site, USERS["learner"]) as http:
        mine = main_text((await http.get("/min-laering")).text)
        record = (await http.get("/api/me/record")).json()
    assert re.search(rf"Bekreftet av {re.escape(leader)} \d{{2}}\.\d{{2}}\.\d{{4}}", mine)
    assert entry in record["entries"]  # the API's record lists the entry, not its bookkeeping
    assert not {e["verb_id"] for e in record["entries"].values()} & BOOKKEEPING
    assert "Venter på bekreftelse" not in mine
    assert "ba om bekreftelse" not in mine and "bekreftet Hospitering" not in mine
    async with signed_in(site, USERS["coordinator"]) as http:
        hers = main_text((await http.get(her_page)).text)
    assert re.search(rf"Bekreftet av {re.escape(leader)} \d{{2}}\.\d{{2}}\.\d{{4}}", hers)


async def test_only_the_named_confirmer_may_confirm(site: FastAPI) -> None:
    await site.state.accounts.add_user("kollega", PASSWORD, "learner", person="D000002")
    async with signed_in(site, USERS["learner"]) as http:
        await register(http, "skulder-ved-skulder")  # names D000002
        await register(http, "hospitering")  # names D000000, the leader
    async with signed_in(site, USERS["leader"]) as http:
        [shadowing] = awaiting_ids((await http.get("/min-laering")).text)
    async with signed_in(site, "kollega") as http:
        page = (await http.get("/min-laering")).text
        [shoulder] = awaiting_ids(page)
        assert "Mottakssamtale i publikumsmottaket" in main_text(page)
        assert "NAV Arbeidslivssenter Oslo" not in main_text(page)  # not hers to see
        token = csrf(page)
        not_named = await http.post(f"/min-laering/bekreftelser/{shadowing}", data={"csrf": token})
        unknown = await http.post("/min-laering/bekreftelser/ikke-en-id", data={"csrf": token})
        named = await http.post(f"/min-laering/bekreftelser/{shoulder}", data={"csrf": token})
    assert not_named.status_code == 403 and unknown.status_code == 403
    assert "Denne registreringen venter ikke på din bekreftelse." in main_text(not_named.text)
    assert named.status_code == 303
    async with signed_in(site, USERS["learner"]) as http:
        token = csrf((await http.get("/min-laering")).text)
        herself = await http.post(f"/min-laering/bekreftelser/{shadowing}", data={"csrf": token})
    async with signed_in(site, USERS["coordinator"]) as http:
        token = csrf((await http.get("/fylket/oslo")).text)
        no_person = await http.post(f"/min-laering/bekreftelser/{shadowing}", data={"csrf": token})
    assert herself.status_code == 403
    assert no_person.status_code == 404
    confirmations = [s for s in await own_statements(site) if s["verb"]["id"] == CONFIRM]
    assert [c["actor"]["account"]["name"] for c in confirmations] == ["D000002"]
