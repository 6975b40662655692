"""Web accounts: local users with slow-hashed passwords, a role bound to a unit, and sessions.

    users     {_id: username, password_hash, role, person, office, region, created}
              (signed in with the identity provider: no password_hash, source "oidc", subject)
    sessions  {_id: sha256(token), username, expires, id_token (identity provider only)}

A session token is random (256 bits) and only its SHA-256 is stored, so a leaked database
holds no usable session. The pages send it as an HttpOnly, SameSite=Lax cookie, Secure behind
TLS; the JSON API accepts the same cookie. A sign-in ends the session it replaces (a new
token each time); a changed password, role or unit ends every session of the account; expired
sessions are removed at each sign-in. Failed sign-ins are throttled (`lrs.auth.Throttle`), and
an unknown username costs the same slow hash as a known one.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from catalog._access import ROLES, Role, Viewer
from catalog._audit import AuditLog
from catalog.errors import Forbidden, TooManyRequests
from lrs.auth import Throttle, hash_secret, verify_or_waste
from lrs.store import Database

log = logging.getLogger(__name__)
Document = dict[str, Any]

SESSION_COOKIE = "kompetanse_session"
SESSION_LIFETIME = timedelta(hours=12)
MIN_PASSWORD = 12


EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
"""What the accounts take as an e-mail address: something@domain.tld, no spaces."""


class AccountStore:
    def __init__(self, database: Database, throttle: Throttle | None = None) -> None:
        self.users = database["users"]
        self.sessions = database["sessions"]
        self.flows = database["oidc_flows"]  # sign-ins under way at the identity provider
        self.throttle = throttle or Throttle()
        self.audit = AuditLog(database)

    async def add_user(
        self,
        username: str,
        password: str,
        role: str,
        *,
        person: str | None = None,
        office: str | None = None,
        region: str | None = None,
    ) -> Viewer:
        """Create or replace a user; ValueError names what is wrong."""
        if role not in ROLES:
            raise ValueError(f"role: {role!r} is not one of {', '.join(ROLES)}")
        if len(password) < MIN_PASSWORD:
            raise ValueError(f"password: at least {MIN_PASSWORD} characters")
        viewer = Viewer(username, _role(role), person=person, office=office, region=region)
        result = await self.users.update_one(
            {"_id": username},
            {
                "$set": {
                    "password_hash": await asyncio.to_thread(hash_secret, password),
                    "role": role,
                    "person": person,
                    "office": office,
                    "region": region,
                    "created": datetime.now(UTC).isoformat(timespec="seconds"),
                }
            },
            upsert=True,
        )
        if result.matched_count:  # a new password (and perhaps role): old sessions end
            await self.end_sessions(username, "password or role changed")
        await self.audit.record("account-changed", actor=None, target=username, role=role)
        return viewer

    async def bind_external(
        self,
        username: str,
        subject: str,
        role: str,
        *,
        person: str | None = None,
        office: str | None = None,
        region: str | None = None,
    ) -> Viewer:
        """Create or update the account of someone the identity provider signed in (no
        password). A changed role or unit ends their other sessions; a local account of the
        same name is never taken over (Forbidden)."""
        viewer = Viewer(username, _role(role), person=person, office=office, region=region)
        found = await self.users.find_one({"_id": username})
        if found is not None and found.get("source") != "oidc":
            raise Forbidden(f"a local account is named {username}: an administrator must rename it")
        fields = {"role": role, "person": person, "office": office, "region": region}
        if found is not None and found.get("subject") != subject:
            raise Forbidden(f"{username} belongs to another identity at the provider")
        if found is not None and any(found.get(k) != v for k, v in fields.items()):
            await self.end_sessions(username, "role or unit changed at the identity provider")
            await self.audit.record("account-changed", actor=None, target=username, role=role)
        await self.users.update_one(
            {"_id": username},
            {
                "$set": {**fields, "source": "oidc", "subject": subject},
                "$setOnInsert": {"created": datetime.now(UTC).isoformat(timespec="seconds")},
            },
            upsert=True,
        )
        return viewer

    async def end_sessions(self, username: str, reason: str) -> int:
        """End every session of `username`; how many there were."""
        result = await self.sessions.delete_many({"username": username})
        if result.deleted_count:
            await self.audit.record(
                "sessions-ended",
                actor=None,
                target=username,
                reason=reason,
                count=result.deleted_count,
            )
        return int(result.deleted_count)

    async def remove_user(self, username: str) -> bool:
        await self.sessions.delete_many({"username": username})
        result = await self.users.delete_one({"_id": username})
        if result.deleted_count:
            await self.audit.record("account-removed", actor=None, target=username)
        return bool(result.deleted_count)

    async def set_email(self, username: str, email: str) -> None:
        """An account's e-mail address, for the weekly digests (`kompetanse users add --email`)."""
        if not EMAIL.match(email):
            raise ValueError(f"email: {email!r} is not an e-mail address")
        result = await self.users.update_one({"_id": username}, {"$set": {"email": email}})
        if not result.matched_count:
            raise ValueError(f"no user {username}")

    async def accounts_in_roles(self, roles: list[str]) -> list[Document]:
        """The stored accounts of these roles (username as `_id`, role, unit, person, e-mail),
        by username; for the reminders' digests."""
        found: list[Document] = (
            await self.users.find({"role": {"$in": roles}}).sort([("_id", 1)]).to_list()
        )
        return found

    async def list_users(self) -> list[Viewer]:
        found = await self.users.find({}).sort([("_id", 1)]).to_list()
        return [_viewer(doc) for doc in found]

    async def sign_in(
        self,
        username: str,
        password: str,
        *,
        address: str | None = None,
        replacing: str | None = None,
        throttle: Throttle | None = None,
    ) -> str | None:
        """A new session token, or None when the username or password is wrong.

        Raises TooManyRequests while the username or the client's `address` is locked after
        too many failures (before anything is looked up, so alike for unknown usernames).
        `replacing`: the session token the browser had, ended by this sign-in. `throttle`: the
        app's (shared with the LRS), else this store's own.
        """
        throttle = throttle or self.throttle
        wait = throttle.wait(f"user {username}", address)
        if wait:
            await self.audit.record(
                "sign-in-refused", actor=None, target=username, reason="locked", address=address
            )
            raise TooManyRequests(
                f"too many failed sign-ins for this user or from this address: "
                f"try again in {wait} s",
                wait,
            )
        user = await self.users.find_one({"_id": username})
        hashed = None if user is None else user.get("password_hash")
        if not await asyncio.to_thread(verify_or_waste, password, hashed):
            throttle.failed(f"user {username}", address)
            await self.audit.record("sign-in-failed", actor=None, target=username, address=address)
            return None
        throttle.succeeded(f"user {username}")
        await self.audit.record("sign-in", actor=username, target=username, address=address)
        return await self.start_session(username, replacing=replacing)

    async def start_session(
        self, username: str, *, replacing: str | None = None, id_token: str | None = None
    ) -> str:
        """A new session for a user who has proven who they are (password or identity
        provider); the one it replaces ends, and every expired session is removed."""
        if replacing:
            await self.sessions.delete_one({"_id": _digest(replacing)})
        now = datetime.now(UTC)
        await self.remove_expired_sessions(now)
        token = secrets.token_urlsafe(32)
        session: dict[str, Any] = {
            "_id": _digest(token),
            "username": username,
            "expires": (now + SESSION_LIFETIME).isoformat(),
        }
        if id_token is not None:
            session["id_token"] = id_token
        await self.sessions.insert_one(session)
        return token

    async def remove_expired_sessions(self, now: datetime | None = None) -> int:
        """Retention of sessions: remove every session past its expiry; how many."""
        moment = (now or datetime.now(UTC)).isoformat()
        result = await self.sessions.delete_many({"expires": {"$lt": moment}})
        return int(result.deleted_count)

    async def keep_sessions_retention(self, *, every: float = 86400.0) -> None:
        """Remove expired sessions at once and then every `every` seconds (the app's task),
        so they go even when nobody signs in."""
        while True:
            try:
                await self.remove_expired_sessions()
            except Exception:  # a failing database: try again next time, keep serving
                log.exception("removing expired sessions failed")
            await asyncio.sleep(every)

    async def viewer(self, token: str | None) -> Viewer | None:
        """The signed-in user of a session token that has not expired."""
        if not token:
            return None
        session = await self.sessions.find_one({"_id": _digest(token)})
        if session is None:
            return None
        if datetime.fromisoformat(session["expires"]) < datetime.now(UTC):
            await self.sessions.delete_one({"_id": session["_id"]})
            return None
        user = await self.users.find_one({"_id": session["username"]})
        return None if user is None else _viewer(user)

    async def sign_out(self, token: str) -> str | None:
        """End the session; the identity provider's ID token it was started with, if any
        (for the provider's own sign-out)."""
        session = await self.sessions.find_one({"_id": _digest(token)})
        if session is None:
            return None
        await self.sessions.delete_one({"_id": session["_id"]})
        await self.audit.record("sign-out", actor=session["username"], target=session["username"])
        id_token = session.get("id_token")
        return str(id_token) if id_token else None

    # --- administration (the administrators' pages; each change audited with who made it) ----

    async def accounts(self) -> list[dict[str, Any]]:
        """Every account as administrators see it (no password hash), by username."""
        found = await self.users.find({}).sort([("_id", 1)]).to_list()
        return [_public(document) for document in found]

    async def account(self, username: str) -> dict[str, Any] | None:
        found = await self.users.find_one({"_id": username})
        return None if found is None else _public(found)

    async def create_user(
        self,
        username: str,
        password: str,
        role: str,
        *,
        by: str,
        person: str | None = None,
        office: str | None = None,
        region: str | None = None,
    ) -> Viewer:
        """A new local account (never replacing one: AccountExists); ValueError names what
        is wrong. Audited as `account-changed` (change: created) by `by`."""
        viewer = Viewer(username, _role(role), person=person, office=office, region=region)
        if len(password) < MIN_PASSWORD:
            raise ValueError(f"password: at least {MIN_PASSWORD} characters")
        if await self.users.find_one({"_id": username}, {"_id": 1}) is not None:
            raise AccountExists(f"username: {username} exists already")
        hashed = await asyncio.to_thread(hash_secret, password)
        try:
            await self.users.insert_one(
                {
                    "_id": username,
                    "password_hash": hashed,
                    "role": role,
                    "person": person,
                    "office": office,
                    "region": region,
                    "created": datetime.now(UTC).isoformat(timespec="seconds"),
                }
            )
        except Exception as exc:  # the same name created meanwhile (a duplicate key)
            if await self.users.find_one({"_id": username}, {"_id": 1}) is not None:
                raise AccountExists(f"username: {username} exists already") from exc
            raise
        await self.audit.record(
            "account-changed", actor=by, target=username, change="created", role=role
        )
        return viewer

    async def rebind(
        self,
        username: str,
        role: str,
        *,
        by: str,
        person: str | None = None,
        office: str | None = None,
        region: str | None = None,
    ) -> bool:
        """Change an account's role, unit and person (False: no such account). A change ends
        the account's sessions; audited. An account the identity provider manages is
        refused: the provider sets its role at each sign-in."""
        Viewer(username, _role(role), person=person, office=office, region=region)
        found = await self.users.find_one({"_id": username})
        if found is None:
            return False
        if found.get("source") == "oidc":
            raise AccountRefused("role: the identity provider sets this account's role and unit")
        fields = {"role": role, "person": person, "office": office, "region": region}
        if all(found.get(k) == v for k, v in fields.items()):
            return True
        await self.users.update_one({"_id": username}, {"$set": fields})
        await self.end_sessions(username, "role or unit changed")
        changed = {k: v for k, v in fields.items() if found.get(k) != v}
        await self.audit.record(
            "account-changed", actor=by, target=username, change="binding", **changed
        )
        return True

    async def set_password(self, username: str, password: str, *, by: str) -> bool:
        """A new password for a local account (also enabling a disabled one); its sessions
        end. False: no such account. Audited (change: password)."""
        if len(password) < MIN_PASSWORD:
            raise ValueError(f"password: at least {MIN_PASSWORD} characters")
        found = await self.users.find_one({"_id": username})
        if found is None:
            return False
        if found.get("source") == "oidc":
            raise AccountRefused("password: this account signs in with the identity provider")
        hashed = await asyncio.to_thread(hash_secret, password)
        await self.users.update_one({"_id": username}, {"$set": {"password_hash": hashed}})
        await self.end_sessions(username, "password reset")
        await self.audit.record("account-changed", actor=by, target=username, change="password")
        return True

    async def disable_user(self, username: str, *, by: str) -> bool:
        """Disable a local account: its password is removed (no sign-in until a new one is
        set) and its sessions end. False: no such account. Audited (change: disabled)."""
        found = await self.users.find_one({"_id": username})
        if found is None:
            return False
        if found.get("source") == "oidc":
            raise AccountRefused(
                "account: the identity provider signs this account in; remove it there"
            )
        await self.users.update_one({"_id": username}, {"$set": {"password_hash": None}})
        await self.end_sessions(username, "account disabled")
        await self.audit.record("account-changed", actor=by, target=username, change="disabled")
        return True

    async def remove_account(self, username: str, *, by: str) -> bool:
        """`remove_user`, audited with who removed it."""
        await self.sessions.delete_many({"username": username})
        result = await self.users.delete_one({"_id": username})
        if result.deleted_count:
            await self.audit.record("account-removed", actor=by, target=username)
        return bool(result.deleted_count)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _role(value: str) -> Role:
    for role in ROLES:
        if role == value:
            return role
    raise ValueError(f"role: {value!r} is not one of {', '.join(ROLES)}")


def _viewer(document: dict[str, Any]) -> Viewer:
    return Viewer(
        document["_id"],
        _role(document["role"]),
        person=document.get("person"),
        office=document.get("office"),
        region=document.get("region"),
    )


# --- administration: the accounts as the administrators' pages change them ------------------------


class AccountExists(ValueError):
    """`username: …` – an account of that name exists already."""


class AccountRefused(ValueError):
    """`…: …` – the change does not apply to this account (signed in with the provider)."""


def _public(document: dict[str, Any]) -> dict[str, Any]:
    """An account as the administrators' pages show it: never its password hash."""
    source = document.get("source", "local")
    return {
        "username": document["_id"],
        "role": document["role"],
        "person": document.get("person"),
        "office": document.get("office"),
        "region": document.get("region"),
        "created": document.get("created", ""),
        "source": source,
        "disabled": source != "oidc" and not document.get("password_hash"),
    }
