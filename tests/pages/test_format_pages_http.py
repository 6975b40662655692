"""The Norwegian forms on the pages over HTTP, on the demo data: the catalog's periods in words
and counts with the right noun, and error pages in the chosen language naming the office,
county and package instead of their ids (and a person only to those who may see them)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from fastapi import FastAPI

from catalog import Viewer
from kompetanse.pages._errors import explain
from tests.pages.site import demo_app
from tests.pages.test_pages_http import csrf, main_text, signed_in

pytestmark = pytest.mark.anyio


@pytest.fixture(scope="module")
async def site(demo_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[FastAPI]:
    async with demo_app(demo_dir, tmp_path_factory.mktemp("format")) as application:
        yield application


async def test_the_catalog_in_words(site: FastAPI) -> None:
    async with signed_in(site, "learner") as http:
        package = main_text((await http.get("/katalog/ny-i-nav")).text)
        catalog = main_text((await http.get("/katalog")).text)
        http.cookies.set("kompetanse_lang", "en")
        english = main_text((await http.get("/katalog/ny-i-nav")).text)
    assert "Frist 6 måneder etter startdato" in package
    assert "P6M" not in package
    assert "25,5 timer" in package and "22,5 timer" in package
    assert "Deadline 6 months after the start date" in english and "25.5 hours" in english
    assert "2 moduler" in catalog
    assert " 1 moduler" not in catalog and " 1 timer" not in catalog


@pytest.mark.parametrize(
    ("role", "path", "status", "said", "english"),
    [
        pytest.param(
            "leader",
            "/kontoret/nav-frogner",
            403,
            "Du har ikke tilgang til NAV Frogner.",
            "You may not see NAV Frogner.",
            id="office",
        ),
        pytest.param(
            "leader",
            "/fylket/oslo",
            403,
            "Du har ikke tilgang til NAV Oslo.",
            "You may not see NAV Oslo.",
            id="county",
        ),
        pytest.param(
            "learner",
            "/katalog/dans",
            404,
            "Katalogen har ingen pakke «dans».",
            "The catalog has no package “dans”.",
            id="package",
        ),
        pytest.param(
            "leader",
            "/kontoret/nav-sagene/personer/D000001",
            403,
            "Du har ikke tilgang til denne personens opplysninger.",
            "You may not see this person's record.",
            id="person-elsewhere",
        ),
        pytest.param(
            "learner",
            "/nasjonalt",
            403,
            "Bare direktoratet og administratorer ser hele landet.",
            "Only the directorate and administrators see the whole country.",
            id="nation",
        ),
    ],
)
async def test_an_error_page_names_instead_of_ids(
    site: FastAPI, role: str, path: str, status: int, said: str, english: str
) -> None:
    async with signed_in(site, role) as http:
        response = await http.get(path)
        http.cookies.set("kompetanse_lang", "en")
        in_english = await http.get(path)
    assert response.status_code == status == in_english.status_code
    words = main_text(response.text)
    assert said in words
    assert "you may not" not in words and "no office" not in words and "Teknisk" not in words
    assert "D000001" not in words and "nav-frogner" not in words
    assert english in main_text(in_english.text).replace("&#39;", "'")


async def test_an_unknown_form_and_a_person_named_only_to_who_may_see_them(site: FastAPI) -> None:
    async with signed_in(site, "learner") as http:
        token = csrf((await http.get("/min-laering")).text)
        unknown = await http.post("/min-laering/laering/dans", data={"csrf": token})
    assert unknown.status_code == 404
    assert "Det finnes ikke noe registreringsskjema for «dans»." in main_text(unknown.text)
    reports = site.state.reports
    name = (await reports.store.person_document("D000001"))["name"]
    message = "D000001 has completed ny-i-nav/samling"
    county = Viewer("demo-fylke", "coordinator", region="oslo")
    elsewhere = Viewer("annet-fylke", "coordinator", region="vestland")
    seen = await explain(reports, county, 409, message, "nb")
    unseen = await explain(reports, elsewhere, 409, message, "en")
    assert seen.text == f"{name} har allerede fullført Samling i fylket i Ny i NAV."
    assert seen.detail is None
    assert (
        unseen.text == "The person has already completed County classroom gathering in New in NAV."
    )
    other = await explain(reports, county, 400, "seats: at least 1", "nb")
    assert (
        other.text == "Forespørselen kunne ikke behandles." and other.detail == "seats: at least 1"
    )
