"""Errors raised by the LRS. Every one of them becomes one JSON error response.

    LrsError
    ├── BadRequest                 400: the request is malformed
    │   └── StatementInvalid       400: a statement breaks a Data §2 rule (names the property path)
    ├── Unauthorized               401: no or wrong credentials
    ├── Forbidden                  403: the credential lacks the scope
    ├── NotFound                   404
    ├── Conflict                   409: e.g. a statement id reused with other content
    ├── PreconditionFailed         412
    ├── PayloadTooLarge            413
    ├── TooManyRequests            429: too many failed sign-ins; Retry-After says how long
    └── StoreUnavailable           503: the database cannot be reached

This module imports nothing but the standard library, so the statement model can use it.
"""

from __future__ import annotations


class LrsError(Exception):
    """Root of every error the LRS raises on purpose."""

    status_code = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BadRequest(LrsError):
    status_code = 400


class StatementInvalid(BadRequest):
    """A statement (or agent, activity, ...) breaks a rule of the xAPI data model.

    `path` names the property, e.g. ``statement[3].actor.mbox``; `reason` says what is wrong.
    """

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class Unauthorized(LrsError):
    status_code = 401


class Forbidden(LrsError):
    status_code = 403


class NotFound(LrsError):
    status_code = 404


class Conflict(LrsError):
    status_code = 409


class PreconditionFailed(LrsError):
    status_code = 412


class PayloadTooLarge(LrsError):
    """Too large to accept; `path` names the property (or `body`) when one is to blame."""

    status_code = 413

    def __init__(self, message: str, path: str | None = None) -> None:
        super().__init__(f"{path}: {message}" if path else message)
        self.path = path


class TooManyRequests(LrsError):
    """Refused for now; `retry_after`: whole seconds until a new try is accepted."""

    status_code = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class StoreUnavailable(LrsError):
    status_code = 503
