"""The office's competence plan's pages over HTTP on the demo data (NAV Sagene: this year's
plan approved with its representative's comment; NAV Grünerløkka: a draft): the leader's
page with progress, a new revision, priorities added from the basis with one click and by
the form (its problems per field), sent and approved; the representative comments; the
county's overview with the offices that have none; every role's denials; English."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import pytest
from fastapi import FastAPI

from tests.pages.site import PASSWORD, demo_app
from tests.pages.test_pages_http import csrf, main_text, signed_in

pytestmark = pytest.mark.anyio
YEAR = date.today().year
BASE = "/kontoret/nav-sagene/kompetanseplan"


@pytest.fixture(scope="module")
async def site(demo_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[FastAPI]:
    async with demo_app(demo_dir, tmp_path_factory.mktemp("plan")) as application:
        accounts = application.state.accounts
        await accounts.add_user(
            "demo-tillitsvalgt", PASSWORD, "representative", office="nav-sagene", person="D000004"
        )
        await accounts.add_user("tillit-frogner", PASSWORD, "representative", office="nav-frogner")
        await accounts.add_user("leder-frogner", PASSWORD, "leader", office="nav-frogner")
        await accounts.add_user("leder-grunerlokka", PASSWORD, "leader", office="nav-grunerlokka")
        yield application


async def test_the_leader_sees_the_approved_plan_and_its_progress(site: FastAPI) -> None:
    async with signed_in(site, "leader") as http:
        office = await http.get("/kontoret/nav-sagene")
        assert f'href="{BASE}"' in office.text  # the link from Kontoret
        page = await http.get(BASE)
        assert page.status_code == 200
        shown = main_text(page.text)
        assert f"Kompetanseplan {YEAR}" in shown and "Status: Godkjent" in shown
        assert "Godkjent " in shown and "av demo-leder" in shown
        assert "Hospitering hos NAV Frogner" in shown and "Kurs og samlinger" in shown
        assert "fullført" in shown and "timer i år" in shown  # progress from evidence
        assert "Ikke gjennomført" in shown
        assert "Vi støtter prioriteringene" in shown and "(tillitsvalgt)" in shown
        assert "Lag en ny revisjon" in shown and "Legg til en prioritering" not in shown
        assert "format=csv" in page.text
        token = csrf(page.text)
        marked = await http.post(
            f"{BASE}/prioriteringer/hospitering/gjennomfort",
            data={"csrf": token, "done": "1"},
        )
        assert (marked.status_code, marked.headers["location"]) == (
            303,
            f"{BASE}?gjort=marked#planen",
        )
        assert "Gjennomført " in main_text((await http.get(BASE)).text)
        frozen = await http.post(f"{BASE}/prioriteringer/aev/fjern", data={"csrf": token})
        assert frozen.status_code == 409  # approved: read only


async def test_a_draft_from_the_basis_sent_commented_and_approved(site: FastAPI) -> None:
    base = "/kontoret/nav-frogner/kompetanseplan"
    async with signed_in(site, "leder-frogner") as http:
        page = await http.get(base)
        shown = main_text(page.text)
        assert "Ingen plan" in shown and "Grunnlaget" in shown and "Påkrevde pakker" in shown
        token = csrf(page.text)
        assert "Legg til " in shown  # one click from a required package
        package = page.text.split('name="package" value="')[1].split('"')[0]
        hours = page.text.split(f'value="{package}"><input type="hidden" name="hours" value="')[1]
        quick = await http.post(
            f"{base}/prioriteringer",
            data={
                "csrf": token,
                "quick": "1",
                "kind": "package",
                "package": package,
                "hours": hours.split('"')[0],
            },
        )
        assert quick.status_code == 303, quick.text
        bad = await http.post(
            f"{base}/prioriteringer",
            data={"csrf": token, "kind": "measure", "measure": "", "hours": "mange"},
        )
        assert bad.status_code == 400
        assert 'role="alert"' in bad.text and 'id="cp-measure" name="measure"' in bad.text
        assert 'aria-invalid="true"' in bad.text and 'href="#cp-hours"' in bad.text
        assert "velg en opplæringsmetode" in bad.text
        added = await http.post(
            f"{base}/prioriteringer",
            data={
                "csrf": token,
                "kind": "measure",
                "measure": "Fagdag om AAP",
                "method": "kurs-og-samlinger",
                "hours": "7,5",
                "audience": "all",
            },
        )
        assert added.status_code == 303
        draft = main_text((await http.get(base)).text)
        assert "Fagdag om AAP" in draft and "7,5" in draft and "Status: Utkast" in draft
        sent = await http.post(f"{base}/send", data={"csrf": token})
        assert sent.status_code == 303
    async with signed_in(site, "tillit-frogner") as http:
        page = await http.get(base)
        assert page.status_code == 200 and "Sendt på høring" in main_text(page.text)
        assert "Grunnlaget" not in page.text and "Legg til" not in main_text(page.text)
        token = csrf(page.text)
        empty = await http.post(f"{base}/kommentarer", data={"csrf": token, "text": " "})
        assert empty.status_code == 400 and 'aria-invalid="true"' in empty.text
        said = await http.post(f"{base}/kommentarer", data={"csrf": token, "text": "Bra plan."})
        assert said.status_code == 303
        assert "Bra plan." in main_text((await http.get(base)).text)
        refused = await http.post(f"{base}/godkjenn", data={"csrf": token})
        assert refused.status_code == 403
    async with signed_in(site, "leder-frogner") as http:
        token = csrf((await http.get(base)).text)
        approved = await http.post(f"{base}/godkjenn", data={"csrf": token})
        assert approved.status_code == 303
        assert "Planen er godkjent." in main_text(
            (await http.get(approved.headers["location"])).text
        )


async def test_the_leader_changes_a_priority_of_the_draft(site: FastAPI) -> None:
    base = "/kontoret/nav-grunerlokka/kompetanseplan"
    async with signed_in(site, "leder-grunerlokka") as http:
        plan = (await http.get(f"/api/offices/nav-grunerlokka/competence-plans/{YEAR}")).json()
        first = plan["priorities"][0]
        page = await http.get(base)
        assert f'href="{base}?endre={first["id"]}#ny"' in page.text
        editing = await http.get(base, params={"endre": first["id"]})
        assert editing.status_code == 200
        form = editing.text[editing.text.index('id="ny"') :]
        assert "Endre prioriteringen" in form and f'name="id" value="{first["id"]}"' in form
        assert "Lagre endringen" in form and f'value="{first["method"]}" selected' in form
        token = csrf(editing.text)
        fields = {
            "csrf": token,
            "id": first["id"],
            "kind": first["kind"],
            first["kind"]: first[first["kind"]],
            "method": first["method"],
            "audience": "all",
        }
        bad = await http.post(f"{base}/prioriteringer", data={**fields, "hours": "mange"})
        assert bad.status_code == 400 and "Endre prioriteringen" in bad.text
        assert f'name="id" value="{first["id"]}"' in bad.text
        changed = await http.post(f"{base}/prioriteringer", data={**fields, "hours": "12,5"})
        assert changed.status_code == 303
        after = (await http.get(f"/api/offices/nav-grunerlokka/competence-plans/{YEAR}")).json()
        missing = await http.get(base, params={"endre": "nothing-of-the-kind"})
        frozen = await http.get(BASE, params={"endre": "aev"})  # another office's: refused
    assert len(after["priorities"]) == len(plan["priorities"])
    assert after["priorities"][0]["hours"] == 12.5 and after["priorities"][0]["id"] == first["id"]
    assert missing.status_code == 404 and frozen.status_code == 403
    async with signed_in(site, "leader") as http:
        approved = await http.get(BASE, params={"endre": "aev"})  # read only once approved
    async with signed_in(site, "demo-tillitsvalgt") as http:
        commenting = await http.get(BASE, params={"endre": "aev"})  # reads and comments only
    assert approved.status_code == 404 and commenting.status_code == 403


async def test_the_county_sees_every_office_and_those_without(site: FastAPI) -> None:
    async with signed_in(site, "coordinator") as http:
        county = await http.get("/fylket/oslo")
        assert 'href="/fylket/oslo/kompetanseplaner"' in county.text
        page = await http.get("/fylket/oslo/kompetanseplaner")
        assert page.status_code == 200
        shown = main_text(page.text)
        assert "NAV Sagene" in shown and "Godkjent" in shown and "Utkast" in shown
        assert f"Kontorer uten plan for {YEAR}" in shown and "NAV Gamle Oslo" in shown
        assert "format=csv" in page.text
        plan = await http.get(BASE)  # reads an office's plan
        assert plan.status_code == 200 and "Lag en ny revisjon" not in plan.text
        assert "Din kommentar" not in plan.text


async def test_english(site: FastAPI) -> None:
    async with signed_in(site, "leader") as http:
        http.cookies.set("kompetanse_lang", "en")
        shown = main_text((await http.get(BASE)).text)
        assert f"Competence plan {YEAR}" in shown and "Status: Approved" in shown
        assert "Training method" in shown


async def test_denials(site: FastAPI) -> None:
    async with signed_in(site, "learner") as http:
        assert (await http.get(BASE)).status_code == 403
        assert (await http.get("/fylket/oslo/kompetanseplaner")).status_code == 403
    async with signed_in(site, "leder-frogner") as http:
        assert (await http.get(BASE)).status_code == 403
        assert (await http.get("/fylket/oslo/kompetanseplaner")).status_code == 403
    async with signed_in(site, "tillit-frogner") as http:
        assert (await http.get(BASE)).status_code == 403
    async with signed_in(site, "demo-tillitsvalgt") as http:
        home = await http.get("/kompetanseplan")
        assert (home.status_code, home.headers["location"]) == (303, BASE)
        page = await http.get(BASE)
        assert page.status_code == 200 and 'href="/kompetanseplan"' in page.text
        for path in (
            "/kontoret/nav-sagene",
            "/kontoret/nav-frogner",
            "/kontoret/nav-sagene/kartlegging",
            "/kontoret/nav-sagene/personer/D000002",
            "/fylket/oslo",
            "/fylket/oslo/kompetanseplaner",
            "/api/offices/nav-sagene/matrix",
            "/api/offices/nav-sagene/competence-plan-basis",
            "/api/regions/oslo/competence-plans",
        ):
            response = await http.get(path)
            assert response.status_code == 403, (path, response.status_code)
        token = csrf(page.text)
        approved = await http.post(f"{BASE}/ny-revisjon", data={"csrf": token})
        assert approved.status_code == 403
    async with signed_in(site, "admin") as http:
        plan = await http.get(BASE)
        assert plan.status_code == 200 and "Lag en ny revisjon" not in plan.text


async def test_the_administrator_creates_a_representative_bound_to_an_office(
    site: FastAPI,
) -> None:
    async with signed_in(site, "admin") as http:
        form_page = await http.get("/admin/brukere")
        assert "Tillitsvalgt" in form_page.text  # the role to choose
        token = csrf(form_page.text)
        fields = {"csrf": token, "username": "ny-tillit", "role": "representative"}
        missing = await http.post(
            "/admin/brukere", data={**fields, "office": "", "person": "", "password": ""}
        )
        assert missing.status_code == 400
        assert "En tillitsvalgt må ha et kontor." in missing.text
        added = await http.post(
            "/admin/brukere",
            data={**fields, "office": "nav-sagene", "person": "", "password": PASSWORD},
        )
        assert added.status_code in (200, 303), added.text
    async with signed_in(site, "ny-tillit") as http:
        home = await http.get("/")
        assert home.headers["location"] == "/kompetanseplan"
        assert (await http.get(BASE)).status_code == 200
        assert (await http.get("/kontoret/nav-sagene")).status_code == 403
