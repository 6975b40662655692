"""The mapping's pure parts, without a server: checking an answer, the profile, and the
aggregate that never shows a group under five (a property over any set of answers)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catalog import load_catalog
from catalog._access import (
    SMALLEST_GROUP,
    Viewer,
    may_run_mapping,
    may_see_mapping_answers,
    may_see_mapping_group,
)
from catalog._mapping_profile import (
    office_profile,
    parse_answer,
    rated_areas,
    required_levels,
    suppressed,
    with_previous,
)

CATALOG = load_catalog()
AREAS = [area.id for area in rated_areas(CATALOG)]
ROLES = sorted(required_levels(CATALOG))
TODAY = date(2026, 12, 2)


def test_the_rated_areas_are_the_leaves_and_every_requirement_names_one() -> None:
    assert "reformkritisk-kompetanse" not in AREAS and "basiskompetanse" in AREAS
    assert {"veileder-oppfolging", "veileder-publikumsmottak", "leder"} <= set(ROLES)
    for levels in required_levels(CATALOG).values():
        assert set(levels) <= set(AREAS) and set(levels.values()) <= {1, 2, 3, 4}


@pytest.mark.parametrize(
    ("ratings", "education", "problems"),
    [
        pytest.param({"basiskompetanse": "3"}, {}, {}, id="form-strings"),
        pytest.param({"basiskompetanse": 3, "ikt-verktoy": ""}, {}, {}, id="blank-is-unrated"),
        pytest.param(
            {"basiskompetanse": True}, {}, {"ratings.basiskompetanse": "level"}, id="bool"
        ),
        pytest.param({"basiskompetanse": "0"}, {}, {"ratings.basiskompetanse": "level"}, id="zero"),
        pytest.param({"ledelsesutvikling": 2}, {}, {"ratings.ledelsesutvikling": "area"}, id="top"),
        pytest.param({"ikt-verktoy": " "}, {}, {"ratings": "nothing"}, id="only-blanks"),
        pytest.param(
            {"ikt-verktoy": 2},
            {"level": "master", "field": "x" * 201, "year": "1949"},
            {"education.field": "field", "education.year": "year"},
            id="field-and-year",
        ),
        pytest.param(
            {"ikt-verktoy": 2}, {"year": "2001"}, {"education.level": "education_needed"}, id="year"
        ),
    ],
)
def test_an_answer_is_checked_field_by_field(
    ratings: dict[str, Any], education: dict[str, Any], problems: dict[str, str]
) -> None:
    answer, found = parse_answer(CATALOG, ratings, education, TODAY)
    assert found == problems
    assert (answer is None) == bool(problems)


def test_the_profile_counts_below_the_required_level_and_beside_last_year() -> None:
    def one(person: str, level: int) -> dict[str, Any]:
        return {
            "person": person,
            "roles": ["veileder-oppfolging"],
            "ratings": {"arbeidsevnevurdering": level},
            "education": {"level": "bachelor"},
        }

    now = office_profile(CATALOG, [one("A", 2), one("B", 3), one("C", 4)])
    before = office_profile(CATALOG, [one("A", 1), one("B", 1)])
    profile = with_previous(now, before)
    [role] = profile["roles"]
    cell = next(c for c in role["areas"] if c["area"] == "arbeidsevnevurdering")
    assert (cell["below"], cell["share"], cell["previous_below"]) == (1, 0.333, 2)
    area = next(a for a in profile["areas"] if a["area"] == "arbeidsevnevurdering")
    assert (area["mean"], area["previous_mean"]) == (3.0, 1.0)
    assert profile["gaps"] == [
        {
            "person": "A",
            "role": "veileder-oppfolging",
            "area": "arbeidsevnevurdering",
            "level": 2,
            "required": 3,
        }
    ]


answers = st.lists(
    st.fixed_dictionaries(
        {
            "person": st.uuids().map(str),
            "roles": st.lists(st.sampled_from(ROLES), max_size=2, unique=True),
            "ratings": st.dictionaries(st.sampled_from(AREAS), st.integers(1, 4), max_size=6),
            "education": st.just({"level": "master"}),
        }
    ),
    max_size=12,
)


@settings(max_examples=150, deadline=None)
@given(answers)
def test_the_aggregate_never_shows_a_group_under_five(found: list[dict[str, Any]]) -> None:
    shown = suppressed(office_profile(CATALOG, found), lambda size: size >= SMALLEST_GROUP)
    assert shown["gaps"] in (None, [])  # no one's gaps
    if len(found) < SMALLEST_GROUP:
        assert shown["answered"] is None and shown["areas"] == shown["roles"] == []
        return
    for area in shown["areas"]:
        assert "suppressed" in area or area["answered"] >= SMALLEST_GROUP
    for need in shown["needs"]:
        assert "suppressed" in need or need["people"] >= SMALLEST_GROUP
    for role in shown["roles"]:
        assert "suppressed" in role or role["people"] >= SMALLEST_GROUP
        assert "suppressed" not in role or set(role) == {"role", "suppressed"}


LEADER = Viewer("lise", "leader", person="L1", office="nav-sagene")
OTHER_LEADER = Viewer("per", "leader", office="nav-frogner")
LEARNER = Viewer("kari", "learner", person="A1")
COUNTY = Viewer("fylke", "coordinator", region="oslo")
OTHER_COUNTY = Viewer("vest", "coordinator", region="vestland")
NATIONAL = Viewer("dir", "directorate")
ADMIN = Viewer("admin", "admin")


@pytest.mark.parametrize(
    ("viewer", "runs", "sees_a1", "sees_group_of_4", "sees_group_of_5"),
    [
        pytest.param(LEADER, True, True, True, True, id="the-office-s-leader"),
        pytest.param(OTHER_LEADER, False, False, False, False, id="another-office-s-leader"),
        pytest.param(LEARNER, False, True, False, False, id="the-person"),
        pytest.param(COUNTY, False, False, False, True, id="the-county"),
        pytest.param(OTHER_COUNTY, False, False, False, False, id="another-county"),
        pytest.param(NATIONAL, False, False, False, True, id="the-directorate"),
        pytest.param(ADMIN, False, False, False, True, id="administrators"),
    ],
)
def test_who_may_run_see_answers_and_see_groups(
    viewer: Viewer, runs: bool, sees_a1: bool, sees_group_of_4: bool, sees_group_of_5: bool
) -> None:
    assert may_run_mapping(viewer, "nav-sagene") is runs
    assert may_see_mapping_answers(viewer, "A1", "nav-sagene") is sees_a1
    assert may_see_mapping_group(viewer, "nav-sagene", "oslo", 4) is sees_group_of_4
    assert may_see_mapping_group(viewer, "nav-sagene", "oslo", 5) is sees_group_of_5
