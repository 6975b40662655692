"""A generated demo data set, so a new installation shows a living product at once.

One county (Oslo), four offices, 300 people with start dates over two years, Ny i NAV sessions,
and statements from every training method for the catalog's packages, stored through the LRS
(so the completion projection is built the way it is in production). Everything is marked as
generated: people are named "(demo)", statements carry the demo context extension, and the
demo users' passwords are printed once.
"""

from __future__ import annotations

import random
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from catalog import CatalogService, Module, Package
from catalog._access import Viewer
from catalog._evaluation import Answer as Evaluation
from catalog._evaluation import credential as evaluation_credential
from catalog._evaluation import statement as evaluation_statement
from catalog._mapping import Answer, rated_areas, required_levels
from catalog._people import PersonRecord
from lrs.auth import Credential, Scope
from lrs.statements import StatementService

DEMO_EXTENSION = "https://kompetanse.nav.no/xapi/extensions/demo"
NAMESPACE = uuid.UUID("0d6f5a52-3b1e-5b8e-a0a6-9f1c2d3e4f50")
REGION = ("oslo", "NAV Oslo")
OFFICES = [
    ("nav-sagene", "NAV Sagene"),
    ("nav-grunerlokka", "NAV Grünerløkka"),
    ("nav-frogner", "NAV Frogner"),
    ("nav-gamle-oslo", "NAV Gamle Oslo"),
]
ROLE_MIX = [
    ["veileder-publikumsmottak"],
    ["veileder-oppfolging"],
    ["veileder-oppfolging"],
    ["veileder-oppfolging", "kollegaveileder"],
    ["fagutvikler"],
    ["fadder", "veileder-oppfolging"],
]
FIRST = [
    "Kari",
    "Ola",
    "Ingrid",
    "Per",
    "Siri",
    "Lars",
    "Nora",
    "Jonas",
    "Aisha",
    "Mohammed",
    "Emma",
    "Magnus",
    "Sofie",
    "Henrik",
    "Fatima",
    "Erik",
    "Hanne",
    "Ali",
    "Marte",
    "Tor",
]
LAST = [
    "Nordmann",
    "Hansen",
    "Johansen",
    "Olsen",
    "Larsen",
    "Andersen",
    "Pedersen",
    "Nilsen",
    "Berg",
    "Haugen",
    "Hagen",
    "Bakke",
    "Khan",
    "Ahmed",
    "Solberg",
    "Dahl",
]
VERBS = {
    "e-laering": "http://adlnet.gov/expapi/verbs/passed",
    "kurs-og-samlinger": "http://adlnet.gov/expapi/verbs/completed",
}
COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
DEMO_USERS = [
    ("demo-admin", "admin", {}),
    ("demo-direktorat", "directorate", {}),
    ("demo-fylke", "coordinator", {"region": "oslo"}),
    ("demo-leder", "leader", {"office": "nav-sagene", "person": "D000000"}),
    ("demo-ansatt", "learner", {"person": "D000001"}),
    ("demo-tillitsvalgt", "representative", {"office": "nav-sagene", "person": "D000004"}),
]

_WRITER = Credential(  # the demo data's own credential
    key="demo",
    scopes=frozenset({Scope.ALL}),
    authority={
        "objectType": "Agent",
        "name": "Demo data",
        "account": {"homePage": "https://kompetanse.nav.no/xapi/credentials", "name": "demo"},
    },
)


@dataclass(frozen=True)
class DemoResult:
    people: int
    statements: int
    users: dict[str, str]  # username -> password


def people(count: int, rng: random.Random, today: date) -> list[PersonRecord]:
    records = []
    for number in range(count):
        office, office_name = OFFICES[number % len(OFFICES)]
        roles = ["leder"] if number % 75 == 0 else rng.choice(ROLE_MIX)
        records.append(
            PersonRecord(
                employee_id=f"D{number:06d}",
                name=f"{rng.choice(FIRST)} {rng.choice(LAST)} (demo)",
                email=f"demo{number}@demo.nav.example",
                office=office,
                office_name=office_name,
                region=REGION[0],
                region_name=REGION[1],
                roles=roles,
                employer="state" if number % 3 else "municipal",
                start_date=today - timedelta(days=rng.randrange(0, 730)),
            )
        )
    return records


