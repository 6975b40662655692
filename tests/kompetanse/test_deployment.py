"""The container deployment, checked by what runs here (no Docker daemon): the Dockerfile's
essentials, and compose.yaml as a three-member MongoDB replica set with its initiation, the
app in several processes, and every secret from the environment."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


def instructions(path: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of a Dockerfile, continuation lines joined, comments left out."""
    joined, found = "", []
    for line in path.read_text().splitlines():
        if not joined and (not line.strip() or line.lstrip().startswith("#")):
            continue
        joined += line.rstrip("\\").strip() + " " if line.endswith("\\") else line.strip()
        if not line.endswith("\\"):
            keyword, _, rest = joined.partition(" ")
            found.append((keyword.upper(), rest.strip()))
            joined = ""
    return found


@pytest.fixture(scope="module")
def dockerfile() -> list[tuple[str, str]]:
    return instructions(ROOT / "Dockerfile")


def final_stage(steps: list[tuple[str, str]]) -> list[tuple[str, str]]:
    starts = [i for i, (keyword, _) in enumerate(steps) if keyword == "FROM"]
    return steps[starts[-1] :]


def test_every_stage_is_slim(dockerfile: list[tuple[str, str]]) -> None:
    bases = [args.split()[0] for keyword, args in dockerfile if keyword == "FROM"]
    assert bases
    assert all(re.fullmatch(r"python:3\.1[1-9]-slim(-\w+)?", base) for base in bases), bases


def test_it_installs_the_server_extra_only(dockerfile: list[tuple[str, str]]) -> None:
    installs = [args for keyword, args in dockerfile if keyword == "RUN" and "pip install" in args]
    assert installs == ['/opt/kompetanse/bin/pip install ".[server]"']
    copied = [args for keyword, args in dockerfile if keyword == "COPY"]
    assert not [c for c in copied if c.split()[0] in ("tests", "bench", ".")]
    # The build context is what the image needs, nothing else (no .venv, data, tests).
    rules = [line for line in (ROOT / ".dockerignore").read_text().splitlines() if line.strip()]
    rules = [line for line in rules if not line.startswith("#")]
    assert rules[0] == "*"
    assert "!tests/" not in rules and "!kompetanse-data/" not in rules


def test_the_final_stage_runs_as_a_user_with_a_health_check(
    dockerfile: list[tuple[str, str]],
) -> None:
    final = final_stage(dockerfile)
    users = [args for keyword, args in final if keyword == "USER"]
    assert users and users[-1] not in ("root", "0", "0:0")
    [healthcheck] = [args for keyword, args in final if keyword == "HEALTHCHECK"]
    assert "/healthz" in healthcheck
    assert "--interval=" in healthcheck
    entry = [args for keyword, args in final if keyword in ("ENTRYPOINT", "CMD")]
    assert entry == ['["kompetanse"]', '["serve"]']
    env = " ".join(args for keyword, args in final if keyword == "ENV")
    assert "KOMPETANSE_HOST=0.0.0.0" in env
    assert "KOMPETANSE_LOG_FORMAT=json" in env
    assert not re.search(r"(SECRET|PASSWORD|TOKEN)=", env)


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "compose.yaml").read_text())
    return loaded


def as_list(command: Any) -> list[str]:
    return shlex.split(command) if isinstance(command, str) else [str(c) for c in command]


def test_three_mongod_members_of_one_replica_set(compose: dict[str, Any]) -> None:
    services = compose["services"]
    members = {
        name: service
        for name, service in services.items()
        if as_list(service.get("command", []))[:1] == ["mongod"]
    }
    assert sorted(members) == ["mongo1", "mongo2", "mongo3"]
    for name, service in members.items():
        command = as_list(service["command"])
        assert command[command.index("--replSet") + 1] == "rs0"
        assert "--keyFile" in command
        assert service["healthcheck"]["test"]
        assert any(v.endswith(":/data/db") for v in service["volumes"]), name
    volumes = {volume.split(":")[0] for m in members.values() for volume in m["volumes"]}
    assert {"mongo1-data", "mongo2-data", "mongo3-data"} <= volumes


def test_an_init_job_initiates_the_replica_set(compose: dict[str, Any]) -> None:
    init = compose["services"]["mongo-init"]
    assert {name: c["condition"] for name, c in init["depends_on"].items()} == {
        "mongo1": "service_healthy",
        "mongo2": "service_healthy",
        "mongo3": "service_healthy",
    }
    script = " ".join(as_list(init["command"]))
    assert "--file /deploy/replica-set.js" in script
    assert "./deploy/replica-set.js:/deploy/replica-set.js:ro" in init["volumes"]
    js = (ROOT / "deploy" / "replica-set.js").read_text()
    assert "rs.initiate(" in js
    assert all(f"mongo{n}:27017" in js for n in (1, 2, 3))
    assert "createUser(" in js


def test_the_app_runs_several_workers_on_the_replica_set(compose: dict[str, Any]) -> None:
    app = compose["services"]["app"]
    command = as_list(app["command"])
    assert command[:2] == ["serve", "--workers"]
    workers = re.fullmatch(r"\$\{KOMPETANSE_WORKERS:-(\d+)\}", command[2])
    assert workers and int(workers.group(1)) > 1
    assert app["depends_on"]["mongo-init"]["condition"] == "service_completed_successfully"
    uri = app["environment"]["KOMPETANSE_MONGODB_URI"]
    assert "@mongo1:27017,mongo2:27017,mongo3:27017/" in uri
    assert "replicaSet=rs0" in uri and "w=majority" in uri
    assert app["build"] == "."


def test_every_secret_comes_from_the_environment(compose: dict[str, Any]) -> None:
    secrets = {}
    for name, service in compose["services"].items():
        for key, value in (service.get("environment") or {}).items():
            if re.search(r"PASSWORD|SECRET|TOKEN|KEY|_URI", key):
                secrets[f"{name}.{key}"] = str(value)
    assert "app.KOMPETANSE_BOOTSTRAP_SECRET" in secrets
    assert "app.KOMPETANSE_METRICS_TOKEN" in secrets
    for where, value in secrets.items():
        # Required (":?"), never a default in the file.
        for variable in re.findall(r"\$\{([A-Z_]+)[^}]*\}", value):
            if re.search(r"PASSWORD|SECRET|TOKEN|KEY", variable):
                assert f"${{{variable}:?" in value, where
        assert not re.search(r"(PASSWORD|SECRET|TOKEN|KEY)\}?:-", value), where
    example = (ROOT / "deploy" / "env.example").read_text()
    for variable in (
        "MONGO_ROOT_PASSWORD",
        "KOMPETANSE_DB_PASSWORD",
        "KOMPETANSE_BOOTSTRAP_SECRET",
    ):
        assert re.search(rf"^{variable}=$", example, re.MULTILINE), variable
