"""The Statements resource's decisions, without HTTP: validate, complete, store, query.

Routes in `lrs.api` parse the request, call one function here, and render what it returns.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol, cast

from lrs.auth import Action, Credential, permits
from lrs.definitions import DefinitionService
from lrs.errors import BadRequest
from lrs.model import (
    STATEMENT_LEVEL,
    XapiVersion,
    check_storable,
    format_statement,
    format_timestamp,
    parse_timestamp,
    same_statement,
    validate_statement,
)
from lrs.signatures import check_signatures
from lrs.store import (
    VOIDED_VERB,
    AttachmentStore,
    Cursor,
    Format,
    StatementQuery,
    StatementStore,
    check_statement_size,
    ifi_key,
)

log = logging.getLogger(__name__)

Document = dict[str, Any]


@dataclass(frozen=True)
class StatementPage:
    statements: list[Document]
    more: Cursor | None
    query: StatementQuery


class StatementListener(Protocol):
    """Told about every newly stored statement and every statement voided by one."""

    async def stored(self, statements: list[Document]) -> None: ...

    async def voided(self, statement_ids: list[str]) -> None: ...


class Clock:
    """Hands out `stored` times that never go backwards within this process."""

    def __init__(self) -> None:
        self._last = datetime.min.replace(tzinfo=UTC)

    def now(self) -> datetime:
        moment = max(datetime.now(UTC), self._last)
        self._last = moment
        return moment


class StatementService:
    """Statements: the LRS's side of PUT, POST and GET."""

    def __init__(
        self,
        store: StatementStore,
        attachments: AttachmentStore,
        definitions: DefinitionService,
        clock: Clock | None = None,
        listeners: Sequence[StatementListener] = (),
    ) -> None:
        self.store = store
        self.attachment_store = attachments
        self.definitions = definitions
        self.listeners: list[StatementListener] = list(listeners)
        self.clock = clock or Clock()

    async def save(
        self,
        bodies: Sequence[object],
        *,
        version: XapiVersion,
        credential: Credential,
        statement_id: str | None = None,
        attachments: dict[str, tuple[str, bytes]] | None = None,
    ) -> list[str]:
        """Validate every statement, complete it (id, stored, authority, ...) and store all or none.

        `statement_id` is the PUT parameter: the body's id must be absent or equal to it.
        `attachments` are the parts of a multipart/mixed request by SHA-256 (None for JSON);
        signature attachments among them must be well formed (`lrs.signatures`). The new
        statements' Activities and Agents are then recorded (`lrs.definitions`).
        """
        single = statement_id is not None
        validated: list[Document] = []
        for index, body in enumerate(bodies):
            path = "statement" if single else f"statement[{index}]"
            check_storable(body, path, level=STATEMENT_LEVEL)
            validate_statement(body, version=version, path=path)
            validated.append(cast(Document, body))  # a valid statement is a JSON object
        if statement_id is not None:
            given = validated[0].get("id")
            if given is not None and str(given).lower() != statement_id.lower():
                raise BadRequest(
                    f"statement.id: {given} differs from the statementId parameter {statement_id}"
                )
        check_attachments(validated, attachments, single=single)
        check_signatures(validated, attachments or {}, single=single)
        stored = format_timestamp(self.clock.now())
        complete = [
            complete_statement(
                body,
                stored=stored,
                authority=credential.authority,
                version=version,
                statement_id=statement_id,
            )
            for body in validated
        ]
        for index, statement in enumerate(complete):
            where = "statement" if single else f"statement[{index}]"
            check_statement_size(statement, where)
        # A statement sent again is compared as it was sent: what the LRS added the first time
        # (stored, authority, version, a timestamp) does not make it differ.
        sent = {
            statement["id"].lower(): body
            for body, statement in zip(validated, complete, strict=True)
        }

        already_stored: set[str] = set()

        def same(old: Document, new: Document) -> bool:
            already_stored.add(new["id"].lower())  # the store asks only about stored ids
            return same_statement(old, sent[new["id"].lower()])

        if attachments:
            await self.attachment_store.save(attachments)
        ids = await self.store.save(complete, same)
        fresh = [s for s in complete if s["id"].lower() not in already_stored]
        # Only new statements (re)define: one sent again must not undo later definitions.
        await self.definitions.record(fresh, define=permits(credential.scopes, Action.DEFINE))
        await self._tell_listeners(fresh)
        return ids

    async def _tell_listeners(self, fresh: list[Document]) -> None:
        """Tell the listeners (the catalog's projection) what was stored and what was voided.

        The statements are stored already: a listener that fails is logged, not reported to
        the client; the catalog's projection also consumes the statement log from its own
        checkpoint, and credits there what it missed here.
        """
        if not fresh or not self.listeners:
            return
        voided = [s["object"]["id"].lower() for s in fresh if s["verb"]["id"] == VOIDED_VERB]
        for listener in self.listeners:
            try:
                await listener.stored(fresh)
                if voided:
                    await listener.voided(voided)
            except Exception:
                log.exception("a statement listener failed; its consumer of the log will retry")

    async def attachments_of(self, statements: list[Document]) -> list[tuple[str, str, bytes]]:
        """(sha2, content type, bytes) of every stored attachment of these statements, once each."""
        wanted = sorted(
            {a["sha2"] for s in statements for a in s.get("attachments", []) if "sha2" in a}
        )
        found = await self.attachment_store.get_many(wanted) if wanted else {}
        return [(sha2, *found[sha2]) for sha2 in wanted if sha2 in found]

    async def get(
        self, statement_id: str, *, voided: bool, credential_mine: str | None
    ) -> Document | None:
        """One statement by id (or by voided id); None when absent or not this credential's."""
        statement = await self.store.get(statement_id, voided=voided)
        if statement is None:
            return None
        if credential_mine is not None:
            authority = statement.get("authority", {})
            keys = {ifi_key(authority), *(ifi_key(m) for m in authority.get("member", []))}
            if credential_mine not in keys:
                return None
        return statement

    async def query(self, query: StatementQuery, limit: int) -> StatementPage:
        page = await self.store.query(query, limit)
        return StatementPage(page.statements, page.next, query)


