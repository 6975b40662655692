"""The competence framework in exchange formats: 1EdTech CASE JSON and Moodle competency CSV.

CASE (Competencies and Academic Standards Exchange) 1.0: a CFPackage with one CFDocument, a
CFItem per competence area and `isChildOf` CFAssociations for the tree. Identifiers are UUID v5
from the area's IRI, so an export is stable. Moodle: the CSV of the "Import competency
framework" tool (tool_lpimportcsv), one row for the framework and one per competency.

The dimension (knowledge/skills/attitudes) travels as the CFItemType (CASE) or the taxonomy
column (Moodle); names in bokmål are the main text, English is kept in CASE's `notes`.
"""

from __future__ import annotations

import csv
import io
import uuid
from typing import Any

from catalog._load import Catalog
from catalog._model import CompetenceArea, Source, Text

_NAMESPACE = uuid.UUID("6f1c1f8e-3d1b-5b9e-9a51-2f4f3c1d0a77")
MOODLE_COLUMNS = [
    "Parent ID number",
    "ID number",
    "Short name",
    "Description",
    "Description format",
    "Scale values",
    "Scale configuration",
    "Rule type (optional)",
    "Rule outcome (optional)",
    "Rule config (optional)",
    "Cross-referenced competency ID numbers",
    "Exported ID (optional)",
    "Is framework",
    "Taxonomy",
]
_SCALE = "Ikke oppnådd,Oppnådd"
_SCALE_CONFIG = '[{"scaleid":"0"},{"id":2,"scaledefault":1,"proficient":1}]'


def _identifier(iri: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, iri))


def export_case(catalog: Catalog) -> dict[str, Any]:
    """The catalog's competence areas as a CASE CFPackage."""
    document_uri = catalog.iri("competence-areas", "")
    document_id = _identifier(document_uri)
    items = []
    associations = []
    for area in catalog.areas:
        iri = catalog.iri("competence-areas", area.id)
        items.append(
            {
                "identifier": _identifier(iri),
                "uri": iri,
                "humanCodingScheme": area.id,
                "fullStatement": area.name.nb,
                "notes": area.name.en,
                "abbreviatedStatement": area.description.nb if area.description else None,
                "CFItemType": ",".join(area.dimensions),
                "language": "nb",
                "lastChangeDateTime": "2026-11-23T00:00:00+00:00",
            }
        )
        parent_iri = catalog.iri("competence-areas", area.parent) if area.parent else document_uri
        associations.append(
            {
                "identifier": _identifier(f"{iri}#isChildOf"),
                "uri": f"{iri}#isChildOf",
                "associationType": "isChildOf",
                "originNodeURI": {
                    "title": area.name.nb,
                    "identifier": _identifier(iri),
                    "uri": iri,
                },
                "destinationNodeURI": {"identifier": _identifier(parent_iri), "uri": parent_iri},
                "lastChangeDateTime": "2026-11-23T00:00:00+00:00",
            }
        )
    for item in items:
        if item["abbreviatedStatement"] is None:
            del item["abbreviatedStatement"]
    return {
        "CFDocument": {
            "identifier": document_id,
            "uri": document_uri,
            "title": catalog.name or "Competence framework",
            "creator": catalog.base_iri,
            "language": "nb",
            "lastChangeDateTime": "2026-11-23T00:00:00+00:00",
        },
        "CFItems": items,
        "CFAssociations": associations,
    }


def import_case(package: dict[str, Any]) -> list[CompetenceArea]:
    """Competence areas from a CASE CFPackage (items, and their isChildOf parents)."""
    try:
        items = package["CFItems"]
        by_identifier = {item["identifier"]: item for item in items}
        parents: dict[str, str] = {}
        for association in package.get("CFAssociations", []):
            if association.get("associationType") == "isChildOf":
                child = association["originNodeURI"]["identifier"]
                parent = association["destinationNodeURI"]["identifier"]
                if parent in by_identifier:
                    parents[child] = by_identifier[parent]["humanCodingScheme"]
        return [
            CompetenceArea(
                id=item["humanCodingScheme"],
                name=Text(nb=item["fullStatement"], en=item.get("notes") or item["fullStatement"]),
                description=_text(item.get("abbreviatedStatement")),
                parent=parents.get(item["identifier"]),
                dimensions=_dimensions(item.get("CFItemType", "")),
                source=Source(illustrative=True),
            )
            for item in items
        ]
    except (KeyError, TypeError) as exc:
        raise ValueError(f"not a CASE CFPackage: missing {exc}") from exc


def export_moodle_csv(catalog: Catalog) -> str:
    """The framework as the CSV Moodle's competency framework import reads."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(MOODLE_COLUMNS)
    framework_id = "nav-kompetanse"
    writer.writerow(
        [
            "",
            framework_id,
            catalog.name or "Competence framework",
            "",
            "1",
            _SCALE,
            _SCALE_CONFIG,
            "",
            "",
            "",
            "",
            "",
            "1",
            "competency",
        ]
    )
    for area in catalog.areas:
        writer.writerow(
            [
                area.parent or "",
                area.id,
                area.name.nb,
                area.description.nb if area.description else "",
                "1",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                ",".join(area.dimensions),
            ]
        )
    return out.getvalue()


def import_moodle_csv(text: str) -> list[CompetenceArea]:
    """Competence areas from a Moodle competency framework CSV (the framework row skipped)."""
    rows = list(csv.DictReader(io.StringIO(text)))
    missing = {"ID number", "Short name", "Parent ID number"} - set(rows[0] if rows else {})
    if missing:
        raise ValueError(f"not a Moodle competency CSV: no column {sorted(missing)[0]!r}")
    areas = []
    for row in rows:
        if row.get("Is framework") == "1":
            continue
        areas.append(
            CompetenceArea(
                id=row["ID number"],
                name=Text(nb=row["Short name"], en=row["Short name"]),
                description=_text(row.get("Description")),
                parent=row["Parent ID number"] or None,
                dimensions=_dimensions(row.get("Taxonomy", "")),
                source=Source(illustrative=True),
            )
        )
    return areas


def _text(value: str | None) -> Text | None:
    return Text(nb=value, en=value) if value else None


def _dimensions(value: str) -> list[Any]:
    found = [part for part in value.split(",") if part in ("knowledge", "skills", "attitudes")]
    return found or ["knowledge"]
