"""Competence mapping's answers and profile as pure functions (`catalog._mapping`): the
scale, the education levels, checking an answer, the office's profile per area and per role
against the levels the roles require (`Role.requires`), last year beside it, and the profile
as an aggregate with every group under five left out."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from catalog._access import SMALLEST_GROUP
from catalog._load import Catalog
from catalog._model import CompetenceArea, Text

Document = dict[str, Any]

SCALE: dict[int, Text] = {
    1: Text(nb="Kjenner til", en="Aware of it"),
    2: Text(nb="Kan med veiledning", en="Can do it with guidance"),
    3: Text(nb="Kan selvstendig", en="Can do it independently"),
    4: Text(nb="Kan veilede andre", en="Can guide others"),
}
"""The self-rating scale, the same the roles' required levels are given on."""

EDUCATION: dict[str, Text] = {
    "videregaende": Text(nb="Videregående skole", en="Upper secondary school"),
    "fagbrev": Text(nb="Fag- eller svennebrev", en="Trade or journeyman's certificate"),
    "fagskole": Text(nb="Fagskole", en="Vocational college"),
    "bachelor": Text(nb="Bachelor eller tilsvarende", en="Bachelor's degree or equivalent"),
    "master": Text(nb="Master eller tilsvarende", en="Master's degree or equivalent"),
    "doktorgrad": Text(nb="Doktorgrad", en="Doctorate"),
    "annet": Text(nb="Annen utdanning", en="Other education"),
}
"""Levels of the highest completed formal education."""

FIELD_LENGTH = 200
PROBLEMS = {
    "level": "a level from 1 to 4, or nothing",
    "area": "no such competence area to rate",
    "nothing": "rate at least one competence area",
    "education_level": f"one of {', '.join(EDUCATION)}",
    "education_needed": "give the level of the education, or leave its field and year empty",
    "field": f"at most {FIELD_LENGTH} characters",
    "year": "a year from 1950 to this year",
}
"""Each problem an answer can have, in English (the pages say them in their language)."""


def rated_areas(catalog: Catalog) -> list[CompetenceArea]:
    """The areas rated: those with no areas under them, in the catalog's order."""
    parents = {area.parent for area in catalog.areas}
    return [area for area in catalog.areas if area.id not in parents]


def required_levels(catalog: Catalog) -> dict[str, dict[str, int]]:
    """Per role that requires levels, the level per competence area."""
    return {role.id: dict(role.requires.levels) for role in catalog.roles if role.requires}


@dataclass(frozen=True)
class Answer:
    """One person's answer in a round: a level per area rated, and their highest education."""

    ratings: dict[str, int]
    education_level: str | None = None
    education_field: str = ""
    education_year: int | None = None

    def document(self) -> Document:
        return {
            "ratings": dict(self.ratings),
            "education": {
                "level": self.education_level,
                "field": self.education_field,
                "year": self.education_year,
            },
        }


