"""The competence networks' pages over HTTP on the demo data (the county's network with two
resource persons from each office, a meeting three weeks ago, three of them having shared it
back): the member's "Jeg har delt" form with its problems per field; the leader's view of their
own office's people; the coordinator's networks, members and meetings; every role's denials;
English."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from adapters.vocabulary import ATTENDED
from lrs.store import StatementQuery
from tests.pages.site import PASSWORD, demo_app
from tests.pages.test_pages_http import browser, csrf, main_text, signed_in

pytestmark = pytest.mark.anyio
MINE = "/min-laering/nettverk"
OFFICE = "/kontoret/nav-sagene/nettverk"
COUNTY = "/fylket/oslo/nettverk"
TODAY = date.today()


@pytest.fixture(scope="module")
async def site(demo_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[FastAPI]:
    async with demo_app(demo_dir, tmp_path_factory.mktemp("networks")) as application:
        accounts = application.state.accounts
        await accounts.add_user("leder-frogner", PASSWORD, "leader", office="nav-frogner")
        await accounts.add_user("vest-fylke", PASSWORD, "coordinator", region="vestland")
        await accounts.add_user("ansatt-4", PASSWORD, "learner", person="D000004")
        yield application


async def test_the_member_shares_back(site: FastAPI) -> None:
    async with signed_in(site, "learner") as http:
        learner = await http.get("/min-laering")
        assert f'href="{MINE}"' in learner.text  # the link from Min læring
        page = await http.get(MINE)
        assert page.status_code == 200
        shown = main_text(page.text)
        assert "Fagnettverk for arbeidsavklaring (demo)" in shown
        assert "Ikke delt ennå (21 dager)" in shown and "Jeg har delt" in shown
        meeting = page.text.split('name="meeting" value="')[1].split('"')[0]
        token = csrf(page.text)
        bad = await http.post(
            f"{MINE}/delt",
            data={"csrf": token, "meeting": meeting, "shared_on": "32.13.2020", "how": "fagmote"},
        )
        assert bad.status_code == 400
        assert 'role="alert"' in bad.text and 'aria-invalid="true"' in bad.text
        assert "Dato for delingen: skriv datoen som dd.mm.åååå" in main_text(bad.text)
        early = (TODAY - timedelta(days=30)).strftime("%d.%m.%Y")
        before = await http.post(
            f"{MINE}/delt",
            data={"csrf": token, "meeting": meeting, "shared_on": early, "how": "fagmote"},
        )
        assert before.status_code == 400 and "the sharing is before the meeting" in before.text
        good = await http.post(
            f"{MINE}/delt",
            data={
                "csrf": token,
                "meeting": meeting,
                "shared_on": TODAY.strftime("%d.%m.%Y"),
                "how": "personalmote",
                "text": "På personalmøtet",
            },
        )
        assert (good.status_code, good.headers["location"]) == (303, f"{MINE}?gjort=shared")
        after = main_text((await http.get(good.headers["location"])).text)
        assert "Delingen er registrert." in after
        assert f"Delt {TODAY.strftime('%d.%m.%Y')} (Personalmøte): På personalmøtet" in after
        again = await http.post(
            f"{MINE}/delt",
            data={
                "csrf": token,
                "meeting": meeting,
                "shared_on": TODAY.isoformat(),
                "how": "annet",
            },
        )
        assert again.status_code == 409


async def test_the_leader_sees_own_office(site: FastAPI) -> None:
    async with signed_in(site, "leader") as http:
        office = await http.get("/kontoret/nav-sagene")
        assert f'href="{OFFICE}"' in office.text
        page = await http.get(OFFICE)
        assert page.status_code == 200
        shown = main_text(page.text)
        assert "D000004" in shown and "D000008" in shown
        assert "D000001" not in shown and "D000002" not in shown  # other offices' members
        assert "(Personalmøte)" in shown  # D000004 shared back at a staff meeting
        assert "Ikke delt ennå: 0" in shown  # D000008 did not attend
        assert "/api/offices/nav-sagene/networks?format=csv" in page.text
        exported = await http.get("/api/offices/nav-sagene/networks", params={"format": "csv"})
        assert exported.status_code == 200 and "D000004" in exported.text


async def test_the_coordinator_runs_the_networks(site: FastAPI) -> None:
    async with signed_in(site, "coordinator") as http:
        page = await http.get(COUNTY)
        assert page.status_code == 200
        shown = main_text(page.text)
        assert "nav-gamle-oslo" in shown and "Ikke delt ennå (21 dager)" in shown
        assert 'name="package"' in page.text and "Samling i pakken" in shown  # the demo's
        token = csrf(page.text)
        bad = await http.post(
            COUNTY, data={"csrf": token, "name": "Sosialt nettverk", "members": "D000004, X9"}
        )
        assert bad.status_code == 400 and 'aria-invalid="true"' in bad.text
        assert "Medlemmer: &#39;X9&#39; is no one of this county" in bad.text or "X9" in main_text(
            bad.text
        )
        made = await http.post(
            COUNTY, data={"csrf": token, "name": "Sosialt nettverk", "members": "D000004, D000009"}
        )
        assert (made.status_code, made.headers["location"]) == (303, f"{COUNTY}?gjort=created")
        noted = await http.post(
            f"{COUNTY}/sosialt-nettverk/moter",
            data={"csrf": token, "held_on": TODAY.strftime("%d.%m.%Y"), "topic": ""},
        )
        assert noted.status_code == 400 and "Tema: is required" in main_text(noted.text)
        met = await http.post(
            f"{COUNTY}/sosialt-nettverk/moter",
            content=(
                f"csrf={token}&held_on={TODAY.strftime('%d.%m.%Y')}&topic=Oppstart"
                "&attended=D000004&attended=D000009"
            ),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert (met.status_code, met.headers["location"]) == (303, f"{COUNTY}?gjort=meeting")
        after = main_text((await http.get(met.headers["location"])).text)
        assert "Møtet er registrert." in after and "Oppstart" in after
        members = await http.post(
            f"{COUNTY}/sosialt-nettverk/medlemmer",
            data={"csrf": token, "members": "D000004, D000009, D000010"},
        )
        assert members.status_code == 303
    async with signed_in(site, "ansatt-4") as http:
        mine = main_text((await http.get(MINE)).text)
        assert "Sosialt nettverk" in mine and "Ikke delt ennå (0 dager)" in mine


async def test_the_coordinator_adds_attendance_left_out(site: FastAPI) -> None:
    """D000008 missed the demo meeting's list: the coordinator adds her afterwards, which is
    an "attended" statement like the others', and she is then expected to share it back."""
    async with signed_in(site, "coordinator") as http:
        page = (await http.get(COUNTY)).text
        action = re.search(
            r'action="(/fylket/oslo/nettverk/fagnettverk-aap/moter/[^"]+/oppmote)"', page
        )
        assert action and 'value="D000008"' in page[page.index(action.group(1)) :]
        token = csrf(page)
        empty = await http.post(action.group(1), data={"csrf": token})
        forged = await http.post(action.group(1), data={"csrf": "0" * 64, "attended": "D000008"})
        added = await http.post(action.group(1), data={"csrf": token, "attended": "D000008"})
        after = await http.get(added.headers["location"])
        listed = (await http.get("/api/regions/oslo/networks")).json()
    assert empty.status_code == 400
    assert "at least one member who attended is required" in main_text(empty.text)
    assert forged.status_code == 400
    assert (added.status_code, added.headers["location"]) == (303, f"{COUNTY}?gjort=attendance")
    assert "Oppmøtet er lagt til." in main_text(after.text)
    assert action.group(1) not in after.text  # everyone is recorded now: no form
    [network] = [n for n in listed if n["id"] == "fagnettverk-aap"]
    [row] = [a for m in network["meetings"] for a in m["attendance"] if a["person"] == "D000008"]
    assert row["attended"] is True and row["days_waiting"] is not None
    her = {"account": {"homePage": "https://ident.nav.no", "name": "D000008"}}
    page = await site.state.statements.query(StatementQuery(agent=her, verb=ATTENDED), 50)
    assert [s["object"]["id"] for s in page.statements] == [network["meetings"][0]["activity"]]


