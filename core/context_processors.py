from typing import Any

from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The header navigation by role: the programmes a person may open and, under each, their
    own city or scheme (two queries)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_programmes": []}
    from programmes.selectors import navigation_for_user

    return {"nav_programmes": navigation_for_user(user)}
