"""The catalog the product ships: NAV's, from the seeds."""

from __future__ import annotations

from catalog import load_catalog


def test_nav_catalog_loads_with_its_core_packages() -> None:
    catalog = load_catalog()
    ids = {package.id for package in catalog.packages}
    assert {
        "ny-i-nav",
        "kompetansepakken-nytt-nav-kontor",
        "kvalifiseringsprogrammet",
        "hverdagsledelse",
        "alt-det-jeg-er",
    } <= ids
    assert len(catalog.methods) == 10
    assert {p.owner for p in catalog.packages} == {"directorate", "county", "office"}


def test_ny_i_nav_is_due_six_months_after_starting() -> None:
    package = load_catalog().package("ny-i-nav")
    assert package.due is not None and package.due.period == "P6M"
    assert package.due.relative_to == "start_date"
    assert [(a.priority, a.new_hires) for a in package.audiences] == [("skal", True)]
    assert package.effective_from is not None  # new hires: who started on or after it
    assert any(module.classroom for module in package.modules)
