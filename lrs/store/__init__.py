"""Storage on PyMongo's async API: MongoDB when configured, else the embedded engine."""

from lrs.store._attachments import AttachmentStore
from lrs.store._backup import Backup, BackupFailed, backup, restore
from lrs.store._definitions import MERGED, AgentFacts, DefinitionStore
from lrs.store._docstore import DocumentScope, DocumentStore, StoredDocument, etag_of
from lrs.store._documents import PENDING, STATEMENT_INDEXES, VOIDED_VERB, ifi_key
from lrs.store._embedded import EmbeddedClient, EmbeddedDatabase
from lrs.store._errors import MAX_DOCUMENT_BYTES, check_statement_size
from lrs.store._query import Cursor, Format, StatementQuery, decode_more, encode_more
from lrs.store._seam import Collection, Database
from lrs.store._statements import LogEntry, Page, StatementStore

__all__ = [
    "MAX_DOCUMENT_BYTES",
    "MERGED",
    "PENDING",
    "STATEMENT_INDEXES",
    "VOIDED_VERB",
    "AgentFacts",
    "AttachmentStore",
    "Backup",
    "BackupFailed",
    "Collection",
    "Cursor",
    "Database",
    "DefinitionStore",
    "DocumentScope",
    "DocumentStore",
    "EmbeddedClient",
    "EmbeddedDatabase",
    "Format",
    "LogEntry",
    "Page",
    "StatementQuery",
    "StatementStore",
    "StoredDocument",
    "backup",
    "check_statement_size",
    "decode_more",
    "encode_more",
    "etag_of",
    "ifi_key",
    "restore",
]
