"""The administration pages over HTTP on the demo data: a person's export and erasure, and the
audit log; administrators only (the other roles get a 403 page); a missing reason or a bad
date shows the form again with the message; the erasure form checks its CSRF token."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from fastapi import FastAPI

from tests.pages.site import demo_app
from tests.pages.test_pages_http import browser, csrf, main_text, signed_in

pytestmark = pytest.mark.anyio
PERSON = "D000001"  # the demo learner's person (demo-ansatt)


@pytest.fixture(scope="module")
async def shared(
    demo_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[FastAPI]:
    """One copy of the demo data for the tests that change nothing."""
    async with demo_app(demo_dir, tmp_path_factory.mktemp("admin-pages")) as application:
        yield application


@pytest.fixture
async def site(demo_dir: Path, tmp_path: Path) -> AsyncIterator[FastAPI]:
    """A copy of the demo data of its own: these tests erase people."""
    async with demo_app(demo_dir, tmp_path) as application:
        yield application


@pytest.mark.parametrize("role", ["learner", "leader", "coordinator", "directorate"])
@pytest.mark.parametrize(
    "path", ["/admin", f"/admin/personer/{PERSON}", "/admin/personer/X999", "/admin/revisjonslogg"]
)
async def test_only_administrators_see_the_administration_pages(
    shared: FastAPI, role: str, path: str
) -> None:
    async with signed_in(shared, role) as http:
        response = await http.get(path)
    assert response.status_code == 403, response.text
    assert "Du har ikke tilgang" in response.text


async def test_an_erasure_from_another_role_is_refused(site: FastAPI) -> None:
    async with signed_in(site, "leader") as http:
        token = csrf(
            (await http.get("/kontoret")).text if False else (await http.get("/katalog")).text
        )
        response = await http.post(
            f"/admin/personer/{PERSON}/sletting", data={"csrf": token, "reason": "Sluttet"}
        )
    assert response.status_code == 403
    async with signed_in(site, "admin") as http:
        assert (await http.get(f"/admin/personer/{PERSON}")).status_code == 200


async def test_without_a_session_the_pages_send_to_sign_in(site: FastAPI) -> None:
    async with browser(site) as http:
        response = await http.get("/admin/revisjonslogg")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/logg-inn?neste=/admin/revisjonslogg")


async def test_an_administrator_finds_a_person_and_downloads_the_export(site: FastAPI) -> None:
    async with signed_in(site, "admin") as http:
        national = await http.get("/nasjonalt")
        assert 'href="/admin"' in national.text
        looked_up = await http.get("/admin", params={"person": PERSON})
        assert looked_up.headers["location"] == f"/admin/personer/{PERSON}"
        page = await http.get(f"/admin/personer/{PERSON}")
        assert page.status_code == 200
        assert f'href="/api/people/{PERSON}/export" download' in page.text
        export = await http.get(f"/api/people/{PERSON}/export")
        missing = await http.get("/admin/personer/X999")
        english = await http.get("/sprak?lang=en&neste=/admin")
        english_page = await http.get(english.headers["location"])
        log = await http.get("/admin/revisjonslogg", params={"action": "export"})
    assert export.status_code == 200 and json.loads(export.text)["person"] == PERSON
    assert "attachment" in export.headers["content-disposition"]
    assert missing.status_code == 404
    assert "Find a person" in english_page.text and "The completion projection" in english_page.text
    assert log.status_code == 200
    assert f"<td>export</td><td>{PERSON}</td>" in log.text


async def test_an_erasure_needs_a_reason_and_the_token(site: FastAPI) -> None:
    async with signed_in(site, "admin") as http:
        page = await http.get(f"/admin/personer/{PERSON}")
        token = csrf(page.text)
        no_reason = await http.post(
            f"/admin/personer/{PERSON}/sletting", data={"csrf": token, "reason": "  "}
        )
        no_token = await http.post(f"/admin/personer/{PERSON}/sletting", data={"reason": "Sluttet"})
        still_there = await http.get(f"/admin/personer/{PERSON}")
    assert no_reason.status_code == 400
    assert "Skriv en begrunnelse for slettingen." in no_reason.text
    assert 'aria-invalid="true"' in no_reason.text
    assert no_token.status_code == 400 and "<form" not in main_text(no_token.text)
    assert still_there.status_code == 200


async def test_an_erasure_answers_its_receipt_and_the_log_shows_it(site: FastAPI) -> None:
    async with signed_in(site, "admin") as http:
        token = csrf((await http.get(f"/admin/personer/{PERSON}")).text)
        erased = await http.post(
            f"/admin/personer/{PERSON}/sletting",
            data={"csrf": token, "reason": "Sluttet, ba om sletting"},
        )
        gone = await http.get(f"/admin/personer/{PERSON}")
        again = await http.post(
            f"/admin/personer/{PERSON}/sletting", data={"csrf": token, "reason": "igjen"}
        )
        log = await http.get("/admin/revisjonslogg", params={"action": "erasure"})
        csv = await http.get("/api/audit", params={"action": "erasure", "format": "csv"})
    assert erased.status_code == 200, erased.text
    text = main_text(erased.text)
    assert "Kvittering for sletting" in text and "Sluttet, ba om sletting" in text
    receipt = next(w for w in text.split() if w.count("-") == 4 and len(w) == 36)
    assert gone.status_code == 404 and again.status_code == 404
    assert f"erased:{receipt}" in log.text
    assert 'href="/api/audit?action=erasure&amp;format=csv&amp;limit=100000"' in log.text
    assert f"erased:{receipt}" in csv.text


async def test_the_audit_log_filters_and_refuses_a_bad_date(site: FastAPI) -> None:
    async with signed_in(site, "leader"):
        pass  # a sign-in of demo-leder, in the log
    async with signed_in(site, "admin") as http:
        by_actor = await http.get(
            "/admin/revisjonslogg", params={"actor": "demo-leder", "action": "sign-in"}
        )
        nobody = await http.get("/admin/revisjonslogg", params={"actor": "ingen"})
        future = await http.get("/admin/revisjonslogg", params={"since": "2999-01-01"})
        bad = await http.get("/admin/revisjonslogg", params={"since": "i går"})
        typed = await http.get("/admin/revisjonslogg", params={"since": "01.01.2999"})
        today = await http.get("/admin/revisjonslogg", params={"since": "01.01.2000"})
    assert by_actor.status_code == 200
    assert "<td>demo-leder</td><td>sign-in</td>" in by_actor.text
    assert "<td>demo-admin</td>" not in by_actor.text
    assert 'value="demo-leder"' in by_actor.text and 'value="sign-in" selected' in by_actor.text
    assert "actor=demo-leder&amp;action=sign-in&amp;format=csv" in by_actor.text
    assert "Ingen oppføringer passer." in nobody.text and "Ingen oppføringer" in future.text
    assert bad.status_code == 400 and "Skriv datoen som dd.mm.åååå" in bad.text
    assert typed.status_code == 200 and "Ingen oppføringer" in typed.text  # dd.mm.yyyy too
    assert "Tidspunkt (UTC)" in today.text and "De nyeste: " in today.text
    assert re.search(r"<td>\d\d\.\d\d\.\d{4} \d\d:\d\d</td>", today.text)  # no ISO times
    assert 'id="since"' in bad.text  # the form again
