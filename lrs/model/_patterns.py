"""Regular expressions for the string formats of xAPI (Data §4), compiled once.

Each pattern matches a whole string (use `fullmatch`). They are written in the syntax that
Python's `re` and Rust's `regex` share (no look-around, ASCII classes spelled out), so the
models can hand them to pydantic-core, which matches them without calling back into Python.
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


def _any_case(tag: str) -> str:
    return "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else c for c in tag)


# RFC 5646 §2.1. Tags are case-insensitive: the classes name both cases (a case-insensitive
# flag would let Unicode case folding in, e.g. the Kelvin sign for "k").
_ALNUM = "[A-Za-z0-9]"
_GRANDFATHERED = "|".join(
    _any_case(tag)
    for tag in (
        "en-GB-oed i-ami i-bnn i-default i-enochian i-hak i-klingon i-lux i-mingo i-navajo i-pwn"
        " i-tao i-tay i-tsu sgn-BE-FR sgn-BE-NL sgn-CH-DE"
        " art-lojban cel-gaulish no-bok no-nyn zh-guoyu zh-hakka zh-min zh-min-nan zh-xiang"
    ).split()
)
_PRIVATE_USE = rf"[xX](?:-{_ALNUM}{{1,8}})+"
_LANGTAG = (
    r"(?:[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}|[A-Za-z]{4}|[A-Za-z]{5,8})"  # language[-extlang]
    r"(?:-[A-Za-z]{4})?"  # script
    r"(?:-(?:[A-Za-z]{2}|[0-9]{3}))?"  # region
    rf"(?:-(?:{_ALNUM}{{5,8}}|[0-9]{_ALNUM}{{3}}))*"  # variants
    rf"(?:-[0-9A-WYZa-wyz](?:-{_ALNUM}{{2,8}})+)*"  # extensions
    rf"(?:-{_PRIVATE_USE})?"
)
LANGUAGE_TAG = re.compile(rf"{_GRANDFATHERED}|{_LANGTAG}|{_PRIVATE_USE}")
"""A well-formed RFC 5646 language tag."""

_N = r"[0-9]+(?:[.,][0-9]+)?"
_DATE = rf"(?:{_N}Y(?:{_N}M)?(?:{_N}D)?|{_N}M(?:{_N}D)?|{_N}D)"
_TIME = rf"(?:{_N}H(?:{_N}M)?(?:{_N}S)?|{_N}M(?:{_N}S)?|{_N}S)"
DURATION = re.compile(rf"P(?:{_N}W|{_DATE}(?:T{_TIME})?|T{_TIME})")
"""An ISO 8601:2004 §4.4.3.2 duration: PnYnMnDTnHnMnS or PnW, at least one part (Data §4.6)."""

TIMESTAMP = re.compile(
    r"(?P<year>[0-9]{4})-(?P<month>[0-9]{2})-(?P<day>[0-9]{2})[Tt]"
    r"(?P<hour>[0-9]{2}):(?P<minute>[0-9]{2})"
    r"(?::(?P<second>[0-9]{2})(?:[.,](?P<fraction>[0-9]+))?)?"
    r"(?P<zone>[Zz]|[+-][0-9]{2}(?::?[0-9]{2})?)?"
    r"|(?P<byear>[0-9]{4})(?P<bmonth>[0-9]{2})(?P<bday>[0-9]{2})[Tt]"
    r"(?P<bhour>[0-9]{2})(?P<bminute>[0-9]{2})"
    r"(?:(?P<bsecond>[0-9]{2})(?:[.,](?P<bfraction>[0-9]+))?)?"
    r"(?P<bzone>[Zz]|[+-][0-9]{2}(?:[0-9]{2})?)?"
)
"""An ISO 8601 combined date and time, extended or basic format, zone optional (Data §4.5).

RFC 3339 timestamps (xAPI 2.0) are the extended format; its lower-case "t" and "z" are allowed.
"""

NEGATIVE_ZERO_OFFSET = frozenset({"-00", "-0000", "-00:00"})
"""Offsets that say "local time unknown" (RFC 3339 §4.3); the conformance suite rejects them."""

DURATION_SECONDS = re.compile(r"(?P<whole>[0-9]+)[.,](?P<fraction>[0-9]+)S\Z")
"""The seconds of a duration with a fraction, for comparing at 0.01 s precision."""
