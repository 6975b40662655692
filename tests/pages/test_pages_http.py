"""The pages over HTTP on the demo data: each role signs in, sees its pages, and is refused
what it may not see (the same access rules as the JSON API); forms check their input and the
CSRF token; the language toggle switches every page to English."""

from __future__ import annotations

import io
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import openpyxl
import pytest
from fastapi import FastAPI

from tests.pages.site import PASSWORD, USERS, demo_app

pytestmark = pytest.mark.anyio


@pytest.fixture(scope="module")
async def site(demo_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[FastAPI]:
    async with demo_app(demo_dir, tmp_path_factory.mktemp("pages")) as application:
        yield application


def browser(site: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=site), base_url="http://sider.test")


async def sign_in_form(http: httpx.AsyncClient, **fields: str) -> httpx.Response:
    """Fill in the sign-in form as a browser does: its page first (for the CSRF token)."""
    token = csrf((await http.get("/logg-inn")).text)
    return await http.post("/logg-inn", data={"csrf": token, **fields})


@asynccontextmanager
async def signed_in(site: FastAPI, who: str) -> AsyncIterator[httpx.AsyncClient]:
    """A client signed in as `who`: a role of the demo users (USERS) or a username."""
    async with browser(site) as http:
        response = await sign_in_form(http, username=USERS.get(who, who), password=PASSWORD)
        assert response.status_code == 303, response.text
        yield http


def csrf(page: str) -> str:
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', page)
    assert found, "no CSRF token on the page"
    return found.group(1)


