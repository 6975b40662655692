"""Reading a catalog directory and reporting every error with its file and path.

A catalog directory holds::

    catalog.yaml        base_iri, name
    areas.yaml          areas: [...]       competence areas (a tree by `parent`)
    methods.yaml        methods: [...]     training methods
    roles.yaml          roles: [...]
    packages/*.yaml     one package per file

The product ships NAV's catalog in `catalog/nav/`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from catalog._model import CompetenceArea, Package, Role, TrainingMethod

NAV_CATALOG = Path(__file__).parent / "nav"
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class CatalogProblem:
    """One error: the file, the path inside it, and what is wrong."""

    file: str
    path: str
    message: str

    def __str__(self) -> str:
        return (
            f"{self.file}: {self.path}: {self.message}"
            if self.path
            else f"{self.file}: {self.message}"
        )


class CatalogInvalid(Exception):
    """The catalog has errors; `problems` lists every one."""

    def __init__(self, problems: list[CatalogProblem]) -> None:
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


@dataclass(frozen=True)
class Catalog:
    """A validated catalog; IRIs are derived from `base_iri` and ids, so they stay stable."""

    base_iri: str
    name: str
    areas: list[CompetenceArea]
    methods: list[TrainingMethod]
    roles: list[Role]
    packages: list[Package]
    files: dict[str, str] = field(default_factory=dict)  # package id -> file

    def iri(self, kind: str, item_id: str) -> str:
        """`kind` is packages, competence-areas, methods or roles."""
        return f"{self.base_iri}/{kind}/{item_id}"

    def package(self, package_id: str) -> Package:
        return next(p for p in self.packages if p.id == package_id)


def load_catalog(directory: Path = NAV_CATALOG) -> Catalog:
    """Read and check a catalog directory; CatalogInvalid lists every problem found."""
    problems: list[CatalogProblem] = []
    head = _read(directory / "catalog.yaml", problems) or {}
    areas = _items(directory / "areas.yaml", "areas", CompetenceArea, problems)
    methods = _items(directory / "methods.yaml", "methods", TrainingMethod, problems)
    roles = _items(directory / "roles.yaml", "roles", Role, problems)
    packages: list[Package] = []
    files: dict[str, str] = {}
    for path in sorted((directory / "packages").glob("*.yaml")):
        raw = _read(path, problems)
        if raw is None:
            continue
        package = _validate(Package, raw, _name(path), "", problems)
        if package is not None:
            packages.append(package)
            files[package.id] = _name(path)
    base_iri = head.get("base_iri") if isinstance(head, dict) else None
    if not isinstance(base_iri, str) or "://" not in base_iri:
        problems.append(CatalogProblem("catalog.yaml", "base_iri", "an absolute IRI is required"))
    problems += _cross_references(areas, methods, roles, packages, files)
    if problems:
        raise CatalogInvalid(problems)
    return Catalog(
        base_iri=str(base_iri).rstrip("/"),
        name=str(head.get("name", "")),
        areas=areas,
        methods=methods,
        roles=roles,
        packages=packages,
        files=files,
    )


def _name(path: Path) -> str:
    return f"{path.parent.name}/{path.name}" if path.parent.name == "packages" else path.name


def _read(path: Path, problems: list[CatalogProblem]) -> Any:
    try:
        return yaml.safe_load(path.read_text("utf-8"))
    except FileNotFoundError:
        problems.append(CatalogProblem(_name(path), "", "the file is missing"))
    except yaml.YAMLError as exc:
        problems.append(CatalogProblem(_name(path), "", f"not valid YAML: {exc}"))
    return None


def _items(path: Path, key: str, model: type[M], problems: list[CatalogProblem]) -> list[M]:
    raw = _read(path, problems)
    if raw is None:
        return []
    if not isinstance(raw, dict) or not isinstance(raw.get(key), list):
        problems.append(CatalogProblem(_name(path), key, f"a list under '{key}' is required"))
        return []
    found = []
    for index, item in enumerate(raw[key]):
        valid = _validate(model, item, _name(path), f"{key}[{index}]", problems)
        if valid is not None:
            found.append(valid)
    return found


def _validate(
    model: type[M], raw: Any, file: str, prefix: str, problems: list[CatalogProblem]
) -> M | None:
    try:
        return model.model_validate(raw)
    except ValidationError as error:
        for detail in error.errors():
            location = [prefix] if prefix else []
            for part in detail["loc"]:
                if isinstance(part, int):
                    location[-1:] = [f"{location[-1]}[{part}]"] if location else [f"[{part}]"]
                else:
                    location.append(str(part))
            message = detail["msg"].removeprefix("Value error, ")
            problems.append(CatalogProblem(file, ".".join(location), message))
        return None


def _cross_references(
    areas: list[CompetenceArea],
    methods: list[TrainingMethod],
    roles: list[Role],
    packages: list[Package],
    files: dict[str, str],
) -> list[CatalogProblem]:
    problems: list[CatalogProblem] = []
    problems += _duplicates("areas.yaml", "areas", (a.id for a in areas))
    problems += _duplicates("methods.yaml", "methods", (m.id for m in methods))
    problems += _duplicates("roles.yaml", "roles", (r.id for r in roles))
    area_ids = {a.id for a in areas}
    for index, area in enumerate(areas):
        if area.parent is not None and area.parent not in area_ids:
            problems.append(
                CatalogProblem(
                    "areas.yaml", f"areas[{index}].parent", f"no competence area '{area.parent}'"
                )
            )
    for index, entry in enumerate(roles):
        for required in entry.requires.levels if entry.requires else {}:
            if required not in area_ids:
                where = f"roles[{index}].requires.levels.{required}"
                problems.append(CatalogProblem("roles.yaml", where, "no such competence area"))
    method_ids = {m.id for m in methods}
    role_ids = {r.id for r in roles}
    seen: dict[str, str] = {}
    for package in packages:
        file = files[package.id]
        if package.id in seen:
            problems.append(
                CatalogProblem(file, "id", f"'{package.id}' is also in {seen[package.id]}")
            )
        seen[package.id] = file
        for index, area_id in enumerate(package.competence_areas):
            if area_id not in area_ids:
                problems.append(
                    CatalogProblem(
                        file, f"competence_areas[{index}]", f"no competence area '{area_id}'"
                    )
                )
        for index, module in enumerate(package.modules):
            if module.method not in method_ids:
                problems.append(
                    CatalogProblem(
                        file, f"modules[{index}].method", f"no training method '{module.method}'"
                    )
                )
        for index, audience in enumerate(package.audiences):
            for position, role in enumerate(audience.roles):
                if role not in role_ids:
                    problems.append(
                        CatalogProblem(
                            file, f"audiences[{index}].roles[{position}]", f"no role '{role}'"
                        )
                    )
    return problems


def _duplicates(file: str, key: str, ids: Iterable[str]) -> list[CatalogProblem]:
    seen: set[str] = set()
    problems = []
    for index, item_id in enumerate(ids):
        if item_id in seen:
            problems.append(
                CatalogProblem(file, f"{key}[{index}].id", f"'{item_id}' appears twice")
            )
        seen.add(item_id)
    return problems
