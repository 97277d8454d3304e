from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from action_plans.selectors import public_plans_count
from programmes import selectors


def home(request: HttpRequest) -> HttpResponse:
    """The public front page: what the platform runs, the plans its cities adopted and
    published, and for a signed-in person, their work."""
    return render(
        request,
        "portal/home.html",
        {
            "public_programmes": list(selectors.programmes_public()),
            "published_plans": public_plans_count(),
            "memberships": selectors.memberships_of_user(request.user)
            if request.user.is_authenticated
            else [],
        },
    )
