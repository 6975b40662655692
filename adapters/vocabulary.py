"""The IRIs the adapters use: reused ones (ADL, cmi5, Tin Can registry) and the product's own.

The product's own concepts are defined in the xAPI Profile shipped in `adapters.profile`
(`kompetanse.jsonld`, served by the LRS at `PROFILE`); reused concepts are only referenced
there, as the Profiles spec asks. A test checks that every IRI minted here is defined in it.
"""

from __future__ import annotations

from collections.abc import Mapping

BASE_IRI = "https://kompetanse.nav.no/xapi"
"""The base under which the product mints IRIs (the server's `KOMPETANSE_BASE_IRI` default)."""

PROFILE = f"{BASE_IRI}/profile"
PROFILE_VERSION = f"{PROFILE}/v1"
"""Statements following the profile carry this version as a category context activity."""

# --- verbs -------------------------------------------------------------------------------------
_ADL_VERB = "http://adlnet.gov/expapi/verbs/"
REGISTERED = _ADL_VERB + "registered"
ATTENDED = _ADL_VERB + "attended"
COMPLETED = _ADL_VERB + "completed"
PASSED = _ADL_VERB + "passed"
FAILED = _ADL_VERB + "failed"
EXPERIENCED = _ADL_VERB + "experienced"
SHARED = _ADL_VERB + "shared"
LAUNCHED = _ADL_VERB + "launched"
INITIALIZED = _ADL_VERB + "initialized"
TERMINATED = _ADL_VERB + "terminated"
ABANDONED = "https://w3id.org/xapi/adl/verbs/abandoned"
WAIVED = "https://w3id.org/xapi/adl/verbs/waived"
SATISFIED = "https://w3id.org/xapi/adl/verbs/satisfied"
MENTORED = "http://id.tincanapi.com/verb/mentored"
LEARNED_SHOULDER_TO_SHOULDER = f"{BASE_IRI}/verbs/learned-shoulder-to-shoulder"
COLLABORATED = f"{BASE_IRI}/verbs/collaborated"
REQUESTED = "http://activitystrea.ms/schema/1.0/request"
"""A learner asks the colleague or leader named in an entry of learning at work to confirm it."""
CONFIRMED = "http://activitystrea.ms/schema/1.0/confirm"
"""The confirmer confirms the entry (the object a StatementRef to it)."""
EVALUATED = f"{BASE_IRI}/verbs/evaluated"
"""A learner evaluates a package or a classroom session they took (catalog._evaluation)."""
FOLLOWED_UP = f"{BASE_IRI}/verbs/followed-up"
"""Weeks later, the learner says whether the training changed their practice."""
BOOKKEEPING = frozenset({REQUESTED, CONFIRMED, EVALUATED, FOLLOWED_UP})
"""Verbs of statements about other statements or about the training, not learning: no record
lists them and they credit nothing."""

VERB_DISPLAY: Mapping[str, Mapping[str, str]] = {
    REGISTERED: {"nb": "meldte seg på", "en": "registered"},
    ATTENDED: {"nb": "deltok på", "en": "attended"},
    COMPLETED: {"nb": "fullførte", "en": "completed"},
    PASSED: {"nb": "bestod", "en": "passed"},
    FAILED: {"nb": "strøk i", "en": "failed"},
    EXPERIENCED: {"nb": "gjennomgikk", "en": "experienced"},
    SHARED: {"nb": "delte", "en": "shared"},
    MENTORED: {"nb": "veiledet", "en": "mentored"},
    LEARNED_SHOULDER_TO_SHOULDER: {
        "nb": "lærte skulder ved skulder",
        "en": "learned shoulder to shoulder",
    },
    COLLABORATED: {"nb": "samarbeidet i team om", "en": "collaborated in a team on"},
}

# --- activity types ----------------------------------------------------------------------------
_ADL_TYPE = "http://adlnet.gov/expapi/activities/"
COURSE = _ADL_TYPE + "course"
LESSON = _ADL_TYPE + "lesson"
MODULE = _ADL_TYPE + "module"
MEETING = _ADL_TYPE + "meeting"
PERFORMANCE = _ADL_TYPE + "performance"
PROFILE_TYPE = _ADL_TYPE + "profile"
TUTOR_SESSION = "http://id.tincanapi.com/activitytype/tutor-session"
PAGE = "http://activitystrea.ms/schema/1.0/page"
COMPETENCE_NETWORK = f"{BASE_IRI}/activity-types/competence-network"
KNOWLEDGE_SHARING = f"{BASE_IRI}/activity-types/knowledge-sharing"
JOB_SHADOWING = f"{BASE_IRI}/activity-types/job-shadowing"
TEAM_WORK = f"{BASE_IRI}/activity-types/team-work"

# --- extensions ----------------------------------------------------------------------------------
_EXTENSION = f"{BASE_IRI}/extensions/"
TRAINING_METHOD = _EXTENSION + "training-method"
OFFICE = _EXTENSION + "office"
COMPETENCE_AREA = _EXTENSION + "competence-area"
HOURS = _EXTENSION + "hours"
ECTS = _EXTENSION + "ects"
INSTITUTION = _EXTENSION + "institution"
HOST_UNIT = _EXTENSION + "host-unit"
PURPOSE = _EXTENSION + "purpose"
DAYS = _EXTENSION + "days"
BUDDY_SCHEME = _EXTENSION + "buddy-scheme"
GRADE = _EXTENSION + "grade"
DEMO = _EXTENSION + "demo"
RELEVANCE = _EXTENSION + "relevance"
PRACTICE_CHANGED = _EXTENSION + "practice-changed"

# --- cmi5 ----------------------------------------------------------------------------------------
CMI5_CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
MOVEON_CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/moveon"
CMI5_SESSION_ID = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
CMI5_VERBS = frozenset(
    {
        LAUNCHED,
        INITIALIZED,
        COMPLETED,
        PASSED,
        FAILED,
        ABANDONED,
        WAIVED,
        TERMINATED,
        SATISFIED,
    }
)

# --- people --------------------------------------------------------------------------------------
NAV_IDENT = "https://ident.nav.no"
"""The account home page of NAV's employee idents (the catalog knows people by it)."""


def method_iri(method: str, base_iri: str = BASE_IRI) -> str:
    """The IRI of a training method of the catalog, the value of the training-method extension."""
    return f"{base_iri}/methods/{method}"


def competence_area_iri(area: str, base_iri: str = BASE_IRI) -> str:
    return f"{base_iri}/competence-areas/{area}"


def template(name: str) -> str:
    """The IRI of one of the profile's statement templates."""
    return f"{PROFILE}/templates/{name}"
