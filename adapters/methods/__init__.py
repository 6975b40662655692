"""The built-in adapters, one per training method of seed 000 §6 (two for e-learning).

Each is registered in the entry-point group ``kompetanse.adapters`` under its name, the same
way a third party registers theirs; look them up with `adapters.get_adapter(name)`.
"""

from adapters.methods.courses import CourseAdapter, CourseAttendance
from adapters.methods.elearning import (
    Cmi5Adapter,
    Cmi5Statement,
    ElearningAdapter,
    ElearningResult,
    cmi5_problems,
)
from adapters.methods.further_education import FurtherEducation, FurtherEducationAdapter
from adapters.methods.information_tools import InformationToolAdapter, InformationToolUse
from adapters.methods.job_shadowing import JobShadowing, JobShadowingAdapter
from adapters.methods.networks import NetworkAdapter, NetworkMeeting
from adapters.methods.peer_guidance import PeerGuidance, PeerGuidanceAdapter
from adapters.methods.self_study import SelfStudy, SelfStudyAdapter
from adapters.methods.shoulder_to_shoulder import ShoulderToShoulder, ShoulderToShoulderAdapter
from adapters.methods.team_work import TeamWork, TeamWorkAdapter

__all__ = [
    "Cmi5Adapter",
    "Cmi5Statement",
    "CourseAdapter",
    "CourseAttendance",
    "ElearningAdapter",
    "ElearningResult",
    "FurtherEducation",
    "FurtherEducationAdapter",
    "InformationToolAdapter",
    "InformationToolUse",
    "JobShadowing",
    "JobShadowingAdapter",
    "NetworkAdapter",
    "NetworkMeeting",
    "PeerGuidance",
    "PeerGuidanceAdapter",
    "SelfStudy",
    "SelfStudyAdapter",
    "ShoulderToShoulder",
    "ShoulderToShoulderAdapter",
    "TeamWork",
    "TeamWorkAdapter",
    "cmi5_problems",
]
