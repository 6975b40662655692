"""Sign-in with an OpenID provider, against a real one on loopback (tests/oidc_provider.py:
Authlib's server, PKCE required): the flow, the claim mapping, and every refusal — a tampered,
expired or foreign token, a callback from another browser or used twice, a wrong PKCE
verifier — and the provider's own sign-out."""

from __future__ import annotations

import html
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from fastapi import FastAPI

from kompetanse.app import create_app
from kompetanse.settings import OidcSettings, Settings
from tests.oidc_provider import CLIENT_ID, CLIENT_SECRET, Provider, running_provider

pytestmark = pytest.mark.anyio
SITE = "http://site.test"
LEADER = {"preferred_username": "lise.leder", "roles": ["Kompetanse.Leder"], "office": "nav-sagene"}


@pytest.fixture
def provider(monkeypatch: pytest.MonkeyPatch) -> Iterator[Provider]:
    monkeypatch.setenv("AUTHLIB_INSECURE_TRANSPORT", "1")  # the provider is plain HTTP on loopback
    with running_provider() as running:
        yield running


@pytest.fixture
async def app(provider: Provider, tmp_path: Path) -> AsyncIterator[FastAPI]:
    settings = Settings(
        data_dir=tmp_path / "data",
        oidc=OidcSettings(issuer=provider.issuer, client_id=CLIENT_ID, client_secret=CLIENT_SECRET),
    )
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


def browser(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=SITE)


async def through_provider(
    http: httpx.AsyncClient, provider: Provider, claims: dict[str, Any], sub: str = "sub-1"
) -> tuple[httpx.Response, str]:
    """Start at the site, let the provider sign `claims` in, come back: (answer, callback)."""
    provider.user.subject, provider.user.claims = sub, claims
    start = await http.get("/logg-inn/oidc", params={"neste": "/katalog"})
    assert start.status_code == 303, start.text
    authorize = start.headers["location"]
    assert authorize.startswith(provider.issuer + "/authorize")
    asked = parse_qs(urlsplit(authorize).query)
    assert asked["code_challenge_method"] == ["S256"] and asked["nonce"] and asked["state"]
    async with httpx.AsyncClient() as outside:
        redirected = await outside.get(authorize)
    assert redirected.status_code == 302, redirected.text
    callback = redirected.headers["location"].removeprefix(SITE)
    assert callback.startswith("/logg-inn/oidc/tilbake?")
    return await http.get(callback), callback


async def test_a_leader_signs_in_with_the_provider_and_gets_their_office(
    app: FastAPI, provider: Provider
) -> None:
    async with browser(app) as http:
        form = await http.get("/logg-inn")
        assert "Logg inn med NAV-ID" in form.text
        answer, _ = await through_provider(http, provider, LEADER)
        assert answer.status_code == 303, answer.text
        assert answer.headers["location"] == "/katalog"
        me = (await http.get("/api/me")).json()
    assert me == {
        "username": "lise.leder",
        "role": "leader",
        "person": None,
        "office": "nav-sagene",
        "region": None,
    }
    signed = await app.state.accounts.audit.entries(action="sign-in", target="lise.leder")
    assert signed[0]["detail"]["method"] == "oidc"


@pytest.mark.parametrize(
    ("claims", "expected"),
    [
        pytest.param(
            {"preferred_username": "kari", "roles": ["Kompetanse.Ansatt"], "employee_id": "A1"},
            {"role": "learner", "person": "A1"},
            id="employee",
        ),
        pytest.param(
            {
                "preferred_username": "frida",
                "roles": ["Kompetanse.Ansatt", "Kompetanse.Fylke"],
                "employee_id": "F1",
                "region": "oslo",
            },
            {"role": "coordinator", "person": "F1", "region": "oslo"},
            id="the-highest-role-wins",
        ),
        pytest.param(
            {
                "preferred_username": "tove",
                "roles": ["Kompetanse.Ansatt", "Kompetanse.Tillitsvalgt"],
                "employee_id": "T1",
                "office": "nav-sagene",
            },
            {"role": "representative", "person": "T1", "office": "nav-sagene"},
            id="an-employee-representative",
        ),
        pytest.param(
            {"preferred_username": "dir", "roles": "Kompetanse.Direktorat"},
            {"role": "directorate"},
            id="one-role-as-a-string",
        ),
    ],
)
async def test_claims_map_to_roles_and_units(
    app: FastAPI, provider: Provider, claims: dict[str, Any], expected: dict[str, str]
) -> None:
    async with browser(app) as http:
        answer, _ = await through_provider(http, provider, claims)
        assert answer.status_code == 303, answer.text
        me = (await http.get("/api/me")).json()
    assert {k: me[k] for k in expected} == expected


