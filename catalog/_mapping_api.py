"""Competence mapping in the JSON API (`catalog._mapping`): an office's rounds, opened and
closed by its leader; one's own answer; the office's profile (JSON, or CSV/XLSX with Norwegian
headers, area names and dates as dd.mm.yyyy); the county's aggregates. Who may is decided in
`catalog._access`, through the service."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse

from catalog._api import ViewerDep, _tabular
from catalog._deps import json_object
from catalog._load import Catalog
from catalog._mapping import PROBLEMS, CompetenceMapping, parse_answer
from catalog.errors import Invalid

router = APIRouter(prefix="/api")


async def get_mapping(request: Request) -> CompetenceMapping:
    mapping: CompetenceMapping = request.app.state.catalog.mapping
    return mapping


MappingDep = Annotated[CompetenceMapping, Depends(get_mapping)]


@router.get("/offices/{office}/mapping-rounds")
async def rounds(office: str, viewer: ViewerDep, mapping: MappingDep) -> list[dict[str, Any]]:
    """The office's rounds, newest first: year, status, opened and closed (ISO), answered."""
    return await mapping.rounds(viewer, office)


@router.post("/offices/{office}/mapping-rounds", status_code=201)
async def open_round(office: str, viewer: ViewerDep, mapping: MappingDep) -> dict[str, Any]:
    """Open this year's round (or open it again); the office's leader only. 409 if open."""
    return await mapping.open_round(viewer, office)


@router.post("/offices/{office}/mapping-rounds/{year}/close")
async def close_round(
    office: str, year: int, viewer: ViewerDep, mapping: MappingDep
) -> dict[str, Any]:
    """Close the year's open round; the office's leader only. 409 if it is not open."""
    return await mapping.close_round(viewer, office, year)


@router.get("/offices/{office}/mapping-rounds/{year}/answers")
async def answers(
    office: str, year: int, viewer: ViewerDep, mapping: MappingDep
) -> list[dict[str, Any]]:
    """Everyone's answers in the round: the office's leader only."""
    return await mapping.answers(viewer, office, year)


@router.get("/offices/{office}/mapping-profile")
async def profile(
    office: str,
    viewer: ViewerDep,
    mapping: MappingDep,
    year: int | None = None,
    format: str = "json",
) -> Response:
    """The office's profile per area and per role against the required levels, beside last
    year's; in full for its leader, as aggregates of at least five people for the county."""
    found = await mapping.profile(viewer, office, year or mapping.today().year)
    if format == "json":
        return JSONResponse(found)
    columns, rows = profile_table(found, mapping.catalog)
    return _tabular(rows, columns, f"kartlegging-{office}-{found['year']}", format)


@router.get("/regions/{region}/mapping")
async def region(
    region: str, viewer: ViewerDep, mapping: MappingDep, year: int | None = None
) -> dict[str, Any]:
    """Every office of the county: its round and its aggregates (groups under five left out)."""
    return await mapping.region_profile(viewer, region, year or mapping.today().year)


@router.get("/me/mapping")
async def mine(viewer: ViewerDep, mapping: MappingDep) -> dict[str, Any]:
    """This year's round of one's office, one's answer in it, and every earlier answer."""
    return await mapping.mine(viewer)


@router.put("/me/mapping")
async def answer(request: Request, viewer: ViewerDep, mapping: MappingDep) -> dict[str, Any]:
    """One's answer: {"ratings": {area: 1-4}, "education": {"level", "field", "year"}}; again
    to change it while the round is open. 400 names every problem, 409 if no round is open."""
    body = await json_object(request, "ratings and education")
    ratings, education = body.get("ratings") or {}, body.get("education") or {}
    if not isinstance(ratings, dict) or not isinstance(education, dict):
        raise Invalid("ratings and education are objects", path="body")
    parsed, problems = parse_answer(mapping.catalog, ratings, education, mapping.today())
    if parsed is None:
        where, first = next(iter(problems.items()))
        rest = "; ".join(f"{path}: {PROBLEMS[key]}" for path, key in list(problems.items())[1:])
        raise Invalid(PROBLEMS[first] + (f"; {rest}" if rest else ""), path=where)
    return await mapping.answer(viewer, parsed)


@router.get("/people/{person}/mapping")
async def person(person: str, viewer: ViewerDep, mapping: MappingDep) -> list[dict[str, Any]]:
    """Every answer of the person, newest first: the person and their office's leader only."""
    return await mapping.person_answers(viewer, person)


# --- the export: a table people read ------------------------------------------------------------

COLUMNS = [
    "Kontor",
    "Kartlegging",
    "Åpnet",
    "Lukket",
    "Rolle",
    "Kompetanseområde",
    "Krevd nivå",
    "Antall",
    "Snitt",
    "Under krevd nivå",
    "Andel under (%)",
    "Ikke vurdert",
    "Snitt i fjor",
    "Under krevd nivå i fjor",
    "Merknad",
]


def profile_table(
    profile: dict[str, Any], catalog: Catalog
) -> tuple[list[str], list[dict[str, Any]]]:
    """The profile as rows in Norwegian: one per competence area (role "Alle"), then one per
    role and area it requires; numbers with a decimal comma, dates as dd.mm.yyyy, and a
    group under five left out with the reason in "Merknad"."""
    areas = {area.id: area.name.nb for area in catalog.areas}
    roles = {role.id: role.name.nb for role in catalog.roles}
    held = profile.get("round") or {}
    head = {
        "Kontor": profile["office_name"],
        "Kartlegging": profile["year"],
        "Åpnet": _day(held.get("opened_at")),
        "Lukket": _day(held.get("closed_at")),
    }
    left_out = "Utelatt: færre enn 5 personer"
    rows: list[dict[str, Any]] = []
    if profile.get("suppressed"):
        return COLUMNS, [{**head, "Rolle": "Alle", "Merknad": left_out}]
    for area in profile["areas"]:
        row = {**head, "Rolle": "Alle", "Kompetanseområde": areas[area["area"]]}
        if "suppressed" in area:
            rows.append({**row, "Merknad": left_out})
            continue
        rows.append(
            {
                **row,
                "Antall": area["answered"],
                "Snitt": _decimal(area["mean"]),
                "Snitt i fjor": _decimal(area.get("previous_mean")),
            }
        )
    for role in profile["roles"]:
        if "suppressed" in role:
            rows.append({**head, "Rolle": roles[role["role"]], "Merknad": left_out})
            continue
        for cell in role["areas"]:
            rows.append(
                {
                    **head,
                    "Rolle": roles[role["role"]],
                    "Kompetanseområde": areas[cell["area"]],
                    "Krevd nivå": cell["required"],
                    "Antall": cell["people"],
                    "Snitt": _decimal(cell["mean"]),
                    "Under krevd nivå": cell["below"],
                    "Andel under (%)": round(cell["share"] * 100),
                    "Ikke vurdert": cell["unrated"],
                    "Under krevd nivå i fjor": cell.get("previous_below"),
                }
            )
    return COLUMNS, rows


def _day(moment: str | None) -> str | None:
    if not moment:
        return None
    day = datetime.fromisoformat(moment).date() if "T" in moment else date.fromisoformat(moment)
    return day.strftime("%d.%m.%Y")


def _decimal(value: float | None) -> str | None:
    return None if value is None else f"{value:.1f}".replace(".", ",")
