"""Reminders by e-mail: which are due, read from the kept statuses and the reports, and the
outbox that sends each one once.

    reminders             {_id: key, kind, to, person, username, about, package, due, week,
                           language, subject, body, state, attempts, created, claimed_by,
                           claim_until, next_attempt, sent_at, last_error}
    reminder_preferences  {_id: "person:<id>" | "user:<username>", person, username, off,
                           language, changed}
    reminder_state        {_id: "sender", owner, lease_until}

Each message has an idempotency key, its `_id` (unique): `before:<person>:<package>:<due>:<days>`
and `overdue:<person>:<package>:<due>` for a learner, `leader:<username>:<ISO week>` and
`coordinator:<username>:<ISO week>` for the weekly digests. A message is recorded, durably,
before it is handed to the mail server, and moves through

    claimed -> sent
            -> failed -> claimed (retried later, with backoff) ... -> given_up (too many)
            -> unknown (the process stopped while sending: it may have gone, so it is never
                        sent again; the administrators' page shows it)
    skipped   a digest with nothing to tell, recorded so that week's is not worked out again

so a restart, a second run or a second process never sends one twice (inserting the claim is
what decides who sends it). One process at a time plans and sends (the lease in
`reminder_state`, the projection's idea); a person or account that turned reminders off
(`reminder_preferences`) gets none, and nothing is recorded for them.
"""

from __future__ import annotations

import os
import re
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from pymongo.errors import DuplicateKeyError

from catalog import _reminder_texts as texts
from catalog._access import Viewer
from catalog._progress import PackageStatus
from catalog._statuses import decode_statuses
from lrs.store import Database

if TYPE_CHECKING:
    from catalog._service import CatalogService

Document = dict[str, Any]
KINDS = ("before", "overdue", "leader", "coordinator")
STATES = ("claimed", "sent", "failed", "given_up", "unknown", "skipped")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_CHUNK = 500
_STATE = "sender"


@dataclass(frozen=True)
class Message:
    """One e-mail, with its idempotency key; `body == ""` marks a digest with nothing to tell."""

    key: str
    kind: str
    to: str
    language: texts.Language
    subject: str
    body: str
    person: str | None = None  # the learner it goes to
    username: str | None = None  # the account a digest goes to
    package: str | None = None
    due: str | None = None
    week: str | None = None
    about: list[str] = field(default_factory=list)  # the people a digest names


@dataclass(frozen=True)
class Timing:
    """When reminders are due: `lead_days` before a deadline (largest first), the weekday
    (ISO, 1 is Monday) from which the week's digests go, and the pages' address for links."""

    lead_days: tuple[int, ...] = (30, 7)
    digest_weekday: int = 1
    base_url: str = "http://127.0.0.1:8000"


def learner_kind(status: PackageStatus, today: date, lead_days: Sequence[int]) -> str | None:
    """`before:<days>`, `overdue`, or None: the reminder a `skal` package's status calls for
    today. Only the nearest lead time that has come is due (a first run five days before a
    deadline sends the 7-day reminder, not the 30-day one as well)."""
    if status.priority != "skal" or status.due is None:
        return None
    if status.status in ("overdue", "expired"):
        return "overdue"
    if status.status in ("completed", "waived"):
        return None
    left = (status.due - today).days
    if left < 0:
        return "overdue"
    come = [days for days in lead_days if left <= days]
    return f"before:{min(come)}" if come else None


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


