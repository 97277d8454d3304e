"""Who may do what with practices and toolkits (the roles come from core.rules).

Practices belong to no programme, so a role held in any programme counts: city officers
author their own city's practices, facilitators and coordinators review and publish any.
Toolkits belong to a programme and follow its scopes like every other programme object.
"""

from typing import Any

from django.db.models import Q

from core.roles import Role
from core.rules import RULES, Action
from programmes.access import Viewer, viewer_for
from programmes.choices import SchemeRole
from programmes.models import SchemeMember

from .choices import PracticeState, ToolkitState
from .models import GoodPractice, Toolkit


def _holds(viewer: Viewer, action: Action) -> bool:
    if viewer.is_platform_admin:
        return True
    return any(grant.role in RULES[action] for grant in viewer.grants)


def officer_city_ids(viewer: Viewer) -> set[int]:
    return {
        g.city_id for g in viewer.grants if g.role == Role.CITY_OFFICER and g.city_id is not None
    }


def is_practice_editor(user: Any) -> bool:
    return _holds(viewer_for(user), Action.REVIEW_PRACTICE)


def can_author_practice(user: Any) -> bool:
    return _holds(viewer_for(user), Action.AUTHOR_PRACTICE)


def practices_visible_q(user: Any) -> Q:
    """Published practices for everyone; drafts for their author, their city's officers and
    the editors."""
    viewer = viewer_for(user)
    if _holds(viewer, Action.REVIEW_PRACTICE):
        return Q()
    visible = Q(state=PracticeState.PUBLISHED)
    if viewer.is_authenticated:
        visible |= Q(created_by_id=viewer.user_id) | Q(city_id__in=officer_city_ids(viewer))
    return visible


def _is_own(viewer: Viewer, practice: GoodPractice) -> bool:
    return viewer.is_authenticated and (
        practice.created_by_id == viewer.user_id
        or (practice.city_id is not None and practice.city_id in officer_city_ids(viewer))
    )


def can_edit_practice(user: Any, practice: GoodPractice) -> bool:
    """Authors edit their drafts; editors edit at every state (corrections after publishing)."""
    viewer = viewer_for(user)
    if _holds(viewer, Action.REVIEW_PRACTICE):
        return True
    return practice.state == PracticeState.DRAFT and _is_own(viewer, practice)


def can_submit_practice(user: Any, practice: GoodPractice) -> bool:
    viewer = viewer_for(user)
    return _is_own(viewer, practice) or _holds(viewer, Action.REVIEW_PRACTICE)


# ---------------------------------------------------------------- toolkits


def toolkits_visible_q(user: Any) -> Q:
    """Published and final toolkits for everyone; drafts for the programme's members."""
    viewer = viewer_for(user)
    if viewer.is_platform_admin:
        return Q()  # an empty Q would vanish from the OR below
    return ~Q(state=ToolkitState.DRAFT) | viewer.q(Action.VIEW_TOOLKIT_DRAFT, programme="programme")


def can_edit_toolkit(user: Any, toolkit: Toolkit) -> bool:
    """The coordinators, and the facilitator of the scheme working on the toolkit's theme."""
    viewer = viewer_for(user)
    programme_theme = toolkit.theme.programme_theme
    scheme = getattr(programme_theme, "scheme", None) if programme_theme else None
    reach = viewer.reach(Action.EDIT_TOOLKIT, programme_id=toolkit.programme_id)
    return (
        reach.everything
        or toolkit.programme_id in reach.programme_ids
        or (scheme is not None and scheme.pk in reach.scheme_ids)
    )


def can_compose_toolkits(user: Any, programme_id: int) -> bool:
    return viewer_for(user).can(Action.EDIT_TOOLKIT, programme_id=programme_id)


def feedback_city_ids(user: Any, toolkit: Toolkit) -> set[int]:
    """The cities for which this person may give feedback: their own, when it implements in
    one of the programme's schemes (the cities that pilot toolkits)."""
    viewer = viewer_for(user)
    reach = viewer.reach(Action.GIVE_TOOLKIT_FEEDBACK, programme_id=toolkit.programme_id)
    if reach.everything:
        return set(
            SchemeMember.objects.current()
            .filter(scheme__programme_id=toolkit.programme_id, role=SchemeRole.IMPLEMENTING)
            .values_list("city_id", flat=True)
        )
    if not reach.city_ids:
        return set()
    return set(
        SchemeMember.objects.current()
        .filter(
            scheme__programme_id=toolkit.programme_id,
            role=SchemeRole.IMPLEMENTING,
            city_id__in=reach.city_ids,
        )
        .values_list("city_id", flat=True)
    )
