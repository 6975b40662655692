"""The access matrix: every role against every kind of record, denials included."""

from __future__ import annotations

import pytest

from catalog._access import (
    Viewer,
    may_administer,
    may_see_office,
    may_see_person,
    may_see_region,
    require,
)
from catalog.errors import Forbidden

LEARNER = Viewer("kari", "learner", person="A1")
LEADER = Viewer("lise", "leader", person="L1", office="nav-sagene")
COORDINATOR = Viewer("kim", "coordinator", region="oslo")
DIRECTORATE = Viewer("dina", "directorate")
ADMIN = Viewer("ada", "admin")


@pytest.mark.parametrize(
    ("viewer", "person", "office", "region", "allowed"),
    [
        pytest.param(LEARNER, "A1", "nav-sagene", "oslo", True, id="learner-self"),
        pytest.param(LEARNER, "A2", "nav-sagene", "oslo", False, id="learner-colleague"),
        pytest.param(LEADER, "A2", "nav-sagene", "oslo", True, id="leader-own-office"),
        pytest.param(LEADER, "B1", "nav-frogner", "oslo", False, id="leader-other-office"),
        pytest.param(COORDINATOR, "B1", "nav-frogner", "oslo", True, id="county-own"),
        pytest.param(COORDINATOR, "C1", "nav-bergenhus", "vestland", False, id="county-other"),
        pytest.param(DIRECTORATE, "C1", "nav-bergenhus", "vestland", True, id="directorate"),
        pytest.param(ADMIN, "C1", "nav-bergenhus", "vestland", True, id="admin"),
    ],
)
def test_who_may_see_a_person(
    viewer: Viewer, person: str, office: str, region: str, allowed: bool
) -> None:
    assert may_see_person(viewer, person, office, region) is allowed


def test_offices_and_regions() -> None:
    assert may_see_office(LEADER, "nav-sagene", "oslo")
    assert not may_see_office(LEARNER, "nav-sagene", "oslo")
    assert not may_see_region(LEADER, "oslo")
    assert may_see_region(COORDINATOR, "oslo")
    assert not may_see_region(COORDINATOR, "vestland")
    assert may_administer(ADMIN) and not may_administer(DIRECTORATE)


def test_roles_must_be_bound_to_their_unit() -> None:
    with pytest.raises(ValueError, match="office"):
        Viewer("x", "leader")
    with pytest.raises(ValueError, match="county"):
        Viewer("x", "coordinator")


def test_require_names_what_was_refused() -> None:
    with pytest.raises(Forbidden, match="office nav-frogner"):
        require(may_see_office(LEADER, "nav-frogner", "oslo"), "office nav-frogner")
