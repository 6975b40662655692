"""`kompetanse import attendance`, `emit`, `spool`, `adapters` and `profile`, without a server
(they work from the light install)."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from adapters import Spool
from adapters.profile import load_profile
from kompetanse.cli import main
from tests.adapters.samples import NY_I_NAV

COURSE = ["--course", NY_I_NAV, "--session", "02.03.2026"]


@pytest.fixture(autouse=True)
def _client_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("ENDPOINT", "KEY", "SECRET"):
        monkeypatch.delenv(f"KOMPETANSE_LRS_{name}", raising=False)
    monkeypatch.setenv("KOMPETANSE_SPOOL", str(tmp_path / "spool.sqlite3"))


@pytest.fixture
def attendance(tmp_path: Path) -> Path:
    path = tmp_path / "oppmøte.csv"
    path.write_text(
        "Ident;Navn;Møtt;Fullført;Timer\n"
        "A123456;Kari Nordmann;ja;ja;7,5\n"
        "B234567;Ola Nordmann;nei;;\n",
        "utf-8",
    )
    return path


def nowhere() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}/xapi"


def test_a_dry_run_prints_the_statements(
    attendance: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", "attendance", str(attendance), *COURSE, "--dry-run"]) == 0
    out, err = capsys.readouterr()
    verbs = [json.loads(line)["verb"]["id"].rsplit("/", 1)[-1] for line in out.splitlines()]
    assert verbs == ["attended", "completed"]
    assert "row(s) 3: nothing to record" in err
    assert "2 statement(s) from 2 row(s)" in err


def test_errors_are_listed_and_nothing_is_sent(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    listing = tmp_path / "list.csv"
    listing.write_text("ident,møtt,timer\nA1,ja,7.5\nB2,kanskje,x\n", "utf-8")
    assert main(["import", "attendance", str(listing), *COURSE, "--lrs", nowhere()]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [
        f"{listing}: row 3, møtt: 'kanskje' is not yes or no (ja/nei)",
        f"{listing}: row 3, timer: not a number: 'x'",
        f"nothing sent: 1 row(s) of {listing} have errors",
    ]
    assert not (tmp_path / "spool.sqlite3").exists()


def test_a_wrong_option_is_named_once(attendance: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["import", "attendance", str(attendance), "--course", NY_I_NAV, "--session", "i går"]
    assert main([*argv, "--dry-run"]) == 1
    assert "--session: not a date (2026-03-02 or 02.03.2026): 'i går'" in capsys.readouterr().err


def test_emit_any_method_with_values_for_every_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    listing = tmp_path / "hospitering.csv"
    listing.write_text("ident,vertsenhet,dager\nA1,NAV Arbeidslivssenter,2\n", "utf-8")
    argv = ["emit", "hospitering", str(listing), "--set", "purpose=IA-oppfølging"]
    assert main([*argv, "--set", "started_on=2026-03-02", "--dry-run"]) == 0
    [statement] = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert statement["result"]["duration"] == "PT15H"
    assert main([*argv, "--set", "nonsense", "--dry-run"]) == 2


def test_sending_needs_the_lrs(attendance: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", "attendance", str(attendance), *COURSE]) == 2
    assert "--lrs, --key, --secret required" in capsys.readouterr().err


def test_an_unreachable_lrs_leaves_the_statements_spooled(
    attendance: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lrs = ["--lrs", nowhere(), "--key", "k", "--secret", "s", "--attempts", "1"]
    assert main(["import", "attendance", str(attendance), *COURSE, *lrs]) == 3
    err = capsys.readouterr().err
    assert "0 delivered, 0 refused, 2 waiting" in err
    assert "run `kompetanse spool flush` later" in err
    assert main(["spool", "status"]) == 0
    assert capsys.readouterr().out.strip().endswith("2 waiting, 0 refused")
    assert main(["spool", "flush", *lrs]) == 3


def test_refused_statements_are_listed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    statement = {
        "id": "8f0b2bde-0c9a-4c55-9a52-2d1e43a2c9a1",
        "actor": {"mbox": "mailto:kari@nav.example"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/attended"},
        "object": {"id": NY_I_NAV},
    }
    with Spool(tmp_path / "spool.sqlite3") as spool:
        spool.add([statement])
        [(seq, _)] = spool.pending(1)
        spool.reject(seq, 409, "statement id reused with other content")
    assert main(["spool", "rejected"]) == 0
    assert capsys.readouterr().out.split("\t")[1:] == [
        statement["id"],
        "409",
        "statement id reused with other content\n",
    ]
    assert main(["spool", "rejected", "--json", "--forget"]) == 0
    assert json.loads(capsys.readouterr().out)["statement"] == statement
    assert main(["spool", "rejected"]) == 0
    assert capsys.readouterr().out == ""


def test_the_adapters_and_the_profile(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["adapters"]) == 0
    names = [line.split("\t")[0] for line in capsys.readouterr().out.splitlines()]
    assert "kurs-og-samlinger" in names and "e-laering-cmi5" in names
    assert main(["profile"]) == 0
    assert json.loads(capsys.readouterr().out) == load_profile()


def test_an_unknown_method_is_named(attendance: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["emit", "kurs", str(attendance), "--dry-run"]) == 1
    assert "no adapter named 'kurs'" in capsys.readouterr().err
