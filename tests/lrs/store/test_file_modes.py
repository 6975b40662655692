"""The embedded store's files hold people, e-mail addresses and password and secret hashes:
the data directory is owner-only (0700) and every file in it 0600, whatever the umask."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from lrs.store import EmbeddedClient
from lrs.store._backup import backup

pytestmark = pytest.mark.anyio


@pytest.fixture
def loose_umask() -> Iterator[None]:
    previous = os.umask(0o022)  # the usual default: new files 0644, directories 0755
    yield
    os.umask(previous)


def modes(directory: Path) -> dict[str, int]:
    found = {".": stat.S_IMODE(directory.stat().st_mode)}
    found.update({p.name: stat.S_IMODE(p.stat().st_mode) for p in directory.iterdir()})
    return found


def owner_only(found: dict[str, int]) -> bool:
    return all(mode & 0o077 == 0 for mode in found.values())


@pytest.mark.usefixtures("loose_umask")
async def test_a_new_store_is_owner_only(tmp_path: Path) -> None:
    data = tmp_path / "data"
    client = EmbeddedClient(data)
    await client["db"]["people"].insert_one({"_id": "A1", "email": "kari@nav.no"})
    client.compact()  # writes snapshot.bson
    await client["db"]["people"].insert_one({"_id": "A2"})  # a new journal
    await client.aclose()
    found = modes(data)
    assert {"snapshot.bson", "LOCK"} <= found.keys()
    assert any(name.startswith("journal-") for name in found)
    assert found["."] == 0o700
    assert all(mode == 0o600 for name, mode in found.items() if name != ".")


@pytest.mark.usefixtures("loose_umask")
async def test_a_store_left_readable_by_others_is_tightened_at_start(tmp_path: Path) -> None:
    client = EmbeddedClient(tmp_path / "data")
    await client["db"]["people"].insert_one({"_id": "A1"})
    client.compact()
    await client.aclose()
    (tmp_path / "data").chmod(0o755)
    for path in (tmp_path / "data").iterdir():
        path.chmod(0o644)
    assert not owner_only(modes(tmp_path / "data"))
    again = EmbeddedClient(tmp_path / "data")
    assert owner_only(modes(tmp_path / "data"))
    assert await again["db"]["people"].count_documents({}) == 1
    await again.aclose()


@pytest.mark.usefixtures("loose_umask")
async def test_a_backup_is_owner_only(tmp_path: Path) -> None:
    client = EmbeddedClient(tmp_path / "data")
    await client["db"]["people"].insert_one({"_id": "A1"})
    backup(tmp_path / "data", tmp_path / "copy")
    await client.aclose()
    found = modes(tmp_path / "copy")
    assert len(found) > 1
    assert owner_only(found)
