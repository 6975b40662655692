"""Field types for records: people, days, moments, hours, yes/no, IRIs and lists.

They accept what course administrators' spreadsheets hold as well as Python values: Norwegian
dates (``02.03.2026``), decimal commas (``7,5``), ``ja``/``nei``, ``;``-separated lists, and a
person written as an employee ident, an e-mail address or ``Name <e-mail>``.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from adapters.vocabulary import NAV_IDENT

EMPLOYEE_ID = r"^[A-Za-z0-9]{1,20}$"
EMAIL = r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$"
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s]+$")
_NORWEGIAN_DAY = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_NAMED_EMAIL = re.compile(r"^(?P<name>[^<>]+?)\s*<(?P<email>[^<>]+)>$")
_NAMED_IDENT = re.compile(r"^(?P<name>[^()]+?)\s*\((?P<ident>[A-Za-z0-9]+)\)$")
_BARE_IDENT = re.compile(r"^(?=.*\d)[A-Za-z0-9]{1,20}$")  # NAV idents hold digits; names do not
_TRUE = {"ja", "j", "yes", "y", "true", "1", "x", "✓", "✔"}
_FALSE = {"nei", "n", "no", "false", "0", ""}
_OSLO = "Europe/Oslo"


class Person(BaseModel):
    """A person, known by their NAV employee ident or e-mail address (one is required).

    The ident becomes the xAPI account ``{"homePage": "https://ident.nav.no", "name": ident}``
    (how the catalog knows people); without one, the e-mail becomes the ``mbox``.

    >>> Person.model_validate("Kari Nordmann <Kari.Nordmann@nav.no>").agent()
    {'objectType': 'Agent', 'mbox': 'mailto:kari.nordmann@nav.no', 'name': 'Kari Nordmann'}
    """

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    employee_id: str | None = Field(default=None, pattern=EMPLOYEE_ID)
    email: str | None = Field(default=None, pattern=EMAIL)
    name: str | None = Field(default=None, min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        text = value.strip()
        if named := _NAMED_EMAIL.match(text):
            return {"name": named["name"], "email": named["email"]}
        if named := _NAMED_IDENT.match(text):
            return {"name": named["name"], "employee_id": named["ident"]}
        if "@" in text:
            return {"email": text}
        if _BARE_IDENT.match(text):
            return {"employee_id": text}
        raise ValueError(f"{text!r} is not an employee ident, an e-mail address or 'Name <e-mail>'")

    @field_validator("email")
    @classmethod
    def _lower(cls, value: str | None) -> str | None:
        return value.lower() if value is not None else None

    @model_validator(mode="after")
    def _identified(self) -> Person:
        if self.employee_id is None and self.email is None:
            raise ValueError("an employee ident or an e-mail address is required")
        return self

    def agent(self) -> dict[str, Any]:
        """The xAPI Agent: the ident's account if known, else the mbox; the name if given."""
        agent: dict[str, Any] = {"objectType": "Agent"}
        if self.employee_id is not None:
            agent["account"] = {"homePage": NAV_IDENT, "name": self.employee_id}
        else:
            agent["mbox"] = f"mailto:{self.email}"
        if self.name:
            agent["name"] = self.name
        return agent

    def key(self) -> str:
        """Who this is, for deterministic ids: the identifier, never the (spelled) name."""
        return f"ident:{self.employee_id}" if self.employee_id else f"mbox:{self.email}"


def _day(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, str) and (match := _NORWEGIAN_DAY.match(value.strip())):
        day, month, year = (int(part) for part in match.groups())
        return date(year, month, day)
    return value


def _moment(value: Any) -> Any:
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime.combine(value, time(), tzinfo=UTC)
    if isinstance(value, str):
        text = value.strip()
        if match := _NORWEGIAN_DAY.match(text):
            return _moment(_day(match.group(0)))
        if len(text) == 10:
            return _moment(date.fromisoformat(text))
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if isinstance(value, datetime) and value.tzinfo is None:
        try:
            return value.replace(tzinfo=ZoneInfo(_OSLO))
        except ZoneInfoNotFoundError:
            raise ValueError(
                "give the time with a UTC offset, e.g. 2026-03-02T09:00+01:00"
            ) from None
    return value


def _hours(value: Any) -> Any:
    if isinstance(value, str):
        text = value.strip().replace(",", ".")
        if ":" in text:
            hours, _, minutes = text.partition(":")
            if not (hours.isdigit() and minutes.isdigit() and int(minutes) < 60):
                raise ValueError(f"{value!r} is not a number of hours (7,5 or 7:30)")
            return int(hours) + int(minutes) / 60
        return text
    return value


def _flag(value: Any) -> Any:
    if isinstance(value, str):
        text = value.strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise ValueError(f"{value!r} is not yes or no (ja/nei)")
    return value


def _iri(value: str) -> str:
    if not _IRI.match(value):
        raise ValueError(f"{value!r} is not an absolute IRI (e.g. https://...)")
    return value


def _split(separators: str) -> BeforeValidator:
    def split(value: Any) -> Any:
        if isinstance(value, str):
            for separator in separators[1:]:
                value = value.replace(separator, separators[0])
            return [part.strip() for part in value.split(separators[0]) if part.strip()]
        return value

    return BeforeValidator(split)


Day = Annotated[date, BeforeValidator(_day)]
"""A calendar day: ``2026-03-02`` or ``02.03.2026``."""
Moment = Annotated[datetime, BeforeValidator(_moment)]
"""A point in time; a day is its midnight UTC, a time without offset is Norwegian time."""
Hours = Annotated[float, BeforeValidator(_hours), Field(ge=0, le=10_000)]
"""Hours as a number (``7,5`` and ``7:30`` too)."""
Flag = Annotated[bool, BeforeValidator(_flag)]
"""Yes or no: ``ja``/``nei``, ``yes``/``no``, ``x``, ``1``/``0``; an empty cell is no."""
Iri = Annotated[str, AfterValidator(_iri)]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
Slugs = Annotated[list[Slug], _split(";,")]
"""Catalog ids, e.g. competence areas: ``basiskompetanse; brukermedvirkning``."""
People = Annotated[list[Person], _split(";")]
"""People separated by ``;``."""
Text = Annotated[str, Field(min_length=1, max_length=500)]
