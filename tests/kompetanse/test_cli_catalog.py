"""The catalog's commands through the CLI entry point."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import yaml

from catalog import CompetenceArea, load_catalog
from kompetanse.cli import main
from tests.catalog.test_load import write


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("KOMPETANSE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("KOMPETANSE_MONGODB_URI", raising=False)
    monkeypatch.delenv("KOMPETANSE_CATALOG_DIR", raising=False)
    return tmp_path


def test_validate_the_shipped_catalog(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalog", "validate"]) == 0
    assert "packages: valid" in capsys.readouterr().out


def test_validate_reports_every_problem(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = write(data_dir / "broken")
    package = broken / "packages" / "pakke.yaml"
    package.write_text(package.read_text().replace("method: e-laering", "method: dans"))
    assert main(["catalog", "validate", str(broken)]) == 1
    err = capsys.readouterr().err
    assert "packages/pakke.yaml: modules[0].method: no training method 'dans'" in err
    assert "1 problem(s)" in err


def test_export_case(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalog", "export", "--format", "case"]) == 0
    package = json.loads(capsys.readouterr().out)
    assert any(item["humanCodingScheme"] == "basiskompetanse" for item in package["CFItems"])


def test_import_people_all_or_nothing(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = (
        "employee_id,name,email,office,region,roles,employer,start_date\n"
        "A1,Kari,kari@nav.no,nav-sagene,oslo,leder,state,2026-09-01\n"
    )
    path = data_dir / "hr.csv"
    path.write_text(good + "B1,Per,per,nav-sagene,oslo,,state,2026-09-01\n")
    assert main(["import", "people", "--accept-new-offices", str(path)]) == 1
    assert "row 3, email" in capsys.readouterr().err
    path.write_text(good)
    assert main(["import", "people", "--accept-new-offices", str(path)]) == 0
    assert "1 created, 0 updated, 0 unchanged" in capsys.readouterr().out
    assert main(["import", "people", "--accept-new-offices", str(path)]) == 0
    assert "0 created, 0 updated, 1 unchanged" in capsys.readouterr().out


def test_users_add_list_remove(
    data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("korrekt hest batteri\n"))
    assert (
        main(
            [
                "users",
                "add",
                "lise",
                "--role",
                "leader",
                "--office",
                "nav-sagene",
                "--password-stdin",
            ]
        )
        == 0
    )
    assert main(["users", "list"]) == 0
    assert "lise\tleader\tnav-sagene" in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert (
        main(["users", "add", "x", "--role", "learner", "--person", "A1", "--password-stdin"]) == 2
    )
    assert "password" in capsys.readouterr().err
    assert main(["users", "remove", "lise"]) == 0
    assert main(["users", "remove", "lise"]) == 1


def test_rebuild(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalog", "rebuild"]) == 0
    assert "from 0 statements" in capsys.readouterr().out


def test_import_framework_round_trips_the_export(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["catalog", "export", "--format", "moodle"]) == 0
    exported = data_dir / "framework.csv"
    exported.write_text(capsys.readouterr().out)
    target = data_dir / "mine"
    assert main(["catalog", "import-framework", str(exported), "--into", str(target)]) == 0
    assert "competence areas" in capsys.readouterr().out
    written = yaml.safe_load((target / "areas.yaml").read_text())["areas"]
    areas = [CompetenceArea.model_validate(area) for area in written]
    assert {a.id for a in areas} == {a.id for a in load_catalog().areas}
    garbage = data_dir / "garbage.json"
    garbage.write_text('{"CFDocument": {}}')
    assert main(["catalog", "import-framework", str(garbage), "--into", str(target)]) == 1


def test_unmapped_activities_and_the_projections_status(
    data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import asyncio

    from kompetanse.services import opened
    from kompetanse.settings import Settings
    from tests.catalog.projection import post

    wrong = "https://kompetanse.nav.no/xapi/activities/ny-i-nav"  # the course, not its module
    right = "https://kompetanse.nav.no/xapi/activities/ny-i-nav/samling"

    def sent(activity: str, timestamp: str) -> dict[str, object]:
        return {
            "actor": {"mbox": "mailto:kari@nav.no"},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/attended"},
            "object": {"id": activity},
            "timestamp": timestamp,
        }

    async def store() -> None:
        # Credited only when the consumer reads them: no listener hears them stored.
        async with opened(Settings(), listening=False) as services:
            await post(
                services,
                [
                    sent(wrong, "2026-03-02T09:00:00Z"),
                    sent(wrong, "2026-03-03T09:00:00Z"),
                    sent(right, "2026-03-02T09:00:00Z"),
                ],
            )

    asyncio.run(store())
    monkeypatch.setenv("KOMPETANSE_PROJECTION_SETTLE_SECONDS", "3600")
    assert main(["catalog", "status"]) == 0  # not credited yet, but held back as designed:
    out = capsys.readouterr().out  # the settle horizon is not "behind"
    assert "behind: False" in out and "checkpoint: None" in out
    monkeypatch.setenv("KOMPETANSE_PROJECTION_SETTLE_SECONDS", "0")
    assert main(["catalog", "status", "--catch-up"]) == 0
    assert "behind: False" in capsys.readouterr().out
    assert main(["catalog", "unmapped"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1:] == [f"2\t2026-03-02T09:00:00Z\t2026-03-03T09:00:00Z\t{wrong}"]