class Outbox:
    """The record of every reminder: the claim before sending, the state after, the lease
    and the preferences."""

    def __init__(self, database: Database, *, clock: Callable[[], float] = time.time) -> None:
        self.messages = database["reminders"]
        self.preferences = database["reminder_preferences"]
        self.users = database["users"]
        self._state = database["reminder_state"]
        self.clock = clock
        self.me = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"

    async def create_indexes(self) -> None:
        await self.messages.create_index([("state", 1), ("next_attempt", 1)], name="state")
        await self.messages.create_index([("person", 1)], name="person")
        await self.messages.create_index([("username", 1)], name="username")
        await self.messages.create_index([("created", -1)], name="created")

    # -- the lease: one process sends ------------------------------------------------------

    async def lease(self, seconds: float) -> bool:
        now = self.clock()
        await self._state.update_one({"_id": _STATE}, {"$setOnInsert": {"lease_until": 0.0}}, True)
        result = await self._state.update_one(
            {"_id": _STATE, "$or": [{"owner": self.me}, {"lease_until": {"$lt": now}}]},
            {"$set": {"owner": self.me, "lease_until": now + seconds}},
        )
        return bool(result.matched_count)

    async def release(self) -> None:
        await self._state.update_one(
            {"_id": _STATE, "owner": self.me}, {"$set": {"lease_until": 0.0}}
        )

    # -- the state machine ------------------------------------------------------------------

    async def unrecorded(self, messages: Sequence[Message]) -> list[Message]:
        """The messages no earlier run recorded (in any state)."""
        fresh = []
        for start in range(0, len(messages), _CHUNK):
            chunk = messages[start : start + _CHUNK]
            known = {
                doc["_id"]
                for doc in await self.messages.find(
                    {"_id": {"$in": [m.key for m in chunk]}}, {"_id": 1}
                ).to_list()
            }
            fresh += [m for m in chunk if m.key not in known]
        return fresh

    async def claim(self, message: Message, *, hold: float) -> bool:
        """Record the message as claimed by this process, before it is sent; False when it
        was recorded already (sent, being sent, or skipped: not this process's to send)."""
        now = self.clock()
        document = {
            "_id": message.key,
            **{k: v for k, v in asdict(message).items() if k != "key"},
            "state": "skipped" if not message.body else "claimed",
            "attempts": 0,
            "created": _stamp(now),
            "claimed_by": self.me,
            "claim_until": now + hold,
        }
        try:
            await self.messages.insert_one(document)
        except DuplicateKeyError:
            return False
        return bool(message.body)

    async def sent(self, key: str) -> None:
        await self.messages.update_one(
            {"_id": key, "state": "claimed", "claimed_by": self.me},
            {
                "$set": {"state": "sent", "sent_at": _stamp(self.clock()), "last_error": None},
                "$inc": {"attempts": 1},
            },
        )

    async def failed(self, key: str, error: str, *, retry: float, max_attempts: int) -> str:
        """The mail server did not take it: `failed`, to be tried again after `retry` seconds
        doubled per attempt, or `given_up` after `max_attempts`; the new state."""
        found = await self.messages.find_one({"_id": key}, {"attempts": 1}) or {}
        attempts = int(found.get("attempts", 0)) + 1
        state = "given_up" if attempts >= max_attempts else "failed"
        wait = retry * 2 ** (attempts - 1)
        await self.messages.update_one(
            {"_id": key, "state": "claimed", "claimed_by": self.me},
            {
                "$set": {
                    "state": state,
                    "attempts": attempts,
                    "last_error": error[:500],
                    "next_attempt": self.clock() + wait,
                }
            },
        )
        return state

    async def due_again(self, *, hold: float) -> list[Message]:
        """Failed messages whose retry time has come, each claimed again by this process."""
        now = self.clock()
        found = await self.messages.find(
            {"state": "failed", "next_attempt": {"$lte": now}}
        ).to_list()
        claimed = []
        for doc in found:
            result = await self.messages.update_one(
                {"_id": doc["_id"], "state": "failed", "next_attempt": doc.get("next_attempt")},
                {"$set": {"state": "claimed", "claimed_by": self.me, "claim_until": now + hold}},
            )
            if result.matched_count:
                claimed.append(_message(doc))
        return claimed

    async def abandon_stale(self) -> int:
        """Claims whose process stopped mid-send become `unknown`: never sent again."""
        result = await self.messages.update_many(
            {"state": "claimed", "claim_until": {"$lt": self.clock()}},
            {"$set": {"state": "unknown", "last_error": "the sender stopped while sending"}},
        )
        return int(result.modified_count)

    async def listing(
        self,
        *,
        person: str | None = None,
        kind: str | None = None,
        state: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int = 200,
    ) -> list[Document]:
        """What was recorded, newest first; `person`: to or about an employee id or username."""
        query: Document = {}
        if person:
            query["$or"] = [{"person": person}, {"username": person}, {"about": person}]
        if kind:
            query["kind"] = kind
        query["state"] = state if state else {"$ne": "skipped"}
        if since or until:
            query["created"] = {
                **({"$gte": since} if since else {}),
                **({"$lt": until} if until else {}),
            }
        return await self.messages.find(query).sort([("created", -1)]).limit(limit).to_list()

    # -- preferences ------------------------------------------------------------------------

    async def opted_out(self, keys: Iterable[str]) -> set[str]:
        wanted = sorted(set(keys))
        found = set()
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            found |= {
                doc["_id"]
                for doc in await self.preferences.find(
                    {"_id": {"$in": chunk}, "off": True}, {"_id": 1}
                ).to_list()
            }
        return found

    async def languages(self, keys: Iterable[str]) -> dict[str, texts.Language]:
        found = await self.preferences.find({"_id": {"$in": sorted(set(keys))}}).to_list()
        return {doc["_id"]: "en" if doc.get("language") == "en" else "nb" for doc in found}

    async def wants(self, viewer: Viewer) -> bool:
        """Whether the viewer gets reminders (they do unless they turned them off)."""
        return not await self.opted_out(preference_keys(viewer))

    async def choose(self, viewer: Viewer, *, on: bool, language: texts.Language) -> None:
        """Turn the viewer's reminders on or off (as a learner and as an account), in the
        language of the page they chose it on."""
        for key in preference_keys(viewer):
            await self.preferences.update_one(
                {"_id": key},
                {
                    "$set": {
                        "person": viewer.person if key.startswith("person:") else None,
                        "username": viewer.username,
                        "off": not on,
                        "language": language,
                        "changed": _stamp(self.clock()),
                    }
                },
                upsert=True,
            )

    async def set_email(self, username: str, email: str) -> None:
        """An account's e-mail address, for the digests (`kompetanse users add --email`)."""
        if not EMAIL.match(email):
            raise ValueError(f"email: {email!r} is not an e-mail address")
        result = await self.users.update_one({"_id": username}, {"$set": {"email": email}})
        if not result.matched_count:
            raise ValueError(f"no user {username}")


