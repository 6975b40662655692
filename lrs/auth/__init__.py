"""Credentials (HTTP Basic), scopes, and the one place where scopes are checked."""

from lrs.auth._credentials import Credential, CredentialStore
from lrs.auth._passwords import hash_secret, verify_or_waste, verify_secret
from lrs.auth._scopes import Action, Scope, authorize, parse_scopes, permits
from lrs.auth._throttle import Throttle

__all__ = [
    "Action",
    "Credential",
    "CredentialStore",
    "Scope",
    "Throttle",
    "authorize",
    "hash_secret",
    "parse_scopes",
    "permits",
    "verify_or_waste",
    "verify_secret",
]
