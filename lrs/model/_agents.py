"""Agents and Groups (Data §2.4.2): who did something, taught it, or vouches for it."""

from __future__ import annotations

from typing import Annotated, Any, Literal, Self

from pydantic import Discriminator, Field, Tag, model_validator

from lrs.model._base import XapiModel, fail
from lrs.model._values import Iri, Irl, MailtoIri, Sha1Hex

IFIS = ("mbox", "mbox_sha1sum", "openid", "account")
"""The inverse functional identifiers, one of which identifies an Agent or Identified Group."""

_IFI_SET = frozenset(IFIS)
_IFI_LIST = "mbox, mbox_sha1sum, openid or account"


class Account(XapiModel):
    """A user account on an existing system, e.g. an LMS or an intranet (Data §2.4.2.4)."""

    home_page: Irl = Field(alias="homePage")
    name: str


class Agent(XapiModel):
    """A person or system, identified by exactly one inverse functional identifier.

    >>> Agent.model_validate({"mbox": "mailto:kari@nav.example", "name": "Kari"}).name
    'Kari'
    """

    object_type: Literal["Agent"] | None = Field(default=None, alias="objectType")
    name: str | None = None
    mbox: MailtoIri | None = None
    mbox_sha1sum: Sha1Hex | None = None
    openid: Iri | None = None
    account: Account | None = None

    @model_validator(mode="after")
    def _one_identifier(self) -> Self:
        identifiers = self.model_fields_set & _IFI_SET
        if len(identifiers) != 1:
            found = ", ".join(sorted(identifiers)) or "none"
            raise fail(f"an Agent needs exactly one of {_IFI_LIST} (found: {found})")
        return self


class Group(XapiModel):
    """A set of Agents: anonymous (members, no identifier) or identified (one identifier)."""

    object_type: Literal["Group"] = Field(alias="objectType")
    name: str | None = None
    member: list[Agent] | None = None
    mbox: MailtoIri | None = None
    mbox_sha1sum: Sha1Hex | None = None
    openid: Iri | None = None
    account: Account | None = None

    @model_validator(mode="before")
    @classmethod
    def _agents_only(cls, data: Any) -> Any:
        members = data.get("member") if isinstance(data, dict) else None
        if isinstance(members, list):
            for index, member in enumerate(members):
                if isinstance(member, dict) and member.get("objectType") == "Group":
                    raise fail("a Group's members must be Agents", "member", index, "objectType")
        return data

    @model_validator(mode="after")
    def _identified_or_anonymous(self) -> Self:
        identifiers = self.model_fields_set & _IFI_SET
        if len(identifiers) > 1:
            found = ", ".join(sorted(identifiers))
            raise fail(f"an identified Group needs exactly one of {_IFI_LIST} (found: {found})")
        if not identifiers and not self.member:
            raise fail("an anonymous Group (no mbox, openid or account) needs members", "member")
        return self

    @property
    def is_anonymous(self) -> bool:
        """True when the Group has no inverse functional identifier."""
        return not self.model_fields_set & _IFI_SET


def _agent_or_group(value: Any) -> str | None:
    if isinstance(value, dict):
        kind = value.get("objectType", "Agent")
        return kind if kind in ("Agent", "Group") else None
    return "Group" if isinstance(value, Group) else "Agent"


AgentOrGroup = Annotated[
    Annotated[Agent, Tag("Agent")] | Annotated[Group, Tag("Group")],
    Discriminator(
        _agent_or_group,
        custom_error_type="object_type",
        custom_error_message="must be 'Agent' or 'Group'",
    ),
]
"""An Agent, or a Group when objectType is "Group"."""
