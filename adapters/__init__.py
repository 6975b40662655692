"""The plug-in library: every training method becomes xAPI statements, delivered without loss.

Light by design: it needs pydantic, TinCanPy and the LRS's statement model (`lrs.model`), never
the server (no web framework, no database driver).

- Adapters (`get_adapter(name)`, found through the entry-point group ``kompetanse.adapters``)
  take a typed record and return statements the LRS's own model accepts, with deterministic ids.
- `prepare(adapter, path)` reads a CSV, XLSX or JSON file of records: all rows or none.
- `Emitter` spools statements on disk and delivers them in order, in batches, with retries.
- `adapters.profile` is the xAPI Profile the statements follow; `adapters.vocabulary` its IRIs.

>>> from adapters import get_adapter
>>> [statement] = get_adapter("hospitering").statements({
...     "learner": "A123456", "host_unit": "NAV Arbeidslivssenter Oslo",
...     "purpose": "Oppfølging av IA-virksomheter", "started_on": "2026-03-02", "days": 2})
>>> statement["result"]["duration"], statement["verb"]["display"]["nb"]
('PT15H', 'fullførte')

Errors::

    AdapterError
    ├── RecordInvalid      a record (or rows of a file) breaks the rules; `problems` names each
    ├── PluginError        a plug-in fails to load or breaks the interface; names the plug-in
    ├── UnknownAdapter     no adapter registered under the name
    ├── UnreadableFile     an input file cannot be read
    ├── SpoolError         the emitter's spool cannot be used
    └── TransportFailure   the LRS cannot be reached (raised by transports; the emitter retries)
"""

from adapters._base import (
    NAMESPACE,
    XAPI_VERSION,
    Adapter,
    Record,
    activity,
    deterministic_id,
    duration,
    slug,
    timestamp,
)
from adapters._emitter import Delivery, Emitter, Retry
from adapters._errors import (
    AdapterError,
    PluginError,
    Problem,
    RecordInvalid,
    SpoolError,
    TransportFailure,
    UnknownAdapter,
    UnreadableFile,
)
from adapters._fields import Day, Flag, Hours, Iri, Moment, People, Person, Slug, Slugs, Text
from adapters._files import Prepared, Row, prepare, read_rows
from adapters._registry import GROUP, discover, get_adapter
from adapters._spool import Rejection, Spool, default_spool_path
from adapters._transport import Answer, RemoteLrsTransport, Transport

__all__ = [
    "GROUP",
    "NAMESPACE",
    "XAPI_VERSION",
    "Adapter",
    "AdapterError",
    "Answer",
    "Day",
    "Delivery",
    "Emitter",
    "Flag",
    "Hours",
    "Iri",
    "Moment",
    "People",
    "Person",
    "PluginError",
    "Prepared",
    "Problem",
    "Record",
    "RecordInvalid",
    "Rejection",
    "RemoteLrsTransport",
    "Retry",
    "Row",
    "Slug",
    "Slugs",
    "Spool",
    "SpoolError",
    "Text",
    "Transport",
    "TransportFailure",
    "UnknownAdapter",
    "UnreadableFile",
    "activity",
    "default_spool_path",
    "deterministic_id",
    "discover",
    "duration",
    "get_adapter",
    "prepare",
    "read_rows",
    "slug",
    "timestamp",
]