def parse_answer(
    catalog: Catalog,
    ratings: Mapping[str, object],
    education: Mapping[str, object],
    today: date,
) -> tuple[Answer | None, dict[str, str]]:
    """An answer from what was sent (strings from a form, numbers from JSON), or every problem
    by where it is (`ratings.<area>`, `education.level|field|year`) and its `PROBLEMS` key."""
    problems: dict[str, str] = {}
    areas = {area.id for area in rated_areas(catalog)}
    levels: dict[str, int] = {}
    for area, value in ratings.items():
        if area not in areas:
            problems[f"ratings.{area}"] = "area"
            continue
        level = _number(value)
        if level is None and _blank(value):
            continue
        if level is None or level not in SCALE:
            problems[f"ratings.{area}"] = "level"
        else:
            levels[area] = level
    if not levels and not problems:
        problems["ratings"] = "nothing"
    level_text = "" if _blank(education.get("level")) else str(education.get("level")).strip()
    field = "" if _blank(education.get("field")) else str(education.get("field")).strip()
    year = _number(education.get("year"))
    if level_text and level_text not in EDUCATION:
        problems["education.level"] = "education_level"
    elif not level_text and (field or not _blank(education.get("year"))):
        problems["education.level"] = "education_needed"
    if len(field) > FIELD_LENGTH:
        problems["education.field"] = "field"
    if not _blank(education.get("year")) and (year is None or not 1950 <= year <= today.year):
        problems["education.year"] = "year"
    if problems:
        return None, problems
    return Answer(levels, level_text or None, field, year), {}


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _number(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


# --- the profile: pure functions of a round's answers --------------------------------------------


def office_profile(catalog: Catalog, answers: Iterable[Document]) -> Document:
    """Per rated area the answers, the mean and how many at each level; per role that requires
    levels and that someone who answered holds, per area it requires: how many hold the role,
    how many rated themselves below the required level (and its share of those holding the
    role), how many did not rate the area; and the gaps, one row per person and area below."""
    found = list(answers)
    areas = []
    for area in rated_areas(catalog):
        given = [a["ratings"][area.id] for a in found if area.id in a["ratings"]]
        areas.append(
            {
                "area": area.id,
                "answered": len(given),
                "mean": _mean(given),
                "levels": {str(level): given.count(level) for level in SCALE},
            }
        )
    roles = []
    gaps = []
    for role, required in required_levels(catalog).items():
        holders = [a for a in found if role in a.get("roles", [])]
        if not holders:
            continue
        cells = []
        for area_id, needed in required.items():
            below = [a for a in holders if a["ratings"].get(area_id, needed) < needed]
            given = [a["ratings"][area_id] for a in holders if area_id in a["ratings"]]
            cells.append(
                {
                    "area": area_id,
                    "required": needed,
                    "people": len(holders),
                    "below": len(below),
                    "share": round(len(below) / len(holders), 3),
                    "unrated": len(holders) - len(given),
                    "mean": _mean(given),
                }
            )
            gaps += [
                {
                    "person": a["person"],
                    "role": role,
                    "area": area_id,
                    "level": a["ratings"][area_id],
                    "required": needed,
                }
                for a in below
            ]
        roles.append({"role": role, "people": len(holders), "areas": cells})
    educations = dict.fromkeys(EDUCATION, 0)
    for a in found:
        kind = (a.get("education") or {}).get("level")
        if kind in educations:
            educations[kind] += 1
    return {
        "answered": len(found),
        "areas": areas,
        "roles": roles,
        "needs": needs_by_area(catalog, found),
        "gaps": gaps,
        "education": educations,
    }


def needs_by_area(catalog: Catalog, answers: list[Document]) -> list[Document]:
    """Per area some role requires, over everyone who answered with such a role: how many
    that is, how many rated themselves below the highest level their roles require there
    (not rating it is not below), and the share; the largest share first. What a competence
    plan's priorities start from."""
    required = required_levels(catalog)
    found = []
    for area in rated_areas(catalog):
        needed = [
            (a, max(required[r].get(area.id, 0) for r in a.get("roles", []) if r in required))
            for a in answers
            if any(area.id in required.get(r, {}) for r in a.get("roles", []))
        ]
        if not needed:
            continue
        below = sum(1 for a, level in needed if a["ratings"].get(area.id, level) < level)
        share = round(below / len(needed), 3)
        found.append({"area": area.id, "people": len(needed), "below": below, "share": share})
    return sorted(found, key=lambda n: (-n["share"], -n["below"]))


def _mean(values: list[int]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def with_previous(profile: Document, previous: Document | None) -> Document:
    """The profile with last year's figures beside each area (`previous_mean`) and each role's
    area (`previous_below`, `previous_share`), None where last year had none."""
    before_areas = {a["area"]: a for a in (previous or {}).get("areas", [])}
    before_roles = {
        (r["role"], c["area"]): c
        for r in (previous or {}).get("roles", [])
        for c in r.get("areas", [])
    }
    for area in profile["areas"]:
        area["previous_mean"] = before_areas.get(area["area"], {}).get("mean")
    for role in profile["roles"]:
        for cell in role.get("areas", []):
            before = before_roles.get((role["role"], cell["area"]))
            cell["previous_below"] = None if before is None else before["below"]
            cell["previous_share"] = None if before is None else before["share"]
    return profile


def suppressed(profile: Document, shown: Callable[[int], bool]) -> Document:
    """The profile as an aggregate: no one's gaps, and each group `shown` refuses (fewer than
    SMALLEST_GROUP people) left out with `suppressed` saying why; the level counts too."""
    reason = f"fewer than {SMALLEST_GROUP} people"
    if not shown(profile["answered"]):
        empty: Document = {"areas": [], "roles": [], "needs": [], "gaps": []}
        return {"answered": None, "suppressed": reason, **empty}
    areas = [
        area if shown(area["answered"]) else {"area": area["area"], "suppressed": reason}
        for area in profile["areas"]
    ]
    roles = [
        role if shown(role["people"]) else {"role": role["role"], "suppressed": reason}
        for role in profile["roles"]
    ]
    education = {
        level: count if shown(profile["answered"]) else None
        for level, count in profile["education"].items()
    }
    needs = [
        need if shown(need["people"]) else {"area": need["area"], "suppressed": reason}
        for need in profile.get("needs", [])
    ]
    return {
        **profile,
        "areas": areas,
        "roles": roles,
        "needs": needs,
        "gaps": None,
        "education": education,
    }
