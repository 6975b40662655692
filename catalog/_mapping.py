"""Competence mapping (kartlegging): a round per office and year, opened and closed by the
office's leader, in which each employee rates themselves per competence area and records
their formal education; the office's profile per area and per role against the levels the
roles require (`Role.requires`), and the gaps (000 §5.5: "kompetansekartlegging, en
behovsvurdering og en gap-analyse", "kartlegge hvem som har en egnethet for hvilke oppgaver";
004:2042: "en survey-undersøkelse, og … en utdanningskartlegging").

    mapping_rounds   {_id: "<office>:<year>", office, region, year, status: "open" | "closed",
                      opened_at, opened_by, closed_at?, closed_by?, people? (at closing)}
    mapping_answers  {_id: "<office>:<year>:<person>", round, office, region, year, person,
                      roles (the person's roles when they answered), ratings: {area: 1-4},
                      education: {level, field, year}, answered_at, updated_at}

Who sees what is decided in `catalog._access`: the answers only the person and their office's
leader; the office's profile its leader in full, the county, the directorate and
administrators as aggregates of at least `SMALLEST_GROUP` people, each smaller group's cell
left out with the reason.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from pymongo.errors import DuplicateKeyError

from catalog._access import (
    SMALLEST_GROUP,
    Viewer,
    may_run_mapping,
    may_see_mapping_answers,
    may_see_mapping_group,
    may_see_office,
    may_see_region,
    require,
)
from catalog._load import Catalog
from catalog._model import CompetenceArea, Text
from catalog._store import CatalogStore
from catalog.errors import Conflict, Forbidden, Invalid, NotFound
from lrs.store import Database

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
        "gaps": gaps,
        "education": educations,
    }


def _mean(values: list[int]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def with_previous(profile: Document, previous: Document | None) -> Document:
    """The profile with last year's figures beside each area (`previous_mean`) and each role's
    area (`previous_below`, `previous_share`), None where last year had none."""
    before_areas = {a["area"]: a for a in (previous or {}).get("areas", [])}
    before_roles = {
        (r["role"], c["area"]): c for r in (previous or {}).get("roles", []) for c in r["areas"]
    }
    for area in profile["areas"]:
        area["previous_mean"] = before_areas.get(area["area"], {}).get("mean")
    for role in profile["roles"]:
        for cell in role["areas"]:
            before = before_roles.get((role["role"], cell["area"]))
            cell["previous_below"] = None if before is None else before["below"]
            cell["previous_share"] = None if before is None else before["share"]
    return profile


def suppressed(profile: Document, shown: Callable[[int], bool]) -> Document:
    """The profile as an aggregate: no one's gaps, and each group `shown` refuses (fewer than
    SMALLEST_GROUP people) left out with `suppressed` saying why; the level counts too."""
    reason = f"fewer than {SMALLEST_GROUP} people"
    if not shown(profile["answered"]):
        return {"answered": None, "suppressed": reason, "areas": [], "roles": [], "gaps": []}
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
    return {**profile, "areas": areas, "roles": roles, "gaps": None, "education": education}


# --- storage ----------------------------------------------------------------------------------


def _round_id(office: str, year: int) -> str:
    return f"{office}:{year}"


class MappingStore:
    """The rounds and the answers, through the store seam."""

    def __init__(self, database: Database) -> None:
        self.rounds = database["mapping_rounds"]
        self.answers = database["mapping_answers"]

    async def create_indexes(self) -> None:
        await self.rounds.create_index([("office", 1), ("year", 1)], unique=True)
        await self.rounds.create_index([("region", 1), ("year", 1)])
        await self.answers.create_index([("round", 1), ("person", 1)], unique=True)
        await self.answers.create_index([("person", 1), ("year", 1)])

    async def round(self, office: str, year: int) -> Document | None:
        found: Document | None = await self.rounds.find_one({"_id": _round_id(office, year)})
        return found

    async def rounds_of(self, office: str) -> list[Document]:
        return await self.rounds.find({"office": office}).sort([("year", -1)]).to_list()

    async def rounds_in(self, region: str, year: int) -> list[Document]:
        return await self.rounds.find({"region": region, "year": year}).to_list()

    async def open(self, office: str, region: str, year: int, by: str, at: datetime) -> Document:
        """Open the year's round, or open it again if it was closed; Conflict if it is open."""
        round_id = _round_id(office, year)
        stamp = at.isoformat(timespec="seconds")
        try:
            await self.rounds.insert_one(
                {
                    "_id": round_id,
                    "office": office,
                    "region": region,
                    "year": year,
                    "status": "open",
                    "opened_at": stamp,
                    "opened_by": by,
                }
            )
        except DuplicateKeyError:
            changed = await self.rounds.update_one(
                {"_id": round_id, "status": "closed"},
                {"$set": {"status": "open", "opened_at": stamp, "opened_by": by}},
            )
            if not changed.matched_count:
                raise Conflict(f"the mapping round {year} of {office} is open already") from None
        return await self._get(round_id)

    async def close(self, office: str, year: int, by: str, at: datetime, people: int) -> Document:
        """Close the open round; Conflict if it is not open."""
        round_id = _round_id(office, year)
        changed = await self.rounds.update_one(
            {"_id": round_id, "status": "open"},
            {
                "$set": {
                    "status": "closed",
                    "closed_at": at.isoformat(timespec="seconds"),
                    "closed_by": by,
                    "people": people,
                }
            },
        )
        if not changed.matched_count:
            raise Conflict(f"no open mapping round {year} of {office} to close")
        return await self._get(round_id)

    async def save(self, round: Document, person: Document, answer: Answer, at: datetime) -> None:
        """The person's answer in the round, replacing an earlier one of theirs."""
        stamp = at.isoformat(timespec="seconds")
        await self.answers.update_one(
            {"_id": f"{round['_id']}:{person['_id']}"},
            {
                "$set": {
                    "round": round["_id"],
                    "office": round["office"],
                    "region": round["region"],
                    "year": round["year"],
                    "person": person["_id"],
                    "roles": sorted(person.get("roles", [])),
                    **answer.document(),
                    "updated_at": stamp,
                },
                "$setOnInsert": {"answered_at": stamp},
            },
            upsert=True,
        )

    async def answers_in(self, round_id: str) -> list[Document]:
        return await self.answers.find({"round": round_id}).sort([("person", 1)]).to_list()

    async def answers_of(self, person: str) -> list[Document]:
        return await self.answers.find({"person": person}).sort([("year", -1)]).to_list()

    async def _get(self, round_id: str) -> Document:
        found = await self.rounds.find_one({"_id": round_id})
        if found is None:  # pragma: no cover - written just before
            raise NotFound(f"no mapping round {round_id}")
        return found