@pytest.mark.parametrize(
    ("who", "home", "method", "path"),
    [
        pytest.param("learner", MINE, "GET", OFFICE, id="learner-office"),
        pytest.param("learner", MINE, "GET", COUNTY, id="learner-county"),
        pytest.param("learner", MINE, "POST", COUNTY, id="learner-creates"),
        pytest.param("leder-frogner", "/kontoret/nav-frogner", "GET", OFFICE, id="other-leader"),
        pytest.param("leader", OFFICE, "GET", COUNTY, id="leader-county"),
        pytest.param(
            "leader", OFFICE, "POST", f"{COUNTY}/fagnettverk-aap/moter", id="leader-meets"
        ),
        pytest.param(
            "leader",
            OFFICE,
            "POST",
            f"{COUNTY}/fagnettverk-aap/moter/x/oppmote",
            id="leader-adds-attendance",
        ),
        pytest.param("vest-fylke", "/", "GET", COUNTY, id="other-county"),
        pytest.param("vest-fylke", "/", "GET", OFFICE, id="other-county-office"),
        pytest.param(
            "vest-fylke",
            "/",
            "POST",
            f"{COUNTY}/fagnettverk-aap/medlemmer",
            id="other-county-members",
        ),
        pytest.param("coordinator", COUNTY, "POST", f"{MINE}/delt", id="county-shares"),
    ],
)
async def test_denials(site: FastAPI, who: str, home: str, method: str, path: str) -> None:
    if who in ("leder-frogner", "vest-fylke"):
        http = browser(site)
        token = csrf((await http.get("/logg-inn")).text)
        data = {"csrf": token, "username": who, "password": PASSWORD}
        assert (await http.post("/logg-inn", data=data)).status_code == 303
        await _check(http, home, method, path)
        return
    async with signed_in(site, who) as http:
        await _check(http, home, method, path)


async def _check(http: httpx.AsyncClient, home: str, method: str, path: str) -> None:
    token = csrf((await http.get(home, follow_redirects=True)).text) if method == "POST" else ""
    data = {"csrf": token, "name": "X", "members": "D000004", "held_on": "01.01.2026", "topic": "Y"}
    response = await (http.post(path, data=data) if method == "POST" else http.get(path))
    assert response.status_code == 403, (path, response.status_code)
    assert "<main" in response.text  # a page, not a bare error


async def test_the_pages_in_english(site: FastAPI) -> None:
    async with signed_in(site, "leader") as http:
        http.cookies.set("kompetanse_lang", "en")
        shown = main_text((await http.get(OFFICE)).text)
        assert "Networks: NAV Sagene" in shown and re.search(r"Not shared yet: \d+", shown)
    async with signed_in(site, "learner") as http:
        http.cookies.set("kompetanse_lang", "en")
        shown = main_text((await http.get(MINE)).text)
        assert "After each network meeting you attended" in shown
        assert "I have shared it" in shown or "Shared " in shown  # whether shared already
