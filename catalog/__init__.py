"""Competence areas, training packages such as "Ny i NAV", and completion tracking from xAPI.

The catalog is data (YAML under `catalog/nav/` for NAV), validated by pydantic models:

>>> from catalog import load_catalog
>>> "ny-i-nav" in {package.id for package in load_catalog().packages}
True
"""

from catalog._access import Viewer
from catalog._accounts import SESSION_COOKIE, SESSION_LIFETIME, AccountStore
from catalog._api import router as api_router
from catalog._api import set_session_cookie
from catalog._commands import Commands
from catalog._error_handler import catalog_error_response, install_error_handler
from catalog._exemptions import ExemptionStore
from catalog._load import NAV_CATALOG, Catalog, CatalogInvalid, CatalogProblem, load_catalog
from catalog._model import (
    Audience,
    CompetenceArea,
    Completion,
    Criterion,
    Due,
    Module,
    Package,
    Role,
    Source,
    Text,
    TrainingMethod,
    Validity,
)
from catalog._privacy import NOT_PERSONAL, PERSONAL_COLLECTIONS, Holding, Privacy
from catalog._privacy_api import router as privacy_router
from catalog._reports import OfficeReport, Reports
from catalog._service import CatalogService
from catalog._sessions_api import router as sessions_router
from catalog.errors import CatalogError

__all__ = [
    "NAV_CATALOG",
    "NOT_PERSONAL",
    "PERSONAL_COLLECTIONS",
    "SESSION_COOKIE",
    "SESSION_LIFETIME",
    "AccountStore",
    "Audience",
    "Catalog",
    "CatalogError",
    "CatalogInvalid",
    "CatalogProblem",
    "CatalogService",
    "Commands",
    "CompetenceArea",
    "Completion",
    "Criterion",
    "Due",
    "ExemptionStore",
    "Holding",
    "Module",
    "OfficeReport",
    "Package",
    "Privacy",
    "Reports",
    "Role",
    "Source",
    "Text",
    "TrainingMethod",
    "Validity",
    "Viewer",
    "api_router",
    "catalog_error_response",
    "install_error_handler",
    "load_catalog",
    "privacy_router",
    "sessions_router",
    "set_session_cookie",
]
