"""The storage seam: other packages reach the store only through `lrs.store`'s exports, and
both implementations offer every method of the seam's Protocols (mypy checks their types)."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

from pymongo.asynchronous.collection import AsyncCollection

import lrs.store
from lrs.store import Collection
from lrs.store._embedded import EmbeddedCollection

ROOT = Path(__file__).resolve().parents[3]
PRIVATE = re.compile(r"^\s*(from|import)\s+lrs\.store\._", re.MULTILINE)


def test_no_package_imports_the_stores_private_modules() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for folder in ("lrs", "catalog", "adapters", "src", "bench")
        for path in (ROOT / folder).rglob("*.py")
        if "lrs/store/" not in path.as_posix() and PRIVATE.search(path.read_text("utf-8"))
    ]
    assert offenders == []


def test_every_export_exists() -> None:
    assert all(hasattr(lrs.store, name) for name in lrs.store.__all__)


def test_both_collections_offer_every_method_of_the_seam() -> None:
    wanted = {
        name
        for name, member in inspect.getmembers(Collection)
        if not name.startswith("_") and callable(member)
    }
    assert {"find", "insert_many", "bulk_write", "create_index"} <= wanted
    for implementation in (EmbeddedCollection, AsyncCollection):
        assert wanted <= set(dir(implementation)), implementation
