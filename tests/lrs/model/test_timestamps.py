"""Reading and writing xAPI timestamps (Data §4.5)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lrs.model import format_timestamp, parse_timestamp

OSLO_WINTER = timezone(timedelta(hours=1))


@pytest.mark.parametrize(
    ("text", "moment"),
    [
        pytest.param("2026-11-23T10:15:00.123Z", datetime(2026, 11, 23, 10, 15, 0, 123000, UTC),
                     id="utc"),
        pytest.param("2026-11-23T11:15:00.123+01:00",
                     datetime(2026, 11, 23, 11, 15, 0, 123000, OSLO_WINTER), id="offset"),
        pytest.param("2026-11-23T05:15:00-05",
                     datetime(2026, 11, 23, 5, 15, tzinfo=timezone(timedelta(hours=-5))),
                     id="offset-hours-only"),
        pytest.param("2026-11-23T10:15Z", datetime(2026, 11, 23, 10, 15, tzinfo=UTC),
                     id="no-seconds"),
        pytest.param("2026-11-23T10:15:00.1234567891Z",
                     datetime(2026, 11, 23, 10, 15, 0, 123456, UTC), id="nanoseconds-dropped"),
        pytest.param("2026-11-23T10:15:00,5Z", datetime(2026, 11, 23, 10, 15, 0, 500000, UTC),
                     id="decimal-comma"),
        pytest.param("20261123T111500+0100", datetime(2026, 11, 23, 11, 15, tzinfo=OSLO_WINTER),
                     id="basic-format"),
        pytest.param("2026-11-23t10:15:00z", datetime(2026, 11, 23, 10, 15, tzinfo=UTC),
                     id="rfc-3339-lower-case"),
        pytest.param("2026-11-23T10:15:00", datetime(2026, 11, 23, 10, 15, tzinfo=UTC),
                     id="no-zone-is-utc"),
    ],
)  # fmt: skip
def test_timestamps_are_read_as_aware_datetimes(text: str, moment: datetime) -> None:
    parsed = parse_timestamp(text)
    assert parsed == moment
    assert parsed.utcoffset() == moment.utcoffset()


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("", id="empty"),
        pytest.param("should fail", id="text"),
        pytest.param("2026-11-23", id="date-only"),
        pytest.param("2026-11-23T10:15:00.123-00:00", id="unknown-local-offset"),
        pytest.param("2026-11-23T10:15:00+01:60", id="offset-minutes-60"),
        pytest.param("2026-11-31T10:15:00Z", id="november-31"),
        pytest.param("2026-11-23T10:60:00Z", id="minute-60"),
        pytest.param("2026-11-23T10:15:00Z ", id="trailing-space"),
        pytest.param("+2026-11-23T10:15:00Z", id="expanded-year"),
        pytest.param("0001-01-01T00:00:00+01:00", id="before-year-1-in-utc"),
        pytest.param("9999-12-31T23:59:59-01:00", id="after-year-9999-in-utc"),
    ],
)
def test_bad_timestamps_raise_value_error(text: str) -> None:
    with pytest.raises(ValueError, match=r"timestamp|offset|ISO 8601|day|minute|range"):
        parse_timestamp(text)


def test_format_writes_utc_milliseconds() -> None:
    moment = datetime(2026, 11, 23, 11, 15, 0, 123999, OSLO_WINTER)
    assert format_timestamp(moment) == "2026-11-23T10:15:00.123Z"


def test_format_takes_naive_datetimes_as_utc() -> None:
    assert format_timestamp(datetime(2026, 11, 23, 10, 15)) == "2026-11-23T10:15:00.000Z"


offsets = st.integers(-23 * 60 - 59, 23 * 60 + 59).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)


@given(st.datetimes(datetime(2, 1, 1), datetime(9998, 12, 31), timezones=offsets))
def test_a_formatted_timestamp_reads_back_as_the_same_millisecond(moment: datetime) -> None:
    text = format_timestamp(moment)
    assert parse_timestamp(text) == moment.replace(microsecond=moment.microsecond // 1000 * 1000)
