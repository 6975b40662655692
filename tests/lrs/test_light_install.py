"""The statement model and the adapters import without the [server] extra's packages."""

from __future__ import annotations

import subprocess
import sys

BLOCKER = """
import importlib.abc, sys
HEAVY = {"fastapi", "starlette", "uvicorn", "pymongo", "bson", "mongomock", "pydantic_settings"}
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in HEAVY:
            raise ImportError(f"{name} is not part of the light install")
sys.meta_path.insert(0, Block())
import adapters, lrs.model
lrs.model.validate_statement(
    {"actor": {"mbox": "mailto:kari@nav.example"},
     "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
     "object": {"id": "https://kompetanse.example/a"}},
    version="1.0.3",
)
print("light ok")
"""


def test_model_and_adapters_import_without_server_packages() -> None:
    result = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", BLOCKER], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "light ok"
