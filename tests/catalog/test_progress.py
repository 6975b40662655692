"""Completion tracking: evidence from statements, module criteria, package status over time."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from catalog import Package
from catalog._periods import add_period, subtract_period
from catalog._progress import Evidence, Person, evidence_of, package_status

ACTIVITY = "https://kompetanse.nav.no/xapi/activities/ny-i-nav"
PASSED = "http://adlnet.gov/expapi/verbs/passed"
COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
ATTENDED = "http://adlnet.gov/expapi/verbs/attended"
WAIVED = "https://w3id.org/xapi/adl/verbs/waived"
TODAY = date(2026, 11, 23)


def package(**overrides: Any) -> Package:
    data: dict[str, Any] = {
        "id": "ny-i-nav",
        "name": {"nb": "Ny i NAV", "en": "New in NAV"},
        "description": {"nb": "Grunnopplæring", "en": "Basic training"},
        "owner": "directorate",
        "competence_areas": ["basiskompetanse"],
        "audiences": [{"priority": "skal", "new_hires": True}],
        "effective_from": "2024-01-01",
        "modules": [
            {
                "id": "e-laering",
                "name": {"nb": "E-læring", "en": "E-learning"},
                "method": "e-laering",
                "activities": [f"{ACTIVITY}/e-laering"],
                "criterion": {"verbs": [PASSED], "min_score": 0.8},
            },
            {
                "id": "samling",
                "name": {"nb": "Samling", "en": "Gathering"},
                "method": "kurs-og-samlinger",
                "activities": [f"{ACTIVITY}/samling"],
                "criterion": {"verbs": [ATTENDED, COMPLETED]},
                "classroom": True,
            },
        ],
        "due": {"relative_to": "start_date", "period": "P6M"},
        "source": {"seed": "004", "section": "6.2"},
        **overrides,
    }
    return Package.model_validate(data)


def person(start: date = date(2026, 9, 1), roles: frozenset[str] = frozenset()) -> Person:
    return Person("p1", "nav-grunerlokka", "oslo", roles, "state", start)


def evidence(module: str, verb: str, days_ago: int, score: float | None = None) -> Evidence:
    time = datetime(2026, 11, 23, tzinfo=UTC) - timedelta(days=days_ago)
    return Evidence(f"s-{module}-{days_ago}", "p1", "ny-i-nav", module, verb, time, score)


@pytest.mark.parametrize(
    ("items", "today", "status"),
    [
        pytest.param([], TODAY, "not_started", id="nothing-yet"),
        pytest.param([evidence("samling", ATTENDED, 3)], TODAY, "in_progress", id="one-of-two"),
        pytest.param(
            [evidence("e-laering", PASSED, 5, 0.9), evidence("samling", ATTENDED, 3)],
            TODAY,
            "completed",
            id="both",
        ),
        pytest.param(
            [evidence("e-laering", PASSED, 5, 0.5), evidence("samling", ATTENDED, 3)],
            TODAY,
            "in_progress",
            id="score-too-low",
        ),
        pytest.param([], date(2027, 2, 15), "due_soon", id="deadline-near"),
        pytest.param(
            [evidence("samling", ATTENDED, 3)], date(2027, 3, 2), "overdue", id="deadline-passed"
        ),
        pytest.param(
            [evidence("e-laering", WAIVED, 1), evidence("samling", WAIVED, 1)],
            TODAY,
            "waived",
            id="cmi5-waived",
        ),
    ],
)
def test_status(items: list[Evidence], today: date, status: str) -> None:
    result = package_status(package(), person(), items, today)
    assert result is not None
    assert result.status == status
    assert result.priority == "skal"
    assert result.due == date(2027, 3, 1)


def test_exemption_waives() -> None:
    result = package_status(package(), person(), [], TODAY, exempted=True)
    assert result is not None and result.status == "waived"


def test_people_outside_every_audience_have_no_status() -> None:
    before_it_took_effect = person(start=date(2023, 12, 31))
    assert package_status(package(), before_it_took_effect, [], TODAY) is None


def test_an_open_obligation_stays_overdue_however_long_ago_one_started() -> None:
    ola = person(start=subtract_period(TODAY, "P15M"))  # never took Ny i NAV
    result = package_status(package(), ola, [], TODAY)
    assert result is not None
    assert (result.status, result.due) == ("overdue", date(2026, 2, 23))
    assert result.changes_on is None  # overdue until done or exempted


@pytest.mark.parametrize("priority", ["bør", "kan"])
@pytest.mark.parametrize(
    ("items", "status"),
    [
        pytest.param([], "not_started", id="nothing"),
        pytest.param([evidence("samling", ATTENDED, 3)], "in_progress", id="started"),
    ],
)
def test_only_skal_is_overdue_or_due_soon(
    priority: str, items: list[Evidence], status: str
) -> None:
    recommended = package(audiences=[{"priority": priority, "all_employees": True}])
    for day in (date(2027, 2, 15), date(2027, 3, 2), date(2030, 1, 1)):  # near and past the date
        result = package_status(recommended, person(), items, day)
        assert result is not None
        assert (result.status, result.due, result.changes_on) == (status, date(2027, 3, 1), None)


def test_strongest_priority_wins() -> None:
    audiences = [
        {"priority": "kan", "all_employees": True},
        {"priority": "bør", "roles": ["veileder-oppfolging"]},
    ]
    counsellor = person(roles=frozenset({"veileder-oppfolging"}))
    result = package_status(package(audiences=audiences), counsellor, [], TODAY)
    assert result is not None and result.priority == "bør"


def test_validity_expires_and_opens_a_recertification_window() -> None:
    valid = package(
        validity={"expires_after": "P1Y", "recertification_window": "P2M"},
        audiences=[{"priority": "skal", "all_employees": True}],
    )
    done = [evidence("e-laering", PASSED, 10, 0.9), evidence("samling", ATTENDED, 10)]
    completed = package_status(valid, person(), done, TODAY)
    assert completed is not None
    assert (completed.status, completed.due) == ("completed", date(2027, 3, 1))
    assert completed.changes_on == date(2027, 9, 13)  # the window opens two months before expiry
    renewal = package_status(valid, person(), done, date(2027, 10, 1))
    assert renewal is not None
    assert (renewal.status, renewal.due, renewal.expires) == (
        "due_soon",
        date(2027, 11, 13),  # the renewal's date, not the first deadline
        date(2027, 11, 13),
    )
    assert renewal.changes_on == date(2027, 11, 13)
    expired = package_status(valid, person(), done, date(2027, 11, 14))
    assert expired is not None and expired.status == "expired"
    assert expired.changes_on is None


def test_a_recommended_renewal_is_not_due_soon_but_expires() -> None:
    valid = package(
        validity={"expires_after": "P1Y", "recertification_window": "P2M"},
        audiences=[{"priority": "bør", "all_employees": True}],
    )
    done = [evidence("e-laering", PASSED, 10, 0.9), evidence("samling", ATTENDED, 10)]
    in_window = package_status(valid, person(), done, date(2027, 10, 1))
    assert in_window is not None
    assert (in_window.status, in_window.changes_on) == ("completed", date(2027, 11, 13))
    expired = package_status(valid, person(), done, date(2027, 11, 13))
    assert expired is not None and expired.status == "expired"


@pytest.mark.parametrize(
    ("today", "changes_on"),
    [
        pytest.param(TODAY, date(2027, 1, 30), id="due-soon-window-opens"),
        pytest.param(date(2027, 1, 30), date(2027, 3, 2), id="day-after-the-deadline"),
        pytest.param(date(2027, 3, 1), date(2027, 3, 2), id="last-day"),
        pytest.param(date(2027, 3, 2), None, id="overdue-stays"),
    ],
)
def test_changes_on_for_a_deadline(today: date, changes_on: date | None) -> None:
    result = package_status(package(), person(), [], today)
    assert result is not None and result.changes_on == changes_on


def test_a_waiver_never_changes_with_time() -> None:
    result = package_status(package(), person(), [], TODAY, exempted=True)
    assert result is not None and result.changes_on is None


def test_at_least_n_modules() -> None:
    any_one = package(completion={"rule": "at_least", "count": 1})
    result = package_status(any_one, person(), [evidence("samling", ATTENDED, 3)], TODAY)
    assert result is not None and result.status == "completed"


@pytest.mark.parametrize(
    ("move_on", "verbs", "complete"),
    [
        pytest.param("Completed", [COMPLETED], True, id="completed"),
        pytest.param("Passed", [COMPLETED], False, id="passed-needs-passed"),
        pytest.param("CompletedAndPassed", [COMPLETED], False, id="and-needs-both"),
        pytest.param("CompletedAndPassed", [COMPLETED, PASSED], True, id="and-both"),
        pytest.param("CompletedOrPassed", [PASSED], True, id="or-either"),
    ],
)
def test_cmi5_move_on(move_on: str, verbs: list[str], complete: bool) -> None:
    single = package(
        modules=[
            {
                "id": "au",
                "name": {"nb": "AU", "en": "AU"},
                "method": "e-laering",
                "activities": [f"{ACTIVITY}/au"],
                "criterion": {"move_on": move_on},
            }
        ]
    )
    items = [
        Evidence(f"s{i}", "p1", "ny-i-nav", "au", verb, datetime(2026, 11, 1, tzinfo=UTC))
        for i, verb in enumerate(verbs)
    ]
    result = package_status(single, person(), items, TODAY)
    assert result is not None
    assert (result.status == "completed") is complete


def test_evidence_from_a_statement() -> None:
    statement = {
        "id": "s1",
        "actor": {"mbox": "mailto:kari@nav.no"},
        "verb": {"id": PASSED},
        "object": {"id": f"{ACTIVITY}/e-laering"},
        "result": {"score": {"scaled": 0.95}},
        "timestamp": "2026-11-20T10:00:00.000Z",
        "stored": "2026-11-20T10:00:01.000Z",
    }
    [found] = evidence_of(statement, "p1", [package()])
    assert (found.module_id, found.score, found.time.day) == ("e-laering", 0.95, 20)
    other = {**statement, "object": {"id": "https://elsewhere.example/a"}}
    assert evidence_of(other, "p1", [package()]) == []


@pytest.mark.parametrize(
    ("start", "period", "end"),
    [
        pytest.param(date(2026, 8, 31), "P6M", date(2027, 2, 28), id="month-end-clamped"),
        pytest.param(date(2026, 1, 1), "P14W", date(2026, 4, 9), id="weeks"),
        pytest.param(date(2024, 2, 29), "P1Y", date(2025, 2, 28), id="leap-day"),
    ],
)
def test_periods(start: date, period: str, end: date) -> None:
    assert add_period(start, period) == end
    assert subtract_period(end, period) <= start
