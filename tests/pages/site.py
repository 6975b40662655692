"""The demo site the page tests sign in to: `kompetanse demo load` on a fresh embedded store,
then the demo users given a known password (the demo prints random ones)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PASSWORD = "passord-for-sidetestene"
USERS = {
    "learner": "demo-ansatt",
    "leader": "demo-leder",
    "coordinator": "demo-fylke",
    "directorate": "demo-direktorat",
    "admin": "demo-admin",
}
BINDINGS = {
    "demo-ansatt": ["--role", "learner", "--person", "D000001"],
    "demo-leder": ["--role", "leader", "--office", "nav-sagene", "--person", "D000000"],
    "demo-fylke": ["--role", "coordinator", "--region", "oslo"],
    "demo-direktorat": ["--role", "directorate"],
    "demo-admin": ["--role", "admin"],
}


def prepare(data_dir: Path) -> None:
    """Load the demo data into `data_dir` through the command line, as `make run` does."""
    env = {**os.environ, "KOMPETANSE_DATA_DIR": str(data_dir)}
    env.pop("KOMPETANSE_MONGODB_URI", None)
    command = [sys.executable, "-m", "kompetanse"]
    load = [*command, "demo", "load"]
    subprocess.run(load, env=env, check=True, capture_output=True)  # noqa: S603 - our own CLI
    for username, binding in BINDINGS.items():
        subprocess.run(  # noqa: S603 - our own CLI
            [*command, "users", "add", username, *binding, "--password-stdin"],
            env=env,
            check=True,
            capture_output=True,
            input=f"{PASSWORD}\n".encode(),
        )
