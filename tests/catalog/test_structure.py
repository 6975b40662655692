"""The catalog's structure, read from its source with `ast` so that it stays so:

- its collections are reached only by the stores that own them; everyone else calls the
  stores' named methods (`CatalogStore.office(id)`, `people_of(office=...)`, ...);
- it raises its own errors (`catalog.errors`), never the LRS's (`lrs.errors`).

Tests may read the collections in their assertions, so `tests/` is not scanned.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "catalog"
SCANNED = [CATALOG, ROOT / "src" / "kompetanse", ROOT / "bench"]
# The modules that own collections of the catalog's database (they build them in __init__).
OWNERS = {
    CATALOG / f"{name}.py"
    for name in (
        "_store",
        "_statuses",
        "_classroom",
        "_accounts",
        "_exemptions",
        "_audit",
        "_projection",
        "_privacy",
    )
}
# The one use of the LRS's errors the catalog keeps: catching what the LRS's own agent
# validation raises (`lrs.model.validate_agent`), to report it as a row's problem.
CATCHES_LRS_ERRORS = {(CATALOG / "_people.py", "StatementInvalid")}


def modules(*roots: Path) -> list[Path]:
    return sorted(path for root in roots for path in root.rglob("*.py"))


def tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def owned_collections() -> tuple[set[str], set[str]]:
    """CatalogStore's collection attributes (`self.people = database["people"]`), and the name
    of every collection an owner keeps as its own (`self.events = database["exemption_events"]`)."""
    attributes: set[str] = set()
    names: set[str] = set()
    for path in OWNERS:
        for node in ast.walk(tree(path)):
            if not (
                isinstance(node, ast.Assign)
                and isinstance(node.value, ast.Subscript)
                and _ends_with(node.value.value, "database")
                and isinstance(node.value.slice, ast.Constant)
                and isinstance(node.value.slice.value, str)
                and any(
                    isinstance(t, ast.Attribute) and _ends_with(t.value, "self")
                    for t in node.targets
                )
            ):
                continue
            names.add(node.value.slice.value)
            if path.name == "_store.py":
                attributes.update(t.attr for t in node.targets if isinstance(t, ast.Attribute))
    return attributes, names


def _ends_with(node: ast.expr, name: str) -> bool:
    """`name`, `x.name`, `x.y.name`, or a name ending in it (`catalog_store`)."""
    if isinstance(node, ast.Name):
        return node.id.endswith(name)
    if isinstance(node, ast.Attribute):
        return node.attr.endswith(name)
    return False


def collection_reaches(path: Path, attributes: set[str], names: set[str]) -> list[str]:
    """Each line where `path` reaches a catalog collection: `store.people`, `x.store.offices`,
    `database["regions"]`, in the order of the source."""
    found = []
    for node in ast.walk(tree(path)):
        if (
            isinstance(node, ast.Attribute)
            and node.attr in attributes
            and _ends_with(node.value, "store")
        ):
            found.append((node.lineno, f".{node.attr}"))
        if (
            isinstance(node, ast.Subscript)
            and _ends_with(node.value, "database")
            and isinstance(node.slice, ast.Constant)
            and node.slice.value in names
        ):
            found.append((node.lineno, f"[{node.slice.value!r}]"))
    return [f"{path.name}:{line}: {what}" for line, what in sorted(found)]


def test_the_catalog_store_s_collections_are_known() -> None:
    attributes, names = owned_collections()
    assert {"people", "offices", "regions", "evidence", "assignments"} <= attributes
    assert {"people", "offices", "statuses", "users", "exemption_events"} <= names


@pytest.mark.parametrize(
    "path",
    [pytest.param(p, id=str(p.relative_to(ROOT))) for p in modules(*SCANNED) if p not in OWNERS],
)
def test_only_the_owners_reach_the_catalog_s_collections(path: Path) -> None:
    attributes, names = owned_collections()
    assert collection_reaches(path, attributes, names) == []


def test_the_scan_finds_a_collection_reached_directly(tmp_path: Path) -> None:
    attributes, names = owned_collections()
    module = tmp_path / "offender.py"
    module.write_text(
        "async def f(self, services, database):\n"
        "    await self.store.people.find_one({})\n"
        "    await services.catalog.store.offices.count_documents({})\n"
        "    await database['regions'].find({}).to_list()\n"
        "    await self.store.office('x')\n"  # a named method: fine
        "    await self.reports.people(None, None, None)\n"  # not a store: fine
    )
    assert collection_reaches(module, attributes, names) == [
        "offender.py:2: .people",
        "offender.py:3: .offices",
        "offender.py:4: ['regions']",
    ]


def lrs_error_imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(tree(path)):
        if isinstance(node, ast.ImportFrom) and node.module == "lrs.errors":
            found += [
                f"{path.relative_to(ROOT)}:{node.lineno}: {alias.name}"
                for alias in node.names
                if (path, alias.name) not in CATCHES_LRS_ERRORS
            ]
        if isinstance(node, ast.Import):
            found += [
                f"{path.relative_to(ROOT)}:{node.lineno}: {alias.name}"
                for alias in node.names
                if alias.name == "lrs.errors"
            ]
        if isinstance(node, ast.ImportFrom) and node.module == "lrs":
            found += [
                f"{path.relative_to(ROOT)}:{node.lineno}: lrs.{alias.name}"
                for alias in node.names
                if alias.name == "errors"
            ]
    return found


@pytest.mark.parametrize(
    "path", [pytest.param(p, id=str(p.relative_to(ROOT))) for p in modules(CATALOG)]
)
def test_the_catalog_raises_its_own_errors(path: Path) -> None:
    assert lrs_error_imports(path) == []
