"""The office's yearly competence plan through the JSON API, on every backend: the leader
drafts priorities from the mapping's gaps and the required packages, sends the draft, the
employee representative comments, the leader approves (audited) and the plan is read only
but for a new revision and local measures marked done; progress from the kept statuses; the
county's overview with the offices that have none; CSV; and the denials for every role."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from datetime import date

import pytest
from fastapi import FastAPI
from openpyxl import load_workbook

from catalog._access import ROLES, Viewer
from kompetanse.app import create_app
from kompetanse.settings import Settings
from tests.catalog.test_api import PASSWORD, signed_in
from tests.catalog.test_mapping import PEOPLE, answer_all

pytestmark = pytest.mark.anyio
YEAR = date.today().year
PLAN = f"/api/offices/nav-sagene/competence-plans/{YEAR}"
USERS = [
    ("admin", "admin", {}),
    ("lise", "leader", {"office": "nav-sagene", "person": "M7"}),
    ("per", "leader", {"office": "nav-frogner"}),
    ("tillit", "representative", {"office": "nav-sagene", "person": "M1"}),
    ("tillit-frogner", "representative", {"office": "nav-frogner"}),
    ("fylke", "coordinator", {"region": "oslo"}),
    ("fylke-vest", "coordinator", {"region": "vestland"}),
    ("direktorat", "directorate", {}),
    *((f"m{n}", "learner", {"person": f"M{n}"}) for n in range(1, 11)),
]
PRIORITIES = [
    {"area": "oppfolging-og-veiledning", "method": "kurs-og-samlinger", "hours": 12},
    {
        "package": "arbeidsevnevurdering",
        "method": "egentrening",
        "hours": "3,5",
        "audience": "veileder-oppfolging",
    },
    {"measure": "Hospitering hos NAV Frogner", "method": "skulder-ved-skulder", "hours": 16},
]


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[FastAPI]:
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        accounts = application.state.accounts
        for username, role, unit in USERS:
            await accounts.add_user(username, PASSWORD, role, **unit)
        admin = await signed_in(application, "admin")
        imported = await admin.post(
            "/api/people", params={"accept_new_offices": "true"}, json=PEOPLE
        )
        assert imported.status_code == 200, imported.text
        yield application


def test_a_representative_is_bound_to_an_office() -> None:
    assert "representative" in ROLES and ROLES.index("representative") < ROLES.index("leader")
    with pytest.raises(ValueError, match="representative must be bound to an office"):
        Viewer("t", "representative")


async def test_the_basis_shows_the_mappings_gaps_and_the_required_packages(
    app: FastAPI,
) -> None:
    lise = await signed_in(app, "lise")
    empty = (await lise.get("/api/offices/nav-sagene/competence-plan-basis")).json()
    assert empty["mapping_year"] is None and empty["gaps"] == []
    assert (await lise.post("/api/offices/nav-sagene/mapping-rounds")).status_code == 201
    await answer_all(app, {1: 2, 2: 2, 3: 3, 4: 3, 5: 4, 6: 1})
    basis = (await lise.get("/api/offices/nav-sagene/competence-plan-basis")).json()
    assert basis["mapping_year"] == YEAR
    gap = next(g for g in basis["gaps"] if g["area"] == "oppfolging-og-veiledning")
    assert (gap["people"], gap["below"], gap["share"]) == (6, 3, 0.5)
    assert basis["required"] and all(r["people"] >= 1 for r in basis["required"])
    assert all("person" not in g for g in basis["gaps"])  # counts, no names


async def test_draft_send_comment_approve_revise(app: FastAPI) -> None:
    lise = await signed_in(app, "lise")
    none = (await lise.get(PLAN)).json()
    assert (none["status"], none["priorities"]) == ("none", [])
    saved = await lise.put(PLAN, json={"priorities": PRIORITIES})
    assert saved.status_code == 200, saved.text
    plan = saved.json()
    assert (plan["status"], plan["revision"], plan["created_by"]) == ("draft", 1, "lise")
    assert [p["kind"] for p in plan["priorities"]] == ["area", "package", "measure"]
    assert plan["priorities"][1]["hours"] == 3.5 and plan["priorities"][0]["audience"] == "all"

    tillit = await signed_in(app, "tillit")
    early = await tillit.post(f"{PLAN}/comments", json={"text": "For tidlig"})
    assert early.status_code == 409  # not sent for comments yet
    assert (await tillit.get(PLAN)).json()["status"] == "draft"  # but may read it
    assert (await lise.post(f"{PLAN}/approve")).status_code == 409  # not sent yet
    sent = await lise.post(f"{PLAN}/send")
    assert sent.status_code == 200 and sent.json()["status"] == "sent"
    assert (await lise.post(f"{PLAN}/send")).status_code == 409
    blank = await tillit.post(f"{PLAN}/comments", json={"text": "  "})
    assert (blank.status_code, blank.json()["path"]) == (400, "text")
    commented = await tillit.post(f"{PLAN}/comments", json={"text": "Ønsker mer tid til AEV."})
    assert commented.status_code == 201, commented.text
    [comment] = commented.json()["comments"]
    assert (comment["author"], comment["role"], comment["text"]) == (
        "tillit",
        "representative",
        "Ønsker mer tid til AEV.",
    )
    assert comment["at"]
    changed = await lise.put(PLAN, json={"priorities": PRIORITIES[:2]})  # still editable
    assert changed.json()["status"] == "sent" and len(changed.json()["priorities"]) == 2
    await lise.put(PLAN, json={"priorities": PRIORITIES})

    approved = await lise.post(f"{PLAN}/approve")
    assert approved.status_code == 200
    assert (approved.json()["status"], approved.json()["approved_by"]) == ("approved", "lise")
    assert approved.json()["approved_at"]
    frozen = await lise.put(PLAN, json={"priorities": PRIORITIES[:1]})
    assert frozen.status_code == 409 and "revision" in frozen.text
    late = await tillit.post(f"{PLAN}/comments", json={"text": "Etterpå"})
    assert late.status_code == 409

    measure = approved.json()["priorities"][2]
    assert measure["progress"] == {"done": False, "done_at": None}
    done = await lise.post(f"{PLAN}/priorities/{measure['id']}/done", json={"done": True})
    assert done.status_code == 200 and done.json()["priorities"][2]["progress"]["done"] is True
    area = done.json()["priorities"][0]["id"]
    wrong = await lise.post(f"{PLAN}/priorities/{area}/done", json={"done": True})
    assert wrong.status_code == 409  # evidence, not a mark

    audit = app.state.catalog.accounts.audit.collection
    changes = [
        e["detail"]["change"]
        async for e in audit.find({"action": "competence-plan"}).sort([("at", 1)])
    ]
    assert changes[:2] == ["created", "sent"] and "approved" in changes
    assert "commented" in changes and "measure-done" in changes

    revised = await lise.post(f"{PLAN}/revise")
    assert revised.status_code == 200
    again = revised.json()
    assert (again["status"], again["revision"], again["approved_at"]) == ("draft", 2, None)
    assert again["revisions"][0]["approved_by"] == "lise"
    assert again["priorities"][2]["progress"]["done"] is True  # the mark is kept
    assert (await lise.put(PLAN, json={"priorities": PRIORITIES})).status_code == 200


async def test_progress_comes_from_the_kept_statuses(app: FastAPI) -> None:
    lise = await signed_in(app, "lise")
    plan = (await lise.put(PLAN, json={"priorities": PRIORITIES})).json()
    rows = await app.state.catalog.statuses.office_rows("nav-sagene")
    target = [
        s
        for r in rows
        if "veileder-oppfolging" in r.person.roles
        for s in r.statuses
        if s.package_id == "arbeidsevnevurdering"
    ]
    package = plan["priorities"][1]["progress"]
    assert package["target"] == len(target) and package["completed"] == 0
    assert package["share"] == (0.0 if target else None)
    assert plan["priorities"][0]["progress"] == {"completions": 0, "hours": 0.0}


async def test_bad_priorities_are_named_by_their_path(app: FastAPI) -> None:
    lise = await signed_in(app, "lise")
    cases = [
        ({"priorities": "x"}, "priorities"),
        ({"priorities": [{"method": "kurs-og-samlinger", "hours": 1}]}, "priorities[0].link"),
        (
            {"priorities": [{"area": "nope", "method": "kurs-og-samlinger", "hours": 1}]},
            "priorities[0].area",
        ),
        ({"priorities": [{**PRIORITIES[0], "method": "nope"}]}, "priorities[0].method"),
        ({"priorities": [{**PRIORITIES[0], "hours": -1}]}, "priorities[0].hours"),
        ({"priorities": [{**PRIORITIES[0], "hours": "mange"}]}, "priorities[0].hours"),
        (
            {"priorities": [PRIORITIES[0], {**PRIORITIES[0], "audience": "x"}]},
            "priorities[1].audience",
        ),
        (
            {"priorities": [{**PRIORITIES[0], "package": "arbeidsevnevurdering"}]},
            "priorities[0].link",
        ),
    ]
    for body, path in cases:
        refused = await lise.put(PLAN, json=body)
        assert (refused.status_code, refused.json()["path"]) == (400, path), (body, refused.text)
    bad = await lise.put(PLAN, content=b"{not json", headers={"content-type": "application/json"})
    assert bad.status_code == 400
    far = await lise.put(
        f"/api/offices/nav-sagene/competence-plans/{YEAR + 5}", json={"priorities": []}
    )
    assert (far.status_code, far.json()["path"]) == (400, "year")


async def test_the_county_sees_every_office_and_which_have_none(app: FastAPI) -> None:
    lise = await signed_in(app, "lise")
    await lise.put(PLAN, json={"priorities": PRIORITIES})
    await lise.post(f"{PLAN}/send")
    fylke = await signed_in(app, "fylke")
    overview = await fylke.get("/api/regions/oslo/competence-plans", params={"year": YEAR})
    assert overview.status_code == 200
    found = {o["office"]: o for o in overview.json()["offices"]}
    assert found["nav-sagene"]["status"] == "sent" and found["nav-sagene"]["priorities"] == 3
    assert found["nav-sagene"]["hours"] == 31.5
    assert found["nav-frogner"]["status"] == "none"
    assert overview.json()["without_plan"] == ["nav-frogner"]
    csv = await fylke.get("/api/regions/oslo/competence-plans", params={"format": "csv"})
    assert csv.headers["content-type"].startswith("text/csv")
    lines = csv.text.splitlines()
    assert lines[0].startswith("Kontor,År,Status")
    assert any("Sendt på høring" in line for line in lines)
    assert any("Ingen plan" in line for line in lines)
    seen = await fylke.get(PLAN)  # the county reads an office's plan
    assert seen.status_code == 200 and seen.json()["status"] == "sent"
    office_csv = await lise.get(PLAN, params={"format": "csv"})
    rows = office_csv.text.splitlines()
    assert "Opplæringsmetode" in rows[0] and "Lokalt tiltak" in office_csv.text
    assert "3,5" in office_csv.text and "Kurs og samlinger" in office_csv.text
    xlsx = await lise.get(PLAN, params={"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None and sheet["A1"].value == "Kontor"


async def test_denials_for_every_role(app: FastAPI) -> None:
    lise = await signed_in(app, "lise")
    await lise.put(PLAN, json={"priorities": PRIORITIES})
    await lise.post(f"{PLAN}/send")
    readers = {"lise", "tillit", "fylke", "direktorat", "admin"}
    for user in ("m2", "per", "tillit-frogner", "fylke-vest"):
        assert user not in readers
        http = await signed_in(app, user)
        assert (await http.get(PLAN)).status_code == 403, user
        assert (await http.get(f"{PLAN}?format=csv")).status_code == 403, user
    for user in (
        "m2",
        "per",
        "tillit",
        "tillit-frogner",
        "fylke",
        "fylke-vest",
        "direktorat",
        "admin",
    ):
        http = await signed_in(app, user)
        assert (await http.put(PLAN, json={"priorities": PRIORITIES})).status_code == 403, user
        assert (await http.post(f"{PLAN}/send")).status_code == 403, user
        assert (await http.post(f"{PLAN}/approve")).status_code == 403, user
        assert (await http.post(f"{PLAN}/revise")).status_code == 403, user
        basis = await http.get("/api/offices/nav-sagene/competence-plan-basis")
        assert basis.status_code == 403, user
    for user in ("m2", "per", "tillit-frogner", "fylke", "fylke-vest", "direktorat", "admin"):
        http = await signed_in(app, user)
        said = await http.post(f"{PLAN}/comments", json={"text": "Hei"})
        assert said.status_code == 403, user
    for user in ("m2", "lise", "tillit", "fylke-vest"):
        http = await signed_in(app, user)
        county = await http.get("/api/regions/oslo/competence-plans")
        assert county.status_code == 403, user
    for user in ("direktorat", "admin"):
        http = await signed_in(app, user)
        assert (await http.get("/api/regions/oslo/competence-plans")).status_code == 200


async def test_a_representative_sees_nothing_else(app: FastAPI) -> None:
    tillit = await signed_in(app, "tillit")
    for path in (
        "/api/offices/nav-sagene/matrix",
        "/api/offices/nav-sagene/mapping-rounds",
        "/api/offices/nav-sagene/mapping-profile",
        "/api/offices/nav-frogner/matrix",
        "/api/regions/oslo/mapping",
        "/api/people/M2/requirements",
        "/api/people/M2/mapping",
        "/api/people/M2/development-plans",
        "/api/offices/nav-frogner/competence-plans",
    ):
        response = await tillit.get(path)
        assert response.status_code in (403, 404), (path, response.status_code)
        assert response.status_code == 403, path
    mine = await tillit.get("/api/me/requirements")  # their own record, as an employee
    assert mine.status_code == 200
