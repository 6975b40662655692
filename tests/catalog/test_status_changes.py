"""`changes_on`: the first day after today on which time alone could change a status, so a kept
status need not be recomputed before it. Checked for random packages, evidence and days."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from catalog import Package
from catalog._progress import Evidence, Person, package_status
from tests.catalog.test_progress import ATTENDED, COMPLETED, PASSED, WAIVED, package

PERIODS = ["P1D", "P10D", "P2W", "P1M", "P2M", "P3M", "P6M", "P1Y", "P2Y"]
HORIZON = 1000  # days walked
DAYS = st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31))


@st.composite
def packages(draw: st.DrawFn) -> Package:
    priority = draw(st.sampled_from(["skal", "skal", "skal", "bør", "kan"]))
    audience: dict[str, Any] = draw(st.sampled_from([{"all_employees": True}, {"new_hires": True}]))
    relative = st.builds(
        lambda relative_to, period: {"relative_to": relative_to, "period": period},
        st.sampled_from(["start_date", "assignment", "office_opening"]),
        st.sampled_from(PERIODS),
    )
    fixed = DAYS.map(lambda day: {"relative_to": "fixed", "date": day})
    due = draw(st.one_of(st.none(), relative, relative, fixed))
    validity = draw(
        st.one_of(
            st.none(),
            st.builds(
                lambda expires, window: {
                    "expires_after": expires,
                    "recertification_window": window,
                },
                st.sampled_from(["P3M", "P6M", "P1Y"]),
                st.sampled_from(["P2W", "P1M", "P3M", "P6M"]),
            ),
        )
    )
    completion = draw(
        st.sampled_from([{"rule": "all"}, {"rule": "any"}, {"rule": "at_least", "count": 1}])
    )
    return package(
        audiences=[{"priority": priority, **audience}],
        effective_from=draw(st.dates(min_value=date(2022, 1, 1), max_value=date(2026, 6, 30))),
        due=due,
        validity=validity,
        completion=completion,
    )


# Statements from up to 500 days before the first day walked to its last, mostly ones that count.
STATEMENTS = st.lists(
    st.tuples(
        st.sampled_from(["e-laering", "samling"]),
        st.sampled_from([PASSED, COMPLETED, ATTENDED, ATTENDED, ATTENDED, WAIVED]),
        st.integers(min_value=-500, max_value=HORIZON),
        st.one_of(st.none(), st.floats(min_value=0.7, max_value=1)),
    ),
    max_size=4,
).flatmap(
    # a third of the time, the package is completed on some day too (to cover renewals)
    lambda found: st.one_of(
        st.just(found),
        st.just(found),
        st.integers(min_value=-400, max_value=HORIZON).map(
            lambda days: [
                *found,
                ("e-laering", PASSED, days, 0.9),
                ("samling", COMPLETED, days, None),
            ]
        ),
    )
)


def _evidence(today: date, statements: list[tuple[str, str, int, float | None]]) -> list[Evidence]:
    return [
        Evidence(f"s{n}", "p1", "ny-i-nav", module, verb, _at(today + timedelta(days=days)), score)
        for n, (module, verb, days, score) in enumerate(statements)
    ]


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


@settings(max_examples=200, deadline=None)
@given(
    package=packages(),
    statements=STATEMENTS,
    start=DAYS,
    assigned=st.one_of(st.none(), DAYS),
    opening=st.one_of(st.none(), DAYS),
    first=DAYS,
    window=st.integers(min_value=0, max_value=90),
    exempted=st.sampled_from([False] * 9 + [True]),
)
def test_changes_on_is_the_next_day_time_changes_the_status(
    package: Package,
    statements: list[tuple[str, str, int, float | None]],
    start: date,
    assigned: date | None,
    opening: date | None,
    first: date,
    window: int,
    exempted: bool,
) -> None:
    """Walk HORIZON days from `first`: on every day, `changes_on` is the next day whose status
    or due differs (so nothing differs on any day before it), or None when none in sight does."""
    evidence = _evidence(first, statements)
    person = Person("p1", "nav-sagene", "oslo", frozenset(), "state", start)
    timeline = [
        package_status(
            package,
            person,
            evidence,
            first + timedelta(days=offset),
            due_soon=timedelta(days=window),
            exempted=exempted,
            assigned=assigned,
            office_opening=opening,
        )
        for offset in range(HORIZON + 1)
    ]
    if timeline[0] is None:  # outside every audience, on any day
        assert all(status is None for status in timeline)
        return
    seen = [(s.status, s.due) for s in timeline if s is not None]
    assert len(seen) == len(timeline)
    next_change: date | None = None
    for offset in range(HORIZON, -1, -1):
        status = timeline[offset]
        assert status is not None
        if next_change is None:
            assert status.changes_on is None or status.changes_on > first + timedelta(days=HORIZON)
        else:
            assert status.changes_on == next_change, (offset, seen[offset])
        if offset and seen[offset - 1] != seen[offset]:
            next_change = first + timedelta(days=offset)
