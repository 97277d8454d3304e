"""Plan and check the study and mentoring visits of a city-to-city mentoring programme.

Pure Python on OR-Tools CP-SAT, with no Django import, so the web platform, scripts and tests
share one planner. Every pair of cities has two visits: a study visit (the implementing city
travels to the mentor city) and then a mentoring visit (the mentor travels to the implementing
city). `plan_visits` proposes dates inside the coordinator's window; `check_plan` checks a plan,
possibly adjusted by hand, and explains every broken rule in words a civil servant understands.
Each conflict also carries a machine `code` and `params` so the web side can translate it.
Dates are plain `datetime.date`: the Django side turns them into the host city's local time.
"""

from .check import check_plan
from .plan import plan_visits
from .types import (
    KINDS,
    MENTORING,
    STUDY,
    City,
    Conflict,
    Pair,
    PlanResult,
    Rules,
    Visit,
    attendees_default,
    host_of,
    traveller_of,
)

__all__ = [
    "KINDS",
    "MENTORING",
    "STUDY",
    "City",
    "Conflict",
    "Pair",
    "PlanResult",
    "Rules",
    "Visit",
    "attendees_default",
    "check_plan",
    "host_of",
    "plan_visits",
    "traveller_of",
]
