"""A person's rights under GDPR: an export of everything held about them (article 15) and
erasure (article 17), both audited.

Where personal data lives is said once, in `PERSONAL_COLLECTIONS`: each collection, the
fields that name the person (by employee id, by their xAPI identifier keys, by their account
usernames, or by the attachments of their statements) and what erasure does there. The export
reads exactly these, the erasure empties exactly these, and the tests check both against it
and that every collection the product writes is either here or in `NOT_PERSONAL`.

Erasure, in order:

1. the LRS: the statements whose actor is the person are deleted, with the voiding statements
   that target them (`StatementStore.delete_by_actor`); wherever they appear in someone
   else's statement (instructor, the object of "mentored", a team or group member, a context
   agent, the authority) they are replaced by one anonymous agent of this erasure, an account
   `{homePage: <base IRI>/erased, name: <receipt id>}` that names no one
   (`StatementStore.replace_agent`), so the other person's record keeps its learning; their
   voiding of another's statement stays, redacted, so that statement stays voided. Their
   agent documents (state, agent profile), the LRS's names for their identifiers, and the
   attachments no remaining statement uses go too;
2. the catalog: their person, assignments, exemptions and their history, evidence, actor
   list entries, classroom seats and waitlist places, accounts and sessions, and their part of
   the planning cycle (mapping answers, development plans and needs, induction plan, network
   seats, attendance and sharing back); where they acted on others (an exemption they granted,
   an audit entry of theirs about someone else, a talk held, a goal added, a comment or an
   approval, a confirmation on a new hire's plan) their username is replaced by the pseudonym
   `erased:<receipt id>`, and where they were a buddy the plan's buddy is cleared;
3. the audit log's entries about them are removed, and a receipt is recorded (action
   `erasure`): what was removed and redacted, counts, when, by whom and the reason, and no
   personal data of the erased person (the receipt's id is what ties it to the request);
4. the kept statuses of everyone affected are recomputed and the offices' summaries settled,
   so they equal a rebuild from the statements.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, Literal

from catalog._audit import AuditLog
from catalog._credit import ActivityIndex, credit_of
from catalog._load import Catalog
from catalog._statuses import StatusKeeper
from catalog._store import CatalogStore
from catalog.errors import Invalid, NotFound
from lrs.store import Collection, Database, StatementStore, ifi_key

Document = dict[str, Any]
By = Literal["person", "identifiers", "usernames", "subject", "attachments"]
Erasure = Literal["delete", "pull", "pseudonymise", "clear", "recompute", "lrs"]


@dataclass(frozen=True)
class Holding:
    """Personal data in one collection: the fields naming the person, by what (`person`:
    the employee id; `identifiers`: their xAPI identifier keys; `usernames`: their accounts;
    `subject`: the employee id or a username; `attachments`: the SHA-256 of their
    statements' attachments), and what erasure does (`delete` the documents, `pull` them
    from lists, `pseudonymise` the field, `clear` it to null, `recompute` from what remains,
    or the LRS's own erasure). A field may be a dotted path into lists of objects
    (`goals.added_by`)."""

    collection: str
    fields: tuple[str, ...]
    by: By
    erasure: Erasure


PERSONAL_COLLECTIONS: tuple[Holding, ...] = (
    Holding("people", ("_id",), "person", "delete"),
    Holding("statuses", ("_id",), "person", "recompute"),  # removed by the refresh
    Holding("assignments", ("person",), "person", "delete"),
    Holding("exemptions", ("person",), "person", "delete"),
    Holding("exemption_events", ("person",), "person", "delete"),
    Holding("exemption_events", ("by",), "usernames", "pseudonymise"),
    Holding("evidence", ("actor",), "identifiers", "delete"),
    Holding("evidence", ("teachers",), "identifiers", "recompute"),  # from redacted statements
    Holding("unmatched_actors", ("_id",), "identifiers", "delete"),
    Holding(
        "classroom_sessions", ("enrolled", "waitlist", "released", "instructors"), "person", "pull"
    ),
    Holding("users", ("person",), "person", "delete"),
    Holding("sessions", ("username",), "usernames", "delete"),
    Holding("audit", ("target",), "subject", "delete"),
    Holding("audit", ("actor",), "usernames", "pseudonymise"),
    Holding("reminders", ("person", "about"), "person", "delete"),  # catalog._reminders
    Holding("reminders", ("username",), "usernames", "delete"),
    Holding("reminder_preferences", ("person",), "person", "delete"),
    Holding("reminder_preferences", ("username",), "usernames", "delete"),
    Holding("mapping_answers", ("person",), "person", "delete"),  # catalog._mapping
    Holding("mapping_rounds", ("opened_by", "closed_by"), "usernames", "pseudonymise"),
    Holding("development_plans", ("person",), "person", "delete"),  # catalog._development
    Holding("development_plans", ("created_by",), "usernames", "pseudonymise"),
    Holding("development_needs", ("person",), "person", "delete"),
    Holding("development_needs", ("answered_by",), "usernames", "pseudonymise"),
    Holding("development_plans", ("talk.by", "goals.added_by"), "usernames", "pseudonymise"),
    Holding("induction_templates", ("updated_by",), "usernames", "pseudonymise"),  # _induction
    Holding("induction_plans", ("person",), "person", "delete"),
    Holding("induction_plans", ("buddy",), "person", "clear"),  # the leader names another
    Holding("induction_plans", ("created_by",), "usernames", "pseudonymise"),
    Holding("induction_plans", ("items.done_by",), "subject", "pseudonymise"),
    Holding("networks", ("members",), "person", "pull"),  # catalog._networks
    Holding("networks", ("created_by",), "usernames", "pseudonymise"),
    Holding("network_meetings", ("attended",), "person", "pull"),
    Holding("network_meetings", ("recorded_by",), "usernames", "pseudonymise"),
    Holding("network_shares", ("person",), "person", "delete"),
    Holding(  # catalog._competence_plan
        "competence_plans",
        ("created_by", "updated_by", "sent_by", "approved_by", "comments.author"),
        "usernames",
        "pseudonymise",
    ),
    Holding(
        "competence_plans",
        ("priorities.done_by", "revisions.approved_by", "revisions.priorities.done_by"),
        "usernames",
        "pseudonymise",
    ),
    # the LRS (lrs.store)
    Holding("statements", ("actor",), "identifiers", "lrs"),  # deleted
    Holding("statements", ("related_agents", "authority"), "identifiers", "lrs"),  # redacted
    Holding("agents", ("_id",), "identifiers", "delete"),
    Holding("documents", ("agent",), "identifiers", "delete"),
    Holding("attachments", ("_id",), "attachments", "delete"),
    Holding("attachment_chunks", ("sha2",), "attachments", "delete"),
)
"""Every collection holding personal data, with the fields that name the person."""

NOT_PERSONAL: dict[str, str] = {
    "offices": "units",
    "regions": "units",
    "office_summaries": "counts per office, recomputed after an erasure",
    "unmapped_activities": "activity IRIs",
    "activities": "activity definitions",
    "credentials": "LRS clients (systems, not people)",
    "oidc_flows": "sign-ins under way for ten minutes, before anyone is known",
    "projection_state": "the projection's checkpoint and lease",
    "reminder_state": "the reminder sender's lease",
}
"""Collections the product writes that hold no personal data, and why."""


class Privacy:
    """Export and erasure of one person. Callers check who may (administrators)."""

    def __init__(
        self,
        catalog: Catalog,
        store: CatalogStore,
        statuses: StatusKeeper,
        statements: StatementStore,
        audit: AuditLog,
    ) -> None:
        self.catalog = catalog
        self.store = store
        self.statuses = statuses
        self.statements = statements
        self.audit = audit
        self.database: Database = store.database

    async def export(self, person: str, *, by: str | None) -> Document:
        """Everything held about `person` as JSON-ready data, by collection; audited."""
        subject = await self._subject(person)
        held = await self.statements.naming(subject.identifiers)
        own = [s for s in held if ifi_key(s["statement"]["actor"]) in subject.identifiers]
        result: Document = {
            "person": person,
            "exported_at": _now(),
            "identifiers": subject.identifiers,
            "statements": own,
            "mentioned_in_statements": [s for s in held if s not in own],
        }
        for holding in PERSONAL_COLLECTIONS:
            if holding.erasure == "lrs" or holding.by == "attachments":
                continue
            found = await self._find(holding, subject)
            section = result.setdefault(holding.collection, [])
            seen = {str(doc.get("_id")) for doc in section}
            section.extend(
                _shown(holding.collection, doc) for doc in found if str(doc["_id"]) not in seen
            )
        result["attachments"] = await self._attachment_list(_attachments_of(own))
        counts = {
            k: len(v) for k, v in result.items() if isinstance(v, list) and k != "identifiers"
        }
        await self.audit.record("export", actor=by, target=person, **counts)
        return result

    async def erase(self, person: str, reason: str, *, by: str | None) -> Document:
        """Erase `person` everywhere (see the module's docstring); the receipt, also kept in
        the audit log. Invalid without a reason, NotFound for no such person."""
        if not reason.strip():
            raise Invalid("reason: an erasure needs a reason")
        subject = await self._subject(person)
        receipt_id = str(uuid.uuid4())
        pseudonym = f"erased:{receipt_id}"
        anonymous = {"account": {"homePage": f"{self.catalog.base_iri}/erased", "name": receipt_id}}
        keys = subject.identifiers
        own = [
            s["statement"]
            for s in await self.statements.naming(keys)
            if ifi_key(s["statement"]["actor"]) in keys
        ]
        removed: dict[str, int] = {}
        redacted: dict[str, int] = {}
        gone = await self.statements.delete_by_actor(keys)
        deleted = [str(statement["id"]).lower() for statement in gone]
        removed["statements"] = len(deleted)
        changed = await self.statements.replace_agent(keys, anonymous)
        redacted["statements"] = len(changed)
        affected = await self._recredit(anonymous)
        evidence = await self.store.evidence.delete_many(
            {"$or": [{"actor": {"$in": keys}}, {"_id": {"$in": deleted}}]}
        )
        removed["evidence"] = int(evidence.deleted_count)
        subject.attachments = await self._unused(_attachments_of(own))
        for holding in PERSONAL_COLLECTIONS:
            if holding.erasure in ("lrs", "recompute") or holding.collection == "evidence":
                continue
            values = subject.values(holding.by)
            if not values:
                continue
            collection = self.database[holding.collection]
            for field in holding.fields:
                match = {field: {"$in": values}}
                if holding.erasure == "delete":
                    result = await collection.delete_many(match)
                    _add(removed, holding.collection, result.deleted_count)
                elif holding.erasure == "pull":
                    pulled = await collection.update_many(
                        match, {"$pull": {field: {"$in": values}}}
                    )
                    _add(removed, f"{holding.collection}:{field}", pulled.modified_count)
                else:
                    instead = pseudonym if holding.erasure == "pseudonymise" else None
                    named = await _replace(collection, field, values, instead)
                    _add(redacted, f"{holding.collection}:{field}", named)
        await self.statuses.refresh([person, *affected])  # removes theirs, marks the office
        await self.statuses.settle_summaries()
        # the projection's consumer may have credited a statement of theirs meanwhile
        await self.store.evidence.delete_many({"actor": {"$in": keys}})
        await self.store.unmatched.delete_many({"_id": {"$in": keys}})
        await self._forget_actors({ifi_key(s["actor"]) for s in gone} - {None, *keys})
        receipt: Document = {
            "receipt": receipt_id,
            "erased_at": _now(),
            "erased_by": by,
            "reason": reason.strip(),
            "removed": {k: v for k, v in sorted(removed.items()) if v},
            "redacted": {k: v for k, v in sorted(redacted.items()) if v},
            "anonymous_agent": anonymous,
            "recomputed_statuses": len(affected),
        }
        await self.audit.record("erasure", actor=by, target=pseudonym, **receipt)
        return receipt

    async def _subject(self, person: str) -> _Subject:
        found = await self.store.people.find_one({"_id": person})
        if found is None:
            raise NotFound(f"person: no person {person!r}")
        users = await self.database["users"].find({"person": person}, {"_id": 1}).to_list()
        return _Subject(
            person=person,
            identifiers=sorted(found.get("identifiers", [])),
            usernames=sorted(str(u["_id"]) for u in users),
        )

    async def _find(self, holding: Holding, subject: _Subject) -> list[Document]:
        values = subject.values(holding.by)
        if not values:
            return []
        return await (
            self.database[holding.collection]
            .find({"$or": [{field: {"$in": values}} for field in holding.fields]})
            .sort([("_id", 1)])
            .to_list()
        )

    async def _recredit(self, anonymous: Document) -> list[str]:
        """Credit the redacted statements again (their teachers changed); the people whose
        statements they are."""
        key = ifi_key(anonymous)
        if key is None:
            return []
        index = ActivityIndex(self.catalog)
        credits, actors = [], set()
        for held in await self.statements.naming([key]):
            credit = replace(credit_of(held["statement"], index), unmapped=None, voids=None)
            if credit.document is not None:
                credits.append(credit)
                actors.add(credit.document["actor"])
            else:
                await self.store.evidence.delete_one({"_id": credit.statement_id, "voided": None})
        await self.store.write_credits(credits)
        return await self.store.people_with_identifiers(actors)

    async def _forget_actors(self, actors: set[str | None]) -> None:
        """Others whose only statements were deleted (voiding one of theirs) are no longer
        actors the LRS has seen (as a rebuild would find)."""
        for key in sorted(a for a in actors if a is not None):
            remaining = await self.statements.naming([key])
            if not any(ifi_key(s["statement"]["actor"]) == key for s in remaining):
                await self.store.unmatched.delete_one({"_id": key})

    async def _unused(self, sha2s: Sequence[str]) -> list[str]:
        """Of these attachments, those no remaining statement uses."""
        statements = self.database["statements"]
        return [
            sha2
            for sha2 in sorted(set(sha2s))
            if not await statements.count_documents({"statement.attachments.sha2": sha2})
        ]

    async def _attachment_list(self, sha2s: Sequence[str]) -> list[Document]:
        found = (
            await self.database["attachments"].find({"_id": {"$in": sorted(set(sha2s))}}).to_list()
        )
        return [
            {"sha2": doc["_id"], "contentType": doc.get("contentType"), "length": doc.get("length")}
            for doc in found
        ]


@dataclass
class _Subject:
    person: str
    identifiers: list[str]
    usernames: list[str]
    attachments: list[str] | None = None

    def values(self, by: By) -> list[str]:
        if by == "person":
            return [self.person]
        if by == "identifiers":
            return self.identifiers
        if by == "usernames":
            return self.usernames
        if by == "subject":
            return [self.person, *self.usernames]
        return self.attachments or []


def _shown(collection: str, document: Document) -> Document:
    """A stored document as the export shows it: no secrets (password and session hashes,
    identity provider tokens), binary content as text or base64."""
    if collection == "users":
        return {k: v for k, v in document.items() if k != "password_hash"}
    if collection == "sessions":
        return {"username": document.get("username"), "expires": document.get("expires")}
    shown = {k: v for k, v in document.items() if k != "fingerprint"}
    content = shown.get("content")
    if isinstance(content, bytes):
        try:
            shown["content"] = content.decode()
        except UnicodeDecodeError:
            shown["content_base64"] = base64.b64encode(content).decode()
            del shown["content"]
    return shown


async def _replace(
    collection: Collection, field: str, values: list[str], instead: str | None
) -> int:
    """Set `field` to `instead` wherever it holds one of `values`; a dotted path reaches into
    lists of objects, where only the matching elements change. How many documents changed."""
    if "." not in field:
        named = await collection.update_many({field: {"$in": values}}, {"$set": {field: instead}})
        return int(named.modified_count)
    top, *rest = field.split(".")
    changed = 0
    for document in await collection.find({field: {"$in": values}}).to_list():
        value = document.get(top)
        if _replace_in(value, rest, set(values), instead):
            await collection.update_one({"_id": document["_id"]}, {"$set": {top: value}})
            changed += 1
    return changed


def _replace_in(value: Any, path: list[str], values: set[str], instead: str | None) -> bool:
    if isinstance(value, list):
        changed = [_replace_in(item, path, values, instead) for item in value]  # every one
        return any(changed)
    if not isinstance(value, dict) or path[0] not in value:
        return False
    if len(path) > 1:
        return _replace_in(value[path[0]], path[1:], values, instead)
    if value[path[0]] in values:
        value[path[0]] = instead
        return True
    return False


def _attachments_of(statements: Sequence[Document]) -> list[str]:
    found = []
    for item in statements:
        statement = item.get("statement", item)
        for attachment in statement.get("attachments", []):
            if isinstance(attachment, dict) and "sha2" in attachment:
                found.append(str(attachment["sha2"]))
    return found


def _add(counts: dict[str, int], name: str, count: int) -> None:
    counts[name] = counts.get(name, 0) + int(count)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