def statements_for(
    record: PersonRecord, packages: list[Package], rng: random.Random, today: date
) -> list[dict[str, Any]]:
    """Some modules of some packages, done on plausible days since the person started."""
    found = []
    start = datetime.combine(record.start_date, datetime.min.time(), tzinfo=UTC)
    days = max((today - record.start_date).days, 1)
    for package in packages:
        if rng.random() < 0.35:
            continue
        modules = package.modules
        if package.completion.rule == "any":  # one of the alternatives, not all of them
            modules = [rng.choice(package.modules)]
        for module in modules:
            if rng.random() < 0.3:
                continue
            when = start + timedelta(days=rng.randrange(0, days), hours=rng.randrange(8, 16))
            verb = VERBS.get(
                module.method, module.criterion.verbs[0] if module.criterion.verbs else COMPLETED
            )
            statement: dict[str, Any] = {
                "id": str(uuid.uuid5(NAMESPACE, f"{record.employee_id}/{package.id}/{module.id}")),
                "actor": {
                    "objectType": "Agent",
                    "name": record.name,
                    "account": {"homePage": "https://ident.nav.no", "name": record.employee_id},
                },
                "verb": {"id": verb},
                "object": {
                    "objectType": "Activity",
                    "id": module.activities[0],
                    "definition": {"name": module.name.model_dump()},
                },
                "timestamp": when.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
                "context": {"extensions": {DEMO_EXTENSION: True}},
            }
            if module.method == "e-laering":
                statement["result"] = {
                    "score": {"scaled": round(rng.uniform(0.6, 1.0), 2)},
                    "success": True,
                    "completion": True,
                }
            found.append(statement)
    return found


async def load(
    catalog: CatalogService, statements: StatementService, today: date, size: int = 300
) -> DemoResult:
    """Load the demo set (idempotent: deterministic ids; people are updated, not duplicated)."""
    rng = random.Random(20261123)  # noqa: S311 - reproducible demo content, not secrets
    records = people(size, rng, today)
    await catalog.import_people(records)
    writer = _WRITER
    generated = [
        s for r in records for s in statements_for(r, catalog.catalog.packages, rng, today)
    ]
    for start in range(0, len(generated), 500):
        await statements.save(generated[start : start + 500], version="1.0.3", credential=writer)
    users = {}
    for username, role, unit in DEMO_USERS:
        password = secrets.token_urlsafe(12)  # printed once; never predictable from the code
        await catalog.accounts.add_user(username, password, role, **unit)
        users[username] = password
    await _sessions(catalog, today)
    await _evaluated_gathering(catalog, statements, today)
    await _mapping(catalog, records, today)
    await _competence_plans(catalog)
    await _network(catalog, statements, today)
    await _development(catalog, records, today)
    await _induction(catalog, records, today)
    return DemoResult(len(records), len(generated), users)


async def _sessions(catalog: CatalogService, today: date) -> None:
    """Ny i NAV's classroom gathering about twice a year in the county."""
    existing = await catalog.classroom.in_region(REGION[0])
    if existing:
        return
    package = catalog.catalog.package("ny-i-nav")
    classroom = next(m for m in package.modules if m.classroom)
    for months in (2, 8):
        await catalog.classroom.add(
            package.id, classroom.id, REGION[0], today + timedelta(days=30 * months), 25
        )


async def _mapping(catalog: CatalogService, records: list[PersonRecord], today: date) -> None:
    """NAV Sagene's competence mapping: last year's round, closed, and this year's, open, most
    of the office answered (the demo leader's own answer left for them to give), levels near
    what each one's roles require and a little higher this year."""
    rng = random.Random(15)  # noqa: S311 - reproducible demo content, not secrets
    store, office = catalog.mapping.store, OFFICES[0][0]
    staff = [r for r in records if r.office == office]
    required = required_levels(catalog.catalog)
    areas = [a.id for a in rated_areas(catalog.catalog)]
    leading = {a.id for a in catalog.catalog.areas if a.parent == "ledelsesutvikling"}
    last_opened = datetime(today.year - 1, 9, 1, 9, tzinfo=UTC)
    now = _at(today)
    this_opened = max(datetime(today.year, 1, 1, tzinfo=UTC), now - timedelta(days=14))
    for year, opened in ((today.year - 1, last_opened), (today.year, this_opened)):
        if await store.round(office, year) is None:
            await store.open(office, REGION[0], year, "demo-leder", opened)
    last = await store.round(office, today.year - 1)
    this = await store.round(office, today.year)
    assert last is not None and this is not None  # noqa: S101 - opened just above
    for record in staff:
        person = {"_id": record.employee_id, "roles": record.roles}
        wanted = {
            area: max(
                (required[role].get(area, 0) for role in record.roles if role in required),
                default=2,
            )
            or 2
            for area in areas
            if area not in leading or "leder" in record.roles or rng.random() < 0.2
        }
        before = {
            a: max(1, min(4, w + rng.choice((-2, -1, -1, 0, 0, 1)))) for a, w in wanted.items()
        }
        education = rng.choice(
            (
                ("bachelor", "Sosialt arbeid"),
                ("master", "Samfunnsøkonomi"),
                ("bachelor", "Jus"),
                ("fagskole", "Helse- og sosialfag"),
                ("videregaende", ""),
                ("master", "Pedagogikk"),
            )
        )
        year_done = rng.randrange(1990, today.year - 1)
        answer = Answer(before, education[0], education[1], year_done)
        if record.start_date < last_opened.date() and rng.random() < 0.85:
            await store.save(last, person, answer, last_opened + timedelta(days=rng.randrange(30)))
        if record.employee_id != "D000000" and rng.random() < 0.8:
            grown = {a: min(4, v + rng.choice((0, 0, 1))) for a, v in before.items()}
            later = Answer(grown, education[0], education[1], year_done)
            await store.save(this, person, later, this_opened + (now - this_opened) * rng.random())
    if last["status"] == "open":
        closing = last_opened + timedelta(days=45)
        await store.close(office, today.year - 1, "demo-leder", closing, len(staff))


