"""The product's pages for learners, leaders, county coordinators and the directorate.

Server-rendered with Jinja2, in Norwegian bokmål with an English toggle, made to WCAG 2.1 AA;
`install(app)` adds the routes and the static files (`/static`).
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from kompetanse.pages import _admin, _mail, _office, _region
from kompetanse.pages._competence_plan import router as competence_plan_router
from kompetanse.pages._development import router as development_router
from kompetanse.pages._evaluation import router as evaluation_router
from kompetanse.pages._induction import router as induction_router
from kompetanse.pages._mapping import router as mapping_router
from kompetanse.pages._networks import router as networks_router
from kompetanse.pages._routes import router

STATIC = Path(__file__).parent / "static"


def install(app: FastAPI) -> None:
    app.include_router(router)
    app.include_router(_office.router)
    app.include_router(_region.router)
    app.include_router(_admin.router)
    app.include_router(mapping_router)
    app.include_router(competence_plan_router)
    app.include_router(induction_router)
    app.include_router(networks_router)
    app.include_router(development_router)
    app.include_router(evaluation_router)
    app.include_router(_mail.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")


__all__ = ["install", "router"]
