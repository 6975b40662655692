"""Properties over many generated records: every valid record becomes statements the LRS's model
and the profile accept, the same record always gives the same ids, and different learners,
days or modules never share one."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from adapters import Person, get_adapter
from adapters.profile import load_profile, validates
from adapters.vocabulary import ATTENDED
from lrs.model import validate_statement

hypothesis = pytest.importorskip("hypothesis")  # not in the light install
st = pytest.importorskip("hypothesis.strategies")
given, settings = hypothesis.given, hypothesis.settings

TEMPLATES = load_profile()["templates"]
ADAPTERS = {name: get_adapter(name) for name in ("kurs-og-samlinger", "e-laering")}
idents = st.from_regex(r"[A-Z][0-9]{6}", fullmatch=True)
emails = st.from_regex(r"[a-z]{1,12}\.[a-z]{1,12}@nav\.no", fullmatch=True)
learners = st.one_of(
    idents,
    emails,
    st.builds(lambda n, e: f"{n} <{e}>", st.sampled_from(["Kari", "Ola Nordmann"]), emails),
)
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))
hours = st.one_of(st.none(), st.floats(min_value=0, max_value=100, allow_nan=False))
modules = st.from_regex(
    r"https://kompetanse\.nav\.no/xapi/activities/[a-z]{1,10}/[a-z]{1,10}", fullmatch=True
)

courses = st.fixed_dictionaries(
    {"learner": learners, "course": modules, "session_date": days, "hours": hours},
    optional={
        "completed": st.booleans(),
        "registered_on": days,
        "run": st.sampled_from(["2026-var", "2026-host"]),
    },
)
results = st.fixed_dictionaries(
    {
        "learner": learners,
        "module": modules,
        "finished_at": st.datetimes(
            min_value=datetime(2000, 1, 1), max_value=datetime(2099, 1, 1), timezones=st.just(UTC)
        ),
        "completed": st.just(True),
        "hours": hours,
    },
    optional={"passed": st.booleans(), "attempt": st.integers(1, 9)},
)


def accepted(name: str, record: dict[str, Any]) -> list[dict[str, Any]]:
    made = ADAPTERS[name].statements(record)
    for statement in made:
        validate_statement(statement, version="1.0.3")
        validate_statement(statement, version="2.0.0")
        assert validates(statement, TEMPLATES)[0] == "success"
    assert made == ADAPTERS[name].statements(dict(record))
    return made


def attended(record: dict[str, Any]) -> dict[str, Any]:
    return next(s for s in accepted("kurs-og-samlinger", record) if s["verb"]["id"] == ATTENDED)


def event(record: dict[str, Any]) -> tuple[str, str, date]:
    """What makes an attendance this attendance: who, which course, which day."""
    who = Person.model_validate(record["learner"]).key()
    return who, record["course"], record["session_date"]


@settings(max_examples=100, deadline=None)
@given(courses, courses)
def test_course_records(first: dict[str, Any], second: dict[str, Any]) -> None:
    same = attended(first)["id"] == attended(second)["id"]
    assert same == (event(first) == event(second))


@settings(max_examples=100, deadline=None)
@given(results)
def test_e_learning_results(record: dict[str, Any]) -> None:
    made = accepted("e-laering", record)
    assert len({s["id"] for s in made}) == len(made)
    assert len({s["context"]["registration"] for s in made}) == 1
