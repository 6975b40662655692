"""The competence framework round-trips through CASE JSON and Moodle competency CSV."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from catalog import load_catalog
from catalog._frameworks import export_case, export_moodle_csv, import_case, import_moodle_csv
from tests.catalog.test_load import AREAS, write

TREE = """areas:
  - id: reformkritisk
    name: {nb: Reformkritisk kompetanse, en: Reform-critical competence}
    dimensions: [knowledge, skills]
    source: {seed: "000", section: "1"}
  - id: brukermedvirkning
    name: {nb: Brukermedvirkning, en: User participation}
    description: {nb: Brukerens stemme, en: The user's voice}
    parent: reformkritisk
    dimensions: [attitudes]
    source: {seed: "000", section: "3"}
""" + AREAS.removeprefix("areas:\n")


def test_case_round_trip(tmp_path: Path) -> None:
    catalog = load_catalog(write(tmp_path, areas=TREE))
    package = json.loads(json.dumps(export_case(catalog)))
    assert {item["humanCodingScheme"] for item in package["CFItems"]} == {
        "reformkritisk",
        "brukermedvirkning",
        "basiskompetanse",
    }
    assert export_case(catalog) == package  # identifiers are stable
    areas = {area.id: area for area in import_case(package)}
    assert areas["brukermedvirkning"].parent == "reformkritisk"
    assert areas["brukermedvirkning"].dimensions == ["attitudes"]
    assert areas["reformkritisk"].name.en == "Reform-critical competence"


def test_moodle_round_trip(tmp_path: Path) -> None:
    catalog = load_catalog(write(tmp_path, areas=TREE))
    text = export_moodle_csv(catalog)
    assert text.splitlines()[0].startswith("Parent ID number,ID number,Short name")
    areas = {area.id: area for area in import_moodle_csv(text)}
    assert set(areas) == {"reformkritisk", "brukermedvirkning", "basiskompetanse"}
    assert areas["brukermedvirkning"].parent == "reformkritisk"
    assert areas["reformkritisk"].dimensions == ["knowledge", "skills"]


@pytest.mark.parametrize(
    ("call", "data"),
    [
        pytest.param(import_case, {"CFDocument": {}}, id="case-without-items"),
        pytest.param(import_moodle_csv, "a,b\n1,2\n", id="csv-without-columns"),
    ],
)
def test_foreign_files_are_refused_clearly(call: object, data: object) -> None:
    with pytest.raises(ValueError, match="not a"):
        call(data)  # type: ignore[operator]
