"""Valid records for every built-in adapter, shared by the adapters' tests."""

from __future__ import annotations

from typing import Any

from adapters import vocabulary as v

NY_I_NAV = "https://kompetanse.nav.no/xapi/activities/ny-i-nav/samling"
E_MODULE = "https://kompetanse.nav.no/xapi/activities/ny-i-nav/e-laering"

RECORDS: dict[str, list[dict[str, Any]]] = {
    "kurs-og-samlinger": [
        {
            "learner": "Kari Nordmann <kari.nordmann@nav.no>",
            "course": NY_I_NAV,
            "course_name": "Ny i NAV: samling i fylket",
            "session_date": "02.03.2026",
            "registered_on": "2026-01-10",
            "hours": "7,5",
            "office": "nav-sagene",
            "competence_areas": "basiskompetanse; brukermedvirkning",
        },
        {
            "learner": "Kari Nordmann <kari.nordmann@nav.no>",
            "course": NY_I_NAV,
            "session_date": "03.03.2026",
            "registered_on": "2026-01-10",
            "hours": "7:30",
            "completed": "ja",
            "office": "nav-sagene",
        },
    ],
    "egentrening": [
        {
            "learner": "A123456",
            "material": "Forarbeid til Ny i NAV: kapittel 2",
            "studied_on": "2026-02-20",
            "hours": 2,
            "course": NY_I_NAV,
        },
        {
            "learner": "A123456",
            "material": "Forarbeid til Ny i NAV: kapittel 3",
            "studied_on": "2026-02-21",
            "completed": "nei",
        },
    ],
    "skulder-ved-skulder": [
        {
            "learner": "A123456",
            "colleague": "Ola Nordmann (B234567)",
            "task": "Mottakssamtale i publikumsmottaket",
            "learned_on": "2026-02-01",
            "hours": 3,
            "buddy_scheme": "x",
        },
        {
            "learner": "A123456",
            "colleague": "B234567",
            "task": "Mottakssamtale i publikumsmottaket",
            "learned_on": "2026-02-08",
            "hours": 2,
            "completed": "ja",
        },
    ],
    "veiledning-fra-kollega": [
        {
            "mentor": "B234567",
            "mentees": "A123456; C345678",
            "topic": "Arbeidsevnevurdering",
            "guided_on": "2026-02-03",
            "hours": 1.5,
            "office": "nav-sagene",
        },
        {
            "mentor": "B234567",
            "mentees": "A123456",
            "topic": "Arbeidsevnevurdering",
            "guided_on": "2026-02-10",
            "hours": 1,
        },
    ],
    "teamarbeid": [
        {
            "team": "Team for sammensatte behov",
            "members": "A123456; B234567; C345678",
            "work": "Samordning av tiltak for brukere med sammensatte behov",
            "worked_on": "2026-02-04",
            "hours": 2,
            "competence_areas": ["brukermedvirkning"],
        }
    ],
    "kompetansenettverk": [
        {
            "learner": "A123456",
            "network": "Fagnettverk for arbeidsavklaring",
            "met_on": "2026-04-01",
            "hours": 6,
            "shared_on": "2026-04-15",
            "office": "nav-sagene",
        },
        {
            "learner": "C345678",
            "network": "Fagnettverk for arbeidsavklaring",
            "met_on": "2026-04-01",
            "hours": 6,
        },
    ],
    "hospitering": [
        {
            "learner": "A123456",
            "host_unit": "NAV Arbeidslivssenter Oslo",
            "purpose": "Oppfølging av IA-virksomheter",
            "started_on": "2026-03-02",
            "days": "2,5",
            "office": "nav-sagene",
        }
    ],
    "etter-og-videreutdanning": [
        {
            "learner": "A123456",
            "institution": "OsloMet",
            "course_name": "Veiledningspedagogikk",
            "course_code": "VEI1000",
            "ects": 15,
            "passed": "ja",
            "grade": "B",
            "finished_on": "2026-06-10",
        },
        {
            "learner": "C345678",
            "institution": "OsloMet",
            "course_name": "Veiledningspedagogikk",
            "ects": 15,
            "passed": "nei",
            "finished_on": "2026-06-10",
        },
    ],
    "e-laering": [
        {
            "learner": "A123456",
            "module": E_MODULE,
            "module_name": "Forarbeid til Ny i NAV",
            "finished_at": "2026-02-01T10:00:00Z",
            "completed": True,
            "passed": True,
            "score": "85 %",
            "hours": 1.25,
        },
        {
            "learner": "C345678",
            "module": E_MODULE,
            "finished_at": "2026-02-02T10:00:00+01:00",
            "passed": False,
            "score": 0.4,
            "hours": 0.75,
            "attempt": 2,
        },
    ],
    "elektroniske-informasjonsverktoy": [
        {
            "learner": "A123456",
            "page": "https://navet.intern.nav.no/sider/ny-i-nav",
            "title": "Ny i NAV",
            "viewed_at": "2026-02-01 09:30",
        }
    ],
}


def cmi5_statement(**changes: Any) -> dict[str, Any]:
    """A cmi5 defined "passed" statement, as an AU sends it."""
    statement: dict[str, Any] = {
        "id": "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
        "actor": {
            "objectType": "Agent",
            "account": {"homePage": "https://ident.nav.no", "name": "A123456"},
        },
        "verb": {"id": v.PASSED, "display": {"en-US": "passed"}},
        "object": {"objectType": "Activity", "id": "https://kompetanse.nav.no/xapi/au/pensjon-1"},
        "result": {"success": True, "score": {"scaled": 0.9}, "duration": "PT24M"},
        "context": {
            "registration": "6f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f",
            "contextActivities": {
                "category": [{"id": v.CMI5_CATEGORY}, {"id": v.MOVEON_CATEGORY}],
                "grouping": [{"id": "https://kurs.nav.example/pensjon/au-1"}],
            },
            "extensions": {
                v.CMI5_SESSION_ID: "b0c1d2e3",
                "https://w3id.org/xapi/cmi5/context/extensions/masteryscore": 0.8,
            },
        },
        "timestamp": "2026-02-01T10:24:00.000Z",
    }
    statement.update(changes)
    return statement