@pytest.mark.parametrize(
    ("claims", "message"),
    [
        pytest.param(
            {"preferred_username": "x", "roles": ["Noe.Annet"]}, "has no role here", id="no-role"
        ),
        pytest.param(
            {"preferred_username": "y", "roles": ["Kompetanse.Leder"]},
            "no 'office' claim",
            id="leader-without-office",
        ),
        pytest.param({**LEADER, "aud": "another-client"}, "meant for another client", id="aud"),
        pytest.param({**LEADER, "exp": int(time.time()) - 3600}, "it has expired", id="expired"),
        pytest.param({**LEADER, "iss": "http://evil.example"}, "another issuer", id="issuer"),
    ],
)
async def test_a_token_or_claims_refused_give_no_session(
    app: FastAPI, provider: Provider, claims: dict[str, Any], message: str
) -> None:
    async with browser(app) as http:
        answer, _ = await through_provider(http, provider, claims)
        assert answer.status_code in (401, 403), answer.text
        assert message in html.unescape(answer.text)
        assert "kompetanse_session" not in answer.headers.get("set-cookie", "")
        assert (await http.get("/api/me")).status_code == 401
    refused = await app.state.accounts.audit.entries(action="sign-in-refused")
    assert message in refused[0]["detail"]["reason"]


async def test_a_tampered_token_is_refused(app: FastAPI, provider: Provider) -> None:
    provider.tamper = True  # the payload made admin after signing
    async with browser(app) as http:
        answer, _ = await through_provider(http, provider, LEADER)
        assert answer.status_code == 401
        assert "signature does not verify" in answer.text
        assert (await http.get("/api/me")).status_code == 401


async def test_a_callback_from_another_browser_or_used_twice_is_refused(
    app: FastAPI, provider: Provider
) -> None:
    async with browser(app) as victim:
        provider.user.claims = LEADER
        start = await victim.get("/logg-inn/oidc")
        async with httpx.AsyncClient() as outside:
            callback = (await outside.get(start.headers["location"])).headers["location"]
        async with browser(app) as attacker:  # has no state cookie: login CSRF
            forged = await attacker.get(callback.removeprefix(SITE))
        assert forged.status_code == 401 and "not started in this browser" in forged.text
        first = await victim.get(callback.removeprefix(SITE))
        assert first.status_code == 303
        again = await victim.get(callback.removeprefix(SITE))
        assert again.status_code == 401 and "start it again" in again.text  # its cookie is gone


async def test_a_callback_with_a_state_not_ascii_is_refused_not_a_500(
    app: FastAPI, provider: Provider
) -> None:
    async with browser(app) as http:
        await http.get("/logg-inn/oidc")  # the browser has a state cookie
        answer = await http.get("/logg-inn/oidc/tilbake", params={"state": "ø", "code": "x"})
    assert answer.status_code == 401 and "not started in this browser" in answer.text


async def test_a_wrong_pkce_verifier_is_refused_by_the_provider(
    app: FastAPI, provider: Provider
) -> None:
    async with browser(app) as http:
        provider.user.claims = LEADER
        start = await http.get("/logg-inn/oidc")
        await app.state.accounts.flows.update_many({}, {"$set": {"verifier": "x" * 64}})
        async with httpx.AsyncClient() as outside:
            callback = (await outside.get(start.headers["location"])).headers["location"]
        answer = await http.get(callback.removeprefix(SITE))
    assert answer.status_code == 401
    assert "answered 400" in answer.text and "invalid_grant" in answer.text


async def test_sign_out_ends_the_session_here_and_at_the_provider(
    app: FastAPI, provider: Provider
) -> None:
    async with browser(app) as http:
        answer, _ = await through_provider(http, provider, LEADER)
        assert answer.status_code == 303
        page = await http.get("/katalog")
        token = page.text.split('name="csrf" value="')[1].split('"')[0]
        out = await http.post("/logg-ut", data={"csrf": token})
        assert out.status_code == 303
        assert out.headers["location"].startswith(provider.issuer + "/logout?id_token_hint=")
        async with httpx.AsyncClient() as outside:
            back = await outside.get(out.headers["location"])
        assert back.headers["location"] == f"{SITE}/logg-inn?ut"
        assert (await http.get("/api/me")).status_code == 401
    assert provider.signed_out[0]["id_token_hint"].count(".") == 2


async def test_a_role_change_at_the_provider_ends_the_old_sessions(
    app: FastAPI, provider: Provider
) -> None:
    async with browser(app) as first, browser(app) as second:
        assert (await through_provider(first, provider, LEADER))[0].status_code == 303
        lowered = {**LEADER, "roles": ["Kompetanse.Ansatt"], "employee_id": "L1"}
        assert (await through_provider(second, provider, lowered))[0].status_code == 303
        assert (await first.get("/api/me")).status_code == 401
        assert (await second.get("/api/me")).json()["role"] == "learner"


async def test_a_local_account_is_not_taken_over(app: FastAPI, provider: Provider) -> None:
    await app.state.accounts.add_user("lise.leder", "et langt lokalt passord", "admin")
    async with browser(app) as http:
        answer, _ = await through_provider(http, provider, LEADER)
    assert answer.status_code == 403 and "a local account is named lise.leder" in answer.text


async def test_without_a_provider_there_is_no_provider_sign_in(tmp_path: Path) -> None:
    app = create_app(Settings(data_dir=tmp_path / "data"))
    async with app.router.lifespan_context(app), browser(app) as http:
        assert "NAV-ID" not in (await http.get("/logg-inn")).text
        assert (await http.get("/logg-inn/oidc")).status_code == 404