# --- the service: who may, then the store ---------------------------------------------------------


def _round_view(round: Document) -> Document:
    return {k: round.get(k) for k in ("office", "year", "status", "opened_at", "closed_at")}


def _answer_view(answer: Document) -> Document:
    keys = ("person", "year", "roles", "ratings", "education", "answered_at", "updated_at")
    return {k: answer.get(k) for k in keys}


class CompetenceMapping:
    """The mapping as the API and the pages use it; every method checks who may first."""

    def __init__(
        self,
        catalog: Catalog,
        people: CatalogStore,
        store: MappingStore,
        today: Callable[[], date],
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.catalog = catalog
        self.people = people
        self.store = store
        self.today = today
        self.now = now

    async def _office(self, office: str) -> Document:
        found = await self.people.office(office)
        if found is None:
            raise NotFound(f"no office {office!r}")
        return found

    async def _see_office(self, viewer: Viewer, office: str) -> Document:
        found = await self._office(office)
        require(may_see_office(viewer, office, found["region"]), f"office {office}")
        return found

    async def rounds(self, viewer: Viewer, office: str) -> list[Document]:
        """The office's rounds, newest first, each with how many answered of how many."""
        await self._see_office(viewer, office)
        people = len(await self.people.people_of(office=office))
        found = []
        for round in await self.store.rounds_of(office):
            answered = len(await self.store.answers_in(round["_id"]))
            total = round.get("people", people) if round["status"] == "closed" else people
            found.append({**_round_view(round), "answered": answered, "people": total})
        return found

    async def open_round(self, viewer: Viewer, office: str) -> Document:
        found = await self._office(office)
        require(may_run_mapping(viewer, office), f"the mapping of office {office}")
        year = self.today().year
        return _round_view(
            await self.store.open(office, found["region"], year, viewer.username, self.now())
        )

    async def close_round(self, viewer: Viewer, office: str, year: int | None = None) -> Document:
        """Close the year's round (this year's unless said: one left open over the new year
        is closed by its year)."""
        await self._office(office)
        require(may_run_mapping(viewer, office), f"the mapping of office {office}")
        people = len(await self.people.people_of(office=office))
        year = self.today().year if year is None else year
        return _round_view(
            await self.store.close(office, year, viewer.username, self.now(), people)
        )

    async def _me(self, viewer: Viewer) -> Document:
        if viewer.person is None:
            raise Invalid("this account is not bound to a person")
        person = await self.people.person_document(viewer.person)
        if person is None:
            raise NotFound(f"no person {viewer.person!r}")
        return person

    async def mine(self, viewer: Viewer) -> Document:
        """The viewer's own mapping: this year's round of their office (None if not opened),
        their answer in it, and every answer of theirs, newest first."""
        person = await self._me(viewer)
        round = await self.store.round(person["office"], self.today().year)
        history = [_answer_view(a) for a in await self.store.answers_of(person["_id"])]
        current = next((a for a in history if round and a["year"] == round["year"]), None)
        return {
            "person": person["_id"],
            "office": person["office"],
            "round": None if round is None else _round_view(round),
            "answer": current,
            "history": history,
        }

    async def answer(self, viewer: Viewer, answer: Answer) -> Document:
        """The viewer's answer in their office's open round (Conflict if none is open)."""
        person = await self._me(viewer)
        round = await self.store.round(person["office"], self.today().year)
        if round is None or round["status"] != "open":
            raise Conflict("your office has no open mapping round to answer")
        await self.store.save(round, person, answer, self.now())
        return await self.mine(viewer)

    async def answers(self, viewer: Viewer, office: str, year: int) -> list[Document]:
        """Everyone's answers in the office's round: only the office's leader."""
        await self._office(office)
        require(may_run_mapping(viewer, office), f"the mapping answers of office {office}")
        return [_answer_view(a) for a in await self.store.answers_in(_round_id(office, year))]

    async def person_answers(self, viewer: Viewer, person: str) -> list[Document]:
        """Every answer of one person, newest first: the person and their office's leader."""
        found = await self.people.person_document(person)
        office = found["office"] if found else ""
        if not may_see_mapping_answers(viewer, person, office) or found is None:
            raise Forbidden(f"you may not see the mapping answers of {person}")
        return [_answer_view(a) for a in await self.store.answers_of(person)]

    async def profile(self, viewer: Viewer, office: str, year: int) -> Document:
        """The office's profile in the year's round beside last year's: in full for its
        leader (with the gaps by person), else as aggregates of at least five people."""
        found = await self._see_office(viewer, office)
        rounds = {r["year"]: r for r in await self.store.rounds_of(office)}
        current = await self._profile(office, year)
        previous = await self._profile(office, year - 1) if year - 1 in rounds else None
        full = may_run_mapping(viewer, office)
        if not full:

            def shown(size: int) -> bool:
                return may_see_mapping_group(viewer, office, found["region"], size)

            current = suppressed(current, shown)
            previous = None if previous is None else suppressed(previous, shown)
        result = with_previous(current, previous)
        if full:
            names = {
                p["_id"]: p.get("name", p["_id"])
                for p in await self.people.people_of(office=office)
            }
            for gap in result["gaps"]:
                gap["name"] = names.get(gap["person"], gap["person"])
        round = rounds.get(year)
        return {
            "office": office,
            "office_name": found.get("name", office),
            "year": year,
            "round": None if round is None else _round_view(round),
            "previous_year": year - 1 if previous is not None else None,
            "individual": full,
            "smallest_group": SMALLEST_GROUP,
            "required": required_levels(self.catalog),
            **result,
        }

    async def _profile(self, office: str, year: int) -> Document:
        return office_profile(self.catalog, await self.store.answers_in(_round_id(office, year)))

    async def region_profile(self, viewer: Viewer, region: str, year: int) -> Document:
        """Each office of the county in the year: its round and its aggregate profile (groups
        under five left out, with the reason); never anyone's answers."""
        found = await self.people.region(region)
        if found is None:
            raise NotFound(f"no county {region!r}")
        require(may_see_region(viewer, region), f"county {region}")
        rounds = {r["office"]: r for r in await self.store.rounds_in(region, year)}
        offices = []
        for office in await self.people.offices_in(region):

            def shown(size: int, office: str = office["_id"]) -> bool:
                return may_see_mapping_group(viewer, office, region, size)

            profile = suppressed(await self._profile(office["_id"], year), shown)
            round = rounds.get(office["_id"])
            offices.append(
                {
                    "office": office["_id"],
                    "name": office.get("name", office["_id"]),
                    "round": None if round is None else _round_view(round),
                    **profile,
                }
            )
        return {
            "region": region,
            "name": found.get("name", region),
            "year": year,
            "smallest_group": SMALLEST_GROUP,
            "offices": offices,
        }
