"""The pages' Norwegian (and English) forms: days as dd.mm.yyyy, counts with the noun in the
right number, hours with a decimal comma, ISO 8601 periods in words; and the error messages
of the catalog said in the chosen language (the names are tested over HTTP)."""

from __future__ import annotations

from datetime import date

import pytest

from kompetanse.pages import _format as fmt
from kompetanse.pages import _views as views
from kompetanse.pages._errors import KINDS
from kompetanse.pages._i18n import TEXT


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("2027-01-30", "30.01.2027", id="iso-date"),
        pytest.param("2026-10-15T10:00:00Z", "15.10.2026", id="timestamp"),
        pytest.param(date(2026, 3, 2), "02.03.2026", id="date"),
        pytest.param(None, "–", id="none"),
        pytest.param("", "–", id="empty"),
        pytest.param("snart", "snart", id="not-a-date"),
    ],
)
def test_a_day(value: str | date | None, expected: str) -> None:
    assert fmt.day(value) == expected
    assert views.day(value) == expected  # the old name keeps working


@pytest.mark.parametrize(
    ("count", "noun", "nb", "en"),
    [
        pytest.param(1, "hour", "1 time", "1 hour", id="one-hour"),
        pytest.param(2, "hour", "2 timer", "2 hours", id="two-hours"),
        pytest.param(0, "hour", "0 timer", "0 hours", id="no-hours"),
        pytest.param(1, "seat", "1 plass", "1 seat", id="one-seat"),
        pytest.param(3, "seat", "3 plasser", "3 seats", id="seats"),
        pytest.param(1, "person", "1 person", "1 person", id="one-person"),
        pytest.param(2, "person", "2 personer", "2 people", id="people"),
        pytest.param(1, "free_seat", "1 ledig plass", "1 free seat", id="one-free-seat"),
        pytest.param(25, "free_seat", "25 ledige plasser", "25 free seats", id="free-seats"),
        pytest.param(1, "module", "1 modul", "1 module", id="one-module"),
        pytest.param(1, "entry", "1 registrering", "1 record", id="one-entry"),
        pytest.param(7, "year", "7 år", "7 years", id="years"),
        pytest.param(1, "second", "1 sekund", "1 second", id="one-second"),
    ],
)
def test_a_count_with_its_noun(count: int, noun: str, nb: str, en: str) -> None:
    assert fmt.plural(count, noun, "nb") == nb
    assert fmt.plural(count, noun, "en") == en


@pytest.mark.parametrize(
    ("hours", "nb", "en"),
    [
        pytest.param(1, "1 time", "1 hour", id="one"),
        pytest.param(1.0, "1 time", "1 hour", id="one-as-float"),
        pytest.param(7.5, "7,5 timer", "7.5 hours", id="decimal"),
        pytest.param(22.5, "22,5 timer", "22.5 hours", id="classroom"),
        pytest.param(0.04, "0 timer", "0 hours", id="rounded-to-nothing"),
        pytest.param(0, "0 timer", "0 hours", id="none"),
    ],
)
def test_hours_in_words(hours: float, nb: str, en: str) -> None:
    assert fmt.hours_phrase(hours, "nb") == nb
    assert fmt.hours_phrase(hours, "en") == en
    assert views.hours_text(hours) == nb.split()[0]


@pytest.mark.parametrize(
    ("value", "nb", "en"),
    [
        pytest.param("P6M", "6 måneder", "6 months", id="months"),
        pytest.param("P1M", "1 måned", "1 month", id="one-month"),
        pytest.param("P1Y", "1 år", "1 year", id="one-year"),
        pytest.param("P2Y", "2 år", "2 years", id="years"),
        pytest.param("P2W", "2 uker", "2 weeks", id="weeks"),
        pytest.param("P1W", "1 uke", "1 week", id="one-week"),
        pytest.param("P14D", "14 dager", "14 days", id="days"),
        pytest.param("P1D", "1 dag", "1 day", id="one-day"),
        pytest.param("P1Y6M", "1 år og 6 måneder", "1 year and 6 months", id="two-parts"),
        pytest.param(
            "P1Y2M3D", "1 år, 2 måneder og 3 dager", "1 year, 2 months and 3 days", id="three"
        ),
        pytest.param("PT2H", "PT2H", "PT2H", id="not-a-calendar-period-kept"),
        pytest.param(None, "", "", id="none"),
    ],
)
def test_a_period_in_words(value: str | None, nb: str, en: str) -> None:
    assert fmt.period(value, "nb") == nb
    assert fmt.period(value, "en") == en


def test_the_catalog_due_rule_reads_as_words() -> None:
    phrase = TEXT["due_start_date"]
    assert phrase[0].format(period=fmt.period("P6M", "nb")) == "6 måneder etter startdato"
    assert phrase[1].format(period=fmt.period("P6M", "en")) == "6 months after the start date"


@pytest.mark.parametrize(
    ("message", "key"),
    [
        ("you may not see office nav-frogner", "error_office_forbidden"),
        ("you may not see county oslo", "error_county_forbidden"),
        ("you may not see the sessions of county oslo", "error_sessions_forbidden"),
        ("you may not see the record of D000002", "error_person_forbidden"),
        ("you may not see every county", "error_nation_forbidden"),
        ("you may not see the nation", "error_nation_forbidden"),
        ("you may not see sessions in another county", "error_own_county"),
        ("no package 'dans'", "error_package_missing"),
        ("package: no package 'dans'", "error_package_missing"),
        ("no office 'nav-nowhere'", "error_office_missing"),
        ("no county 'atlantis'", "error_county_missing"),
        ("no person 'X1' at office 'nav-sagene'", "error_person_not_at_office"),
        ("person: no person 'X1'", "error_person_missing"),
        ("no session 'abc'", "error_session_missing"),
        ("'D000001' has no seat or place in session 'abc'", "error_no_seat"),
        ("no form for 'dans'", "error_no_form"),
        ("D000001 has completed ny-i-nav/samling", "error_completed"),
        ("session: the session started on 2026-11-02", "error_session_started"),
        ("person: D000001 works in another county than the session", "error_other_county"),
        ("session 'abc' is cancelled", "error_session_cancelled"),
        ("the session of 2026-11-02 is cancelled", "error_session_cancelled_on"),
        ("package: D000001 has no exemption from 'ny-i-nav' to revoke", "error_no_exemption"),
        ("sign-in with an identity provider is not set up", "error_no_provider"),
    ],
)
def test_each_kind_of_refusal_has_its_phrase(message: str, key: str) -> None:
    found = [phrase for pattern, phrase in KINDS if pattern.match(message)]
    assert found[:1] == [key]
    assert all(TEXT[key])  # in both languages


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("2026-10-15T10:04:59.123Z", "15.10.2026 10:04", id="timestamp"),
        pytest.param("2026-10-15", "15.10.2026", id="a-day-only"),
        pytest.param(None, "–", id="none"),
    ],
)
def test_a_moment(value: str | None, expected: str) -> None:
    assert fmt.moment(value) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        pytest.param("01.03.2026", date(2026, 3, 1), id="norwegian"),
        pytest.param(" 1.3.2026 ", date(2026, 3, 1), id="short-and-spaced"),
        pytest.param("2026-03-01", date(2026, 3, 1), id="iso"),
        pytest.param("31.02.2026", None, id="no-such-day"),
        pytest.param("i går", None, id="words"),
    ],
)
def test_a_typed_day(typed: str, expected: date | None) -> None:
    assert fmt.parse_day(typed) == expected
