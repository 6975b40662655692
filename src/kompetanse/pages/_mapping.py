"""Kartlegging: the competence mapping's pages (`catalog._mapping`).

The employee answers on Min læring (a level per competence area on the described scale, and
their highest formal education), and sees their answers back; the office's leader opens and
closes the year's round and sees the office's profile per area and per role against the
required levels, the gaps by person and last year beside this year, and each person's answers;
the county (and the directorate) see the same profile as aggregates, every group under five
left out with the reason, and the county's page compares its offices. Forms carry the CSRF
token and answer with a redirect back and a confirmation.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse

from catalog._access import SMALLEST_GROUP
from catalog._load import Catalog
from catalog._mapping import EDUCATION, SCALE, parse_answer, rated_areas, required_levels
from catalog._mapping_api import MappingDep
from catalog.errors import Conflict, NotFound
from kompetanse.pages._format import number
from kompetanse.pages._i18n import Language, localized, text, words
from kompetanse.pages._web import PageRoute, ViewerDep, check_csrf, form, language, render

router = APIRouter(route_class=PageRoute, include_in_schema=False)

words(
    {
        "map_title": ("Kompetansekartlegging", "Competence mapping"),
        "map_link": ("Kompetansekartlegging", "Competence mapping"),
        "map_scale": ("Skalaen", "The scale"),
        "map_scale_intro": (
            "Vurder deg selv på hvert kompetanseområde. Svarene dine ser bare du og lederen "
            "din; fylket ser bare samlede tall for grupper på minst {n}.",
            "Rate yourself on each competence area. Only you and your leader see your "
            "answers; the county sees only totals for groups of at least {n}.",
        ),
        "map_none": ("Ikke vurdert", "Not rated"),
        "map_required_for_you": (
            "Krevd for rollen din: {level}",
            "Required for your role: {level}",
        ),
        "map_education": ("Formell utdanning", "Formal education"),
        "map_education_level": ("Høyeste fullførte utdanning", "Highest completed education"),
        "map_education_field": ("Fagområde", "Field"),
        "map_education_year": ("År fullført", "Year completed"),
        "map_education_year_hint": ("Fire sifre, for eksempel 2015.", "Four digits, e.g. 2015."),
        "map_save": ("Lagre svarene", "Save the answers"),
        "map_saved": (
            "Svarene dine er lagret. Du kan endre dem så lenge kartleggingen er åpen.",
            "Your answers are saved. You can change them while the mapping is open.",
        ),
        "map_problems": ("Svarene kunne ikke lagres:", "The answers could not be saved:"),
        "map_problem_level": ("velg et nivå fra 1 til 4, eller ingen", "choose 1 to 4, or none"),
        "map_problem_area": ("ukjent kompetanseområde", "no such competence area"),
        "map_problem_nothing": (
            "vurder minst ett kompetanseområde",
            "rate at least one competence area",
        ),
        "map_problem_education_level": ("velg en utdanning fra listen", "choose from the list"),
        "map_problem_education_needed": (
            "velg utdanningen, eller la fagområde og år stå tomme",
            "choose the education, or leave its field and year empty",
        ),
        "map_problem_field": ("høyst 200 tegn", "at most 200 characters"),
        "map_problem_year": ("et årstall fra 1950 til i år", "a year from 1950 to this year"),
        "map_ratings": ("Kompetanseområder", "Competence areas"),
        "map_no_round": (
            "Kontoret ditt har ingen åpen kartlegging nå. Lederen åpner den.",
            "Your office has no open mapping now. Your leader opens it.",
        ),
        "map_round_closed": (
            "Kartleggingen for {year} ble lukket {date}.",
            "The mapping of {year} closed {date}.",
        ),
        "map_round_open": (
            "Kartleggingen for {year} er åpen (fra {date}).",
            "The mapping of {year} is open (since {date}).",
        ),
        "map_round_none": (
            "Kartleggingen for {year} er ikke åpnet.",
            "The mapping of {year} is not open.",
        ),
        "map_your_answers": ("Dine svar", "Your answers"),
        "map_area": ("Kompetanseområde", "Competence area"),
        "map_level": ("Nivå", "Level"),
        "map_year": ("År", "Year"),
        "map_open": ("Åpne kartleggingen for {year}", "Open the mapping of {year}"),
        "map_close": ("Lukk kartleggingen for {year}", "Close the mapping of {year}"),
        "map_done_opened": ("Kartleggingen er åpnet.", "The mapping is open."),
        "map_done_closed": ("Kartleggingen er lukket.", "The mapping is closed."),
        "map_answered": ("{answered} av {people} har svart.", "{answered} of {people} answered."),
        "map_years": ("Kartlegginger", "Mappings"),
        "map_profile": ("Profil per kompetanseområde", "Profile per competence area"),
        "map_profile_caption": (
            "Antall svar, snitt og hvor mange på hvert nivå, {year} og året før.",
            "Answers, mean and how many at each level, {year} and the year before.",
        ),
        "map_answers": ("Svar", "Answers"),
        "map_mean": ("Snitt", "Mean"),
        "map_mean_before": ("Snitt {year}", "Mean {year}"),
        "map_change": ("Endring", "Change"),
        "map_needs": ("Behov per kompetanseområde", "Needs per competence area"),
        "map_needs_caption": (
            "Blant dem som har en rolle med krav til området: hvor mange som er under nivået "
            "rollen krever, størst andel først.",
            "Among those whose role has a requirement in the area: how many are below the "
            "level the role requires, the largest share first.",
        ),
        "map_needs_people": ("Med krav", "With a requirement"),
        "map_roles": ("Roller mot krevd nivå", "Roles against the required level"),
        "map_role_caption": (
            "{role}: {people}. Krevd nivå per område, og hvor mange som er under.",
            "{role}: {people}. The required level per area, and how many are below it.",
        ),
        "map_required": ("Krevd nivå", "Required"),
        "map_below": ("Under krevd nivå", "Below the required level"),
        "map_share": ("Andel under", "Share below"),
        "map_below_before": ("Under i {year}", "Below in {year}"),
        "map_unrated": ("Ikke vurdert", "Not rated"),
        "map_gaps": ("Gap per person", "Gaps by person"),
        "map_gaps_caption": (
            "Hvem som har vurdert seg under nivået en rolle de har krever, flest gap først.",
            "Who rated themselves below the level a role of theirs requires, most gaps first.",
        ),
        "map_gap_areas": (
            "Under krevd nivå (eget av krevd)",
            "Below the required (own of required)",
        ),
        "map_gap_of": ("{area}: {level} av {required}", "{area}: {level} of {required}"),
        "map_no_gaps": ("Ingen er under krevd nivå.", "No one is below the required level."),
        "map_person": ("Person", "Person"),
        "map_role": ("Rolle", "Role"),
        "map_own_level": ("Eget nivå", "Own level"),
        "map_who": ("Hvem som har svart", "Who answered"),
        "map_waiting": ("Ikke svart ennå ({n})", "Not answered yet ({n})"),
        "map_left_out": ("Utelatt", "Left out"),
        "map_left_out_why": (
            "Tall for grupper på færre enn {n} personer vises ikke utenfor kontoret, så ingen "
            "kan kjennes igjen.",
            "Figures for groups of fewer than {n} people are not shown outside the office, so "
            "no one can be recognised.",
        ),
        "map_download": ("Last ned profilen:", "Download the profile:"),
        "map_education_profile": ("Utdanning", "Education"),
        "map_person_title": ("Kartlegging: {name}", "Mapping: {name}"),
        "map_back": ("Tilbake til kartleggingen", "Back to the mapping"),
        "map_region_caption": (
            "Snitt per kontor og kompetanseområde, {year}. Kontorer med færre enn {n} svar er "
            "utelatt.",
            "Mean per office and competence area, {year}. Offices with fewer than {n} answers "
            "are left out.",
        ),
        "map_office": ("Kontor", "Office"),
        "map_status": ("Status", "Status"),
        "map_status_open": ("Åpen", "Open"),
        "map_status_closed": ("Lukket", "Closed"),
        "map_status_none": ("Ikke åpnet", "Not opened"),
        "map_nothing_yet": ("Ingen har svart ennå.", "No one has answered yet."),
    }
)


def scale(lang: Language) -> list[tuple[int, str]]:
    return [(level, localized(name.model_dump(), lang)) for level, name in SCALE.items()]


def _areas(catalog: Catalog) -> list[tuple[str, list[Any]]]:
    """The rated areas grouped under their top area: (top area id, [areas])."""
    parents = {area.id: area.parent for area in catalog.areas}

    def top(area_id: str) -> str:
        while parents.get(area_id):
            area_id = str(parents[area_id])
        return area_id

    groups: dict[str, list[Any]] = {}
    for area in rated_areas(catalog):
        groups.setdefault(top(area.id), []).append(area)
    return list(groups.items())


def _common(request: Request, catalog: Catalog) -> dict[str, Any]:
    lang = language(request)
    return {
        "scale": scale(lang),
        "level_name": dict(scale(lang)),
        "education_levels": [
            (key, localized(name.model_dump(), lang)) for key, name in EDUCATION.items()
        ],
        "decimal": lambda value: "–" if value is None else number(value, lang),
        "smallest": SMALLEST_GROUP,
    }


# --- Min læring: one's own answers ----------------------------------------------------------------


@router.get("/min-laering/kartlegging")
async def my_mapping(request: Request, viewer: ViewerDep, mapping: MappingDep) -> Response:
    return await _learner_page(request, viewer, mapping)


async def _learner_page(
    request: Request,
    viewer: Any,
    mapping: Any,
    status_code: int = 200,
    values: dict[str, str] | None = None,
    problems: dict[str, str] | None = None,
) -> Response:
    mine = await mapping.mine(viewer)
    catalog = mapping.catalog
    person = await mapping.people.person_document(mine["person"])
    needed: dict[str, int] = {}
    for role, levels in required_levels(catalog).items():
        if role in person.get("roles", []):
            for area, level in levels.items():
                needed[area] = max(needed.get(area, 0), level)
    answer = mine["answer"]
    if values is None:
        values = {}
        if answer:
            values = {f"ratings.{k}": str(v) for k, v in answer["ratings"].items()}
            education = answer["education"] or {}
            values["education.level"] = education.get("level") or ""
            values["education.field"] = education.get("field") or ""
            values["education.year"] = str(education.get("year") or "")
    lang = language(request)
    saved = request.query_params.get("lagret") == "1" and answer is not None
    return render(
        request,
        "mapping_learner.html",
        viewer,
        status_code,
        mine=mine,
        groups=_areas(catalog),
        needed=needed,
        values=values,
        problems={k: text(f"map_problem_{v}", lang) for k, v in (problems or {}).items()},
        confirmation=text("map_saved", lang) if saved else None,
        areas_by_id={area.id: area for area in catalog.areas},
        **_common(request, catalog),
    )


@router.post("/min-laering/kartlegging")
async def save_my_mapping(request: Request, viewer: ViewerDep, mapping: MappingDep) -> Response:
    fields = await form(request)
    check_csrf(request, fields)
    ratings = {k.removeprefix("ratings."): v for k, v in fields.items() if k.startswith("ratings.")}
    education = {
        k.removeprefix("education."): v for k, v in fields.items() if k.startswith("education.")
    }
    answer, problems = parse_answer(mapping.catalog, ratings, education, mapping.today())
    if answer is None:
        return await _learner_page(request, viewer, mapping, 400, fields, problems)
    await mapping.answer(viewer, answer)
    return RedirectResponse("/min-laering/kartlegging?lagret=1#svar", status_code=303)


# --- Kontoret: the round and the office's profile ------------------------------------------------


@router.get("/kontoret/{office}/kartlegging")
async def office_mapping(
    office: str, request: Request, viewer: ViewerDep, mapping: MappingDep
) -> Response:
    this_year = mapping.today().year
    chosen = request.query_params.get("ar", "")
    year = int(chosen) if chosen.isdigit() and len(chosen) == 4 else this_year
    profile = await mapping.profile(viewer, office, year)
    rounds = await mapping.rounds(viewer, office)
    held = next((r for r in rounds if r["year"] == year), None)
    answered: list[dict[str, Any]] = []
    waiting: list[dict[str, Any]] = []
    if profile["individual"]:
        people = await mapping.people.people_of(office=office)
        names = {p["_id"]: p.get("name", p["_id"]) for p in people}
        answered = [
            {"person": a["person"], "name": names.get(a["person"], a["person"])}
            for a in await mapping.answers(viewer, office, year)
        ]
        responded = {a["person"] for a in answered}
        waiting = [{"person": p, "name": n} for p, n in names.items() if p not in responded]
    by_person: dict[str, dict[str, Any]] = {}
    for gap in profile["gaps"] or []:
        entry = by_person.setdefault(gap["person"], {**gap, "roles": [], "gaps": []})
        if gap["role"] not in entry["roles"]:
            entry["roles"].append(gap["role"])
        same = next((g for g in entry["gaps"] if g["area"] == gap["area"]), None)
        if same is None:
            entry["gaps"].append(gap)
        elif gap["required"] > same["required"]:  # two roles of theirs ask for the area
            entry["gaps"][entry["gaps"].index(same)] = gap
    done = request.query_params.get("gjort")
    lang = language(request)
    return render(
        request,
        "mapping_office.html",
        viewer,
        profile=profile,
        rounds=rounds,
        held=held,
        year=year,
        this_year=this_year,
        answered=answered,
        waiting=waiting if held else [],
        gaps=sorted(by_person.values(), key=lambda e: (-len(e["gaps"]), e["name"])),
        confirmation=text(f"map_done_{done}", lang) if done in ("opened", "closed") else None,
        **_common(request, mapping.catalog),
    )


@router.post("/kontoret/{office}/kartlegging/apne")
async def open_round(
    office: str, request: Request, viewer: ViewerDep, mapping: MappingDep
) -> Response:
    check_csrf(request, await form(request))
    await mapping.open_round(viewer, office)
    return RedirectResponse(f"/kontoret/{office}/kartlegging?gjort=opened", status_code=303)


@router.post("/kontoret/{office}/kartlegging/lukk")
async def close_round(
    office: str, request: Request, viewer: ViewerDep, mapping: MappingDep
) -> Response:
    fields = await form(request)
    check_csrf(request, fields)
    year = fields.get("ar", "")
    if not (year.isdigit() and len(year) == 4):
        raise Conflict("no such mapping round to close")
    await mapping.close_round(viewer, office, int(year))
    return RedirectResponse(f"/kontoret/{office}/kartlegging?gjort=closed", status_code=303)


@router.get("/kontoret/{office}/kartlegging/personer/{person}")
async def person_mapping(
    office: str, person: str, request: Request, viewer: ViewerDep, mapping: MappingDep
) -> Response:
    history = await mapping.person_answers(viewer, person)
    found = await mapping.people.person_document(person)
    if found is None or found["office"] != office:
        raise NotFound(f"no person {person!r} at office {office!r}")
    return render(
        request,
        "mapping_person.html",
        viewer,
        office=office,
        person=found,
        history=history,
        groups=_areas(mapping.catalog),
        **_common(request, mapping.catalog),
    )


# --- Fylket: the county's offices side by side ------------------------------------------------


@router.get("/fylket/{region}/kartlegging")
async def region_mapping(
    region: str, request: Request, viewer: ViewerDep, mapping: MappingDep
) -> Response:
    chosen = request.query_params.get("ar", "")
    year = int(chosen) if chosen.isdigit() and len(chosen) == 4 else mapping.today().year
    found = await mapping.region_profile(viewer, region, year)
    return render(
        request,
        "mapping_region.html",
        viewer,
        county=found,
        year=year,
        this_year=mapping.today().year,
        areas=rated_areas(mapping.catalog),
        **_common(request, mapping.catalog),
    )
