from typing import Any

from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The header navigation by role: the programmes a person may open and, under each, their
    own city or scheme (two queries)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {
            "nav_programmes": [],
            "matching_programme_ids": set(),
            "settings_programme_ids": set(),
            "report_programme_ids": set(),
            "inbox_unread": 0,
        }
    from notifications.selectors import unread_count
    from programmes.access import viewer_for
    from programmes.selectors import navigation_for_user

    from .rules import Action

    entries = navigation_for_user(user)
    viewer = viewer_for(user)  # built once per request: no further query
    return {
        "nav_programmes": entries,
        "inbox_unread": unread_count(user),
        # Programmes whose matching tab this person may open.
        "matching_programme_ids": {
            e.programme.pk
            for e in entries
            if viewer.can(Action.VIEW_MATCHING, programme_id=e.programme.pk)
        },
        # Programmes whose technical reports this person reads: coordinators and auditors.
        "report_programme_ids": {
            e.programme.pk
            for e in entries
            if viewer.can(Action.VIEW_REPORTS, programme_id=e.programme.pk)
        },
        # Programmes whose settings tab (period, key dates) this person may open: coordinators.
        "settings_programme_ids": {
            e.programme.pk
            for e in entries
            if viewer.can(Action.MANAGE_SCHEMES, programme_id=e.programme.pk)
        },
    }
