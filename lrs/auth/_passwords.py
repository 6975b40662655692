"""Slow hashing of credential secrets and user passwords (scrypt, from the standard library)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

_N, _R, _P = 2**14, 8, 1


def hash_secret(secret: str) -> str:
    """A salted scrypt hash, self-describing: ``scrypt$n$r$p$salt$hash``."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(secret.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return "$".join(["scrypt", str(_N), str(_R), str(_P), _b64(salt), _b64(digest)])


def verify_secret(secret: str, hashed: str) -> bool:
    """Whether `secret` matches `hashed` (constant-time comparison)."""
    try:
        scheme, n, r, p, salt, digest = hashed.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(
            secret.encode(),
            salt=base64.b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(expected),
        )
    except ValueError:
        return False
    return hmac.compare_digest(actual, expected)


def verify_or_waste(secret: str, hashed: str | None) -> bool:
    """`verify_secret`, or, for an account that does not exist (`hashed` None), the same work
    against a hash of nothing known, and False: an unknown username or key costs the same time
    as a known one with a wrong secret. Slow: call it in a thread (`asyncio.to_thread`)."""
    if hashed is None:
        hashlib.scrypt(secret.encode(), salt=_NO_SALT, n=_N, r=_R, p=_P, dklen=32)
        return False
    return verify_secret(secret, hashed)


_NO_SALT = bytes(16)


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()
