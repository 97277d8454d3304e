from typing import Any

from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The programmes a signed-in person may open, for the header navigation (one query)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_programmes": []}
    from programmes.selectors import programmes_for_user

    return {"nav_programmes": list(programmes_for_user(user).only("slug", "name"))}
