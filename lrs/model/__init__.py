"""The xAPI statement model: strict validation of Statements for xAPI 1.0.3 and 2.0.

Pure pydantic and the standard library, so the plug-in adapters can use it without the server.

>>> from lrs.model import validate_statement
>>> statement = validate_statement(
...     {
...         "actor": {"mbox": "mailto:kari@nav.example"},
...         "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced"},
...         "object": {"id": "https://kompetanse.example/activities/ny-i-nav"},
...     },
...     version="2.0.0",
... )
>>> statement.object.id
'https://kompetanse.example/activities/ny-i-nav'

Every rejection is an `lrs.errors.StatementInvalid` naming the property path, e.g.
``statement[3].actor.mbox: must be "mailto:" followed by an e-mail address; got 'kari'``.
"""

from lrs.model._activities import Activity, ActivityDefinition, InteractionComponent
from lrs.model._agents import Account, Agent, Group
from lrs.model._base import XapiVersion
from lrs.model._compare import same_statement
from lrs.model._context import Context, ContextActivities, ContextAgent, ContextGroup
from lrs.model._formats import StatementFormat, format_statement
from lrs.model._references import StatementRef
from lrs.model._result import Result, Score
from lrs.model._statement import VOIDED, Attachment, Statement, SubStatement, Verb
from lrs.model._storable import MAX_DEPTH, STATEMENT_LEVEL, check_json, check_storable
from lrs.model._time import format_timestamp, parse_timestamp
from lrs.model._validate import validate_agent, validate_statement

__all__ = [
    "MAX_DEPTH",
    "STATEMENT_LEVEL",
    "VOIDED",
    "Account",
    "Activity",
    "ActivityDefinition",
    "Agent",
    "Attachment",
    "Context",
    "ContextActivities",
    "ContextAgent",
    "ContextGroup",
    "Group",
    "InteractionComponent",
    "Result",
    "Score",
    "Statement",
    "StatementFormat",
    "StatementRef",
    "SubStatement",
    "Verb",
    "XapiVersion",
    "check_json",
    "check_storable",
    "format_statement",
    "format_timestamp",
    "parse_timestamp",
    "same_statement",
    "validate_agent",
    "validate_statement",
]
