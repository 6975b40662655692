"""Who may see what, decided here and nowhere else.

A learner sees only their own record; a leader their own office; a county coordinator the
offices of their county; the directorate and administrators everything (DOMAIN.md, Privacy).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from catalog.errors import Forbidden

Role = Literal["learner", "representative", "leader", "coordinator", "directorate", "admin"]
ROLES: tuple[Role, ...] = (
    "learner",
    "representative",  # employee representative (tillitsvalgt): reads and comments on the plan
    "leader",
    "coordinator",
    "directorate",
    "admin",
)


@dataclass(frozen=True)
class Viewer:
    """A signed-in user and the unit their role is bound to."""

    username: str
    role: Role
    person: str | None = None  # employee id (every role may have one: their own record)
    office: str | None = None  # leader, representative
    region: str | None = None  # coordinator

    def __post_init__(self) -> None:
        needed = {
            "learner": self.person,
            "leader": self.office,
            "representative": self.office,
            "coordinator": self.region,
        }
        if self.role in needed and needed[self.role] is None:
            unit = {
                "learner": "a person",
                "leader": "an office",
                "representative": "an office",
                "coordinator": "a county",
            }
            raise ValueError(f"a {self.role} must be bound to {unit[self.role]}")


def may_see_everything(viewer: Viewer) -> bool:
    return viewer.role in ("directorate", "admin")


def may_see_region(viewer: Viewer, region: str) -> bool:
    return may_see_everything(viewer) or (viewer.role == "coordinator" and viewer.region == region)


def may_see_office(viewer: Viewer, office: str, region: str) -> bool:
    return may_see_region(viewer, region) or (viewer.role == "leader" and viewer.office == office)


def may_see_person(viewer: Viewer, person: str, office: str, region: str) -> bool:
    return viewer.person == person or may_see_office(viewer, office, region)


def may_see_person_id(viewer: Viewer, person: str, unit: tuple[str, str] | None) -> bool:
    """`may_see_person` for an id that may name no one (`unit`: the person's office and
    county, None when there is no such person). One who may not see a person gets the same
    answer whether the person exists or not, so an id outside their unit tells them nothing;
    only those who see everything, or the person themselves, learn that an id names no one."""
    if unit is None:
        return may_see_everything(viewer) or viewer.person == person
    return may_see_person(viewer, person, *unit)


def may_enrol(viewer: Viewer, person: str, office: str, region: str, session_region: str) -> bool:
    """Give a person a seat in a classroom session, or cancel it: the person themselves in a
    session of their own county, or whoever may see their office (their leader, their county's
    coordinator, the directorate, administrators)."""
    own = viewer.person == person and region == session_region
    return own or may_see_office(viewer, office, region)


def may_schedule(viewer: Viewer, region: str) -> bool:
    """Schedule, change and cancel a county's classroom sessions and move people between
    them: the county's coordinator (their own county only), the directorate, administrators;
    never a leader or a learner."""
    return may_see_region(viewer, region)


def may_confirm(viewer: Viewer, named: bool, learner: str | None) -> bool:
    """Confirm a learner's entry of learning at work: only the person she named as confirming
    it (`named`: the request names one of the viewer's own identifiers), never one's own."""
    return viewer.person is not None and named and learner != viewer.person


def may_administer(viewer: Viewer) -> bool:
    return viewer.role == "admin"


def require(allowed: bool, what: str) -> None:
    """Raise Forbidden (403) naming what was refused."""
    if not allowed:
        raise Forbidden(f"you may not see {what}")


# --- competence mapping (catalog._mapping) ------------------------------------------------------

SMALLEST_GROUP = 5
"""Below this many people, a mapping's aggregate is not shown outside the office (000 §5.5,
issue 15: the county sees aggregates, never groups under five)."""


def may_run_mapping(viewer: Viewer, office: str) -> bool:
    """Open and close an office's mapping round: the office's own leader, no one else."""
    return viewer.role == "leader" and viewer.office == office


def may_see_mapping_answers(viewer: Viewer, person: str, office: str) -> bool:
    """A person's own mapping answers (their self-ratings and education): the person and the
    leader of their office; not the county, the directorate or administrators."""
    return viewer.person == person or may_run_mapping(viewer, office)


def may_see_mapping_group(viewer: Viewer, office: str, region: str, size: int) -> bool:
    """An aggregate of a group's mapping answers (an office, a role in it): the office's
    leader whatever its size; whoever may see the office otherwise (the county, the
    directorate, administrators) only when at least SMALLEST_GROUP people are in it."""
    if may_run_mapping(viewer, office):
        return True
    return may_see_office(viewer, office, region) and size >= SMALLEST_GROUP


# --- competence networks (catalog._networks) ---------------------------------------------------


def may_run_network(viewer: Viewer, region: str) -> bool:
    """Create a county's networks, name their members, record their meetings and who attended:
    the county's own coordinator and administrators; not a leader, a learner or the
    directorate (which sees every network)."""
    return viewer.role == "admin" or (viewer.role == "coordinator" and viewer.region == region)


def may_see_networks(viewer: Viewer, region: str) -> bool:
    """A county's networks across its offices, with who attended and who shared back: the
    county's coordinator, the directorate, administrators."""
    return may_see_region(viewer, region)