def _at(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=UTC).replace(hour=9)


async def _development(catalog: CatalogService, records: list[PersonRecord], today: date) -> None:
    """Two development plans at NAV Sagene, made in this year's development talks: one whose
    goals the employee has agreed to (a package, a competence area, a local measure), one
    waiting for the employee's agreement; and an open need raised by a third colleague."""
    development, office = catalog.development, OFFICES[0][0]
    if await development.store.plans_in(office, today.year):
        return
    leader = Viewer("demo-leder", "leader", person="D000000", office=office)
    staff = [r.employee_id for r in records if r.office == office and r.employee_id != "D000000"]
    first, second, third = staff[:3]
    talk_day = max(date(today.year, 1, 10), today - timedelta(days=21))
    due = date(today.year, 12, 15).isoformat()
    await development.create(
        leader,
        first,
        today.year,
        {
            "day": talk_day.isoformat(),
            "summary": "Vil styrke arbeidsevnevurderingene og ta mer ansvar for nyansatte.",
        },
    )
    for goal in (
        {"text": "Fullføre arbeidsevnevurdering", "package": "arbeidsevnevurdering"},
        {"text": "Bli tryggere i oppfølging og veiledning", "area": "oppfolging-og-veiledning"},
        {"text": "Være fadder for en nyansatt", "measure": "Fadder i introduksjonsprogrammet"},
    ):
        await development.add_goal(
            leader, first, today.year, {**goal, "due": due, "status": "open"}
        )
    await development.agree(Viewer(first, "learner", person=first), first, today.year)
    await development.create(
        leader,
        second,
        today.year,
        {
            "day": (talk_day + timedelta(days=2)).isoformat(),
            "summary": "Ønsker mer kunnskap om sykefraværsoppfølging og personvern.",
        },
    )
    for goal in (
        {"text": "Fullføre sykefraværsoppfølging", "package": "sykefravaersoppfolging"},
        {"text": "Kjenne reglene for taushetsplikt", "area": "personvern-og-taushetsplikt"},
    ):
        await development.add_goal(
            leader, second, today.year, {**goal, "due": due, "status": "open"}
        )
    await development.raise_need(
        Viewer(third, "learner", person=third),
        third,
        {
            "area": "kvalifiseringsprogrammet",
            "text": "Jeg mangler opplæring i kvalifiseringsprogrammet.",
        },
    )


EVALUATIONS = [  # (person, overall, relevance, comment, changed or None: no follow-up yet)
    ("D000002", 5, 5, "Godt opplegg, nyttig å møte de andre nyansatte.", "yes"),
    ("D000003", 4, 5, "Mye informasjon på kort tid.", "partly"),
    ("D000004", 4, 4, "", "yes"),
    ("D000005", 3, 4, "Mer om arbeidsrettet oppfølging, takk.", "partly"),
    ("D000006", 5, 4, "", "no"),
    ("D000007", 2, 3, "For mye forelesning, for lite praksis.", "no"),
    ("D000008", 4, 5, "", None),
]


