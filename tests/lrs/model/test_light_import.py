"""The model is the light install: importing it brings no web framework or database driver."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
HEAVY = ("fastapi", "starlette", "pymongo", "mongomock", "uvicorn", "lrs.store", "lrs.api")


def test_importing_the_model_imports_nothing_heavy() -> None:
    probe = (
        f"import sys, lrs.model; print(sorted(m for m in sys.modules if m.startswith({HEAVY!r})))"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter and a fixed script
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