def may_share_back(viewer: Viewer, person: str) -> bool:
    """Record that a meeting's knowledge was shared at the office: the member themselves only."""
    return viewer.person == person


# --- induction plans with a buddy (catalog._induction) ------------------------------------------


def may_run_induction(viewer: Viewer, office: str) -> bool:
    """Keep an office's induction template, make a plan by hand and name a new hire's buddy:
    the office's own leader, no one else."""
    return viewer.role == "leader" and viewer.office == office


def may_see_induction_plans(viewer: Viewer, office: str, region: str) -> bool:
    """Every new hire's plan at an office: its leader; read only, the county's coordinator,
    the directorate and administrators. Not a learner, a buddy (only their own new hires'),
    another office's leader or another county's coordinator."""
    return may_run_induction(viewer, office) or may_see_region(viewer, region)


def may_see_induction_plan(
    viewer: Viewer, person: str, office: str, region: str, buddy: str | None
) -> bool:
    """One new hire's plan: the new hire, their buddy, and whoever sees the office's plans."""
    own = viewer.person is not None and viewer.person in (person, buddy)
    return own or may_see_induction_plans(viewer, office, region)


def may_mark_induction_item(
    viewer: Viewer, person: str, office: str, buddy: str | None, responsible: str
) -> bool:
    """Mark an item of a plan done: the buddy and the office's leader any item; the new hire
    only the items that are their own responsibility. Never the county (it reads)."""
    if may_run_induction(viewer, office):
        return True
    if viewer.person is not None and viewer.person == buddy and buddy != person:
        return True
    return viewer.person == person and responsible == "new_hire"


def may_confirm_induction_learning(viewer: Viewer, person: str, buddy: str | None) -> bool:
    """Confirm learning shoulder to shoulder in a plan (recorded as the new hire's xAPI
    statement with the buddy as instructor): only the plan's buddy, never for oneself."""
    return viewer.person is not None and viewer.person == buddy and person != buddy


# --- development plans (catalog._development) ----------------------------------------------------


def may_see_development(viewer: Viewer, person: str, office: str) -> bool:
    """A person's development plans and needs: the person and the leader of their office;
    not the county, the directorate or administrators (like the mapping's answers)."""
    return viewer.person == person or (viewer.role == "leader" and viewer.office == office)


def may_lead_development(viewer: Viewer, person: str, office: str) -> bool:
    """Record the development talk, add and change goals, answer needs: the leader of the
    person's office, not for their own plan (no one agrees a plan with themselves)."""
    return viewer.role == "leader" and viewer.office == office and viewer.person != person


def may_raise_development_need(viewer: Viewer, person: str) -> bool:
    """Raise a development need, or agree to one's plan: the person only."""
    return viewer.person == person


# --- evaluation of training (catalog._evaluation) ------------------------------------------------


def may_evaluate(viewer: Viewer, person: str) -> bool:
    """Give an evaluation or a follow-up of training: the person who took it, for themselves
    only (not their leader, the county or administrators on their behalf)."""
    return viewer.person is not None and viewer.person == person


def may_see_package_evaluations(viewer: Viewer, owner: str, owner_unit: str | None) -> bool:
    """A package's evaluation results (no names): its owner. A national package the
    directorate; a county's package its coordinator; an office's package its leader;
    administrators every one. Never a learner, another county or another office."""
    if viewer.role == "admin":
        return True
    if owner == "directorate":
        return viewer.role == "directorate"
    if owner == "county":
        return viewer.role == "coordinator" and viewer.region == owner_unit
    return viewer.role == "leader" and viewer.office == owner_unit


def may_see_session_evaluations(viewer: Viewer, region: str) -> bool:
    """A classroom session's evaluation results: the coordinator of the county holding it,
    the directorate and administrators (and its package's owner, asked by the caller)."""
    return may_see_region(viewer, region)


# --- the office's yearly competence plan (catalog._competence_plan) ------------------------------


def may_draft_competence_plan(viewer: Viewer, office: str) -> bool:
    """Draft, send for comments, approve, revise an office's yearly competence plan and mark
    its local measures done: the office's own leader, no one else."""
    return viewer.role == "leader" and viewer.office == office


def may_see_competence_plan(viewer: Viewer, office: str, region: str) -> bool:
    """An office's competence plan (its priorities, comments and progress, no names): its
    leader and its employee representatives; read only, the county's coordinator, the
    directorate and administrators. Not a learner, another office's leader or representative,
    or another county's coordinator."""
    own = viewer.role in ("leader", "representative") and viewer.office == office
    return own or may_see_region(viewer, region)


def may_comment_competence_plan(viewer: Viewer, office: str) -> bool:
    """Comment on a plan sent for comments: the office's employee representatives, and its
    leader (to answer them); not the county, the directorate or administrators."""
    return viewer.role in ("leader", "representative") and viewer.office == office


def may_see_region_competence_plans(viewer: Viewer, region: str) -> bool:
    """Every office's plan in a county and its status, and which offices have none: the
    county's coordinator, the directorate, administrators."""
    return may_see_region(viewer, region)
