"""Statement builders for the HTTP tests."""

from __future__ import annotations

import uuid
from typing import Any

VOIDED = "http://adlnet.gov/expapi/verbs/voided"
EXPERIENCED = "http://adlnet.gov/expapi/verbs/experienced"
COMPLETED = "http://adlnet.gov/expapi/verbs/completed"


def agent(name: str = "kari") -> dict[str, Any]:
    return {"objectType": "Agent", "name": name, "mbox": f"mailto:{name}@nav.example"}


def statement(
    *,
    actor: str = "kari",
    verb: str = EXPERIENCED,
    activity: str = "https://kompetanse.example/activities/ny-i-nav",
    **extra: Any,
) -> dict[str, Any]:
    return {
        "actor": agent(actor),
        "verb": {"id": verb, "display": {"en-US": "experienced", "nb": "opplevde"}},
        "object": {
            "objectType": "Activity",
            "id": activity,
            "definition": {"name": {"en-US": "New in NAV", "nb": "Ny i NAV"}},
        },
        **extra,
    }


def voiding(target: str) -> dict[str, Any]:
    return {
        "actor": agent("leder"),
        "verb": {"id": VOIDED, "display": {"en-US": "voided"}},
        "object": {"objectType": "StatementRef", "id": target},
    }


def new_id() -> str:
    return str(uuid.uuid4())
