"""End to end: a county's attendance lists for Ny i NAV and an e-learning export are imported
into a running server with `kompetanse import attendance` and `kompetanse emit`; the catalog
then shows the office leader who has completed Ny i NAV and who is on the way."""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest

from kompetanse.cli import main
from tests.adapters.samples import E_MODULE, NY_I_NAV
from tests.server import KEY, SECRET, running_server

PASSWORD = "korrekt hest batteri"


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An embedded store with three new hires at NAV Sagene and their leader's web account."""
    data = tmp_path / "data"
    monkeypatch.setenv("KOMPETANSE_DATA_DIR", str(data))
    monkeypatch.setenv("KOMPETANSE_SPOOL", str(tmp_path / "spool.sqlite3"))
    for name in ("KOMPETANSE_MONGODB_URI", "KOMPETANSE_CATALOG_DIR", "KOMPETANSE_LRS_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)
    started = (date.today() - timedelta(days=30)).isoformat()
    hr = tmp_path / "hr.csv"
    rows = [
        ("A100001", "Kari Nordmann", "kari", "state"),
        ("A100002", "Ola Nordmann", "ola", "state"),
        ("A100003", "Per Hansen", "per", "municipal"),
    ]
    hr.write_text(
        "employee_id,name,email,office,region,roles,employer,start_date\n"
        + "".join(
            f"{ident},{name},{mail}@nav.example,nav-sagene,oslo,veileder-oppfolging,"
            f"{employer},{started}\n"
            for ident, name, mail, employer in rows
        ),
        "utf-8",
    )
    assert main(["import", "people", "--accept-new-offices", str(hr)]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{PASSWORD}\n"))
    argv = ["users", "add", "lise", "--role", "leader", "--office", "nav-sagene"]
    assert main([*argv, "--password-stdin"]) == 0
    return data


def test_imported_attendance_shows_in_the_leaders_matrix(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    day_one, day_two = tmp_path / "dag1.csv", tmp_path / "dag2.csv"
    day_one.write_text("Ident;Navn;Møtt\nA100001;Kari;ja\nA100002;Ola;ja\nA100003;Per;nei\n")
    day_two.write_text("Ident;Navn;Møtt;Fullført\nA100001;Kari;ja;ja\nA100002;Ola;ja;nei\n")
    export = tmp_path / "e-laering.csv"
    export.write_text(
        "employee_id,module,finished_at,completed,hours\n"
        f"A100001,{E_MODULE},2026-02-01T10:00Z,ja,3\n"
    )
    with running_server(data_dir) as server:
        lrs = ["--lrs", server.endpoint, "--key", KEY, "--secret", SECRET]
        course = ["--course", NY_I_NAV, "--course-name", "Ny i NAV: samling", "--hours", "7,5"]

        def attendance(listing: Path, day: str) -> int:
            return main(["import", "attendance", str(listing), *course, "--session", day, *lrs])

        assert attendance(day_one, "2026-03-02") == 0
        assert "2 delivered, 0 refused, 0 waiting" in capsys.readouterr().err
        assert attendance(day_two, "03.03.2026") == 0
        assert main(["emit", "e-laering", str(export), *lrs]) == 0
        # the same list again: the LRS takes the identical statements, nothing counts twice
        assert attendance(day_two, "03.03.2026") == 0
        assert "3 delivered, 0 refused, 0 waiting" in capsys.readouterr().err

        root = server.endpoint.removesuffix("/xapi")
        with httpx.Client(base_url=root) as leader:
            signed_in = leader.post("/api/session", json={"username": "lise", "password": PASSWORD})
            assert signed_in.status_code == 204
            matrix = leader.get("/api/offices/nav-sagene/matrix").json()
            record = leader.get("/api/people/A100001/record").json()
    statuses = {row["person"]: row["statuses"]["ny-i-nav"] for row in matrix["rows"]}
    assert statuses == {"A100001": "completed", "A100002": "in_progress", "A100003": "not_started"}
    assert record["by_training_method"].keys() >= {"kurs-og-samlinger", "e-laering"}
    assert len(record["by_training_method"]["kurs-og-samlinger"]) == 3  # two days, completion
