from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from action_plans.selectors import public_plans_count
from core.work import work_for
from programmes import selectors


def _waiting(user: Any, memberships: list[Any]) -> list[tuple[Any, list[Any]]]:
    """Each programme of the person's roles, once, with what waits for them there."""
    programmes = {m.programme_id: m.programme for m in memberships}
    return [(p, work_for(user, p)) for p in programmes.values()]


def home(request: HttpRequest) -> HttpResponse:
    """The public front page: what the platform runs, the plans its cities adopted and
    published, and for a signed-in person, their roles and the work waiting for them."""
    memberships = (
        selectors.memberships_of_user(request.user) if request.user.is_authenticated else []
    )
    waiting = _waiting(request.user, memberships)
    return render(
        request,
        "portal/home.html",
        {
            "public_programmes": list(selectors.programmes_public()),
            "published_plans": public_plans_count(),
            "memberships": memberships,
            "waiting": waiting,
            "nothing_waits": not any(items for _programme, items in waiting),
        },
    )
