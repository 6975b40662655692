"""The development plans' pages over HTTP on the demo data (two plans at NAV Sagene, an open
need): the employee reads their plan, agrees and raises a need with its problems per field;
the leader sees the office's people and open needs, records a talk and a goal, turns a need
into a goal or answers it; every role's denials; English."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from catalog._access import Viewer
from tests.pages.site import PASSWORD, demo_app
from tests.pages.test_pages_http import browser, csrf, main_text, signed_in

pytestmark = pytest.mark.anyio
YEAR = date.today().year
BASE = "/kontoret/nav-sagene/utviklingsplaner"


@pytest.fixture(scope="module")
async def site(demo_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[FastAPI]:
    async with demo_app(demo_dir, tmp_path_factory.mktemp("development")) as application:
        accounts = application.state.accounts
        await accounts.add_user("leder-frogner", PASSWORD, "leader", office="nav-frogner")
        yield application


async def _person_with_plan(site: FastAPI, agreed: bool) -> str:
    development = site.state.catalog.development
    plans = await development.store.plans_in("nav-sagene", YEAR)
    return next(p["person"] for p in plans if bool(p["employee_agreed_at"]) == agreed)


async def test_the_leader_sees_the_office_and_a_plan(site: FastAPI) -> None:
    async with signed_in(site, "leader") as http:
        office = await http.get("/kontoret/nav-sagene")
        assert f'href="{BASE}"' in office.text
        page = await http.get(BASE)
        assert page.status_code == 200
        shown = main_text(page.text)
        assert f"Utviklingsplaner {YEAR}" in shown
        assert "Enige" in shown and "Venter på den ansatte" in shown and "Ingen plan" in shown
        assert "Jeg mangler opplæring i kvalifiseringsprogrammet." in shown
        assert "format=csv" in page.text
        person = await _person_with_plan(site, agreed=True)
        plan = await http.get(f"{BASE}/{person}")
        shown = main_text(plan.text)
        assert plan.status_code == 200 and "Samtalen ble holdt" in shown
        assert "Pakke: Arbeidsevnevurdering" in shown and "Lokalt tiltak: Fadder" in shown
        assert "Kompetanseområde: Oppfølging og veiledning" in shown


async def test_the_leader_records_a_talk_and_a_goal(site: FastAPI) -> None:
    async with signed_in(site, "leader") as http:
        overview = (await http.get(BASE)).text
        nobody = next(
            m.group(1)
            for m in re.finditer(
                rf'href="{BASE}/(D\d+)\?ar={YEAR}">[^<]+</a></th>\s*<td>Ingen plan', overview
            )
        )
        token = csrf(overview)
        path = f"{BASE}/{nobody}/{YEAR}"
        bad = await http.post(
            f"{path}/samtale", data={"csrf": token, "day": "i går", "summary": ""}
        )
        assert bad.status_code == 400
        shown = main_text(bad.text)
        assert "Dato for samtalen: en dato som dd.mm.åååå" in shown
        assert "Kort oppsummering: må fylles ut" in shown and 'aria-invalid="true"' in bad.text
        talk = await http.post(
            f"{path}/samtale", data={"csrf": token, "day": f"01.03.{YEAR}", "summary": "Fin prat."}
        )
        assert talk.status_code == 303
        assert "Samtalen er lagret." in (await http.get(talk.headers["location"])).text
        nolink = await http.post(
            f"{path}/mal", data={"csrf": token, "text": "Lære", "kind": "package", "due": "x"}
        )
        assert nolink.status_code == 400
        shown = main_text(nolink.text)
        assert "Hvilken pakke: må fylles ut" in shown and "Frist: en dato som dd.mm.åååå" in shown
        goal = await http.post(
            f"{path}/mal",
            data={
                "csrf": token,
                "text": "Lære pensjon",
                "kind": "package",
                "package": "pensjonsreformen",
                "due": f"31.01.{YEAR + 1}",
            },
        )
        assert goal.status_code == 303
        shown = main_text((await http.get(goal.headers["location"])).text)
        assert "Målet er lagt til." in shown and "Pakke: Pensjonsreformen" in shown
        plan = await site.state.catalog.development.store.plan(nobody, YEAR)
        status = await http.post(
            f"{path}/mal/{plan['goals'][0]['id']}", data={"csrf": token, "status": "done"}
        )
        assert status.status_code == 303
        assert "Statusen er endret." in (await http.get(status.headers["location"])).text


async def test_the_employee_agrees_and_raises_a_need_the_leader_answers(site: FastAPI) -> None:
    development = site.state.catalog.development
    person = await _person_with_plan(site, agreed=False)
    username = f"ansatt-{person.lower()}"
    await site.state.accounts.add_user(username, PASSWORD, "learner", person=person)
    http = browser(site)
    token = csrf((await http.get("/logg-inn")).text)
    data = {"csrf": token, "username": username, "password": PASSWORD}
    assert (await http.post("/logg-inn", data=data)).status_code == 303
    learner = await http.get("/min-laering")
    assert 'href="/min-laering/utviklingsplan"' in learner.text
    page = await http.get("/min-laering/utviklingsplan")
    shown = main_text(page.text)
    assert page.status_code == 200 and "Lederen har satt målene" in shown
    token = csrf(page.text)
    agreed = await http.post(f"/min-laering/utviklingsplan/{YEAR}/enig", data={"csrf": token})
    assert agreed.status_code == 303
    shown = main_text((await http.get(agreed.headers["location"])).text)
    assert "Du er enig i planen." in shown and "Du og lederen din er enige" in shown
    bad = await http.post("/min-laering/utviklingsplan/behov", data={"csrf": token, "text": "x"})
    assert bad.status_code == 400 and "Kompetanseområde: må fylles ut" in main_text(bad.text)
    assert 'value="x"' not in bad.text and ">x</textarea>" in bad.text  # what was typed stays
    raised = await http.post(
        "/min-laering/utviklingsplan/behov",
        data={"csrf": token, "area": "arbeidsmarkedskunnskap", "text": "Mer om arbeidsmarkedet"},
    )
    assert raised.status_code == 303
    assert "Behovet er sendt" in (await http.get(raised.headers["location"])).text

    leader = Viewer("demo-leder", "leader", person="D000000", office="nav-sagene")
    [need] = [
        n
        for n in await development.office_needs(leader, "nav-sagene", "open")
        if n["person"] == person
    ]
    async with signed_in(site, "leader") as lead:
        page = await lead.get(f"{BASE}/{person}")
        assert "Mer om arbeidsmarkedet" in main_text(page.text)
        token = csrf(page.text)
        target = f"{BASE}/{person}/behov/{need['id']}"
        empty = await lead.post(target, data={"csrf": token, "action": "close", "answer": ""})
        assert empty.status_code == 400
        assert "Svar til den ansatte: må fylles ut" in main_text(empty.text)
        made = await lead.post(
            target, data={"csrf": token, "action": "goal", "due": f"01.02.{YEAR + 1}"}
        )
        assert made.status_code == 303
        shown = main_text((await lead.get(made.headers["location"])).text)
        assert "Behovet er gjort til et mål." in shown
        assert "Kompetanseområde: Arbeidsmarkedskunnskap" in shown
    shown = main_text((await http.get("/min-laering/utviklingsplan")).text)
    assert "Gjort til mål" in shown and "Lederen har satt målene" in shown  # agree again


@pytest.mark.parametrize(
    ("who", "method", "path"),
    [
        pytest.param("learner", "GET", BASE, id="learner-office"),
        pytest.param("learner", "GET", f"{BASE}/D000004", id="learner-a-plan"),
        pytest.param("learner", "POST", f"{BASE}/D000004/{YEAR}/samtale", id="learner-talk"),
        pytest.param("other-leader", "GET", BASE, id="other-leader-office"),
        pytest.param("other-leader", "GET", f"{BASE}/D000004", id="other-leader-plan"),
        pytest.param("other-leader", "POST", f"{BASE}/D000004/{YEAR}/mal", id="other-leader-goal"),
        pytest.param("coordinator", "GET", BASE, id="county-office"),
        pytest.param("coordinator", "GET", f"{BASE}/D000004", id="county-plan"),
        pytest.param("directorate", "GET", f"{BASE}/D000004", id="directorate-plan"),
        pytest.param("admin", "GET", BASE, id="admin-office"),
        pytest.param("admin", "POST", f"{BASE}/D000004/{YEAR}/samtale", id="admin-talk"),
        pytest.param("leader", "POST", f"{BASE}/D000000/{YEAR}/samtale", id="leader-own-plan"),
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
    page = "/min-laering/utviklingsplan"
    token = csrf((await http.get(page)).text) if method == "POST" else ""
    data = {"csrf": token, "day": f"01.03.{YEAR}", "summary": "x", "text": "x", "kind": "measure"}
    data |= {"measure": "x", "due": f"01.03.{YEAR + 1}"}
    response = await (http.post(path, data=data) if method == "POST" else http.get(path))
    assert response.status_code == 403, (path, response.status_code)
    assert "<main" in response.text  # a page, not a bare error


async def test_the_pages_in_english(site: FastAPI) -> None:
    async with signed_in(site, "leader") as http:
        http.cookies.set("kompetanse_lang", "en")
        shown = main_text((await http.get(BASE)).text)
        assert f"Development plans {YEAR}" in shown and "Open needs" in shown
        mine = main_text((await http.get("/min-laering/utviklingsplan")).text)
        assert "Raise a need" in mine and "You have no development plan yet." in mine
