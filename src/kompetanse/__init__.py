"""kompetanse: the composition root. Settings, the app factory that mounts the LRS, and the CLI."""

from kompetanse.settings import Settings

__all__ = ["Settings"]
