"""Example statements for the model tests: a minimal and a rich one per version."""

from __future__ import annotations

from typing import Any

VOIDED = "http://adlnet.gov/expapi/verbs/voided"
EXPERIENCED = "http://adlnet.gov/expapi/verbs/experienced"
ACTIVITY = "https://kompetanse.example/activities/ny-i-nav"
STATEMENT_ID = "3f2b5c1e-7d44-4c1a-9a57-0c6f6a3f8b21"
OTHER_ID = "9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d"


def minimal() -> dict[str, Any]:
    """The smallest valid statement: actor, verb and object."""
    return {
        "actor": {"mbox": "mailto:kari@nav.example"},
        "verb": {"id": EXPERIENCED},
        "object": {"id": ACTIVITY},
    }


def rich(version: str = "1.0.3") -> dict[str, Any]:
    """A statement using every property the version allows."""
    statement: dict[str, Any] = {
        "id": STATEMENT_ID,
        "actor": {
            "objectType": "Group",
            "name": "Team Oslo",
            "account": {"homePage": "https://ident.nav.example", "name": "team-oslo"},
            "member": [
                {"objectType": "Agent", "name": "Kari", "mbox": "mailto:kari@nav.example"},
                {"mbox_sha1sum": "cd9b00a5611f94eaa7b1661edab976068e364975"},
                {"openid": "https://openid.example/ola"},
            ],
        },
        "verb": {"id": EXPERIENCED, "display": {"en-US": "experienced", "nb": "opplevde"}},
        "object": {
            "objectType": "Activity",
            "id": ACTIVITY,
            "definition": {
                "name": {"en-US": "New in NAV", "nb": "Ny i NAV"},
                "description": {"nb": "Introduksjon for nyansatte"},
                "type": "http://adlnet.gov/expapi/activities/cmi.interaction",
                "moreInfo": "https://kompetanse.example/ny-i-nav",
                "extensions": {"https://kompetanse.example/ext/hours": 2.5},
                "interactionType": "choice",
                "correctResponsesPattern": ["golf[,]tetris"],
                "choices": [
                    {"id": "golf", "description": {"en-US": "Golf"}},
                    {"id": "tetris", "description": {"en-US": "Tetris"}},
                ],
            },
        },
        "result": {
            "score": {"scaled": 0.95, "raw": 95, "min": 0, "max": 100},
            "success": True,
            "completion": True,
            "response": "golf[,]tetris",
            "duration": "PT1H30M12.5S",
            "extensions": {"https://kompetanse.example/ext/attempts": 2},
        },
        "context": {
            "registration": OTHER_ID,
            "instructor": {"name": "Leder", "mbox": "mailto:leder@nav.example"},
            "team": {"objectType": "Group", "mbox": "mailto:team@nav.example"},
            "contextActivities": {
                "parent": [{"id": "https://kompetanse.example/packages/ny-i-nav"}],
                "grouping": [{"objectType": "Activity", "id": "https://kompetanse.example/nav"}],
                "category": {"id": "https://w3id.org/xapi/cmi5/context/categories/cmi5"},
                "other": [],
            },
            "revision": "2",
            "platform": "Kompetanse",
            "language": "nb-NO",
            "statement": {"objectType": "StatementRef", "id": OTHER_ID},
            "extensions": {"https://kompetanse.example/ext/office": {"city": "Oslo"}},
        },
        "timestamp": "2026-11-23T10:15:00.123+01:00",
        "stored": "2026-11-23T09:15:01.000Z",
        "authority": {
            "objectType": "Group",
            "member": [
                {"account": {"homePage": "https://lrs.example/oauth", "name": "app"}},
                {"mbox": "mailto:kari@nav.example"},
            ],
        },
        "version": "1.0.0",
        "attachments": [
            {
                "usageType": "http://adlnet.gov/expapi/attachments/signature",
                "display": {"en-US": "Signature"},
                "description": {"en-US": "A JWS signature"},
                "contentType": "application/octet-stream",
                "length": 4235,
                "sha2": "672fa5fa658017f1b72d65036f13379c6ab05d4ab3b6664908d8acf0b6a0c634",
                "fileUrl": "https://files.example/signature",
            }
        ],
    }
    if version == "2.0.0":
        statement["version"] = "2.0.0"
        statement["context"]["contextAgents"] = [
            {
                "objectType": "contextAgent",
                "agent": {"mbox": "mailto:mentor@nav.example"},
                "relevantTypes": ["https://kompetanse.example/roles/mentor"],
            }
        ]
        statement["context"]["contextGroups"] = [
            {
                "objectType": "contextGroup",
                "group": {"objectType": "Group", "mbox": "mailto:team@nav.example"},
            }
        ]
    return statement


def substatement() -> dict[str, Any]:
    """A statement whose object is a SubStatement (a plan to do something)."""
    planned = minimal()
    return {
        **minimal(),
        "verb": {"id": "http://activitystrea.ms/schema/1.0/schedule"},
        "object": {"objectType": "SubStatement", **planned, "timestamp": "2030-01-01T00:00:00Z"},
    }


def voiding(target: str = OTHER_ID) -> dict[str, Any]:
    return {
        "actor": {"mbox": "mailto:leder@nav.example"},
        "verb": {"id": VOIDED, "display": {"en-US": "voided"}},
        "object": {"objectType": "StatementRef", "id": target},
    }
