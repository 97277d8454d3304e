"""The coordinator's dashboard (one read-only screen: a selector, rendered)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import selectors


@login_required
@require_GET
def programme(request: HttpRequest, slug: str) -> HttpResponse:
    filters = selectors.Filters.from_query(request.GET)
    board = selectors.dashboard_for(request.user, slug, filters)
    return render(
        request,
        "dashboard/programme.html",
        {"board": board, "programme": board.programme, "tab": "dashboard"},
    )
