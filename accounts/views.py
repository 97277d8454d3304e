from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from programmes import selectors


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """The signed-in person's own record and roles."""
    return render(
        request,
        "accounts/profile.html",
        {
            "person": selectors.person_for_user(request.user),
            "memberships": selectors.memberships_of_user(request.user),
        },
    )
