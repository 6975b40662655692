"""Errors raised by the adapters, the plug-in registry, the file readers and the emitter.

    AdapterError
    ├── RecordInvalid      a record breaks its adapter's rules; `problems` names every field/cell
    ├── PluginError        a plug-in fails to load, breaks the interface or produced an invalid
    │                      statement; the message names the plug-in
    ├── UnknownAdapter     no adapter is registered under the name
    ├── UnreadableFile     an input file cannot be read (format, encoding, missing extra)
    ├── SpoolError         the emitter's on-disk spool cannot be opened or written
    └── TransportFailure   the LRS could not be reached (transports raise it, the emitter retries)

Delivery problems (an LRS that is down or refuses a statement) are not raised: `Emitter.flush`
reports them, and nothing is lost.
"""

from __future__ import annotations

from dataclasses import dataclass


class AdapterError(Exception):
    """Root of every error the adapters raise on purpose."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: the field (or column) and, for files, the row.

    Rows are numbered as a spreadsheet shows them: the header is row 1.
    """

    location: str
    message: str
    row: int | None = None

    def __str__(self) -> str:
        where = self.location or "record"
        return (
            f"row {self.row}, {where}: {self.message}" if self.row else f"{where}: {self.message}"
        )


class RecordInvalid(AdapterError):
    """A record (or rows of a file) breaks the adapter's rules; `problems` lists every one."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(map(str, problems)))
        self.problems = problems


class PluginError(AdapterError):
    """A plug-in adapter failed to load or does not satisfy the interface."""


class UnknownAdapter(AdapterError):
    """No adapter is registered under this name."""


class UnreadableFile(AdapterError):
    """An input file cannot be read."""


class SpoolError(AdapterError):
    """The on-disk spool cannot be used."""


class TransportFailure(AdapterError):
    """The LRS could not be reached or did not answer. Transports raise it; the emitter retries."""
