"""The induction plans' pages over HTTP on the demo data (NAV Sagene: its template, a plan for
each new hire, the newest one's buddy named): the leader's page with what is late, the
template's items added (with the problems per field) and removed, a plan made by hand, a buddy
named; the buddy's "Mine nyansatte" and their confirmation (an xAPI statement); the new hire's
own plan; every role's denials; English."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tests.pages.site import PASSWORD, demo_app
from tests.pages.test_pages_http import csrf, main_text, signed_in

pytestmark = pytest.mark.anyio
BASE = "/kontoret/nav-sagene/nyansatte"
MARK = "/nyansatte/{newest}/punkter/ny-i-nav"


@pytest.fixture(scope="module")
async def site(demo_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[FastAPI]:
    async with demo_app(demo_dir, tmp_path_factory.mktemp("induction")) as application:
        accounts = application.state.accounts
        plans = await application.state.catalog.induction.store.plans_of("nav-sagene")
        assert plans and plans[0]["buddy"], "the demo names the newest new hire's buddy"
        newest, buddy = plans[0]["person"], plans[0]["buddy"]
        people = await application.state.catalog.store.people_of(office="nav-sagene")
        other = next(p["_id"] for p in people if p["_id"] not in (newest, buddy, "D000000"))
        await accounts.add_user("leder-frogner", PASSWORD, "leader", office="nav-frogner")
        await accounts.add_user("nyansatt", PASSWORD, "learner", person=newest)
        await accounts.add_user("fadder", PASSWORD, "learner", person=buddy)
        await accounts.add_user("kollega", PASSWORD, "learner", person=other)
        application.state.induction_people = {"newest": newest, "buddy": buddy, "other": other}
        yield application


def who(site: FastAPI, role: str) -> str:
    found: dict[str, str] = site.state.induction_people
    return found[role]


async def test_the_leader_sees_every_plan_and_what_is_late(site: FastAPI) -> None:
    async with signed_in(site, "leader") as http:
        office = await http.get("/kontoret/nav-sagene")
        assert f'href="{BASE}"' in office.text  # the link from Kontoret
        page = await http.get(BASE)
        assert page.status_code == 200
        shown = main_text(page.text)
        assert "Opplæringsplaner for nyansatte" in shown and "Kontorets mal" in shown
        assert "Brukersamtaler sammen med fadder" in shown and "Velkomstsamtale med leder" in shown
        assert "Forsinket" in shown  # some demo new hire's welcome talk is overdue
        assert "utført" in shown and "Fadder" in shown
        assert "induction-plans?format=csv" in page.text
        exported = await http.get("/api/offices/nav-sagene/induction-plans?format=csv")
        assert exported.status_code == 200 and "Forsinket" in exported.text


async def test_the_leader_keeps_the_template(site: FastAPI) -> None:
    async with signed_in(site, "leader") as http:
        token = csrf((await http.get(BASE)).text)
        data = {"csrf": token, "title_nb": "", "days": "mange", "responsible": "leader"}
        bad = await http.post(f"{BASE}/mal", data=data)
        assert bad.status_code == 400
        assert 'role="alert"' in bad.text and 'aria-invalid="true"' in bad.text
        shown = main_text(bad.text)
        assert "skriv en tittel" in shown and "et helt antall dager fra 0 til 365" in shown
        good = {
            "csrf": token,
            "title_nb": "Møte med tillitsvalgt",
            "days": "21",
            "responsible": "new_hire",
        }
        added = await http.post(f"{BASE}/mal", data=good)
        assert (added.status_code, added.headers["location"]) == (
            303,
            f"{BASE}?gjort=template#mal",
        )
        page = main_text((await http.get(added.headers["location"])).text)
        assert "Malen er lagret." in page and "Møte med tillitsvalgt" in page
        removed = await http.post(
            f"{BASE}/mal/fjern", data={"csrf": token, "item": "mote-med-tillitsvalgt"}
        )
        assert removed.status_code == 303
        assert "Møte med tillitsvalgt" not in main_text((await http.get(BASE)).text)


async def test_the_leader_makes_a_plan_and_names_a_buddy(site: FastAPI) -> None:
    other, buddy = who(site, "other"), who(site, "buddy")
    async with signed_in(site, "leader") as http:
        token = csrf((await http.get(BASE)).text)
        made = await http.post(f"{BASE}/plan", data={"csrf": token, "person": other})
        assert (made.status_code, made.headers["location"]) == (303, f"{BASE}?gjort=plan")
        named = await http.post(f"{BASE}/{other}/fadder", data={"csrf": token, "buddy": buddy})
        assert named.status_code == 303
        assert "Fadderen er lagret." in (await http.get(named.headers["location"])).text
        elsewhere = await http.post(
            f"{BASE}/{other}/fadder", data={"csrf": token, "buddy": "D000001"}
        )
        assert elsewhere.status_code == 400  # D000001 works at NAV Grünerløkka
    async with signed_in(site, "fadder") as http:
        shown = main_text((await http.get("/min-laering/nyansatte")).text)
        assert "Mine nyansatte" in shown and "Bekreft skulder ved skulder" in shown


async def test_the_buddy_confirms_learning_shoulder_to_shoulder(site: FastAPI) -> None:
    newest = who(site, "newest")
    async with signed_in(site, "fadder") as http:
        learner = await http.get("/min-laering")
        assert 'href="/min-laering/nyansatte"' in learner.text
        page = await http.get("/min-laering/nyansatte")
        token = csrf(page.text)
        action = f"/nyansatte/{newest}/punkter/fadder"
        assert f'action="{action}"' in page.text
        done = await http.post(action, data={"csrf": token, "tilbake": "/min-laering/nyansatte"})
        assert (done.status_code, done.headers["location"]) == (
            303,
            f"/min-laering/nyansatte?gjort=item#plan-{newest}",
        )
        shown = main_text((await http.get(done.headers["location"])).text)
        assert "Punktet er markert som utført." in shown and "bekreftet av fadder" in shown
        again = await http.post(action, data={"csrf": token})
        assert again.status_code == 409
    plan: dict[str, Any] | None = await site.state.catalog.induction.store.plan(newest)
    assert plan is not None
    item = next(i for i in plan["items"] if i["id"] == "fadder")
    stored = await site.state.statements.get(item["statement"], voided=False, credential_mine=None)
    assert stored["verb"]["id"].endswith("/completed")


async def test_the_new_hire_sees_their_own_plan(site: FastAPI) -> None:
    async with signed_in(site, "nyansatt") as http:
        learner = await http.get("/min-laering")
        assert 'href="/min-laering/opplaeringsplan"' in learner.text
        page = await http.get("/min-laering/opplaeringsplan")
        shown = main_text(page.text)
        assert "Min opplæringsplan" in shown and "Velkomstsamtale med leder" in shown
        token = csrf(page.text)
        newest = who(site, "newest")
        refused = await http.post(f"/nyansatte/{newest}/punkter/hospitering", data={"csrf": token})
        assert refused.status_code == 403  # the leader's item
        own = await http.post(f"/nyansatte/{newest}/punkter/navet", data={"csrf": token})
        assert own.status_code == 303
    async with signed_in(site, "learner") as http:  # D000001 has no plan
        assert (
            "Du har ingen opplæringsplan." in (await http.get("/min-laering/opplaeringsplan")).text
        )
        assert "Du er ikke fadder for noen nå." in (await http.get("/min-laering/nyansatte")).text


async def test_the_county_reads_the_plans_without_forms(site: FastAPI) -> None:
    async with signed_in(site, "coordinator") as http:
        page = await http.get(BASE)
        assert page.status_code == 200 and "Brukersamtaler sammen med fadder" in page.text
        assert "Lagre fadder" not in page.text and "Legg til et punkt" not in page.text


@pytest.mark.parametrize(
    ("user", "method", "path"),
    [
        pytest.param("learner", "GET", BASE, id="learner-office"),
        pytest.param("kollega", "GET", BASE, id="colleague-office"),
        pytest.param("fadder", "POST", f"{BASE}/mal", id="buddy-template"),
        pytest.param("leder-frogner", "GET", BASE, id="other-leader-office"),
        pytest.param("leder-frogner", "POST", f"{BASE}/plan", id="other-leader-plan"),
        pytest.param("coordinator", "POST", f"{BASE}/mal/fjern", id="county-template"),
        pytest.param("directorate", "POST", f"{BASE}/plan", id="directorate-plan"),
        pytest.param("admin", "POST", f"{BASE}/mal", id="admin-template"),
        pytest.param("kollega", "POST", MARK, id="colleague-marks"),
        pytest.param("coordinator", "POST", MARK, id="county-marks"),
        pytest.param("leder-frogner", "POST", MARK, id="other-leader-marks"),
    ],
)
async def test_denials(site: FastAPI, user: str, method: str, path: str) -> None:
    path = path.format(newest=who(site, "newest"))
    async with signed_in(site, user) as http:
        await _check(http, method, path)


async def _check(http: httpx.AsyncClient, method: str, path: str) -> None:
    token = csrf((await http.get("/katalog")).text) if method == "POST" else ""
    data = {"csrf": token, "person": "D000004", "item": "navet", "title_nb": "x", "days": "1"}
    response = await (http.post(path, data=data) if method == "POST" else http.get(path))
    assert response.status_code == 403, (path, response.status_code)
    assert "<main" in response.text  # a page, not a bare error


async def test_the_pages_in_english(site: FastAPI) -> None:
    async with signed_in(site, "leader") as http:
        http.cookies.set("kompetanse_lang", "en")
        shown = main_text((await http.get(BASE)).text)
        assert "Induction plans for new hires" in shown and "Add an item" in shown
        assert "User conversations with a buddy" in shown
