"""Credentials: a key and a secret (HTTP Basic), scopes, and the authority they write as."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pymongo.errors import PyMongoError

from lrs.auth._passwords import hash_secret, verify_or_waste
from lrs.auth._scopes import Scope, parse_scopes
from lrs.errors import StoreUnavailable
from lrs.store import Collection

Document = dict[str, Any]
_CACHE_SECONDS = 300.0


@dataclass(frozen=True)
class Credential:
    """A credential as a request sees it (never with its secret)."""

    key: str
    scopes: frozenset[Scope]
    authority: Document
    label: str = ""
    agent: Document | None = None
    created: str = ""


class CredentialStore:
    """Credentials in one collection, keyed by their key; secrets are scrypt hashes.

    A verified secret is remembered for a few minutes as its SHA-256 (so a busy client does not
    pay the slow hash on every request); revoking a credential takes effect at once.
    """

    def __init__(self, collection: Collection, authority_home_page: str) -> None:
        self._collection = collection
        self._home_page = authority_home_page
        self._verified: dict[str, tuple[bytes, str, float]] = {}

    async def add(
        self,
        *,
        scopes: list[str],
        key: str | None = None,
        secret: str | None = None,
        label: str = "",
        agent: Document | None = None,
    ) -> tuple[Credential, str]:
        """Create a credential; returns it and its secret (generated when not given)."""
        parse_scopes(scopes)
        key = key or secrets.token_urlsafe(12)
        secret = secret or secrets.token_urlsafe(24)
        document = {
            "_id": key,
            "secret_hash": await asyncio.to_thread(hash_secret, secret),
            "scopes": sorted(scopes),
            "label": label,
            "agent": agent,
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        await self._call(self._collection.update_one, {"_id": key}, {"$set": document}, upsert=True)
        self._verified.pop(key, None)
        return self._credential(document), secret

    async def list(self) -> list[Credential]:
        documents = await self._call(self._collection.find({}).sort([("_id", 1)]).to_list)
        return [self._credential(document) for document in documents]

    async def revoke(self, key: str) -> bool:
        """Delete a credential; False if there was none with this key."""
        self._verified.pop(key, None)
        result = await self._call(self._collection.delete_one, {"_id": key})
        return bool(result.deleted_count)

    async def get(self, key: str) -> Credential | None:
        """The credential with this key (never its secret), or None."""
        document = await self._call(self._collection.find_one, {"_id": key})
        return None if document is None else self._credential(document)

    async def count(self) -> int:
        return int(await self._call(self._collection.count_documents, {}))

    async def verify(self, key: str, secret: str, *, check: bool = True) -> Credential | None:
        """The credential for this key if the secret is right, else None.

        An unknown key costs the same slow hash as a known one (nothing tells them apart). With
        `check` False (the key is locked by the throttle) only a secret verified in the last
        minutes is accepted, without hashing: a locked key's own client keeps working, and
        guesses are not tried.
        """
        document = await self._call(self._collection.find_one, {"_id": key})
        fingerprint = hashlib.sha256(secret.encode()).digest()
        now = time.monotonic()
        cached = self._verified.get(key)
        remembered = (
            document is not None
            and cached is not None
            and hmac.compare_digest(cached[0], fingerprint)
            and cached[1] == document["secret_hash"]
            and cached[2] > now
        )
        if remembered:
            return self._credential(document)
        if not check:
            return None
        hashed = None if document is None else document["secret_hash"]
        if not await asyncio.to_thread(verify_or_waste, secret, hashed) or document is None:
            return None
        self._verified[key] = (fingerprint, document["secret_hash"], now + _CACHE_SECONDS)
        return self._credential(document)

    def _credential(self, document: Document) -> Credential:
        agent = document.get("agent")
        authority = agent or {
            "objectType": "Agent",
            "name": document.get("label") or document["_id"],
            "account": {"homePage": self._home_page, "name": document["_id"]},
        }
        return Credential(
            key=document["_id"],
            scopes=parse_scopes(document["scopes"]),
            authority=authority,
            label=document.get("label", ""),
            agent=agent,
            created=document.get("created", ""),
        )

    async def _call(self, method: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return await method(*args, **kwargs)
        except PyMongoError as exc:
            raise StoreUnavailable(f"the credential store failed: {exc}") from exc
