"""Competence mapping (kartlegging): a round per office and year, opened and closed by the
office's leader, in which each employee rates themselves per competence area and records
their formal education; the office's profile per area and per role against the levels the
roles require (`Role.requires`), and the gaps (000 §5.5: "kompetansekartlegging, en
behovsvurdering og en gap-analyse", "kartlegge hvem som har en egnethet for hvilke oppgaver";
004:2042: "en survey-undersøkelse, og … en utdanningskartlegging").

The answers and the profile are pure functions (`catalog._mapping_profile`), the rounds and
answers are stored by `catalog._mapping_store`; this module is the service the API and the
pages call.

Who sees what is decided in `catalog._access`: the answers only the person and their office's
leader; the office's profile its leader in full, the county, the directorate and
administrators as aggregates of at least `SMALLEST_GROUP` people, each smaller group's cell
left out with the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

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
from catalog._audit import AuditLog
from catalog._load import Catalog
from catalog._mapping_profile import (
    EDUCATION,
    PROBLEMS,
    SCALE,
    Answer,
    office_profile,
    parse_answer,
    rated_areas,
    required_levels,
    suppressed,
    with_previous,
)
from catalog._mapping_store import MappingStore, round_id
from catalog._store import CatalogStore
from catalog.errors import Conflict, Forbidden, Invalid, NotFound

__all__ = [
    "EDUCATION",
    "PROBLEMS",
    "SCALE",
    "Answer",
    "CompetenceMapping",
    "MappingStore",
    "parse_answer",
    "rated_areas",
    "required_levels",
]
Document = dict[str, Any]


def _round_view(held: Document) -> Document:
    return {k: held.get(k) for k in ("office", "year", "status", "opened_at", "closed_at")}


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
        audit: AuditLog | None = None,
    ) -> None:
        self.catalog = catalog
        self.people = people
        self.store = store
        self.today = today
        self.now = now
        self.audit = audit

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
        for held in await self.store.rounds_of(office):
            answered = await self.store.count_in(held["_id"])
            total = held.get("people", people) if held["status"] == "closed" else people
            found.append({**_round_view(held), "answered": answered, "people": total})
        return found

    async def open_round(self, viewer: Viewer, office: str) -> Document:
        found = await self._office(office)
        require(may_run_mapping(viewer, office), f"the mapping of office {office}")
        year = self.today().year
        opened = await self.store.open(office, found["region"], year, viewer.username, self.now())
        await self._audit(viewer, office, year, "opened")
        return _round_view(opened)

    async def close_round(self, viewer: Viewer, office: str, year: int | None = None) -> Document:
        """Close the year's round (this year's unless said: one left open over the new year
        is closed by its year)."""
        await self._office(office)
        require(may_run_mapping(viewer, office), f"the mapping of office {office}")
        people = len(await self.people.people_of(office=office))
        year = self.today().year if year is None else year
        closed = await self.store.close(office, year, viewer.username, self.now(), people)
        await self._audit(viewer, office, year, "closed", people=people)
        return _round_view(closed)

    async def _audit(
        self, viewer: Viewer, office: str, year: int, change: str, **more: Any
    ) -> None:
        """An office's round opened or closed: in the audit log (action `mapping-round`)."""
        if self.audit is not None:
            await self.audit.record(
                "mapping-round",
                actor=viewer.username,
                target=office,
                year=year,
                change=change,
                **more,
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
        held = await self.store.round(person["office"], self.today().year)
        history = [_answer_view(a) for a in await self.store.answers_of(person["_id"])]
        current = next((a for a in history if held and a["year"] == held["year"]), None)
        return {
            "person": person["_id"],
            "office": person["office"],
            "round": None if held is None else _round_view(held),
            "answer": current,
            "history": history,
        }

    async def answer(self, viewer: Viewer, answer: Answer) -> Document:
        """The viewer's answer in their office's open round (Conflict if none is open)."""
        person = await self._me(viewer)
        held = await self.store.round(person["office"], self.today().year)
        if held is None or held["status"] != "open":
            raise Conflict("your office has no open mapping round to answer")
        await self.store.save(held, person, answer, self.now())
        return await self.mine(viewer)

    async def answers(self, viewer: Viewer, office: str, year: int) -> list[Document]:
        """Everyone's answers in the office's round: only the office's leader."""
        await self._office(office)
        require(may_run_mapping(viewer, office), f"the mapping answers of office {office}")
        return [_answer_view(a) for a in await self.store.answers_in(round_id(office, year))]

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
        held = rounds.get(year)
        return {
            "office": office,
            "office_name": found.get("name", office),
            "year": year,
            "round": None if held is None else _round_view(held),
            "previous_year": year - 1 if previous is not None else None,
            "individual": full,
            "smallest_group": SMALLEST_GROUP,
            "required": required_levels(self.catalog),
            **result,
        }

    async def _profile(self, office: str, year: int) -> Document:
        return office_profile(self.catalog, await self.store.answers_in(round_id(office, year)))

    async def region_profile(self, viewer: Viewer, region: str, year: int) -> Document:
        """Each office of the county in the year: its held and its aggregate profile (groups
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
            held = rounds.get(office["_id"])
            offices.append(
                {
                    "office": office["_id"],
                    "name": office.get("name", office["_id"]),
                    "round": None if held is None else _round_view(held),
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
