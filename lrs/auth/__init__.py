"""Credentials (HTTP Basic), scopes, and the one place where scopes are checked."""

from lrs.auth._credentials import Credential, CredentialStore
from lrs.auth._passwords import hash_secret, verify_secret
from lrs.auth._scopes import Action, Scope, authorize, parse_scopes, permits

__all__ = [
    "Action",
    "Credential",
    "CredentialStore",
    "Scope",
    "authorize",
    "hash_secret",
    "parse_scopes",
    "permits",
    "verify_secret",
]
