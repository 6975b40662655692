"""Regular expressions for the string formats of xAPI (Data §4), compiled once.

Each pattern matches a whole string (use `fullmatch`).
"""

from __future__ import annotations

import re

# A character allowed in an IRI (RFC 3987), written as what is *not* allowed: whitespace and
# control characters, the delimiters RFC 3987 excludes, and "%" unless it starts an escape.
_IRI_CHAR = r"""(?:[^\x00-\x20\x7f-\x9f<>"{}|\\^`%]|%[0-9A-Fa-f]{2})"""

IRI = re.compile(rf"[A-Za-z][A-Za-z0-9+.\-]*:{_IRI_CHAR}+")
"""An absolute IRI: a scheme, a colon and at least one more character (Data §4.3)."""

MAILTO = re.compile(rf"mailto:{_IRI_CHAR}+@{_IRI_CHAR}+")
"""An mbox: "mailto:" and an e-mail address (Data §2.4.2.3)."""

SHA1_HEX = re.compile(r"[0-9A-Fa-f]{40}")

SHA2_HEX = re.compile(r"[0-9A-Fa-f]{56}|[0-9A-Fa-f]{64}|[0-9A-Fa-f]{96}|[0-9A-Fa-f]{128}")
"""A hex-encoded SHA-224, -256, -384 or -512 digest."""

UUID = re.compile(r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}")
"""A UUID in the standard string form, any version and variant (Data §4.4)."""

_NAME = r"[A-Za-z0-9!#$%&'*+.^_`|~\-]+"  # an RFC 7230 token
MEDIA_TYPE = re.compile(rf"{_NAME}/{_NAME}(?:[ \t]*;[ \t]*{_NAME}=(?:{_NAME}|\"[^\"]*\"))*")
"""An Internet media type (RFC 2046 / RFC 7231 §3.1.1.1), parameters allowed."""

# RFC 5646 §2.1, case-insensitive. Grandfathered tags first so that "i-klingon" is not refused.
_ALNUM = "[A-Za-z0-9]"
_GRANDFATHERED = (
    "en-GB-oed|i-ami|i-bnn|i-default|i-enochian|i-hak|i-klingon|i-lux|i-mingo|i-navajo|i-pwn"
    "|i-tao|i-tay|i-tsu|sgn-BE-FR|sgn-BE-NL|sgn-CH-DE"
    "|art-lojban|cel-gaulish|no-bok|no-nyn|zh-guoyu|zh-hakka|zh-min|zh-min-nan|zh-xiang"
)
_PRIVATE_USE = rf"x(?:-{_ALNUM}{{1,8}})+"
_LANGTAG = (
    r"(?:[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}|[A-Za-z]{4}|[A-Za-z]{5,8})"  # language[-extlang]
    r"(?:-[A-Za-z]{4})?"  # script
    r"(?:-(?:[A-Za-z]{2}|[0-9]{3}))?"  # region
    rf"(?:-(?:{_ALNUM}{{5,8}}|[0-9]{_ALNUM}{{3}}))*"  # variants
    rf"(?:-[0-9A-WYZa-wyz](?:-{_ALNUM}{{2,8}})+)*"  # extensions
    rf"(?:-{_PRIVATE_USE})?"
)
LANGUAGE_TAG = re.compile(rf"(?:{_GRANDFATHERED}|{_LANGTAG}|{_PRIVATE_USE})", re.IGNORECASE)
"""A well-formed RFC 5646 language tag."""

_N = r"\d+(?:[.,]\d+)?"
DURATION = re.compile(
    rf"P(?:{_N}W"
    rf"|(?=\d|T\d)(?:{_N}Y)?(?:{_N}M)?(?:{_N}D)?(?:T(?=\d)(?:{_N}H)?(?:{_N}M)?(?:{_N}S)?)?)"
)
"""An ISO 8601:2004 §4.4.3.2 duration: PnYnMnDTnHnMnS or PnW, at least one part (Data §4.6)."""

TIMESTAMP = re.compile(
    r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})[Tt]"
    r"(?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:[.,](?P<fraction>\d+))?)?"
    r"(?P<zone>[Zz]|[+-]\d{2}(?::?\d{2})?)?"
    r"|(?P<byear>\d{4})(?P<bmonth>\d{2})(?P<bday>\d{2})[Tt]"
    r"(?P<bhour>\d{2})(?P<bminute>\d{2})(?:(?P<bsecond>\d{2})(?:[.,](?P<bfraction>\d+))?)?"
    r"(?P<bzone>[Zz]|[+-]\d{2}(?:\d{2})?)?"
)
"""An ISO 8601 combined date and time, extended or basic format, zone optional (Data §4.5).

RFC 3339 timestamps (xAPI 2.0) are the extended format; its lower-case "t" and "z" are allowed.
"""

NEGATIVE_ZERO_OFFSET = frozenset({"-00", "-0000", "-00:00"})
"""Offsets that say "local time unknown" (RFC 3339 §4.3); the conformance suite rejects them."""

DURATION_SECONDS = re.compile(r"(?P<whole>\d+)[.,](?P<fraction>\d+)S\Z")
"""The seconds of a duration with a fraction, for comparing at 0.01 s precision."""
