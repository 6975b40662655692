"""`kompetanse privacy export|erase` through the CLI entry point."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from kompetanse.cli import main
from tests.kompetanse.test_cli_catalog import data_dir  # noqa: F401 - the fixture

HR = (
    "employee_id,name,email,office,region,roles,employer,start_date\n"
    "A1,Kari,kari@nav.no,nav-sagene,oslo,leder,state,2026-09-01\n"
)


def test_export_then_erase(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: F811
    (data_dir / "hr.csv").write_text(HR)
    assert main(["import", "people", "--accept-new-offices", str(data_dir / "hr.csv")]) == 0
    out = data_dir / "innsyn.json"
    assert main(["privacy", "export", "A1", "--out", str(out)]) == 0
    assert json.loads(out.read_text())["people"][0]["email"] == "kari@nav.no"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    capsys.readouterr()
    assert main(["privacy", "export", "A1", "--out", str(out)]) == 2
    assert "--out:" in capsys.readouterr().err

    assert main(["privacy", "erase", "A1", "--reason", "Sletteanmodning"]) == 0
    receipt = json.loads(capsys.readouterr().out)
    assert receipt["removed"]["people"] == 1 and receipt["erased_by"].startswith("cli:")
    assert "Kari" not in json.dumps(receipt)
    assert main(["privacy", "export", "A1", "--out", str(data_dir / "igjen.json")]) == 1
    assert "no person 'A1'" in capsys.readouterr().err
    assert main(["privacy", "erase", "A1", "--reason", " "]) == 1
    assert "reason:" in capsys.readouterr().err
