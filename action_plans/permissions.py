"""Who may do what to a plan. Each predicate takes the plan already fetched (no query)."""

from typing import Any

from core.roles import ApprovalLevel, Role
from core.rules import Action
from programmes.access import viewer_for

from .models import ActionPlan


def _reaches(user: Any, plan: ActionPlan, action: Action) -> bool:
    return viewer_for(user).reaches(
        action,
        programme_id=plan.programme_id,
        scheme_id=plan.pair.scheme_id if plan.pair else None,
        city_id=plan.city_id,
    )


def can_view_plan(user: Any, plan: ActionPlan) -> bool:
    return _reaches(user, plan, Action.VIEW_PLAN)


def can_edit_plan(user: Any, plan: ActionPlan) -> bool:
    """The implementing city's officers (whatever the plan's state: the services check that)."""
    return _reaches(user, plan, Action.EDIT_PLAN)


def can_comment_plan(user: Any, plan: ActionPlan) -> bool:
    return _reaches(user, plan, Action.COMMENT_PLAN)


def can_review_plan(user: Any, plan: ActionPlan) -> bool:
    return _reaches(user, plan, Action.REVIEW_PLAN)


def is_mentor_officer(user: Any, plan: ActionPlan) -> bool:
    """An officer of the city that mentors this plan's city."""
    if plan.pair is None:
        return False
    mentor_city = plan.pair.mentor.city_id
    return any(
        g.role == Role.CITY_OFFICER
        and g.city_id == mentor_city
        and g.programme_id == plan.programme_id
        for g in viewer_for(user).grants
    )


def can_request_changes(user: Any, plan: ActionPlan) -> bool:
    return can_review_plan(user, plan) or is_mentor_officer(user, plan)


def can_decide_plan(user: Any, plan: ActionPlan, level: ApprovalLevel) -> bool:
    """An approver of the plan's city at this level (administrative or political)."""
    return any(
        g.role == Role.CITY_APPROVER
        and g.city_id == plan.city_id
        and g.programme_id == plan.programme_id
        and g.approval_level == level
        for g in viewer_for(user).grants
    )


def can_monitor_plan(user: Any, plan: ActionPlan) -> bool:
    return _reaches(user, plan, Action.MONITOR_PLAN)
