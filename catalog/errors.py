"""Errors the catalog raises on purpose. Each becomes one answer with its status code: a JSON
error under /api in the LRS's shape (`catalog.install_error_handler`), an HTML error page on
a page.

    CatalogError
    ├── Invalid            400: the request is malformed (names the property, when one is to blame)
    ├── Unauthorized       401: not signed in, or a wrong password
    ├── Forbidden          403: the viewer may not see or change this
    ├── NotFound           404: no such person, office, county, package or session
    ├── Conflict           409: the change contradicts what is stored
    └── TooManyRequests    429: too many failed sign-ins; `retry_after` says how long

The LRS keeps its own tree (`lrs.errors`); the catalog never raises those. This module imports
nothing but the standard library.
"""

from __future__ import annotations


class CatalogError(Exception):
    """Root of every error the catalog raises on purpose.

    `message` is what the client is told; `path`, when given, names the property to blame and
    leads the message (``Invalid("a string is required", path="reason")`` says
    ``reason: a string is required``).
    """

    status_code = 500

    def __init__(self, message: str, *, path: str | None = None) -> None:
        message = f"{path}: {message}" if path else message
        super().__init__(message)
        self.message = message
        self.path = path


class Invalid(CatalogError):
    status_code = 400


class Unauthorized(CatalogError):
    status_code = 401


class Forbidden(CatalogError):
    status_code = 403


class NotFound(CatalogError):
    status_code = 404


class Conflict(CatalogError):
    status_code = 409


class TooManyRequests(CatalogError):
    """Refused for now; `retry_after`: whole seconds until a new try is accepted."""

    status_code = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


__all__ = [
    "CatalogError",
    "Conflict",
    "Forbidden",
    "Invalid",
    "NotFound",
    "TooManyRequests",
    "Unauthorized",
]
