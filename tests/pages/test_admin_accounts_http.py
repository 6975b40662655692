"""The administrators' pages for users and xAPI credentials over HTTP on the demo data: add a
user (a password given, or generated and shown once), change role and unit, reset the
password, disable and remove; add a credential with scopes (the secret shown once, and it
works against the LRS) and revoke it. Every change is audited with who made it; bad input
shows the form again with a message per field (400); every form checks its CSRF token; the
other roles are refused every page and every form (403)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from tests.pages.site import demo_app
from tests.pages.test_pages_http import browser, csrf, main_text, sign_in_form, signed_in

pytestmark = pytest.mark.anyio
PAGES = [
    "/admin",
    "/admin/brukere",
    "/admin/brukere/demo-leder",
    "/admin/xapi-nokler",
    "/admin/import",
    "/admin/ukjente-aktorer",
    "/admin/ukjente-aktiviteter",
]
FORMS = [
    ("/admin/brukere", {"username": "ny-bruker", "role": "directorate"}),
    ("/admin/brukere/demo-ansatt/rolle", {"role": "directorate"}),
    ("/admin/brukere/demo-ansatt/passord", {}),
    ("/admin/brukere/demo-ansatt/deaktiver", {}),
    ("/admin/brukere/demo-ansatt/fjern", {"confirm": "ja"}),
    ("/admin/xapi-nokler", {"label": "LMS", "scope:statements/write": "ja"}),
    ("/admin/xapi-nokler/ukjent/tilbakekall", {}),
    ("/admin/import/bekreft", {"upload": "x"}),
]
NEW_PASSWORD = "et-langt-passord-for-test"


@pytest.fixture
async def site(demo_dir: Path, tmp_path: Path) -> AsyncIterator[FastAPI]:
    async with demo_app(demo_dir, tmp_path) as application:
        yield application


async def token_of(http: httpx.AsyncClient, path: str = "/katalog") -> str:
    return csrf((await http.get(path)).text)


async def can_sign_in(site: FastAPI, username: str, password: str) -> bool:
    async with browser(site) as http:
        response = await sign_in_form(http, username=username, password=password)
    return response.status_code == 303


def shown_secret(page: str) -> str:
    codes = re.findall(r"<code>([^<]+)</code>", page)
    assert codes, "no secret on the page"
    return codes[-1]


async def audit(http: httpx.AsyncClient, **query: str) -> str:
    return (await http.get("/api/audit", params={**query, "format": "csv"})).text


@pytest.mark.parametrize("role", ["learner", "leader", "coordinator", "directorate"])
async def test_other_roles_are_refused_every_administration_page_and_form(
    site: FastAPI, role: str
) -> None:
    async with signed_in(site, role) as http:
        for path in PAGES:
            response = await http.get(path)
            assert response.status_code == 403, (path, response.status_code)
            assert "Du har ikke tilgang" in response.text
        token = await token_of(http)
        for path, data in FORMS:
            response = await http.post(path, data={"csrf": token, **data})
            assert response.status_code == 403, (path, response.status_code)
        upload = await http.post(
            "/admin/import",
            data={"csrf": token},
            files={"file": ("hr.csv", b"employee_id\n", "text/csv")},
        )
        assert upload.status_code == 403
    async with signed_in(site, "admin") as http:
        users = (await http.get("/admin/brukere")).text
    assert "ny-bruker" not in users and "demo-ansatt" in users


async def test_the_overview_links_every_page_and_shows_the_projection(site: FastAPI) -> None:
    async with signed_in(site, "admin") as http:
        national = await http.get("/nasjonalt")
        overview = await http.get("/admin")
        english = await http.get("/sprak?lang=en&neste=/admin")
        in_english = await http.get(english.headers["location"])
    assert '<a href="/admin"' in national.text  # the navigation
    assert overview.status_code == 200
    for path in PAGES[1:]:
        if path.count("/") == 2:
            assert f'href="{path}"' in overview.text, path
    assert 'href="/admin/revisjonslogg"' in overview.text
    text = main_text(overview.text)
    assert "Fullføringsberegningen" in text and "Etterslep (sekunder)" in text
    assert "6 brukere" in text  # the demo users, the representative among them
    assert "The completion projection" in main_text(in_english.text)


async def test_an_administrator_adds_a_user_with_a_generated_password_shown_once(
    site: FastAPI,
) -> None:
    async with signed_in(site, "admin") as http:
        token = await token_of(http, "/admin/brukere")
        added = await http.post(
            "/admin/brukere",
            data={
                "csrf": token,
                "username": "ny-leder",
                "role": "leader",
                "office": "nav-sagene",
                "region": "oslo",  # not a leader's: not kept
                "person": "",
                "password": "",
            },
        )
        password = shown_secret(added.text)
        page = await http.get("/admin/brukere/ny-leder")
        again = await http.get("/admin/brukere/ny-leder")
        log = await audit(http, person="ny-leder")
    assert added.status_code == 200, added.text
    assert "vises bare denne ene gangen" in added.text
    assert added.headers["cache-control"] == "no-store"
    assert len(password) >= 12 and password not in page.text and password not in again.text
    assert "NAV Sagene" in main_text(page.text) or "nav-sagene" in page.text
    assert await can_sign_in(site, "ny-leder", password)
    assert "account-changed" in log and "demo-admin" in log and "created" in log


async def test_a_user_with_a_given_password_and_the_list_filters(site: FastAPI) -> None:
    async with signed_in(site, "admin") as http:
        token = await token_of(http, "/admin/brukere")
        added = await http.post(
            "/admin/brukere",
            data={
                "csrf": token,
                "username": "ny-fylke",
                "role": "coordinator",
                "region": "oslo",
                "password": NEW_PASSWORD,
            },
        )
        confirmed = await http.get(added.headers["location"])
        by_role = await http.get("/admin/brukere", params={"rolle": "coordinator"})
        by_unit = await http.get("/admin/brukere", params={"enhet": "nav-sagene"})
        by_search = await http.get("/admin/brukere", params={"sok": "ANSATT"})
        nobody = await http.get("/admin/brukere", params={"sok": "ingen-slik"})
    assert added.status_code == 303
    assert "ny-fylke er lagt til." in main_text(confirmed.text)
    assert await can_sign_in(site, "ny-fylke", NEW_PASSWORD)
    listed = re.compile(r'href="/admin/brukere/([^"?]+)"')
    assert set(listed.findall(by_role.text)) == {"demo-fylke", "ny-fylke"}
    assert set(listed.findall(by_unit.text)) == {"demo-leder", "demo-tillitsvalgt"}
    assert set(listed.findall(by_search.text)) == {"demo-ansatt"}
    assert "Ingen brukere passer." in nobody.text


@pytest.mark.parametrize(
    ("fields", "problems"),
    [
        pytest.param(
            {"username": "x", "role": "learner", "person": ""},
            {"username": "Skriv 2–64 tegn", "person": "må høre til en person"},
            id="short-name-learner-without-person",
        ),
        pytest.param(
            {"username": "demo-leder", "role": "leader", "office": ""},
            {"username": "demo-leder finnes allerede.", "office": "En leder må ha et kontor."},
            id="taken-leader-without-office",
        ),
        pytest.param(
            {"username": "ny", "role": "coordinator", "region": "mars"},
            {"region": "mars er ikke kjent."},
            id="unknown-county",
        ),
        pytest.param(
            {"username": "ny", "role": "", "person": "X999", "password": "kort"},
            {
                "role": "Velg en rolle.",
                "person": "Ingen person har ansattnummer X999.",
                "password": "Minst 12 tegn.",
            },
            id="no-role-unknown-person-short-password",
        ),
    ],
)
async def test_bad_input_to_the_user_form_shows_a_message_per_field(
    site: FastAPI, fields: dict[str, str], problems: dict[str, str]
) -> None:
    async with signed_in(site, "admin") as http:
        token = await token_of(http, "/admin/brukere")
        response = await http.post("/admin/brukere", data={"csrf": token, **fields})
        users = (await http.get("/admin/brukere")).text
    assert response.status_code == 400
    for field, message in problems.items():
        assert re.search(f'id="ny-{field}-error">[^<]*{re.escape(message)}', response.text), field
        assert f'href="#ny-{field}"' in response.text
    assert 'aria-invalid="true"' in response.text
    assert "kort" not in response.text  # a password is never sent back
    if fields["username"] == "ny":
        assert 'href="/admin/brukere/ny"' not in users


async def test_every_form_checks_its_csrf_token(site: FastAPI) -> None:
    async with signed_in(site, "admin") as http:
        for path, data in FORMS:
            response = await http.post(path, data={**data, "csrf": "feil"})
            assert response.status_code == 400, path
            assert "<form" not in main_text(response.text) or path == "/admin/import/bekreft"
        upload = await http.post(
            "/admin/import", files={"file": ("hr.csv", b"employee_id\n", "text/csv")}
        )
        users = (await http.get("/admin/brukere")).text
    assert upload.status_code == 400
    assert "ny-bruker" not in users and "demo-ansatt" in users


async def test_an_administrator_changes_role_and_unit_and_the_sessions_end(site: FastAPI) -> None:
    async with signed_in(site, "leader") as leader:
        assert (await leader.get("/kontoret/nav-sagene")).status_code == 200
        async with signed_in(site, "admin") as http:
            token = await token_of(http, "/admin/brukere/demo-leder")
            bad = await http.post(
                "/admin/brukere/demo-leder/rolle",
                data={"csrf": token, "role": "coordinator", "region": ""},
            )
            changed = await http.post(
                "/admin/brukere/demo-leder/rolle",
                data={"csrf": token, "role": "coordinator", "region": "oslo", "person": ""},
            )
            confirmed = await http.get(changed.headers["location"])
            self_demotion = await http.post(
                "/admin/brukere/demo-admin/rolle", data={"csrf": token, "role": "directorate"}
            )
            log = await audit(http, person="demo-leder", action="account-changed")
        after = await leader.get("/kontoret/nav-sagene")
    assert bad.status_code == 400 and "En fylkeskoordinator må ha et fylke." in bad.text
    assert changed.status_code == 303
    assert "Endringen for demo-leder er lagret." in main_text(confirmed.text)
    assert "Fylkeskoordinator" in main_text(confirmed.text)
    assert after.status_code == 303  # the old session ended: to sign-in
    assert self_demotion.status_code == 400
    assert "Du kan ikke gjøre dette med din egen konto." in self_demotion.text
    assert "binding" in log and "demo-admin" in log


async def test_reset_disable_and_remove(site: FastAPI) -> None:
    async with signed_in(site, "admin") as http:
        token = await token_of(http, "/admin/brukere/demo-ansatt")
        reset = await http.post("/admin/brukere/demo-ansatt/passord", data={"csrf": token})
        password = shown_secret(reset.text)
        assert await can_sign_in(site, "demo-ansatt", password)
        disabled = await http.post("/admin/brukere/demo-ansatt/deaktiver", data={"csrf": token})
        page = await http.get(disabled.headers["location"])
        assert not await can_sign_in(site, "demo-ansatt", password)
        unconfirmed = await http.post("/admin/brukere/demo-ansatt/fjern", data={"csrf": token})
        removed = await http.post(
            "/admin/brukere/demo-ansatt/fjern", data={"csrf": token, "confirm": "ja"}
        )
        listing = await http.get(removed.headers["location"])
        gone = await http.get("/admin/brukere/demo-ansatt")
        not_myself = await http.post(
            "/admin/brukere/demo-admin/fjern", data={"csrf": token, "confirm": "ja"}
        )
        log = await audit(http, person="demo-ansatt")
    assert reset.status_code == 200 and "Nytt passord for demo-ansatt" in reset.text
    assert "demo-ansatt er deaktivert." in main_text(page.text) and "Deaktivert" in page.text
    assert unconfirmed.status_code == 400
    assert "Kryss av for at du vil fjerne kontoen." in unconfirmed.text
    assert "demo-ansatt er fjernet." in main_text(listing.text)
    assert gone.status_code == 404
    assert not_myself.status_code == 400
    for change in ("password", "disabled"):
        assert change in log
    assert "account-removed" in log


async def test_an_administrator_adds_a_credential_shown_once_and_revokes_it(
    site: FastAPI,
) -> None:
    async with signed_in(site, "admin") as http:
        token = await token_of(http, "/admin/xapi-nokler")
        bad = await http.post("/admin/xapi-nokler", data={"csrf": token, "label": " "})
        added = await http.post(
            "/admin/xapi-nokler",
            data={
                "csrf": token,
                "label": "Læringsplattform",
                "scope:statements/write": "ja",
                "scope:statements/read/mine": "ja",
            },
        )
        codes = re.findall(r"<code>([^<]+)</code>", added.text)
        key, secret = codes[0], codes[1]
        listing = await http.get("/admin/xapi-nokler")
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=site), base_url="http://sider.test"
        ) as lrs:
            about = {"X-Experience-API-Version": "1.0.3"}
            works = await lrs.get("/xapi/statements", auth=(key, secret), headers=about)
            revoked = await http.post(f"/admin/xapi-nokler/{key}/tilbakekall", data={"csrf": token})
            confirmed = await http.get(revoked.headers["location"])
            refused = await lrs.get("/xapi/statements", auth=(key, secret), headers=about)
        unknown = await http.post("/admin/xapi-nokler/ukjent/tilbakekall", data={"csrf": token})
        log = await audit(http, person=key)
    assert bad.status_code == 400
    assert "Skriv hvem eller hva som bruker nøkkelen." in bad.text
    assert "Velg minst én tilgang." in bad.text
    assert added.status_code == 200 and "vises bare denne ene gangen" in added.text
    assert key in listing.text and secret not in listing.text
    assert "statements/read/mine, statements/write" in listing.text
    assert works.status_code == 200
    assert revoked.status_code == 303
    assert "Nøkkelen Læringsplattform er tilbakekalt." in main_text(confirmed.text)
    assert key not in main_text(confirmed.text)
    assert refused.status_code == 401
    assert unknown.status_code == 404
    assert "credential-added" in log and "credential-revoked" in log and "demo-admin" in log


async def test_unmatched_actors_and_unmapped_activities_pages(site: FastAPI) -> None:
    async with signed_in(site, "admin") as http:
        actors_api = (await http.get("/api/unmatched-actors")).json()
        actors = await http.get("/admin/ukjente-aktorer")
        activities_api = (await http.get("/api/unmapped-activities")).json()
        activities = await http.get("/admin/ukjente-aktiviteter")
    assert actors.status_code == 200 and activities.status_code == 200
    for actor in actors_api:
        assert actor["key"] in actors.text
    for activity in activities_api:
        assert activity["activity"] in activities.text
    if not actors_api:
        assert "Alle aktører passer med en person." in actors.text
    assert "/api/unmapped-activities?format=csv" in activities.text


async def test_every_administration_page_reads_in_english(site: FastAPI) -> None:
    async with signed_in(site, "admin") as http:
        await http.get("/sprak?lang=en&neste=/admin")
        for path in PAGES:
            response = await http.get(path)
            assert response.status_code == 200, path
            assert '<html lang="en">' in response.text, path
        users = main_text((await http.get("/admin/brukere")).text)
        credentials = main_text((await http.get("/admin/xapi-nokler")).text)
        upload = main_text((await http.get("/admin/import")).text)
    assert "Add a user" in users and "6 of 6 users" in users
    assert "Create a credential" in credentials and "1 credential" in credentials
    assert "Check the file (dry run)" in upload
