"""The evaluation of training's pages over HTTP on the demo data (a Ny i NAV gathering eight
weeks ago: ten attended, seven evaluated, six followed up; D000009 has not evaluated):
the learner's list and form with its problems per field, the follow-up; the owners' results
(the directorate's package, the county's session) without names; every role's denials;
English."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from fastapi import FastAPI

from tests.pages.site import PASSWORD, demo_app
from tests.pages.test_pages_http import csrf, main_text, signed_in

pytestmark = pytest.mark.anyio
MINE = "/min-laering/evaluering"


@pytest.fixture(scope="module")
async def site(demo_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[FastAPI]:
    async with demo_app(demo_dir, tmp_path_factory.mktemp("evaluation")) as application:
        accounts = application.state.accounts
        await accounts.add_user("leder-frogner", PASSWORD, "leader", office="nav-frogner")
        await accounts.add_user("fylke-viken", PASSWORD, "coordinator", region="viken")
        await accounts.add_user("ansatt-3", PASSWORD, "learner", person="D000003")
        await accounts.add_user("ansatt-9", PASSWORD, "learner", person="D000009")
        yield application


async def gathering(site: FastAPI) -> str:
    sessions = await site.state.catalog.classroom.in_region("oslo")
    today = site.state.catalog.today()
    return next(s.id for s in sessions if s.package_id == "ny-i-nav" and s.last_day < today)


async def test_the_learner_evaluates_the_gathering(site: FastAPI) -> None:
    session = await gathering(site)
    async with signed_in(site, "ansatt-9") as http:
        home = await http.get("/min-laering")
        items = (await http.get("/api/me/evaluations")).json()["items"]
        waiting = sum(1 for item in items if item["awaits"])
        assert waiting >= 1  # the gathering at least
        assert f'href="{MINE}">Evaluering av opplæring ({waiting} venter)</a>' in home.text
        page = await http.get(MINE)
        assert page.status_code == 200
        shown = main_text(page.text)
        assert "Ny i NAV (samling " in shown and "Evaluer" in shown
        form_link = f"{MINE}/skjema?pakke=ny-i-nav&amp;samling={session}"
        assert form_link in page.text
        form = await http.get(form_link.replace("&amp;", "&"))
        assert form.status_code == 200 and "Samlet inntrykk" in form.text
        token = csrf(form.text)
        fields = {"csrf": token, "kind": "evaluation", "package": "ny-i-nav", "session": session}
        refused = await http.post(MINE, data={**fields, "overall": "9", "comment": "x" * 2001})
        assert refused.status_code == 400
        assert 'role="alert"' in refused.text
        assert re.search(r'id="evaluation-overall"[^>]*aria-invalid="true"', refused.text)
        assert re.search(r'id="evaluation-relevance"[^>]*aria-invalid="true"', refused.text)
        assert "høyst 2000 tegn" in refused.text
        no_token = await http.post(MINE, data={**fields, "csrf": "", "overall": "4"})
        assert no_token.status_code == 400
        saved = await http.post(MINE, data={**fields, "overall": "4", "relevance": "5"})
        assert saved.status_code == 303 and saved.headers["location"] == f"{MINE}?lagret=1"
        after = await http.get(saved.headers["location"])
        assert "Takk! Svaret ditt er lagret." in after.text and "Gitt " in main_text(after.text)
        twice = await http.post(MINE, data={**fields, "overall": "4", "relevance": "5"})
        assert twice.status_code in (303, 400)  # the form is gone: back to the list, or refused
        follow_up = await http.get(form_link.replace("&amp;", "&"))
        assert "Har opplæringen endret måten du jobber på?" in follow_up.text  # eight weeks on
        none = await http.post(
            MINE, data={**fields, "kind": "follow-up", "csrf": csrf(follow_up.text)}
        )
        assert none.status_code == 400
        assert re.search(r'id="evaluation-changed-yes"[^>]*aria-invalid="true"', none.text)
        done = await http.post(
            MINE,
            data={**fields, "kind": "follow-up", "changed": "partly", "csrf": token},
        )
        assert done.status_code == 303
        left = "Evaluering av opplæring" + (f" ({waiting - 1} venter)" if waiting > 1 else "")
        assert f'href="{MINE}">{left}</a>' in (await http.get("/min-laering")).text
        http.cookies.set("kompetanse_lang", "en")
        english = main_text((await http.get(MINE)).text)
        assert "Evaluation of training" in english and "Given " in english


async def test_the_owners_see_the_results_without_names(site: FastAPI) -> None:
    session = await gathering(site)
    async with signed_in(site, "coordinator") as http:
        region = await http.get("/fylket/oslo")
        assert 'href="/evaluering"' in region.text
        index = await http.get("/evaluering")
        assert index.status_code == 200 and f"/evaluering/samlinger/{session}" in index.text
        assert "/evaluering/pakker/kollegaveiledning-oslo" in index.text  # the county's own
        assert "/evaluering/pakker/ny-i-nav" not in index.text  # the directorate's
        held = await http.get(f"/fylket/oslo/samlinger/{session}")
        assert f'href="/evaluering/samlinger/{session}"' in held.text  # from the session's page
        page = await http.get(f"/evaluering/samlinger/{session}")
        assert page.status_code == 200
        shown = main_text(page.text)
        assert "Samlet inntrykk" in shown and "Snitt" in shown
        assert "Mer om arbeidsrettet oppfølging, takk." in shown  # the comments, no names
        assert "(demo)" not in shown and "D00000" not in shown
        assert "sier opplæringen endret arbeidet helt eller delvis" in shown
        assert f"/api/sessions/{session}/evaluations?format=csv" in page.text
        exported = await http.get(f"/api/sessions/{session}/evaluations", params={"format": "csv"})
        assert exported.status_code == 200 and "Endret praksis" in exported.text
    async with signed_in(site, "directorate") as http:
        page = await http.get("/evaluering/pakker/ny-i-nav")
        assert page.status_code == 200 and "Ny i NAV" in page.text
        assert "(demo)" not in main_text(page.text)
        http.cookies.set("kompetanse_lang", "en")
        english = main_text((await http.get("/evaluering/pakker/ny-i-nav")).text)
        assert "Evaluation results" in english and "say the training changed" in english


async def test_the_denials(site: FastAPI) -> None:
    session = await gathering(site)
    for who, path in (
        ("learner", "/evaluering"),
        ("learner", "/evaluering/pakker/ny-i-nav"),
        ("learner", f"/evaluering/samlinger/{session}"),
        ("leader", "/evaluering/pakker/ny-i-nav"),  # national: the directorate's
        ("leader", f"/evaluering/samlinger/{session}"),  # the county's
        ("leader", "/evaluering/pakker/kollegaveiledning-oslo"),
        ("leder-frogner", "/evaluering/pakker/kompetanseuke-nav-sagene"),  # another office's
        ("coordinator", "/evaluering/pakker/ny-i-nav"),
        ("coordinator", "/evaluering/pakker/kompetanseuke-nav-sagene"),
        ("fylke-viken", "/evaluering/pakker/kollegaveiledning-oslo"),  # another county's
        ("fylke-viken", f"/evaluering/samlinger/{session}"),
        ("directorate", "/evaluering/pakker/kompetanseuke-nav-sagene"),
    ):
        async with signed_in(site, who) as http:
            response = await http.get(path)
            assert response.status_code == 403, (who, path, response.status_code)
    async with signed_in(site, "leader") as http:
        own = await http.get("/evaluering/pakker/kompetanseuke-nav-sagene")
        assert own.status_code == 200  # the office's own package
    async with signed_in(site, "ansatt-3") as http:  # evaluated already: no form
        page = await http.get(MINE)
        assert "Gitt " in main_text(page.text)
        form = await http.get(f"{MINE}/skjema", params={"pakke": "ny-i-nav", "samling": session})
        assert form.status_code == 303
    async with signed_in(site, "admin") as http:  # admin has no person: cannot evaluate
        page = await http.get(MINE)
        assert page.status_code == 400
