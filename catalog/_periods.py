"""ISO 8601 periods of years, months, weeks and days (P6M, P2Y, P14W) applied to dates."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from functools import lru_cache

_PERIOD = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$")


@lru_cache(maxsize=256)
def _parts(period: str) -> tuple[int, int, int]:
    match = _PERIOD.match(period)
    if match is None or period == "P":
        raise ValueError(f"{period!r} is not a period of years, months, weeks or days")
    years, months, weeks, days = (int(part or 0) for part in match.groups())
    return years * 12 + months, weeks, days


@lru_cache(maxsize=65536)
def add_period(start: date, period: str) -> date:
    """`start` plus the period; a month step keeps the day, clamped to the month's end."""
    months, weeks, days = _parts(period)
    return _add_months(start, months) + timedelta(weeks=weeks, days=days)


@lru_cache(maxsize=65536)
def subtract_period(end: date, period: str) -> date:
    months, weeks, days = _parts(period)
    return _add_months(end, -months) - timedelta(weeks=weeks, days=days)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))
