"""One settings tree, read from `KOMPETANSE_*` environment variables.

Nested models use `__` in the variable name, e.g. `KOMPETANSE_LIMITS__MAX_BODY_BYTES`. The
common ones have flat aliases documented in the README (`KOMPETANSE_MONGODB_URI`, ...).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

XapiVersionName = Literal["1.0.3", "2.0.0"]


class LimitSettings(BaseModel):
    """Request limits."""

    max_body_bytes: int = Field(default=20 * 1024 * 1024, gt=0)
    max_statements_per_request: int = Field(default=1000, gt=0)
    max_query_limit: int = Field(default=500, gt=0)


RoleName = Literal["learner", "representative", "leader", "coordinator", "directorate", "admin"]


class ThrottleSettings(BaseModel):
    """Failed sign-ins and xAPI authentications, counted per account and per client address:
    after `free_failures`, each further failure locks for `first_delay_seconds`, doubled each
    time up to `max_delay_seconds` (answered 429 with Retry-After)."""

    free_failures: int = Field(default=5, ge=1)
    free_failures_per_address: int = Field(default=20, ge=1)
    first_delay_seconds: float = Field(default=1.0, gt=0)
    max_delay_seconds: float = Field(default=900.0, gt=0)
    forget_after_seconds: float = Field(default=3600.0, gt=0)  # a quiet hour clears the count


class OidcSettings(BaseModel):
    """Sign-in with the organisation's OpenID Connect provider (e.g. Microsoft Entra ID).

    Off unless `issuer`, `client_id` and `client_secret` are all set. Roles come from the
    `roles_claim` (a list: Entra's app roles, or group ids) through `role_map`; the highest
    mapped role wins. A leader's office and a coordinator's county come from their claims.
    """

    issuer: str | None = None
    client_id: str | None = None
    client_secret: SecretStr | None = None
    scopes: str = "openid profile email"
    username_claim: str = "preferred_username"
    person_claim: str = "employee_id"
    office_claim: str = "office"
    region_claim: str = "region"
    roles_claim: str = "roles"
    role_map: dict[str, RoleName] = {
        "Kompetanse.Admin": "admin",
        "Kompetanse.Direktorat": "directorate",
        "Kompetanse.Fylke": "coordinator",
        "Kompetanse.Leder": "leader",
        "Kompetanse.Tillitsvalgt": "representative",
        "Kompetanse.Ansatt": "learner",
    }
    label: str = "NAV-ID"  # the sign-in button: "Logg inn med NAV-ID"

    @property
    def enabled(self) -> bool:
        return None not in (self.issuer, self.client_id, self.client_secret)

    @model_validator(mode="after")
    def _all_or_none(self) -> OidcSettings:
        given = [v is not None for v in (self.issuer, self.client_id, self.client_secret)]
        if any(given) and not all(given):
            raise ValueError(
                "set all of KOMPETANSE_OIDC__ISSUER, KOMPETANSE_OIDC__CLIENT_ID and "
                "KOMPETANSE_OIDC__CLIENT_SECRET, or none"
            )
        return self


class Settings(BaseSettings):
    """Everything the product reads from its environment."""

    model_config = SettingsConfigDict(
        env_prefix="KOMPETANSE_", env_nested_delimiter="__", extra="ignore"
    )

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)
    workers: int = Field(default=1, ge=1)
    data_dir: Path = Path("kompetanse-data")
    mongodb_uri: SecretStr | None = None
    mongodb_database: str = "kompetanse"
    bootstrap_key: str | None = None
    bootstrap_secret: SecretStr | None = None
    base_iri: str = "https://kompetanse.nav.no/xapi"
    catalog_dir: Path | None = None  # None: NAV's catalog, shipped in catalog/nav
    due_soon_days: int = Field(default=30, ge=0)  # "due soon" this many days before a deadline
    follow_up_weeks: int = Field(default=6, ge=1)  # an evaluation's follow-up opens after these
    # the projection's consumer reads the statement log no closer to now than this
    projection_settle_seconds: float = Field(default=5.0, ge=0)
    public_url: str | None = None
    xapi_versions: Annotated[list[XapiVersionName], NoDecode] = ["1.0.3", "2.0.0"]
    cors_origins: Annotated[list[str], NoDecode] = ["*"]
    limits: LimitSettings = LimitSettings()
    api_docs: bool = False  # /docs, /redoc and /openapi.json (off: they describe every route)
    throttle: ThrottleSettings = ThrottleSettings()
    oidc: OidcSettings = OidcSettings()
    log_level: str = "info"
    log_format: Literal["text", "json"] = "text"  # json: one JSON object a line, for collectors
    metrics_token: SecretStr | None = None  # /metrics answers a Bearer of it; unset: 404
    ready_max_lag_seconds: float = Field(default=60.0, gt=0)  # the projection's lag /readyz allows
    ready_timeout_seconds: float = Field(default=2.0, gt=0)  # how long /readyz waits per check
    startup_timeout_seconds: float = Field(default=30.0, gt=0)  # serve waits this for MongoDB
    # audit entries older than this many days are removed (at start, then daily); unset: kept
    audit_retention_days: int | None = Field(default=None, ge=1)
    # Reminders by e-mail (kompetanse.reminders): sent only when an SMTP host is set
    smtp_host: str | None = None
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = True  # STARTTLS before signing in (off only for a local relay)
    smtp_from: str = "kompetanse@nav.no"  # the sender's address
    smtp_timeout_seconds: float = Field(default=30.0, gt=0)
    # days before a deadline a learner is reminded, comma-separated (one message each)
    reminder_lead_days: Annotated[list[int], NoDecode] = [30, 7]
    reminder_overdue_within_days: int = Field(default=30, ge=0)  # older passed deadlines: no mail
    reminder_digest_weekday: int = Field(default=1, ge=1, le=7)  # ISO: 1 is Monday
    reminder_interval_seconds: float = Field(default=3600.0, gt=0)  # how often the server looks
    reminder_retry_seconds: float = Field(default=300.0, gt=0)  # first retry; doubles each time
    reminder_max_attempts: int = Field(default=8, ge=1)  # then the message is given up

    @field_validator("reminder_lead_days", mode="before")
    @classmethod
    def _lead_days(cls, value: object) -> object:
        """`KOMPETANSE_REMINDER_LEAD_DAYS=30,7`: each at least 1, largest first, once each."""
        if isinstance(value, str):
            value = [int(part) for part in value.split(",") if part.strip()]
        if isinstance(value, list):
            if any(not isinstance(day, int) or day < 1 for day in value):
                raise ValueError("each lead time is a whole number of days, at least 1")
            return sorted(set(value), reverse=True)
        return value

    @model_validator(mode="after")
    def _smtp_pair(self) -> Settings:
        if (self.smtp_user is None) != (self.smtp_password is None):
            raise ValueError("set both KOMPETANSE_SMTP_USER and KOMPETANSE_SMTP_PASSWORD, or none")
        return self

    @field_validator("xapi_versions", "cors_origins", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        """Lists are comma-separated: `KOMPETANSE_XAPI_VERSIONS=1.0.3,2.0.0`."""
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("xapi_versions")
    @classmethod
    def _some_version(cls, value: list[XapiVersionName]) -> list[XapiVersionName]:
        if not value:
            raise ValueError("at least one xAPI version must be served")
        return sorted(set(value))

    @model_validator(mode="after")
    def _bootstrap_pair(self) -> Settings:
        """The bootstrap key and secret come together, and the secret is not trivially short."""
        if (self.bootstrap_key is None) != (self.bootstrap_secret is None):
            raise ValueError("set both KOMPETANSE_BOOTSTRAP_KEY and KOMPETANSE_BOOTSTRAP_SECRET")
        if self.bootstrap_secret is not None and len(self.bootstrap_secret.get_secret_value()) < 8:
            raise ValueError("KOMPETANSE_BOOTSTRAP_SECRET must have at least 8 characters")
        if self.metrics_token is not None and len(self.metrics_token.get_secret_value()) < 16:
            raise ValueError("KOMPETANSE_METRICS_TOKEN must have at least 16 characters")
        return self
