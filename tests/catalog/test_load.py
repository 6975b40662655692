"""Loading a catalog directory: every error reported with its file and path."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from catalog import CatalogInvalid, load_catalog

AREAS = """areas:
  - id: basiskompetanse
    name: {nb: Basiskompetanse, en: Basic competence}
    dimensions: [knowledge]
    source: {seed: "000", section: "1"}
"""
METHODS = """methods:
  - id: e-laering
    name: {nb: E-læring, en: E-learning}
    description: {nb: Moduler, en: Modules}
    records: {nb: Fullført, en: Completed}
    dimensions: [knowledge]
    source: {seed: "000", section: "6.9"}
"""
ROLES = """roles:
  - id: leder
    name: {nb: Leder, en: Leader}
    source: {seed: "000", section: "3.2"}
"""
PACKAGE = """id: pakke
name: {nb: Pakke, en: Package}
description: {nb: En pakke, en: A package}
owner: directorate
competence_areas: [basiskompetanse]
audiences: [{priority: skal, roles: [leder]}]
modules:
  - id: modul
    name: {nb: Modul, en: Module}
    method: e-laering
    activities: ["https://kompetanse.nav.no/xapi/activities/pakke/modul"]
source: {illustrative: true}
"""


def write(directory: Path, package: str = PACKAGE, areas: str = AREAS) -> Path:
    (directory / "packages").mkdir(parents=True)
    (directory / "catalog.yaml").write_text("base_iri: https://kompetanse.nav.no/xapi\n")
    (directory / "areas.yaml").write_text(areas)
    (directory / "methods.yaml").write_text(METHODS)
    (directory / "roles.yaml").write_text(ROLES)
    (directory / "packages" / "pakke.yaml").write_text(package)
    return directory


def test_a_valid_catalog_loads(tmp_path: Path) -> None:
    catalog = load_catalog(write(tmp_path))
    assert [p.id for p in catalog.packages] == ["pakke"]
    assert catalog.iri("packages", "pakke") == "https://kompetanse.nav.no/xapi/packages/pakke"


@pytest.mark.parametrize(
    ("package", "expected"),
    [
        pytest.param(
            PACKAGE.replace("method: e-laering", "method: dans"),
            "packages/pakke.yaml: modules[0].method: no training method 'dans'",
            id="unknown-method",
        ),
        pytest.param(
            PACKAGE.replace("roles: [leder]", "roles: [sjef]"),
            "packages/pakke.yaml: audiences[0].roles[0]: no role 'sjef'",
            id="unknown-role",
        ),
        pytest.param(
            PACKAGE.replace("owner: directorate", "owner: kommune"),
            "packages/pakke.yaml: owner:",
            id="bad-owner",
        ),
        pytest.param(PACKAGE + "colour: blue\n", "packages/pakke.yaml: colour:", id="unknown-key"),
        pytest.param(
            PACKAGE.replace("source: {illustrative: true}", "source: {}"),
            "packages/pakke.yaml: source: name the seed",
            id="untraceable",
        ),
        pytest.param(
            PACKAGE + "due: {relative_to: start_date, period: 6 months}\n",
            "packages/pakke.yaml: due.period:",
            id="bad-period",
        ),
        pytest.param(
            PACKAGE.replace("roles: [leder]", "new_hires: true"),
            "packages/pakke.yaml: effective_from: audiences[0] has new_hires: true, so give the"
            " date the package took effect",
            id="new-hires-without-effective-from",
        ),
        pytest.param("id: [not, yaml", "packages/pakke.yaml: not valid YAML", id="broken-yaml"),
    ],
)
def test_errors_name_file_and_path(tmp_path: Path, package: str, expected: str) -> None:
    with pytest.raises(CatalogInvalid) as raised:
        load_catalog(write(tmp_path, package=package))
    assert any(str(problem).startswith(expected) for problem in raised.value.problems), [
        str(p) for p in raised.value.problems
    ]


def test_new_hires_are_counted_from_effective_from(tmp_path: Path) -> None:
    package = PACKAGE.replace("roles: [leder]", "new_hires: true") + "effective_from: 2024-01-01\n"
    [loaded] = load_catalog(write(tmp_path, package=package)).packages
    assert loaded.effective_from == date(2024, 1, 1)


def test_every_error_is_reported_not_just_the_first(tmp_path: Path) -> None:
    broken_areas = AREAS.replace("dimensions: [knowledge]", "dimensions: [luck]")
    package = PACKAGE.replace("method: e-laering", "method: dans")
    with pytest.raises(CatalogInvalid) as raised:
        load_catalog(write(tmp_path, package=package, areas=broken_areas))
    files = {problem.file for problem in raised.value.problems}
    assert {"areas.yaml", "packages/pakke.yaml"} <= files
