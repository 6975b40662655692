"""The demo site the page tests sign in to: `kompetanse demo load` on a fresh embedded store,
then the demo users given a known password (the demo prints random ones)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from kompetanse.app import create_app
from kompetanse.settings import Settings
from tests.server import running_server

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


def copied(demo_dir: Path, into: Path) -> Path:
    """A copy of the demo data in `into` (a test's own folder), for a test that changes it."""
    copy = into / "data"
    shutil.copytree(demo_dir, copy)
    return copy


@asynccontextmanager
async def demo_app(demo_dir: Path, into: Path, **settings: Any) -> AsyncIterator[FastAPI]:
    """The app on a copy of the demo data in `into`, its lifespan open (`settings` added to
    the embedded store's)."""
    application = create_app(
        Settings(data_dir=copied(demo_dir, into), mongodb_uri=None, **settings)
    )
    async with application.router.lifespan_context(application):
        yield application


@contextmanager
def demo_server(demo_dir: Path, into: Path, env: dict[str, str] | None = None) -> Iterator[str]:
    """The real server (`kompetanse serve`) on a copy of the demo data in `into`: its URL."""
    with running_server(copied(demo_dir, into), env=env) as server:
        yield server.endpoint.removesuffix("/xapi")
