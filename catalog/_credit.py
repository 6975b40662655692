"""What one statement is worth to the catalog, as a pure function of the statement.

A statement credits its actor (an xAPI identifier key, not a person: people are matched when
they are read, so someone imported after their statements is credited at once) with evidence
for every catalog module whose activity it names, and credits the people who taught it: its
`context.instructor`, and the actor of a "mentored" or "taught" statement.

    evidence  {_id: statement id, actor, items: "[[package, module, verb, time, score], ...]",
               teachers: [identifier keys], taught: {activity, name, hours, when, group}}

`items` is one compact JSON text (`encode_items`, `decode_items`): it is always read and
written whole and never queried inside, and a text is much cheaper to store, journal and read
back than a list of documents (the per-statement cost of a catch-up).
    evidence  {_id: statement id, voided: true}       a tombstone: the statement is voided

Documents are written with `$set` upserts and a tombstone only ever adds `voided`, so
applying the same statements twice, in any order, concurrently, or after a voiding statement
that arrived first all end in the same documents: the projection's writes are idempotent.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from adapters.vocabulary import BOOKKEEPING
from catalog._insights import duration_hours
from catalog._load import Catalog
from lrs.store import VOIDED_VERB, ifi_key

Document = dict[str, Any]
MENTORED = "http://id.tincanapi.com/verb/mentored"
TAUGHT_VERBS = frozenset({MENTORED, "http://id.tincanapi.com/verb/taught"})


@dataclass(frozen=True)
class ModuleRef:
    package: str
    module: str
    hours: float


class ActivityIndex:
    """The catalog's modules by activity IRI."""

    def __init__(self, catalog: Catalog) -> None:
        self.modules: dict[str, list[ModuleRef]] = {}
        for package in catalog.packages:
            for module in package.modules:
                for activity in module.activities:
                    self.modules.setdefault(activity, []).append(
                        ModuleRef(package.id, module.id, module.estimated_hours)
                    )

    def __contains__(self, activity: object) -> bool:
        return activity in self.modules


@dataclass(frozen=True)
class Credit:
    """What a statement writes: its evidence document (None: nothing to credit), the
    statement it voids, and the activity it names that no catalog module has."""

    statement_id: str
    document: Document | None
    voids: str | None
    unmapped: str | None
    time: str


def credit_of(statement: Mapping[str, Any], index: ActivityIndex) -> Credit:
    statement_id = str(statement["id"]).lower()
    target = statement.get("object", {})
    verb = statement.get("verb", {}).get("id", "")
    when = str(statement.get("timestamp") or statement["stored"])
    if verb == VOIDED_VERB and target.get("objectType") == "StatementRef":
        return Credit(statement_id, None, str(target["id"]).lower(), None, when)
    is_activity = target.get("objectType", "Activity") == "Activity"
    activity = target.get("id") if is_activity else None
    actor = ifi_key(statement.get("actor", {}))
    items = _items(statement, index.modules.get(activity, []) if activity else [], verb, when)
    teachers = _teachers(statement, actor, verb)
    known = activity is None or activity in index or verb in BOOKKEEPING  # an evaluation's
    unmapped = None if known else activity  # package is no module: not an unknown activity
    if actor is None or not (items or teachers):
        return Credit(statement_id, None, None, unmapped, when)
    document: Document = {"actor": actor, "items": items or "[]", "teachers": teachers}
    if teachers:
        document["taught"] = _taught(statement, index, activity, when)
    return Credit(statement_id, document, None, unmapped, when)


def _items(
    statement: Mapping[str, Any], modules: Iterable[ModuleRef], verb: str, when: str
) -> str | None:
    """The modules credited, as `encode_items` writes them; None when there is none."""
    refs = list(modules)
    if not refs:
        return None
    score = statement.get("result", {}).get("score", {}).get("scaled")
    time = _utc(when)
    scaled = float(score) if isinstance(score, int | float) else None
    return encode_items([(ref.package, ref.module, verb, time, scaled) for ref in refs])


Item = tuple[str, str, str, str, float | None]  # package, module, verb, time (UTC ISO), score


def encode_items(items: list[Item]) -> str:
    return json.dumps([list(item) for item in items], separators=(",", ":"))


def decode_items(text: str) -> list[Item]:
    """The items `encode_items` wrote."""
    return [tuple(item) for item in json.loads(text)]


def _teachers(statement: Mapping[str, Any], actor: str | None, verb: str) -> list[str]:
    """Who taught: the instructor (an agent, or a group's members), and the actor of a
    "mentored"/"taught" statement."""
    found: set[str] = set()
    instructor = statement.get("context", {}).get("instructor")
    if isinstance(instructor, Mapping):
        key = ifi_key(instructor)
        if key is not None:
            found.add(key)
        for member in instructor.get("member", []):
            member_key = ifi_key(member) if isinstance(member, Mapping) else None
            if member_key is not None:
                found.add(member_key)
    if verb in TAUGHT_VERBS and actor is not None:
        found.add(actor)
    if verb not in TAUGHT_VERBS:
        found.discard(actor or "")  # one does not teach oneself
    return sorted(found)


def _taught(
    statement: Mapping[str, Any], index: ActivityIndex, activity: str | None, when: str
) -> Document:
    """The teaching as its teacher reads it. `group` is one teaching occasion: the mentees'
    "attended" statements and the mentor's "mentored" statement of one session share it (the
    registration, else the activity and day), so its hours are counted once."""
    target = statement.get("object", {})
    definition = target.get("definition", {}) if isinstance(target, Mapping) else {}
    hours = duration_hours(statement.get("result", {}).get("duration"))
    if not hours and activity in index:
        hours = max(ref.hours for ref in index.modules[str(activity)])
    registration = statement.get("context", {}).get("registration")
    group = str(registration).lower() if registration else f"{activity or ''}|{when[:10]}"
    return {
        "activity": activity,
        "name": definition.get("name") or {"und": str(target.get("id", ""))},
        "hours": round(hours, 2),
        "when": when[:10],
        "group": group,
    }


@functools.lru_cache(maxsize=4096)  # statements of one batch mostly share few timestamps
def _utc(value: str) -> str:
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat()