def main_text(page: str) -> str:
    """The visible words of <main>, whitespace collapsed."""
    body = page[page.index("<main") : page.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


async def test_a_page_without_a_session_sends_to_sign_in(site: FastAPI) -> None:
    async with browser(site) as http:
        response = await http.get("/kontoret/nav-sagene?status=overdue")
        assert response.status_code == 303
        assert (
            response.headers["location"]
            == "/logg-inn?neste=/kontoret/nav-sagene%3Fstatus%3Doverdue"
        )
        form = await http.get(response.headers["location"])
    assert form.status_code == 200
    assert 'name="neste" value="/kontoret/nav-sagene?status=overdue"' in form.text
    assert '<html lang="nb">' in form.text and "Logg inn for å se siden." in form.text


async def test_a_wrong_password_is_refused_on_the_form(site: FastAPI) -> None:
    async with browser(site) as http:
        wrong = await sign_in_form(http, username="demo-leder", password="nei")
        empty = await sign_in_form(http, username="", password="")
    assert wrong.status_code == 401
    assert "Feil brukernavn eller passord." in wrong.text
    assert 'aria-invalid="true"' in wrong.text
    assert "kompetanse_session" not in wrong.headers.get("set-cookie", "")
    assert empty.status_code == 400 and "Fyll inn brukernavn og passord." in empty.text


async def test_sign_in_returns_to_the_page_asked_for_but_never_off_site(site: FastAPI) -> None:
    async with browser(site) as http:
        form = {"username": USERS["leader"], "password": PASSWORD}
        back = await sign_in_form(http, **form, neste="/katalog/ny-i-nav")
    async with browser(site) as http:
        away = await sign_in_form(http, **form, neste="//evil.example/")
    assert back.headers["location"] == "/katalog/ny-i-nav"
    assert away.headers["location"] == "/kontoret"
    cookie = back.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie


@pytest.mark.parametrize(
    ("role", "home"),
    [
        ("learner", "/min-laering"),
        ("leader", "/kontoret"),
        ("coordinator", "/fylket"),
        ("directorate", "/nasjonalt"),
        ("admin", "/nasjonalt"),
    ],
)
async def test_each_role_lands_on_its_own_page(site: FastAPI, role: str, home: str) -> None:
    async with signed_in(site, role) as http:
        response = await http.get("/")
    assert response.headers["location"] == home


async def test_the_learner_sees_their_own_record(site: FastAPI) -> None:
    async with signed_in(site, "learner") as http:
        page = await http.get("/min-laering")
        mine = (await http.get("/api/me/requirements")).json()
    assert page.status_code == 200
    text = main_text(page.text)
    for heading in ("Dette skal du gjennomføre", "Dette bør du gjennomføre", "Det jeg har gjort"):
        assert heading in text
    assert "Etter kompetanseområde" in text and "Etter opplæringsform" in text
    assert re.search(r"[\d,]+ timer – Timer med læring i \d{4}", text)
    for requirement in mine:
        assert requirement["name"]["nb"] in text


@pytest.mark.parametrize(
    "path",
    [
        "/kontoret/nav-sagene",
        "/kontoret/nav-sagene/personer/D000000",
        "/fylket/oslo",
        "/nasjonalt",
    ],
)
async def test_the_learner_is_refused_everyone_elses_pages(site: FastAPI, path: str) -> None:
    async with signed_in(site, "learner") as http:
        response = await http.get(path)
    assert response.status_code == 403
    assert "Du har ikke tilgang" in response.text
    assert "<table" not in response.text


async def test_the_leader_sees_the_office_matrix_and_lists(site: FastAPI) -> None:
    async with signed_in(site, "leader") as http:
        page = await http.get("/kontoret/nav-sagene")
        matrix = (await http.get("/api/offices/nav-sagene/matrix")).json()
        overview = (await http.get("/api/offices/nav-sagene/overview")).json()
    assert page.status_code == 200
    text = main_text(page.text)
    assert f"{len(matrix['rows'])} personer og" in text
    for row in matrix["rows"]:
        assert row["name"] in text
    # status is written as words in each cell, never colour alone
    cells = re.findall(r'<span class="status s-(\w+)">', page.text)
    assert cells and all(
        status
        in (
            "completed",
            "in_progress",
            "not_started",
            "due_soon",
            "overdue",
            "waived",
            "expired",
            "none",
        )
        for status in cells
    )
    assert text.count("Forfalt") >= len(overview["overdue"])
    for heading in (
        "Forfalte",
        "Frist snart",
        "Dekning per kompetanseområde og rolle",
        "Timer med læring per måned",
        "Pakker som gjelder kontoret, fra alle nivåer",
    ):
        assert heading in text
    assert '<svg class="chart"' in page.text and 'role="img"' in page.text
    assert 'href="/kontoret/nav-sagene/eksport.csv"' in page.text
    assert 'href="/kontoret/nav-sagene/eksport.xlsx"' in page.text


async def test_the_leader_filters_and_sorts_the_matrix(site: FastAPI) -> None:
    async with signed_in(site, "leader") as http:
        everyone = await http.get("/kontoret/nav-sagene")
        overdue = await http.get("/kontoret/nav-sagene?status=overdue&sorter=forfalt")
        one = await http.get("/kontoret/nav-sagene?pakke=ny-i-nav&rolle=veileder-oppfolging")
        matrix = (await http.get("/api/offices/nav-sagene/matrix")).json()
    late = [r for r in matrix["rows"] if "overdue" in r["statuses"].values()]
    assert f"{len(late)} personer og" in main_text(overdue.text)
    assert 0 < len(late) < len(matrix["rows"])
    in_matrix = overdue.text[overdue.text.index('id="matrix-heading"') :]
    rows = re.findall(r'<th scope="row"><a href="/kontoret/nav-sagene/personer/(\w+)"', in_matrix)
    assert len(rows) == len(late)
    counts = [
        sum(
            s == "overdue"
            for s in next(r for r in matrix["rows"] if r["person"] == p)["statuses"].values()
        )
        for p in rows
    ]
    assert counts == sorted(counts, reverse=True)
    chosen = [r for r in matrix["rows"] if "veileder-oppfolging" in r["roles"]]
    assert f"{len(chosen)} personer og 1 pakke." in main_text(one.text)
    assert len(everyone.text) > len(one.text)


async def test_the_leader_is_refused_other_offices_and_the_county(site: FastAPI) -> None:
    async with signed_in(site, "leader") as http:
        other = await http.get("/kontoret/nav-frogner")
        county = await http.get("/fylket/oslo")
        national = await http.get("/nasjonalt")
        people = await http.get("/api/people?office=nav-frogner")
    assert [other.status_code, county.status_code, national.status_code] == [403, 403, 403]
    assert people.status_code == 403


async def test_the_leader_drills_down_and_grants_an_exemption(site: FastAPI) -> None:
    async with signed_in(site, "leader") as http:
        matrix = (await http.get("/api/offices/nav-sagene/matrix")).json()
        person, package = next(
            (row["person"], p)
            for row in matrix["rows"]
            for p, status in row["statuses"].items()
            if status in ("not_started", "overdue")
        )
        url = f"/kontoret/nav-sagene/personer/{person}"
        page = await http.get(url)
        assert page.status_code == 200 and "Gi fritak" in page.text
        token = csrf(page.text)
        no_reason = await http.post(
            f"{url}/fritak", data={"csrf": token, "package": package, "reason": " "}
        )
        forged = await http.post(
            f"{url}/fritak", data={"csrf": "0" * 64, "package": package, "reason": "x"}
        )
        not_ascii = await http.post(  # found by the fuzz suite: was a 500
            f"{url}/fritak", data={"csrf": "ø", "package": package, "reason": "x"}
        )
        granted = await http.post(
            f"{url}/fritak",
            data={
                "csrf": token,
                "package": package,
                "reason": "Har tilsvarende fra tidligere arbeidsgiver",
            },
        )
        after = await http.get(granted.headers["location"])
        statuses = (await http.get("/api/offices/nav-sagene/matrix")).json()
    assert no_reason.status_code == 400
    assert "Skriv en begrunnelse for fritaket." in no_reason.text
    assert forged.status_code == 400
    assert not_ascii.status_code == 400
    assert granted.status_code == 303
    assert "er registrert som fritatt" in after.text
    row = next(r for r in statuses["rows"] if r["person"] == person)
    assert row["statuses"][package] == "waived"


async def test_a_person_is_only_shown_under_their_own_office(site: FastAPI) -> None:
    async with signed_in(site, "coordinator") as http:
        frogner = (await http.get("/api/offices/nav-frogner/matrix")).json()
        someone = frogner["rows"][0]["person"]
        wrong = await http.get(f"/kontoret/nav-sagene/personer/{someone}")
        right = await http.get(f"/kontoret/nav-frogner/personer/{someone}")
    assert wrong.status_code == 404 and right.status_code == 200


async def test_the_learner_cannot_grant_exemptions(site: FastAPI) -> None:
    async with signed_in(site, "coordinator") as http:
        people = (await http.get("/api/people?region=oslo")).json()
    office = next(p["office"] for p in people if p["employee_id"] == "D000001")
    async with signed_in(site, "learner") as http:
        mine = await http.get("/min-laering")
        own = await http.get(f"/kontoret/{office}/personer/D000001")
        response = await http.post(
            f"/kontoret/{office}/personer/D000001/fritak",
            data={"csrf": csrf(mine.text), "package": "ny-i-nav", "reason": "vil ikke"},
        )
        requirements = (await http.get("/api/me/requirements")).json()
    assert own.status_code == 200 and "Gi fritak" not in own.text  # their own record, no form
    assert response.status_code == 403 and "Du har ikke tilgang" in response.text
    assert all(r["status"] != "waived" for r in requirements if r["package_id"] == "ny-i-nav")


async def test_the_coordinator_sees_the_county(site: FastAPI) -> None:
    async with signed_in(site, "coordinator") as http:
        page = await http.get("/fylket/oslo")
        offices = (await http.get("/api/regions/oslo/offices")).json()
        pipeline = (await http.get("/api/regions/oslo/pipeline")).json()
        national = await http.get("/nasjonalt")
    text = main_text(page.text)
    assert page.status_code == 200
    for office in offices:  # the page's one-pass counts equal the API's per-office ones
        counts = {
            k.removeprefix("status:"): v for k, v in office.items() if k.startswith("status:")
        }
        done = counts.get("completed", 0)
        total = sum(n for status, n in counts.items() if status != "waived")
        overdue = counts.get("overdue", 0)
        assert f"{office['name']} {office['people']} {done} / {total}" in text
        assert f"{done} / {total}" in text and str(overdue) in text
    assert "Ny i NAV-løypa" in text and "Samlinger" in text
    for module in pipeline["modules"]:
        assert f"Rekker ikke fristen med planlagte samlinger ({len(module['at_risk'])})" in text
    assert national.status_code == 403


async def test_the_directorate_sees_the_counties(site: FastAPI) -> None:
    async with signed_in(site, "directorate") as http:
        page = await http.get("/nasjonalt")
        county = await http.get("/fylket/oslo")
        [oslo] = (await http.get("/api/regions")).json()
        offices = (await http.get("/api/regions/oslo/offices")).json()
    assert page.status_code == 200 and "NAV Oslo" in main_text(page.text)
    # the county's counts are the sums of its offices'
    assert oslo["people"] == sum(o["people"] for o in offices)
    completed = sum(o.get("status:completed", 0) for o in offices)
    assert f"{completed} / " in main_text(page.text)
    assert county.status_code == 200


async def test_the_national_and_county_tables_download_for_people(site: FastAPI) -> None:
    async with signed_in(site, "directorate") as http:
        page = (await http.get("/nasjonalt")).text
        counties = await http.get("/nasjonalt/eksport/fylker.csv")
        compliance = await http.get("/nasjonalt/eksport/etterlevelse.xlsx")
        http.cookies.set("kompetanse_lang", "en")
        english = await http.get("/nasjonalt/eksport/etterlevelse.csv")
        unknown = await http.get("/nasjonalt/eksport/personer.csv")
    assert 'href="/nasjonalt/eksport/fylker.xlsx"' in page
    assert 'href="/nasjonalt/eksport/etterlevelse.csv"' in page
    lines = counties.content.decode("utf-8-sig").splitlines()
    assert (
        counties.status_code == 200
        and lines[0] == "Fylke;Kontorer;Personer;Fullført;Forfalte;Frist snart"
    )
    assert lines[1].startswith("NAV Oslo;")
    book = openpyxl.load_workbook(io.BytesIO(compliance.content))
    assert book.sheetnames == ["Etterlevelse per pakke"]
    header, first = [[c.value for c in row] for row in book.active.iter_rows(max_row=2)]
    assert header == [
        "Pakke",
        "Gjelder",
        "Innen fristen",
        "Etter fristen",
        "I rute",
        "Forfalte",
        "Fritatt",
    ]
    assert first[0] == "Ny i NAV" and first[2].endswith("%)")  # a name, counts with shares
    assert english.content.decode("utf-8-sig").startswith("Package;Measured;On time;")
    assert unknown.status_code == 404
    async with signed_in(site, "coordinator") as http:
        county = (await http.get("/fylket/oslo")).text
        own = await http.get("/fylket/oslo/eksport/etterlevelse.csv")
        refused = await http.get("/nasjonalt/eksport/fylker.csv")
    assert 'href="/fylket/oslo/eksport/etterlevelse.xlsx"' in county
    assert own.status_code == 200 and own.content.decode("utf-8-sig").startswith("Pakke;Gjelder;")
    assert refused.status_code == 403
    async with signed_in(site, "leader") as http:
        assert (await http.get("/nasjonalt/eksport/etterlevelse.csv")).status_code == 403
        assert (await http.get("/fylket/oslo/eksport/etterlevelse.csv")).status_code == 403


async def test_everyone_signed_in_browses_the_catalog(site: FastAPI) -> None:
    async with signed_in(site, "learner") as http:
        listing = await http.get("/katalog")
        filtered = await http.get("/katalog?omrade=digital-kompetanse")
        package = await http.get("/katalog/ny-i-nav")
        missing = await http.get("/katalog/finnes-ikke")
    assert listing.status_code == 200 and "Ny i NAV" in listing.text
    assert len(filtered.text) < len(listing.text)
    assert package.status_code == 200
    for words in ("Moduler", "Gjelder for", "Frist"):
        assert words in main_text(package.text)
    assert missing.status_code == 404 and "Fant ikke siden" in missing.text


async def test_the_language_toggle_switches_to_english_and_back(site: FastAPI) -> None:
    async with signed_in(site, "leader") as http:
        toggle = await http.get("/sprak?lang=en&neste=/kontoret/nav-sagene")
        english = await http.get(toggle.headers["location"])
        back = await http.get("/sprak?lang=nb&neste=https://evil.example/")
        norwegian = await http.get("/kontoret/nav-sagene")
    assert toggle.headers["location"] == "/kontoret/nav-sagene"
    assert '<html lang="en">' in english.text
    assert "Status per person and package" in english.text and "Overdue" in english.text
    assert back.headers["location"] == "/"
    assert '<html lang="nb">' in norwegian.text


async def test_sign_out_ends_the_session(site: FastAPI) -> None:
    async with signed_in(site, "leader") as http:
        page = await http.get("/katalog")
        forged = await http.post("/logg-ut", data={"csrf": "nope"})
        still = await http.get("/katalog")
        out = await http.post("/logg-ut", data={"csrf": csrf(page.text)})
        after = await http.get("/katalog")
    assert forged.status_code == 400 and still.status_code == 200
    assert out.headers["location"] == "/logg-inn?ut"
    assert after.status_code == 303


@pytest.mark.parametrize(
    ("role", "path", "target"),
    [
        ("leader", "/kontoret", "/kontoret/nav-sagene"),
        ("leader", "/fylket", "/kontoret"),
        ("coordinator", "/fylket", "/fylket/oslo"),
        ("coordinator", "/kontoret", "/fylket"),
        ("learner", "/kontoret", "/min-laering"),
    ],
)
async def test_the_menu_leads_to_ones_own_unit(
    site: FastAPI, role: str, path: str, target: str
) -> None:
    async with signed_in(site, role) as http:
        response = await http.get(path)
    assert response.status_code == 303 and response.headers["location"] == target
