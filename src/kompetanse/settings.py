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
    public_url: str | None = None
    xapi_versions: Annotated[list[XapiVersionName], NoDecode] = ["1.0.3", "2.0.0"]
    cors_origins: Annotated[list[str], NoDecode] = ["*"]
    limits: LimitSettings = LimitSettings()
    log_level: str = "info"

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
        return self
