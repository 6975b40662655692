"""What a leader and a county coordinator write in the planning cycle survives kill -9 of the
server once it is acknowledged (embedded store): a development talk, a competence plan's draft,
a buddy named for a new hire, a network meeting with its attendance statement."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import httpx
import pytest

from tests.server import running_server

pytestmark = pytest.mark.slow
TODAY = date.today()
NEXT_YEAR = TODAY.year + 1


def demo(data_dir: Path) -> dict[str, str]:
    """`kompetanse demo load` into `data_dir`: the demo accounts' passwords."""
    loaded = subprocess.run(
        [sys.executable, "-m", "kompetanse", "demo", "load"],
        env={**os.environ, "KOMPETANSE_DATA_DIR": str(data_dir)},
        capture_output=True,
        text=True,
        check=True,
    )
    words = [line.split() for line in loaded.stdout.splitlines()]
    return {w[0]: w[1] for w in words if len(w) == 2 and w[0].startswith("demo-")}


@contextmanager
def signed_in(root: str, username: str, password: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=root, timeout=30) as http:
        answer = http.post("/api/session", json={"username": username, "password": password})
        assert answer.status_code == 204, answer.text
        yield http


def test_the_planning_cycle_survives_kill_9(tmp_path: Path) -> None:
    passwords = demo(tmp_path)
    with running_server(tmp_path) as server:
        root = server.endpoint.removesuffix("/xapi")
        with (
            signed_in(root, "demo-leder", passwords["demo-leder"]) as leader,
            signed_in(root, "demo-fylke", passwords["demo-fylke"]) as county,
        ):
            talk, draft, buddy, met = write(leader, county)
        assert [talk.status_code, draft.status_code, buddy.status_code, met.status_code] == [
            200,
            200,
            200,
            201,
        ], (talk.text, draft.text, buddy.text, met.text)
        server.process.send_signal(signal.SIGKILL)
        server.process.wait(timeout=10)
    with running_server(tmp_path) as server:
        root = server.endpoint.removesuffix("/xapi")
        with (
            signed_in(root, "demo-leder", passwords["demo-leder"]) as leader,
            signed_in(root, "demo-fylke", passwords["demo-fylke"]) as county,
        ):
            plans = leader.get("/api/people/D000012/development-plans").json()
            plan = leader.get(f"/api/offices/nav-sagene/competence-plans/{NEXT_YEAR}").json()
            induction = leader.get("/api/people/D000148/induction-plan").json()
            networks = county.get("/api/regions/oslo/networks").json()
    assert plans[0]["talk"]["summary"] == "Skrevet rett før krasjet"
    assert [p["measure"] for p in plan["priorities"]] == ["Fagdag"]
    assert induction["buddy"] == "D000008"
    [network] = [n for n in networks if n["id"] == "fagnettverk-aap"]
    [meeting] = [m for m in network["meetings"] if m["topic"] == "Rett før krasjet"]
    assert [a["person"] for a in meeting["attendance"] if a["attended"]] == ["D000004"]


def write(leader: httpx.Client, county: httpx.Client) -> list[httpx.Response]:
    """A talk, a draft, a buddy and a meeting, each acknowledged before the next."""
    talk = leader.put(
        f"/api/people/D000012/development-plans/{TODAY.year}/talk",
        json={"day": TODAY.isoformat(), "summary": "Skrevet rett før krasjet"},
    )
    draft = leader.put(
        f"/api/offices/nav-sagene/competence-plans/{NEXT_YEAR}",
        json={"priorities": [{"measure": "Fagdag", "method": "kurs-og-samlinger", "hours": 7.5}]},
    )
    buddy = leader.put("/api/people/D000148/induction-plan/buddy", json={"buddy": "D000008"})
    met = county.post(
        "/api/regions/oslo/networks/fagnettverk-aap/meetings",
        json={
            "held_on": TODAY.isoformat(),
            "topic": "Rett før krasjet",
            "attended": ["D000004"],
        },
    )
    return [talk, draft, buddy, met]