def preference_keys(viewer: Viewer) -> list[str]:
    keys = [f"user:{viewer.username}"]
    if viewer.person:
        keys.insert(0, f"person:{viewer.person}")
    return keys


class Planner:
    """Which reminders are due today, from the kept statuses (learners) and the reports
    (digests); none for those who turned them off."""

    def __init__(self, service: CatalogService, outbox: Outbox, timing: Timing) -> None:
        self.service = service
        self.outbox = outbox
        self.timing = timing

    async def due(self) -> list[Message]:
        messages = await self.learner_messages()
        today = self.service.today()
        if today.isoweekday() >= self.timing.digest_weekday:
            messages += await self.digests()
        return messages

    async def learner_messages(self) -> list[Message]:
        service, today = self.service, self.service.today()
        await service.statuses.flush()
        wanted: list[tuple[Document, PackageStatus, str]] = []
        async for doc in service.statuses.statuses.find({}, {"name": 1, "statuses": 1}):
            for status in decode_statuses(doc["statuses"]):
                kind = learner_kind(status, today, self.timing.lead_days)
                if kind is not None:
                    wanted.append((doc, status, kind))
        people = sorted({doc["_id"] for doc, _, _ in wanted})
        off = await self.outbox.opted_out(f"person:{p}" for p in people)
        languages = await self.outbox.languages(f"person:{p}" for p in people)
        emails = await self._emails(p for p in people if f"person:{p}" not in off)
        messages = []
        for doc, status, kind in wanted:
            person = doc["_id"]
            if person not in emails:
                continue
            language = languages.get(f"person:{person}", "nb")
            messages.append(
                self._learner(person, doc["name"], emails[person], status, kind, language)
            )
        return messages

    def _learner(
        self,
        person: str,
        name: str,
        to: str,
        status: PackageStatus,
        kind: str,
        language: texts.Language,
    ) -> Message:
        assert status.due is not None  # noqa: S101 - learner_kind's condition
        package = self.service.catalog.package(status.package_id)
        remaining = [
            (texts.name_in(m.name.model_dump(), language), m.estimated_hours)
            for m in package.modules
            if status.modules[m.id].completed_at is None and not status.modules[m.id].waived
        ]
        label, _, days = kind.partition(":")
        subject, body = texts.learner_text(
            label,
            language,
            name=name,
            package=texts.name_in(package.name.model_dump(), language),
            due=status.due,
            today=self.service.today(),
            remaining=remaining if status.status != "expired" else [],
            url=self._url("/min-laering"),
            opt_out=self._url("/min-laering/varsler"),
        )
        key = f"{label}:{person}:{package.id}:{status.due.isoformat()}"
        return Message(
            key=f"{key}:{days}" if days else key,
            kind=label,
            to=to,
            language=language,
            subject=subject,
            body=body,
            person=person,
            package=package.id,
            due=status.due.isoformat(),
        )

    async def digests(self) -> list[Message]:
        accounts = await self.outbox.users.find(
            {"role": {"$in": ["leader", "coordinator"]}}
        ).to_list()
        keys = [f"user:{a['_id']}" for a in accounts]
        off = await self.outbox.opted_out(keys)
        languages = await self.outbox.languages(keys)
        persons = await self._people(a["person"] for a in accounts if a.get("person"))
        week = iso_week(self.service.today())
        messages = []
        for account in accounts:
            key = f"user:{account['_id']}"
            own = persons.get(account.get("person") or "", {})
            to = account.get("email") or own.get("email")
            if key in off or not to:
                continue
            role = account["role"]
            viewer = Viewer(
                account["_id"],
                role,
                person=account.get("person"),
                office=account.get("office"),
                region=account.get("region"),
            )
            language = languages.get(key, "nb")
            name = own.get("name") or account["_id"]
            make = self._leader if role == "leader" else self._coordinator
            messages.append(await make(viewer, name, to, week, language))
        return messages

    async def _leader(
        self, viewer: Viewer, name: str, to: str, week: str, language: texts.Language
    ) -> Message:
        assert viewer.office is not None  # noqa: S101 - a leader's binding
        report = await self.service.reports.office_report(viewer, viewer.office)
        overview = report.overview

        def lines(items: list[Document]) -> list[tuple[str, str, str]]:
            return [
                (str(i["name"]), self._package_name(str(i["package"]), language), str(i["due"]))
                for i in items
                if i.get("due")
            ]

        overdue, soon = lines(overview["overdue"]), lines(overview["due_soon"])
        subject, body = texts.leader_text(
            language,
            name=name,
            office=report.name,
            overdue=overdue,
            soon=soon,
            url=self._url(f"/kontoret/{viewer.office}"),
            opt_out=self._url("/min-laering/varsler"),
        )
        about = sorted({str(i["person"]) for i in overview["overdue"] + overview["due_soon"]})
        return Message(
            key=f"leader:{viewer.username}:{week}",
            kind="leader",
            to=to,
            language=language,
            subject=subject,
            body=body if overdue or soon else "",
            username=viewer.username,
            week=week,
            about=about,
        )

    async def _coordinator(
        self, viewer: Viewer, name: str, to: str, week: str, language: texts.Language
    ) -> Message:
        assert viewer.region is not None  # noqa: S101 - a coordinator's binding
        report = await self.service.reports.region_report(viewer, viewer.region)
        region = await self.service.reports.region_name(viewer, viewer.region)
        behind = sorted(
            (
                (str(o["name"]), int(o["statuses"].get("overdue", 0)), int(o["people"]))
                for o in report["offices"]
                if o["statuses"].get("overdue", 0)
            ),
            key=lambda row: (-row[1], row[0]),
        )
        modules = {(p.id, m.id): m for p in self.service.catalog.packages for m in p.modules}
        pipeline = [
            (
                self._package_name(item["package"], language),
                texts.name_in(
                    modules[(item["package"], item["module"])].name.model_dump(), language
                ),
                len(item["placed"]),
                len(item["at_risk"]),
            )
            for item in report["pipeline"]["modules"]
            if (item["package"], item["module"]) in modules
        ]
        subject, body = texts.coordinator_text(
            language,
            name=name,
            region=region,
            behind=behind,
            pipeline=pipeline,
            url=self._url(f"/fylket/{viewer.region}"),
            opt_out=self._url("/min-laering/varsler"),
        )
        return Message(
            key=f"coordinator:{viewer.username}:{week}",
            kind="coordinator",
            to=to,
            language=language,
            subject=subject,
            body=body if behind or pipeline else "",
            username=viewer.username,
            week=week,
        )

    def _package_name(self, package: str, language: texts.Language) -> str:
        return texts.name_in(self.service.catalog.package(package).name.model_dump(), language)

    def _url(self, path: str) -> str:
        return self.timing.base_url.rstrip("/") + path

    async def _emails(self, people: Iterable[str]) -> dict[str, str]:
        return {p: str(doc["email"]) for p, doc in (await self._people(people)).items()}

    async def _people(self, people: Iterable[str]) -> dict[str, Document]:
        ids = sorted(set(people))
        found: dict[str, Document] = {}
        for start in range(0, len(ids), _CHUNK):
            for doc in await self.service.store.people.find(
                {"_id": {"$in": ids[start : start + _CHUNK]}}, {"email": 1, "name": 1}
            ).to_list():
                found[doc["_id"]] = doc
        return found


def _message(doc: Document) -> Message:
    fields: dict[str, Any] = {k: doc.get(k) for k in Message.__dataclass_fields__ if k != "key"}
    fields["about"] = list(doc.get("about") or [])
    return Message(key=doc["_id"], **fields)


def _stamp(moment: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(moment))
