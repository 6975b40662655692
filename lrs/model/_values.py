"""The string formats of xAPI as annotated types: IRIs, UUIDs, language maps, durations, ...

The patterns run inside pydantic-core (Rust), which keeps validation fast; `PATTERN_REASONS`
turns a mismatch back into a sentence for the error message.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import AfterValidator, StringConstraints

from lrs.model import _patterns
from lrs.model._base import fail
from lrs.model._time import parse_timestamp

PATTERN_REASONS: dict[str, str] = {}
"""The pattern given to pydantic -> what a value failing it should have been."""


def _matching(pattern: re.Pattern[str], reason: str) -> StringConstraints:
    anchored = rf"\A(?:{pattern.pattern})\z"
    PATTERN_REASONS[anchored] = reason
    return StringConstraints(pattern=anchored)


def _check_timestamp(value: str) -> str:
    try:
        parse_timestamp(value)
    except ValueError as exc:
        raise fail(f"must be an ISO 8601 timestamp: {exc}") from None
    return value


Iri = Annotated[str, _matching(_patterns.IRI, "must be an absolute IRI (with a scheme)")]
Irl = Annotated[str, _matching(_patterns.IRI, "must be an absolute IRL (with a scheme)")]
MailtoIri = Annotated[
    str, _matching(_patterns.MAILTO, 'must be "mailto:" followed by an e-mail address')
]
Sha1Hex = Annotated[str, _matching(_patterns.SHA1_HEX, "must be a SHA-1 hash in 40 hex digits")]
Sha2Hex = Annotated[
    str, _matching(_patterns.SHA2_HEX, "must be a SHA-2 hash in 56, 64, 96 or 128 hex digits")
]
Uuid = Annotated[
    str, _matching(_patterns.UUID, "must be a UUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)")
]
LanguageTag = Annotated[str, _matching(_patterns.LANGUAGE_TAG, "must be an RFC 5646 language tag")]
MediaType = Annotated[
    str, _matching(_patterns.MEDIA_TYPE, "must be an Internet media type (type/subtype)")
]
Duration = Annotated[
    str, _matching(_patterns.DURATION, "must be an ISO 8601 duration such as PT1H30M or P2D")
]
Timestamp = Annotated[str, AfterValidator(_check_timestamp)]

LanguageMap = dict[LanguageTag, str]
"""Language tag -> text (Data §4.2)."""

Extensions = dict[Iri, Any]
"""IRI -> any JSON value (Data §4.1)."""
