"""Reminders by e-mail: the outbox that sends each one once (which are due is worked out by
`catalog._reminder_plans`).

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
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from pymongo.errors import DuplicateKeyError

from catalog import _reminder_texts as texts
from catalog._access import Viewer
from lrs.store import Database

Document = dict[str, Any]
KINDS = ("before", "overdue", "leader", "coordinator")
STATES = ("claimed", "sent", "failed", "given_up", "unknown", "skipped")
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


class Outbox:
    """The record of every reminder: the claim before sending, the state after, the lease
    and the preferences."""

    def __init__(self, database: Database, *, clock: Callable[[], float] = time.time) -> None:
        self.messages = database["reminders"]
        self.preferences = database["reminder_preferences"]
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


def preference_keys(viewer: Viewer) -> list[str]:
    keys = [f"user:{viewer.username}"]
    if viewer.person:
        keys.insert(0, f"person:{viewer.person}")
    return keys


def _message(doc: Document) -> Message:
    fields: dict[str, Any] = {k: doc.get(k) for k in Message.__dataclass_fields__ if k != "key"}
    fields["about"] = list(doc.get("about") or [])
    return Message(key=doc["_id"], **fields)


def _stamp(moment: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(moment))