def check_attachments(
    statements: list[Document],
    parts: dict[str, tuple[str, bytes]] | None,
    *,
    single: bool,
) -> None:
    """Every attachment without a fileUrl has a part, and every part belongs to an attachment."""
    referenced: set[str] = set()
    for index, statement in enumerate(statements):
        for position, attachment in enumerate(statement.get("attachments", [])):
            sha2 = str(attachment["sha2"]).lower()
            referenced.add(sha2)
            if "fileUrl" in attachment or (parts is not None and sha2 in parts):
                continue
            where = "statement" if single else f"statement[{index}]"
            raise BadRequest(
                f"{where}.attachments[{position}].sha2: no fileUrl and no multipart/mixed part "
                f"with X-Experience-API-Hash {sha2}"
            )
    for sha2 in sorted(set(parts or {}) - referenced):
        raise BadRequest(
            f"body: the part with X-Experience-API-Hash {sha2} belongs to no attachment"
        )


def complete_statement(
    body: Document,
    *,
    stored: str,
    authority: Document,
    version: XapiVersion,
    statement_id: str | None,
) -> Document:
    """The statement as stored: the LRS sets id, stored, authority, version and timestamp."""
    statement = _own_copy(body)
    if "id" not in statement:
        statement["id"] = statement_id or str(uuid.uuid4())
    statement["stored"] = stored
    statement["authority"] = authority
    statement.setdefault("version", "2.0.0" if version == "2.0.0" else "1.0.0")
    if "timestamp" not in statement:
        statement["timestamp"] = stored
    elif version == "2.0.0":
        statement["timestamp"] = to_utc(statement["timestamp"])
    _context_activities_as_lists(statement)
    return statement


def to_utc(timestamp: str) -> str:
    """A timestamp in UTC ("Z"), keeping its precision (at least milliseconds)."""
    moment = parse_timestamp(timestamp)
    if moment.utcoffset() == timedelta(0) and timestamp.endswith(("Z", "z")):
        return timestamp
    utc = moment.astimezone(UTC)
    if utc.microsecond % 1000:
        return utc.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return format_timestamp(utc)


def _own_copy(body: Document) -> Document:
    """A copy of `body` that completing it cannot change the body through: the statement
    itself and what `_context_activities_as_lists` rewrites (its context activities, and a
    SubStatement's). The rest is shared: nothing below changes it, and the store keeps a
    copy of its own."""
    statement = dict(body)
    context = statement.get("context")
    if isinstance(context, dict) and isinstance(context.get("contextActivities"), dict):
        statement["context"] = {**context, "contextActivities": dict(context["contextActivities"])}
    target = statement.get("object")
    if isinstance(target, dict) and target.get("objectType") == "SubStatement":
        statement["object"] = _own_copy(target)
    return statement


def _context_activities_as_lists(statement: Document) -> None:
    """A single context activity is returned as a list of one (Data §2.4.6.2)."""
    activities = statement.get("context", {}).get("contextActivities", {})
    for kind, value in activities.items():
        if isinstance(value, dict):
            activities[kind] = [value]
    target = statement.get("object", {})
    if target.get("objectType") == "SubStatement":
        _context_activities_as_lists(target)


def present(statement: Document, fmt: Format, languages: Sequence[str]) -> Document:
    """A stored statement in the requested format."""
    return statement if fmt == "exact" else format_statement(statement, fmt, languages)


def mine_key(credential: Credential) -> str | None:
    """For a statements/read/mine credential, the IFI key its statements carry as authority."""
    return ifi_key(credential.authority)
