"""Plug-in discovery through the `kompetanse.adapters` entry points: a third-party distribution
installed into a directory on sys.path is found and used; a broken one fails loudly, by name."""

from __future__ import annotations

import textwrap
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from adapters import PluginError, discover, get_adapter, prepare
from adapters import vocabulary as v
from kompetanse.cli import main

GOOD = """
from typing import Any, ClassVar

from adapters import Adapter, Day, Person, Record, activity
from adapters import vocabulary as v


class Fagdag(Record):
    learner: Person
    day: Day


class FagdagAdapter(Adapter[Fagdag]):
    name = "fagdag"
    method = "kurs-og-samlinger"
    title: ClassVar[dict[str, str]] = {"nb": "Fagdag", "en": "Professional day"}
    record_type = Fagdag

    def build(self, record: Fagdag) -> list[dict[str, Any]]:
        who = record.learner
        return [
            self.statement(
                record,
                role="attended",
                identity=(who.key(), record.day),
                actor=who.agent(),
                verb=v.ATTENDED,
                target=activity(self.activity_iri("fagdag"), v.MEETING, "Fagdag"),
                when=record.day,
                registration=self.registration(who.key()),
            )
        ]
"""

Install = Callable[..., str]


@pytest.fixture
def install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Install:
    """Install a one-module distribution (a dist-info with entry points) into a directory that
    is then on sys.path, as pip would; returns the module's name."""
    site = tmp_path / "site"
    site.mkdir()
    monkeypatch.syspath_prepend(str(site))

    def installer(source: str, entry_points: dict[str, str], dist: str = "nav-fagdag") -> str:
        module = f"fagdag_{uuid.uuid4().hex[:8]}"
        (site / f"{module}.py").write_text(textwrap.dedent(source), "utf-8")
        info = site / f"{dist.replace('-', '_')}-0.1.0.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(
            f"Metadata-Version: 2.1\nName: {dist}\nVersion: 0.1.0\n", "utf-8"
        )
        points = "".join(f"{name} = {module}:{target}\n" for name, target in entry_points.items())
        (info / "entry_points.txt").write_text(f"[kompetanse.adapters]\n{points}", "utf-8")
        (info / "RECORD").write_text(f"{module}.py,,\n", "utf-8")
        return module

    return installer


def test_a_third_party_plugin_is_discovered_and_used(install: Install, tmp_path: Path) -> None:
    install(GOOD, {"fagdag": "FagdagAdapter"})
    assert "fagdag" in discover()
    assert "kurs-og-samlinger" in discover()
    [statement] = get_adapter("fagdag").statements({"learner": "A1", "day": "2026-03-02"})
    assert statement["verb"]["id"] == v.ATTENDED
    listing = tmp_path / "fagdag.csv"
    listing.write_text("ident;day\nA1;02.03.2026\nB2;02.03.2026\n", "utf-8")
    assert len(prepare(get_adapter("fagdag"), listing).statements) == 2


def test_the_command_line_uses_a_plugin(
    install: Install, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    install(GOOD, {"fagdag": "FagdagAdapter"})
    listing = tmp_path / "fagdag.csv"
    listing.write_text("employee_id,day\nA1,2026-03-02\n", "utf-8")
    assert main(["emit", "fagdag", str(listing), "--dry-run"]) == 0
    assert '"verb": {"id": "http://adlnet.gov/expapi/verbs/attended"' in capsys.readouterr().out


BROKEN = [
    pytest.param(
        "raise ImportError('nav_fagdag needs its settings')",
        {"fagdag": "FagdagAdapter"},
        r"'fagdag' \(fagdag_\w+:FagdagAdapter, from nav-fagdag 0.1.0\) failed to load: "
        r"ImportError: nav_fagdag needs its settings",
        id="import-fails",
    ),
    pytest.param(GOOD, {"fagdag": "Missing"}, "failed to load: AttributeError", id="no-object"),
    pytest.param(GOOD, {"fagdag": "Fagdag"}, "is not an adapters.Adapter subclass", id="record"),
    pytest.param(GOOD, {"dagen": "FagdagAdapter"}, "its name is 'fagdag', not 'dagen'", id="name"),
    pytest.param(
        GOOD.replace("def build", "def built"),
        {"fagdag": "FagdagAdapter"},
        "implement build",
        id="abstract",
    ),
    pytest.param(
        GOOD.replace("record_type = Fagdag", "record_type = dict"),
        {"fagdag": "FagdagAdapter"},
        "is not an adapters.Record subclass",
        id="record-type",
    ),
    pytest.param(
        GOOD.replace('name = "fagdag"', 'name = "kurs-og-samlinger"'),
        {"kurs-og-samlinger": "FagdagAdapter"},
        "'kurs-og-samlinger' is registered twice",
        id="duplicate-name",
    ),
]


@pytest.mark.parametrize(("source", "points", "message"), BROKEN)
def test_a_broken_plugin_fails_loudly_naming_itself(
    install: Install, source: str, points: dict[str, str], message: str
) -> None:
    install(source, points)
    with pytest.raises(PluginError, match=message):
        discover()


def test_the_command_line_names_a_broken_plugin(
    install: Install, capsys: pytest.CaptureFixture[str]
) -> None:
    install("raise RuntimeError('boom')", {"fagdag": "FagdagAdapter"})
    assert main(["adapters"]) == 1
    assert "adapter plug-in 'fagdag'" in capsys.readouterr().err


def test_a_plugin_producing_an_invalid_statement_is_named(install: Install) -> None:
    install(
        GOOD.replace("actor=who.agent()", "actor={'name': 'nobody'}"), {"fagdag": "FagdagAdapter"}
    )
    with pytest.raises(
        PluginError, match=r"adapter 'fagdag' produced an invalid statement: .*actor"
    ):
        get_adapter("fagdag").statements({"learner": "A1", "day": "2026-03-02"})
