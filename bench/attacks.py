"""The attacks of issue 13 re-run against a real server (`kompetanse serve` on the demo data,
started by tests/server.py's `running_server`); not run in CI.

    .venv/bin/python -m bench.attacks [--timing-runs 40]

Two servers on copies of the demo data: one with the shipped throttle settings (guessing,
CSRF, headers, docs, file modes, 403 vs 404), one with the throttle opened wide
(KOMPETANSE_THROTTLE__FREE_FAILURES=10**6) so that the timing of known and unknown usernames
and keys, and the event loop under four clients guessing usernames, measure the hashing, not
the lock. Prints a Markdown report for BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import shutil
import stat
import statistics
import tempfile
import threading
import time
from pathlib import Path

import httpx

from lrs.store import EmbeddedClient
from tests.pages.site import PASSWORD, USERS, prepare
from tests.server import KEY, SECRET, running_server

V = {"X-Experience-API-Version": "1.0.3"}
GUESSING_HEAD = (
    "| guessing | sent | answers | first 429 | last Retry-After | right one at once "
    "| right one after the lock |\n|---|---|---|---|---|---|---|"
)
OPEN = {
    "KOMPETANSE_THROTTLE__FREE_FAILURES": "1000000",
    "KOMPETANSE_THROTTLE__FREE_FAILURES_PER_ADDRESS": "1000000",
}


def guessing(site: str, report: list[str], attempts: int) -> None:
    """`attempts` wrong passwords (POST /api/session) and secrets (xAPI Basic): the answers,
    then the right one once the lock has expired."""
    for what, wrong, right in (
        (
            "sign-in (POST /api/session, demo-leder)",
            lambda h, i: h.post(
                "/api/session", json={"username": USERS["leader"], "password": f"feil-{i}"}
            ),
            lambda h: h.post(
                "/api/session", json={"username": USERS["leader"], "password": PASSWORD}
            ),
        ),
        (
            "xAPI Basic (GET /xapi/statements, the bootstrap key)",
            lambda h, i: h.get("/xapi/statements", headers=V, auth=(KEY, f"feil-{i}")),
            lambda h: h.get("/xapi/statements?limit=1", headers=V, auth=(KEY, SECRET)),
        ),
    ):
        counts: dict[int, int] = {}
        first_429 = None
        retry_after = 0
        started = time.monotonic()
        with httpx.Client(base_url=site, timeout=30) as http:
            for i in range(attempts):
                answer = wrong(http, i)
                counts[answer.status_code] = counts.get(answer.status_code, 0) + 1
                if answer.status_code == 429:
                    first_429 = i + 1 if first_429 is None else first_429
                    retry_after = int(answer.headers.get("retry-after", "0"))
            spent = time.monotonic() - started
            during = right(http).status_code
            time.sleep(retry_after + 0.5)
            after = right(http).status_code
        report.append(
            f"| {what} | {attempts} in {spent:.1f} s | "
            + ", ".join(f"{n}× {code}" for code, n in sorted(counts.items()))
            + f" | attempt {first_429} | {retry_after} s | {during} | {after} |"
        )


def timing(site: str, runs: int) -> list[str]:
    """Known and unknown, one after the other in each round (so that load from anything else
    on the machine falls on both alike); the median of each."""
    rows = []
    for label, known, unknown in (
        (
            "sign-in, wrong password",
            lambda h, i: h.post("/api/session", json={"username": "demo-leder", "password": "x"}),
            lambda h, i: h.post("/api/session", json={"username": f"ingen-{i}", "password": "x"}),
        ),
        (
            "xAPI Basic, wrong secret",
            lambda h, i: h.get("/xapi/statements", headers=V, auth=(KEY, "x")),
            lambda h, i: h.get("/xapi/statements", headers=V, auth=(f"ingen-{i}", "x")),
        ),
    ):
        times: dict[str, list[float]] = {"known": [], "unknown": []}
        with httpx.Client(base_url=site, timeout=30) as http:
            for i in range(runs):
                for name, call in (("known", known), ("unknown", unknown)):
                    started = time.perf_counter()
                    call(http, i)
                    times[name].append((time.perf_counter() - started) * 1000)
        medians = [statistics.median(times[name]) for name in ("known", "unknown")]
        rows.append(f"| {label} | {medians[0]:.0f} ms | {medians[1]:.0f} ms | {runs} |")
    return rows


def about_latency(site: str, seconds: float) -> list[float]:
    times = []
    with httpx.Client(base_url=site, timeout=30) as http:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            started = time.perf_counter()
            http.get("/xapi/about")
            times.append((time.perf_counter() - started) * 1000)
            time.sleep(0.02)
    return times


def event_loop(site: str, seconds: float) -> str:
    quiet = about_latency(site, seconds)
    stop = threading.Event()

    def guess(n: int) -> None:
        with httpx.Client(base_url=site, timeout=30) as http:
            i = 0
            while not stop.is_set():
                http.post("/api/session", json={"username": f"ukjent-{n}-{i}", "password": "x"})
                i += 1

    clients = [threading.Thread(target=guess, args=(n,)) for n in range(4)]
    for client in clients:
        client.start()
    try:
        loaded = about_latency(site, seconds)
    finally:
        stop.set()
        for client in clients:
            client.join()
    return (
        f"| alone | {statistics.median(quiet):.1f} ms | {max(quiet):.1f} ms | {len(quiet)} |\n"
        f"| 4 clients guessing unknown usernames | {statistics.median(loaded):.1f} ms | "
        f"{max(loaded):.1f} ms | {len(loaded)} |"
    )


def csrf(site: str) -> list[str]:
    evil = {"Origin": "http://evil.example", "Content-Type": "text/plain"}
    rows = []
    with httpx.Client(base_url=site, timeout=30) as leader:
        signed = leader.post("/api/session", json={"username": "demo-leder", "password": PASSWORD})
        assert signed.status_code == 204, signed.text
        exemption = leader.post(
            "/api/people/D000001/exemptions",
            content='{"package": "ny-i-nav", "reason": "csrf"}',
            headers=evil,
        )
        rows.append(f"| exemption, POST /api/people/D000001/exemptions | {exemption.status_code} |")
        json_only = leader.post(
            "/api/people/D000001/exemptions",
            content='{"package": "ny-i-nav", "reason": "csrf"}',
            headers={"Content-Type": "text/plain"},
        )
        rows.append(f"| the same, no Origin, text/plain | {json_only.status_code} |")
    with httpx.Client(base_url=site, timeout=30) as http:
        session = http.post(
            "/api/session",
            content=f'{{"username": "demo-leder", "password": "{PASSWORD}"}}',
            headers=evil,
        )
        rows.append(f"| session, POST /api/session | {session.status_code} |")
        form = http.post(
            "/logg-inn",
            data={"username": "demo-leder", "password": PASSWORD},
            headers={"Origin": "http://evil.example"},
        )
        rows.append(f"| sign-in form, POST /logg-inn (form, no token) | {form.status_code} |")
    return rows


def surface(site: str, data_dir: Path) -> list[str]:
    rows = []
    with httpx.Client(base_url=site, timeout=30) as http:
        page = http.get("/logg-inn")
        for name in (
            "content-security-policy",
            "x-frame-options",
            "x-content-type-options",
            "referrer-policy",
            "strict-transport-security",
        ):
            rows.append(f"| header {name} on /logg-inn | {page.headers.get(name, '(absent)')} |")
        tls = http.get("/logg-inn", headers={"X-Forwarded-Proto": "https"})
        hsts = tls.headers.get("strict-transport-security", "(absent)")
        rows.append(f"| header strict-transport-security behind TLS (X-Forwarded-Proto) | {hsts} |")
        for path in ("/docs", "/redoc", "/openapi.json"):
            rows.append(f"| GET {path} | {http.get(path).status_code} |")
        learner = http.post(
            "/api/session", json={"username": USERS["learner"], "password": PASSWORD}
        )
        assert learner.status_code == 204
        for person, what in (("D000002", "exists, outside"), ("X9999999", "does not exist")):
            answer = http.get(f"/api/people/{person}/requirements")
            rows.append(
                f"| learner: /api/people/{person}/requirements ({what}) | {answer.status_code} |"
            )
    modes = sorted(
        {f"{stat.S_IMODE(p.stat().st_mode):04o}" for p in data_dir.rglob("*") if p.is_file()}
    )
    rows.append(f"| data directory | {stat.S_IMODE(data_dir.stat().st_mode):04o} |")
    files = sum(1 for p in data_dir.rglob("*") if p.is_file())
    rows.append(f"| every file in it ({files}) | {', '.join(modes)} |")
    for p in sorted(data_dir.rglob("*")):
        if p.is_file():
            rows.append(f"| {p.relative_to(data_dir)} | {stat.S_IMODE(p.stat().st_mode):04o} |")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--attempts", type=int, default=900)
    parser.add_argument("--timing-runs", type=int, default=40)
    parser.add_argument("--load-seconds", type=float, default=10.0)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        demo = Path(work) / "demo"
        prepare(demo)
        shipped, opened = Path(work) / "shipped", Path(work) / "open"
        shutil.copytree(demo, shipped)
        shutil.copytree(demo, opened)
        # a snapshot (people, e-mail addresses, password and secret hashes), written under the
        # usual umask: what issue 13 found world-readable
        previous = os.umask(0o022)
        try:
            client = EmbeddedClient(shipped)
            client.compact()
            asyncio.run(client.aclose())
        finally:
            os.umask(previous)
        machine = f"{platform.machine()}, {os.cpu_count()} cores"
        print(f"machine: {machine}, Python {platform.python_version()}\n")
        with running_server(shipped) as server:
            site = server.endpoint.removesuffix("/xapi")
            print(GUESSING_HEAD)
            rows: list[str] = []
            guessing(site, rows, arguments.attempts)
            print("\n".join(rows), "\n")
            print("| cross-site request (Origin: http://evil.example) | status |\n|---|---|")
            print("\n".join(csrf(site)), "\n")
            print("| check | result |\n|---|---|")
            print("\n".join(surface(site, shipped)), "\n")
        with running_server(opened, env=OPEN) as server:
            site = server.endpoint.removesuffix("/xapi")
            print("| timing (median) | known | unknown | runs |\n|---|---|---|---|")
            print("\n".join(timing(site, arguments.timing_runs)), "\n")
            print("| /xapi/about | p50 | max | requests |\n|---|---|---|---|")
            print(event_loop(site, arguments.load_seconds))


if __name__ == "__main__":
    main()
