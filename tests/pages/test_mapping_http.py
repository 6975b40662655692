"""The competence mapping's pages over HTTP on the demo data (NAV Sagene: last year's round
closed, this year's open): the leader's profile, opening and closing; the employee's answer
with its problems per field; the county's aggregates; every role's denials; English."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from tests.pages.site import PASSWORD, demo_app
from tests.pages.test_pages_http import browser, csrf, main_text, signed_in

pytestmark = pytest.mark.anyio
YEAR = date.today().year
BASE = "/kontoret/nav-sagene/kartlegging"


@pytest.fixture(scope="module")
async def site(demo_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[FastAPI]:
    async with demo_app(demo_dir, tmp_path_factory.mktemp("mapping")) as application:
        accounts = application.state.accounts
        await accounts.add_user("leder-frogner", PASSWORD, "leader", office="nav-frogner")
        yield application


async def test_the_leader_sees_the_profile_gaps_and_last_year(site: FastAPI) -> None:
    async with signed_in(site, "leader") as http:
        office = await http.get("/kontoret/nav-sagene")
        assert f'href="{BASE}"' in office.text  # the link from Kontoret
        page = await http.get(BASE)
        assert page.status_code == 200
        shown = main_text(page.text)
        assert f"Kompetansekartlegging {YEAR}" in shown
        assert f"Kartleggingen for {YEAR} er åpen" in shown and "har svart" in shown
        assert f"Snitt {YEAR - 1}" in shown and f"Under i {YEAR - 1}" in shown
        assert "Veileder oppfølging" in shown and "Gap per person" in shown
        assert f"{BASE}/personer/D" in page.text  # the gaps name people, linked
        assert "format=csv" in page.text and "format=xlsx" in page.text
        assert "Ikke svart ennå (" in shown  # whom to remind
        assert "Behov per kompetanseområde" in shown
        before = main_text((await http.get(BASE, params={"ar": str(YEAR - 1)})).text)
        assert f"Kartleggingen for {YEAR - 1} ble lukket" in before
        assert f"Lukk kartleggingen for {YEAR - 1}" not in before  # closed: no form

        someone = page.text.split(f"{BASE}/personer/")[1].split('"')[0]
        answers = await http.get(f"{BASE}/personer/{someone}")
        assert answers.status_code == 200
        assert f"Kompetanseområde {YEAR}" in main_text(answers.text) and "Kan " in answers.text


async def test_the_leader_closes_and_opens_the_round(site: FastAPI) -> None:
    async with signed_in(site, "leader") as http:
        token = csrf((await http.get(BASE)).text)
        refused = await http.post(f"{BASE}/lukk", data={"ar": str(YEAR)})
        assert refused.status_code == 400  # no CSRF token
        closed = await http.post(f"{BASE}/lukk", data={"csrf": token, "ar": str(YEAR)})
        assert (closed.status_code, closed.headers["location"]) == (303, f"{BASE}?gjort=closed")
        page = main_text((await http.get(closed.headers["location"])).text)
        assert "Kartleggingen er lukket." in page and f"Åpne kartleggingen for {YEAR}" in page
        again = await http.post(f"{BASE}/lukk", data={"csrf": token, "ar": str(YEAR)})
        assert again.status_code == 409
        opened = await http.post(f"{BASE}/apne", data={"csrf": token})
        assert (opened.status_code, opened.headers["location"]) == (303, f"{BASE}?gjort=opened")
        assert "Kartleggingen er åpnet." in (await http.get(opened.headers["location"])).text


async def test_an_employee_answers_and_sees_the_answers_back(site: FastAPI) -> None:
    async with signed_in(site, "leader") as http:  # demo-leder is also an employee (D000000)
        learner = await http.get("/min-laering")
        assert 'href="/min-laering/kartlegging"' in learner.text
        page = await http.get("/min-laering/kartlegging")
        assert page.status_code == 200 and "Kjenner til" in page.text
        token = csrf(page.text)
        bad = await http.post(
            "/min-laering/kartlegging",
            data={
                "csrf": token,
                "ratings.basiskompetanse": "7",
                "education.field": "Jus",
                "education.year": "3000",
            },
        )
        assert bad.status_code == 400
        shown = main_text(bad.text)
        assert "Basiskompetanse: velg et nivå fra 1 til 4" in shown
        assert "velg utdanningen, eller la fagområde og år stå tomme" in shown
        assert "et årstall fra 1950 til i år" in shown
        assert 'value="Jus"' in bad.text  # what was typed stays
        good = await http.post(
            "/min-laering/kartlegging",
            data={
                "csrf": token,
                "ratings.basiskompetanse": "3",
                "ratings.kompetanseledelse": "2",
                "education.level": "master",
                "education.field": "Ledelse",
                "education.year": "2012",
            },
        )
        assert good.status_code == 303
        back = await http.get(good.headers["location"])
        shown = main_text(back.text)
        assert "Svarene dine er lagret" in shown
        assert (
            "3 – Kan selvstendig" in shown and "Master eller tilsvarende, Ledelse (2012)" in shown
        )
        nothing = await http.post("/min-laering/kartlegging", data={"csrf": token})
        assert nothing.status_code == 400 and "vurder minst ett" in nothing.text


async def test_without_an_open_round_the_employee_is_told(site: FastAPI) -> None:
    async with signed_in(site, "learner") as http:  # NAV Grünerløkka has no round
        page = await http.get("/min-laering/kartlegging")
        assert page.status_code == 200
        assert "ingen åpen kartlegging" in main_text(page.text)
        token = csrf(page.text)
        late = await http.post(
            "/min-laering/kartlegging", data={"csrf": token, "ratings.basiskompetanse": "2"}
        )
        assert late.status_code == 409


async def test_the_county_sees_aggregates_never_groups_under_five(site: FastAPI) -> None:
    async with signed_in(site, "leader") as http:  # the office's one leader answers
        token = csrf((await http.get("/min-laering/kartlegging")).text)
        data = {"csrf": token, "ratings.kompetanseledelse": "3"}
        assert (await http.post("/min-laering/kartlegging", data=data)).status_code == 303
    async with signed_in(site, "coordinator") as http:
        region = await http.get("/fylket/oslo")
        assert 'href="/fylket/oslo/kartlegging"' in region.text
        county = await http.get("/fylket/oslo/kartlegging")
        assert county.status_code == 200
        shown = main_text(county.text)
        assert "NAV Sagene Åpen" in shown and "NAV Grünerløkka Ikke åpnet – " in shown
        office = await http.get(BASE)
        assert office.status_code == 200
        shown = main_text(office.text)
        assert "Leder: Utelatt." in shown  # one leader: a group under five
        assert "Veileder oppfølging" in shown and "Gap per person" not in shown
        assert "/personer/" not in office.text
        assert "Lukk kartleggingen" not in shown  # only the office's leader runs it
        person = await http.get(f"{BASE}/personer/D000004")
        assert person.status_code == 403


@pytest.mark.parametrize(
    ("who", "method", "path"),
    [
        pytest.param("learner", "GET", BASE, id="learner-office-profile"),
        pytest.param("learner", "GET", f"{BASE}/personer/D000004", id="learner-another"),
        pytest.param("learner", "POST", f"{BASE}/apne", id="learner-opens"),
        pytest.param("learner", "GET", "/fylket/oslo/kartlegging", id="learner-county"),
        pytest.param("other-leader", "GET", BASE, id="other-leader-profile"),
        pytest.param("other-leader", "GET", f"{BASE}/personer/D000004", id="other-leader-person"),
        pytest.param("other-leader", "POST", f"{BASE}/lukk", id="other-leader-closes"),
        pytest.param("coordinator", "POST", f"{BASE}/lukk", id="county-closes"),
        pytest.param("admin", "GET", f"{BASE}/personer/D000004", id="admin-a-person"),
    ],
)
async def test_denials(site: FastAPI, who: str, method: str, path: str) -> None:
    if who == "other-leader":
        http = browser(site)
        token = csrf((await http.get("/logg-inn")).text)
        data = {"csrf": token, "username": "leder-frogner", "password": PASSWORD}
        assert (await http.post("/logg-inn", data=data)).status_code == 303
        await _check(http, method, path)
        return
    async with signed_in(site, who) as http:
        await _check(http, method, path)


async def _check(http: httpx.AsyncClient, method: str, path: str) -> None:
    token = csrf((await http.get("/min-laering/kartlegging")).text) if method == "POST" else ""
    data = {"csrf": token, "ar": str(YEAR)}
    response = await (http.post(path, data=data) if method == "POST" else http.get(path))
    assert response.status_code == 403, (path, response.status_code)
    assert "<main" in response.text  # a page, not a bare error


async def test_the_pages_in_english(site: FastAPI) -> None:
    async with signed_in(site, "leader") as http:
        http.cookies.set("kompetanse_lang", "en")
        shown = main_text((await http.get(BASE)).text)
        assert f"Competence mapping {YEAR}" in shown and "Gaps by person" in shown
        mine = main_text((await http.get("/min-laering/kartlegging")).text)
        assert "Can guide others" in mine and "Highest completed education" in mine