async def _evaluated_gathering(
    catalog: CatalogService, statements: StatementService, today: date
) -> None:
    """A Ny i NAV gathering held eight weeks ago: ten attended (D000002-D000011, their
    attendance marked as the course list would mark it, completing the gathering module),
    seven evaluated it and six answered the follow-up (catalog._evaluation); D000009-D000011
    have not evaluated yet."""
    package = catalog.catalog.package("ny-i-nav")
    classroom = next(m for m in package.modules if m.classroom)
    held = [
        s
        for s in await catalog.classroom.in_region(REGION[0])
        if s.package_id == package.id and s.last_day < today
    ]
    if held:
        session = held[0]
    else:
        session = await catalog.classroom.add(
            package.id, classroom.id, REGION[0], today - timedelta(weeks=8), 25, place="Oslo"
        )
        attendance = []
        for number in range(2, 12):
            person = f"D{number:06d}"
            await catalog.classroom.enrol(session.id, person)
            attendance.append(_attended(person, classroom, session.id, session.last_day))
        await statements.save(attendance, version="1.0.3", credential=_WRITER)
    base_iri = catalog.catalog.base_iri
    name = package.name.model_dump()
    built = []
    for person, overall, relevance, comment, changed in EVALUATIONS:
        found = await catalog.store.person_document(person)
        office = found["office"] if found else ""
        given = Evaluation("evaluation", package.id, session.id, overall, relevance, None, comment)
        when = _at(session.last_day + timedelta(days=1))
        evaluation = evaluation_statement(given, person, office, name, when, base_iri=base_iri)
        built.append(evaluation)
        if changed is not None:
            follow_up = Evaluation("follow-up", package.id, session.id, changed=changed)
            built.append(
                evaluation_statement(
                    follow_up,
                    person,
                    office,
                    name,
                    _at(session.last_day + timedelta(weeks=6, days=1)),
                    evaluation=evaluation["id"],
                    base_iri=base_iri,
                )
            )
    await statements.save(built, version="1.0.3", credential=evaluation_credential(base_iri))


def _attended(person: str, module: Module, session: str, day: date) -> dict[str, Any]:
    """The gathering module completed by `person` on the session's last day."""
    return {
        "id": str(uuid.uuid5(NAMESPACE, f"{person}/{session}/completed")),
        "actor": {
            "objectType": "Agent",
            "account": {"homePage": "https://ident.nav.no", "name": person},
        },
        "verb": {"id": COMPLETED},
        "object": {
            "objectType": "Activity",
            "id": module.activities[0],
            "definition": {"name": module.name.model_dump()},
        },
        "result": {"completion": True},
        "timestamp": _at(day).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "context": {"extensions": {DEMO_EXTENSION: True}},
    }


async def _network(catalog: CatalogService, statements: StatementService, today: date) -> None:
    """The county's professional network with two resource persons from each office, a meeting
    three weeks ago that all but one attended, and three of them having shared it back at their
    office (the demo learner, at NAV Grünerløkka, not yet: Min læring shows them the form)."""
    networks = catalog.networks
    if await networks.store.network(f"{REGION[0]}:fagnettverk-aap") is not None:
        return
    writer = _WRITER

    async def save(built: list[dict[str, Any]]) -> list[str]:
        for statement in built:
            statement["context"].setdefault("extensions", {})[DEMO_EXTENSION] = True
        return await statements.save(built, version="1.0.3", credential=writer)

    members = [f"D{n:06d}" for n in range(1, 9)]  # two of each office
    county = Viewer("demo-fylke", "coordinator", region=REGION[0])
    body = {
        "name": "Fagnettverk for arbeidsavklaring (demo)",
        "id": "fagnettverk-aap",
        "package": "fagnettverk-arbeidsavklaring-oslo",  # its meetings are the package's
    }
    await networks.create(county, REGION[0], {**body, "members": members})
    held = today - timedelta(days=21)
    met = await networks.record_meeting(
        county,
        REGION[0],
        "fagnettverk-aap",
        {
            "held_on": held.isoformat(),
            "topic": "Nytt rundskriv om arbeidsavklaringspenger",
            "attended": [m for m in members if m != "D000008"],
            "module": "samling-var",
        },
        save,
    )
    for person, days, how in (
        ("D000004", 3, "personalmote"),
        ("D000005", 8, "fagmote"),
        ("D000002", 12, "teammote"),
    ):
        await networks.share_back(
            Viewer(f"demo-{person}", "learner", person=person),
            person,
            met["key"],
            {
                "shared_on": (held + timedelta(days=days)).isoformat(),
                "how": how,
                "text": "Gikk gjennom endringene (demo)",
            },
            save,
        )


