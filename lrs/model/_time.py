"""Timestamps (Data §4.5): ISO 8601 combined date and time, and RFC 3339 for xAPI 2.0."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from lrs.model import _patterns


def parse_timestamp(value: str) -> datetime:
    """Read an xAPI timestamp as an aware datetime.

    Accepts ISO 8601 extended and basic format (``2026-11-23T10:15:00.123+01:00``,
    ``20261123T101500Z``) and RFC 3339. A timestamp without a time zone is taken as UTC (the
    zone is only recommended in 1.0.3). Digits beyond microseconds are dropped.

    Raises ValueError when the value is not such a timestamp, names an impossible date or time
    (or one outside years 1-9999 in UTC), or has a "-00:00" offset (unknown local offset,
    rejected by the conformance suite).

    >>> parse_timestamp("2026-11-23T10:15:00.123+01:00").isoformat()
    '2026-11-23T10:15:00.123000+01:00'
    """
    if not isinstance(value, str):
        raise ValueError(f"a timestamp must be a string, not {type(value).__name__}")
    match = _patterns.TIMESTAMP.fullmatch(value)
    if match is None:
        raise ValueError(f"not an ISO 8601 date and time: {value!r}")
    parts = {name.removeprefix("b"): text for name, text in match.groupdict().items() if text}
    zone = _zone(parts.get("zone"))
    fraction = parts.get("fraction", "")
    moment = datetime(
        int(parts["year"]),
        int(parts["month"]),
        int(parts["day"]),
        int(parts["hour"]),
        int(parts["minute"]),
        int(parts.get("second", "0")),
        int(fraction[:6].ljust(6, "0")),
        tzinfo=zone,
    )
    try:
        moment.astimezone(UTC)
    except OverflowError:
        raise ValueError(f"out of range in UTC: {value!r}") from None
    return moment


def format_timestamp(moment: datetime) -> str:
    """Write a moment as the LRS returns timestamps: UTC, millisecond precision, "Z".

    A naive datetime is taken as UTC.

    >>> format_timestamp(datetime(2026, 11, 23, 10, 15, 0, 123456, tzinfo=UTC))
    '2026-11-23T10:15:00.123Z'
    """
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    utc = moment.astimezone(UTC)
    return f"{utc.year:04d}-{utc:%m-%dT%H:%M:%S}.{utc.microsecond // 1000:03d}Z"


def _zone(text: str | None) -> timezone:
    if text is None or text in ("Z", "z"):
        return UTC
    if text in _patterns.NEGATIVE_ZERO_OFFSET:
        raise ValueError(f"the offset {text} (unknown local offset) is not allowed")
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or "0")
    if hours > 23 or minutes > 59:
        raise ValueError(f"not a time zone offset: {text}")
    offset = timedelta(hours=hours, minutes=minutes)
    return timezone(-offset if text[0] == "-" else offset)
