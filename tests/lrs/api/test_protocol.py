"""Version negotiation, authentication, scopes, limits and the error shape."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from kompetanse.app import create_app
from kompetanse.settings import Settings
from tests.conftest import make_client
from tests.lrs.api.helpers import agent, statement

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize(
    ("requested", "answered"),
    [
        pytest.param("1.0.3", "1.0.3", id="1.0.3"),
        pytest.param("1.0.0", "1.0.3", id="1.0.0"),
        pytest.param("2.0.0", "2.0.0", id="2.0.0"),
    ],
)
async def test_supported_versions_are_answered(app: FastAPI, requested: str, answered: str) -> None:
    async with make_client(app, version=requested) as http:
        response = await http.get("/xapi/statements")
    assert response.status_code == 200
    assert response.headers["X-Experience-API-Version"] == answered


@pytest.mark.parametrize("requested", ["", "0.9", "1.1.0", "3.0.0", "one"])
async def test_missing_or_unsupported_version_is_refused(app: FastAPI, requested: str) -> None:
    async with make_client(app, version=requested) as http:
        response = await http.post("/xapi/statements", json=statement())
    assert response.status_code == 400
    assert "X-Experience-API-Version" in response.json()["message"]
    assert "X-Experience-API-Version" in response.headers


async def test_about_needs_no_credentials(app: FastAPI) -> None:
    async with make_client(app, version="", auth=None) as http:
        response = await http.get("/xapi/about")
    assert response.status_code == 200
    assert set(response.json()["version"]) >= {"1.0.3", "2.0.0"}


@pytest.mark.parametrize(
    "auth",
    [
        pytest.param(None, id="none"),
        pytest.param(("test-key", "wrong"), id="wrong-secret"),
        pytest.param(("nobody", "secret"), id="unknown-key"),
    ],
)
async def test_requests_without_valid_credentials_get_401(
    app: FastAPI, auth: tuple[str, str] | None
) -> None:
    async with make_client(app, auth=auth) as http:
        response = await http.get("/xapi/statements")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Basic")


async def _credential(app: FastAPI, scopes: list[str], **extra: object) -> tuple[str, str]:
    credential, secret = await app.state.credentials.add(scopes=scopes, **extra)
    return credential.key, secret


async def test_read_scope_cannot_write_and_write_scope_cannot_read(app: FastAPI) -> None:
    reader = await _credential(app, ["statements/read"])
    writer = await _credential(app, ["statements/write"])
    async with make_client(app, auth=reader) as http:
        assert (await http.post("/xapi/statements", json=statement())).status_code == 403
        assert (await http.get("/xapi/statements")).status_code == 200
    async with make_client(app, auth=writer) as http:
        assert (await http.post("/xapi/statements", json=statement())).status_code == 200
        denied = await http.get("/xapi/statements")
        assert denied.status_code == 403
        assert "statements/read" in denied.json()["message"]


async def test_read_mine_sees_only_its_own_statements(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    platform = await _credential(
        app, ["statements/write", "statements/read/mine"], agent=agent("plattform")
    )
    async with make_client(app, auth=platform) as http:
        [own] = (await http.post("/xapi/statements", json=statement())).json()
        [other] = (await client.post("/xapi/statements", json=statement())).json()
        listed = [s["id"] for s in (await http.get("/xapi/statements")).json()["statements"]]
        assert listed == [own]
        hidden = await http.get("/xapi/statements", params={"statementId": other})
        assert hidden.status_code == 404
        shown = await http.get("/xapi/statements", params={"statementId": own})
        assert shown.json()["authority"]["mbox"] == "mailto:plattform@nav.example"


async def test_revoked_credential_is_refused_at_once(app: FastAPI) -> None:
    key, secret = await _credential(app, ["all"])
    async with make_client(app, auth=(key, secret)) as http:
        assert (await http.get("/xapi/statements")).status_code == 200
        await app.state.credentials.revoke(key)
        assert (await http.get("/xapi/statements")).status_code == 401


async def test_body_over_the_limit_gets_413(app: FastAPI, client: httpx.AsyncClient) -> None:
    limit = app.state.settings.limits.max_body_bytes
    response = await client.post(
        "/xapi/statements",
        content=b"[" + b" " * limit + b"]",
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert str(limit) in response.json()["message"]


async def test_unknown_route_uses_the_error_shape(client: httpx.AsyncClient) -> None:
    response = await client.get("/xapi/nothing-here")
    assert response.status_code == 404
    assert response.json()["error"] == "Not Found"


async def test_unversioned_request_is_answered_with_the_newest_version(app: FastAPI) -> None:
    async with make_client(app, version="") as http:
        response = await http.get("/xapi/statements")
    assert response.status_code == 400
    assert response.headers["X-Experience-API-Version"] == "2.0.0"


async def test_a_1_0_3_only_lrs_refuses_2_0(settings: Settings) -> None:
    settings.xapi_versions = ["1.0.3"]
    only = create_app(settings)
    async with only.router.lifespan_context(only):
        async with make_client(only, version="2.0.0") as http:
            refused = await http.get("/xapi/statements")
            assert refused.status_code == 400
            assert "1.0.x" in refused.json()["message"]
        async with make_client(only, version="") as http:
            unversioned = await http.get("/xapi/statements")
            assert unversioned.headers["X-Experience-API-Version"] == "1.0.3"
            assert (await http.get("/xapi/about")).json()["version"] == ["1.0.3"]


def test_versions_are_read_comma_separated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KOMPETANSE_XAPI_VERSIONS", "2.0.0, 1.0.3")
    assert Settings().xapi_versions == ["1.0.3", "2.0.0"]
    monkeypatch.setenv("KOMPETANSE_XAPI_VERSIONS", "0.9")
    with pytest.raises(ValueError, match="xapi_versions"):
        Settings()


async def test_errors_on_statement_reads_carry_consistent_through(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/xapi/statements", params={"limit": "many"})
    assert response.status_code == 400
    assert response.headers["X-Experience-API-Consistent-Through"].endswith("Z")


@pytest.mark.parametrize(
    "env",
    [
        pytest.param({"KOMPETANSE_BOOTSTRAP_KEY": "k"}, id="key-without-secret"),
        pytest.param(
            {"KOMPETANSE_BOOTSTRAP_KEY": "k", "KOMPETANSE_BOOTSTRAP_SECRET": "short"},
            id="short-secret",
        ),
    ],
)
def test_bootstrap_settings_are_checked(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str]
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match="KOMPETANSE_BOOTSTRAP"):
        Settings()
