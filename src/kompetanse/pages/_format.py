"""Numbers, dates and periods as the pages write them, in bokmål or English: a day as
``dd.mm.yyyy``, hours with a decimal comma (a point in English), a count with its noun in the
right number ("1 time", "2 timer"; "1 plass", "3 plasser") and an ISO 8601 period in words
("P6M": "6 måneder", "P1Y6M": "1 år og 6 måneder").

>>> day("2027-01-30"), hours_phrase(1, "nb"), hours_phrase(7.5, "nb"), period("P14W", "nb")
('30.01.2027', '1 time', '7,5 timer', '14 uker')
"""

from __future__ import annotations

import re
from datetime import date, datetime

from kompetanse.pages._i18n import Language

NOUNS: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    # key: ((bokmål one, bokmål many), (English one, English many))
    "hour": (("time", "timer"), ("hour", "hours")),
    "day": (("dag", "dager"), ("day", "days")),
    "week": (("uke", "uker"), ("week", "weeks")),
    "month": (("måned", "måneder"), ("month", "months")),
    "year": (("år", "år"), ("year", "years")),
    "second": (("sekund", "sekunder"), ("second", "seconds")),
    "seat": (("plass", "plasser"), ("seat", "seats")),
    "free_seat": (("ledig plass", "ledige plasser"), ("free seat", "free seats")),
    "person": (("person", "personer"), ("person", "people")),
    "module": (("modul", "moduler"), ("module", "modules")),
    "package": (("pakke", "pakker"), ("package", "packages")),
    "entry": (("registrering", "registreringer"), ("record", "records")),
    "office": (("kontor", "kontorer"), ("office", "offices")),
    "session": (("samling", "samlinger"), ("session", "sessions")),
    "credit": (("studiepoeng", "studiepoeng"), ("credit", "credits")),
}
_PERIOD = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$")
_AND = {"nb": "og", "en": "and"}


def day(value: str | date | None) -> str:
    """An ISO date or timestamp (or a date) as dd.mm.yyyy, the day it names; "–" for none.
    Text that is not an ISO date is returned as it is."""
    if not value:
        return "–"
    if isinstance(value, datetime | date):
        value = value.isoformat()
    parts = value[:10].split("-")
    if len(parts) != 3 or not all(part.isdigit() for part in parts):
        return value
    year, month, date_of_month = parts
    return f"{date_of_month}.{month}.{year}"


_NORWEGIAN_DAY = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


def parse_day(value: str) -> date | None:
    """A day typed on a form: dd.mm.yyyy (as the pages write it) or yyyy-mm-dd; None when
    it is neither."""
    value = value.strip()
    try:
        found = _NORWEGIAN_DAY.match(value)
        if found:
            of_month, month, year = (int(part) for part in found.groups())
            return date(year, month, of_month)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return date.fromisoformat(value)
    except ValueError:
        return None
    return None


def moment(value: str | None) -> str:
    """A recorded time (an ISO timestamp, UTC) as dd.mm.yyyy hh:mm; "–" for none. The pages
    that show times say in their headings that they are UTC."""
    if not value:
        return "–"
    return f"{day(value)} {value[11:16]}" if len(value) >= 16 else day(value)


def number(value: float, language: Language = "nb") -> str:
    """A number to one decimal, without trailing zeros: 7,5 (7.5 in English); 0 as "0"."""
    shown = f"{round(value, 1):.1f}".rstrip("0").rstrip(".") if value else "0"
    return shown if language == "en" else shown.replace(".", ",")


def hours_text(value: float, language: Language = "nb") -> str:
    """Hours as a number: 7,5 (7.5 in English)."""
    return number(value, language)


def noun(count: float, key: str, language: Language) -> str:
    """The noun `key` in the number `count` asks for: singular for exactly one."""
    nb, en = NOUNS[key]
    one, many = nb if language == "nb" else en
    return one if count == 1 else many


def plural(count: float, key: str, language: Language) -> str:
    """A count with its noun: "1 time", "2,5 timer", "3 plasser", "1 person"."""
    shown = str(count) if isinstance(count, int) else number(count, language)
    return f"{shown} {noun(count, key, language)}"


def hours_phrase(value: float, language: Language) -> str:
    """Hours with the word: "1 time", "7,5 timer" ("7.5 hours")."""
    rounded = round(value, 1)
    return f"{number(rounded, language)} {noun(rounded, 'hour', language)}"


def period(value: str | None, language: Language) -> str:
    """An ISO 8601 period of years, months, weeks and days in words: "P6M" is "6 måneder"
    ("6 months"), "P1Y6M" "1 år og 6 måneder"; a value that is no such period is returned
    as it is (never a blank)."""
    if not value:
        return ""
    match = _PERIOD.match(value)
    if match is None or value == "P":
        return value
    words = [
        plural(int(amount), unit, language)
        for amount, unit in zip(match.groups(), ("year", "month", "week", "day"), strict=True)
        if amount is not None
    ]
    if len(words) == 1:
        return words[0]
    return f"{', '.join(words[:-1])} {_AND[language]} {words[-1]}"