INDUCTION = [
    ("velkomstsamtale", "Velkomstsamtale med leder", "Welcome talk with the leader", 0, "leader"),
    ("ny-i-nav", "E-læring i Ny i NAV", "Ny i NAV e-learning", 30, "new_hire"),
    (
        "navet",
        "Finn fram på Navet og nav.no",
        "Finding your way on Navet and nav.no",
        7,
        "new_hire",
    ),
    ("fagsystemer", "Fagsystemene på kontoret", "The office's case-handling systems", 14, "leader"),
    (
        "fadder",
        "Brukersamtaler sammen med fadder",
        "User conversations with a buddy",
        30,
        "new_hire",
    ),
    (
        "hospitering",
        "Hospitering i en annen avdeling",
        "Job shadowing in another department",
        60,
        "leader",
    ),
]
INDUCTION_ABOUT: dict[str, tuple[str, str] | str] = {
    "ny-i-nav": ("ny-i-nav", "e-laering"),
    "navet": "Navet og nav.no",
    "fagsystemer": "Fagsystemene",
    "fadder": "Brukersamtaler med fadder",
    "hospitering": "Hospitering",
}
"""NAV Sagene's induction template (seed 004 §6.2), what the office's fixed package of the
same name had as modules: the buddy's user conversations, the systems, Navet, job shadowing;
and the welcome talk and Ny i NAV's e-learning."""


async def _induction(catalog: CatalogService, records: list[PersonRecord], today: date) -> None:
    """NAV Sagene's induction template, a plan for each of its new hires (as an import
    makes them), the newest one's buddy named (a colleague with the buddy role) and their
    welcome talk held."""
    induction, office = catalog.induction, OFFICES[0][0]
    if await induction.store.template(office) is not None:
        return
    items: list[dict[str, Any]] = []
    for key, nb, en, days, responsible in INDUCTION:
        about = INDUCTION_ABOUT.get(key)
        item: dict[str, Any] = {
            "id": key,
            "title": {"nb": nb, "en": en},
            "days": days,
            "responsible": responsible,
        }
        if isinstance(about, tuple):
            item["package"], item["module"] = about
        elif about:
            item["measure"] = about
        items.append(item)
    await induction.store.save_template(office, REGION[0], items, "demo-leder", _at(today))
    await induction.imported([r for r in records if r.office == office], "demo-leder")
    plans = await induction.store.plans_of(office)
    buddies = [r for r in records if r.office == office and "fadder" in r.roles]
    if plans and buddies:
        newest = plans[0]["person"]
        buddy = next((b for b in buddies if b.employee_id != newest), None)
        if buddy is not None:
            await induction.store.set_buddy(newest, buddy.employee_id)
        done = {"done_at": _at(today).isoformat(), "done_by": "D000000"}
        await induction.store.mark(newest, "velkomstsamtale", done)


async def _competence_plans(catalog: CatalogService) -> None:
    """NAV Sagene's competence plan for this year, approved after its employee representative
    commented; NAV Grünerløkka's still a draft; the other offices have none (what the county
    sees missing)."""
    plans = catalog.competence_plans
    year = plans.today().year
    if await plans.store.plan(OFFICES[0][0], year) is not None:
        return
    leader = Viewer("demo-leder", "leader", office=OFFICES[0][0])
    representative = Viewer("demo-tillitsvalgt", "representative", office=OFFICES[0][0])
    sagene = [
        {
            "id": "oppfolging",
            "kind": "area",
            "area": "oppfolging-og-veiledning",
            "method": "kurs-og-samlinger",
            "hours": 60.0,
            "audience": "veileder-oppfolging",
        },
        {
            "id": "aev",
            "kind": "package",
            "package": "arbeidsevnevurdering",
            "method": "egentrening",
            "hours": 40.0,
            "audience": "all",
        },
        {
            "id": "hospitering",
            "kind": "measure",
            "measure": "Hospitering hos NAV Frogner for to veiledere",
            "method": "skulder-ved-skulder",
            "hours": 30.0,
            "audience": "all",
        },
    ]
    await plans.save_draft(leader, OFFICES[0][0], year, sagene)
    await plans.send(leader, OFFICES[0][0], year)
    await plans.comment(
        representative,
        OFFICES[0][0],
        year,
        "Vi støtter prioriteringene. Sett av tid i arbeidstiden til egentreningen i AEV.",
    )
    await plans.approve(leader, OFFICES[0][0], year)
    other = Viewer("demo-leder-grunerlokka", "leader", office=OFFICES[1][0])
    draft = [{**sagene[0], "id": "veiledning", "hours": 24.0}]
    await plans.save_draft(other, OFFICES[1][0], year, draft)
