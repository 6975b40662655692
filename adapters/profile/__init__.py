"""The product's xAPI Profile: vocabulary, statement templates and patterns for the training
methods, as JSON-LD (`kompetanse.jsonld`), and the Profiles spec's algorithms to check it.

The document is published at its IRI (`PROFILE`) by the LRS. Every adapter's statements carry
the version (`PROFILE_VERSION`) as a category context activity and so must match the profile's
templates, and the statements of one registration must follow one of its primary patterns.

>>> from adapters.profile import load_profile, profile_problems, validates
>>> profile = load_profile()
>>> profile_problems(profile)
[]
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any

from adapters.profile._processor import apply_path, broken_rules, follows, validates
from adapters.profile._structure import profile_problems
from adapters.vocabulary import PROFILE, PROFILE_VERSION

MEDIA_TYPE = "application/ld+json"


@cache
def profile_text() -> str:
    """The profile document as shipped (JSON-LD text)."""
    return files("adapters.profile").joinpath("kompetanse.jsonld").read_text("utf-8")


def load_profile() -> dict[str, Any]:
    """The profile document, parsed (a fresh copy: change it freely)."""
    document: dict[str, Any] = json.loads(profile_text())
    return document


__all__ = [
    "MEDIA_TYPE",
    "PROFILE",
    "PROFILE_VERSION",
    "apply_path",
    "broken_rules",
    "follows",
    "load_profile",
    "profile_problems",
    "profile_text",
    "validates",
]
