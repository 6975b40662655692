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

from catalog import CatalogService, Package
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
]


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
    writer = Credential(
        key="demo",
        scopes=frozenset({Scope.ALL}),
        authority={
            "objectType": "Agent",
            "name": "Demo data",
            "account": {"homePage": "https://kompetanse.nav.no/xapi/credentials", "name": "demo"},
        },
    )
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
