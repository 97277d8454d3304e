from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from programmes import selectors


def home(request: HttpRequest) -> HttpResponse:
    """The public front page: what the platform runs, and for a signed-in person, their work."""
    return render(
        request,
        "portal/home.html",
        {
            "public_programmes": list(selectors.programmes_public()),
            "memberships": selectors.memberships_of_user(request.user)
            if request.user.is_authenticated
            else [],
        },
    )
