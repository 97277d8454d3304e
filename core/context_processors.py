from typing import Any

from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The header navigation by role: the programmes a person may open and, under each, their
    own city or scheme (two queries)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_programmes": [], "matching_programme_ids": set()}
    from programmes.access import viewer_for
    from programmes.selectors import navigation_for_user

    from .rules import Action

    entries = navigation_for_user(user)
    viewer = viewer_for(user)  # built once per request: no further query
    return {
        "nav_programmes": entries,
        # Programmes whose matching tab this person may open.
        "matching_programme_ids": {
            e.programme.pk
            for e in entries
            if viewer.can(Action.VIEW_MATCHING, programme_id=e.programme.pk)
        },
    }
