"""Web accounts: passwords hashed slowly, sessions that expire and can be revoked."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from catalog._accounts import AccountStore
from lrs.store import EmbeddedClient

pytestmark = pytest.mark.anyio
PASSWORD = "korrekt hest batteri"


@pytest.fixture
async def accounts(tmp_path: Path) -> AsyncIterator[AccountStore]:
    client = EmbeddedClient(tmp_path)
    yield AccountStore(client["kompetanse"])
    await client.aclose()


async def test_sign_in_and_out(accounts: AccountStore) -> None:
    await accounts.add_user("lise", PASSWORD, "leader", person="L1", office="nav-sagene")
    stored = await accounts.users.find_one({"_id": "lise"})
    assert stored is not None and PASSWORD not in str(stored)
    assert stored["password_hash"].startswith("scrypt$")
    token = await accounts.sign_in("lise", PASSWORD)
    assert token is not None
    viewer = await accounts.viewer(token)
    assert viewer is not None and (viewer.role, viewer.office) == ("leader", "nav-sagene")
    assert await accounts.sessions.find_one({"_id": token}) is None  # only its digest is kept
    await accounts.sign_out(token)
    assert await accounts.viewer(token) is None


@pytest.mark.parametrize(
    ("username", "password"),
    [
        pytest.param("lise", "wrong password!", id="wrong-password"),
        pytest.param("nobody", PASSWORD, id="unknown-user"),
    ],
)
async def test_wrong_credentials_get_no_session(
    accounts: AccountStore, username: str, password: str
) -> None:
    await accounts.add_user("lise", PASSWORD, "leader", office="nav-sagene")
    assert await accounts.sign_in(username, password) is None


@pytest.mark.parametrize(
    ("role", "password", "unit", "message"),
    [
        pytest.param("king", PASSWORD, {}, "role", id="unknown-role"),
        pytest.param("learner", "short", {"person": "A1"}, "password", id="short-password"),
        pytest.param("leader", PASSWORD, {}, "office", id="leader-without-office"),
    ],
)
async def test_bad_users_are_refused(
    accounts: AccountStore, role: str, password: str, unit: dict[str, str], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        await accounts.add_user("x", password, role, **unit)


async def test_removing_a_user_ends_their_sessions(accounts: AccountStore) -> None:
    await accounts.add_user("kari", PASSWORD, "learner", person="A1")
    token = await accounts.sign_in("kari", PASSWORD)
    assert await accounts.remove_user("kari")
    assert await accounts.viewer(token) is None
