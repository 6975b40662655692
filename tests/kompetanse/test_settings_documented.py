"""Every setting the product reads from its environment is in the README's table."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel

from kompetanse.settings import Settings

README = Path(__file__).parents[2] / "README.md"


def variables(model: type[BaseModel], prefix: str = "KOMPETANSE_") -> list[str]:
    """The environment variable of each field, nested models by `__` (env_nested_delimiter)."""
    found = []
    for name, field in model.model_fields.items():
        variable = prefix + name.upper()
        kind = field.annotation
        if isinstance(kind, type) and issubclass(kind, BaseModel):
            found += variables(kind, variable + "__")
        else:
            found.append(variable)
    return found


def test_every_setting_is_in_the_readmes_table() -> None:
    table = [line for line in README.read_text().splitlines() if line.startswith("| `KOMPETANSE_")]
    documented = {line.split("`")[1] for line in table}
    listed = variables(Settings)
    assert "KOMPETANSE_FOLLOW_UP_WEEKS" in listed
    assert [v for v in listed if v not in documented] == []
