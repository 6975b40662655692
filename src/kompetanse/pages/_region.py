"""Fylket: the county coordinator's page of a county, its offices, pipeline and sessions."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Request, Response

from catalog import Reports
from catalog._deps import ReportsDep
from kompetanse.pages import _views as views
from kompetanse.pages._web import PageRoute, ViewerDep, own_unit, render

router = APIRouter(route_class=PageRoute, include_in_schema=False)


# --- Fylket -----------------------------------------------------------------------------------


@router.get("/fylket")
async def my_region(viewer: ViewerDep) -> Response:
    return own_unit(viewer, "coordinator", viewer.region, "/fylket")


@router.get("/fylket/{region}")
async def region_page(
    region: str, request: Request, viewer: ViewerDep, reports: ReportsDep
) -> Response:
    name = await reports.region_name(viewer, region)
    report = await reports.region_report(viewer, region)
    offices = views.with_total(report["offices"])
    sessions = await reports.sessions(viewer, region)
    return render(
        request,
        "region.html",
        viewer,
        compliance=await reports.compliance(viewer, region=region, levels=frozenset({"county"})),
        lag=await request.app.state.catalog.lag(),
        region=region,
        region_name=name,
        offices=offices,
        pipeline=report["pipeline"]["modules"],
        sessions=sessions,
        percent=views.percent,
        module_name=_module_name(reports),
    )


def _module_name(reports: Reports) -> Callable[[str, str], dict[str, str]]:
    names = {(p.id, m.id): m.name.model_dump() for p in reports.catalog.packages for m in p.modules}
    return lambda package, module: names.get((package, module), {"und": module})
