"""Web accounts: local users with slow-hashed passwords, a role bound to a unit, and sessions.

    users     {_id: username, password_hash, role, person, office, region, created}
    sessions  {_id: sha256(token), username, expires}

A session token is random (256 bits) and only its SHA-256 is stored, so a leaked database
holds no usable session. The pages send it as an HttpOnly, SameSite=Lax cookie, Secure behind
TLS; the JSON API accepts the same cookie.
"""

from __future__ import annotations

import asyncio
import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from catalog._access import ROLES, Role, Viewer
from lrs.auth import hash_secret, verify_secret
from lrs.store import Database

SESSION_COOKIE = "kompetanse_session"
SESSION_LIFETIME = timedelta(hours=12)
MIN_PASSWORD = 12


class AccountStore:
    def __init__(self, database: Database) -> None:
        self.users = database["users"]
        self.sessions = database["sessions"]

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
        await self.users.update_one(
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
        return viewer

    async def remove_user(self, username: str) -> bool:
        await self.sessions.delete_many({"username": username})
        result = await self.users.delete_one({"_id": username})
        return bool(result.deleted_count)

    async def list_users(self) -> list[Viewer]:
        found = await self.users.find({}).sort([("_id", 1)]).to_list()
        return [_viewer(doc) for doc in found]

    async def sign_in(self, username: str, password: str) -> str | None:
        """A new session token, or None when the username or password is wrong."""
        user = await self.users.find_one({"_id": username})
        stored = user["password_hash"] if user else hash_secret(secrets.token_hex(8))
        valid = await asyncio.to_thread(verify_secret, password, stored)
        if user is None or not valid:
            return None
        token = secrets.token_urlsafe(32)
        await self.sessions.insert_one(
            {
                "_id": _digest(token),
                "username": username,
                "expires": (datetime.now(UTC) + SESSION_LIFETIME).isoformat(),
            }
        )
        return token

    async def viewer(self, token: str | None) -> Viewer | None:
        """The signed-in user of a session token that has not expired."""
        if not token:
            return None
        session = await self.sessions.find_one({"_id": _digest(token)})
        if session is None or datetime.fromisoformat(session["expires"]) < datetime.now(UTC):
            return None
        user = await self.users.find_one({"_id": session["username"]})
        return None if user is None else _viewer(user)

    async def sign_out(self, token: str) -> None:
        await self.sessions.delete_one({"_id": _digest(token)})


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
