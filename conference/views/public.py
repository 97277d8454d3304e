"""The conference's public screens (thin: a selector or a service each): the programme, a
session's calendar file, and a delegate's private page (their place, their sessions' calendar,
cancelling). The private page is reached only through the link e-mailed to the delegate; an
unknown link is a 404 and reveals nothing."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.errors import DomainError

from .. import selectors
from ..calendar import ical_for_sessions
from ..models import Conference, Registration
from ..services import registration_cancel, registration_for_token


def _calendar(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.ics"'
    return response


@require_GET
def public(request: HttpRequest, slug: str) -> HttpResponse:
    conference = selectors.public_conference_get(slug)
    return render(
        request,
        "conference/public.html",
        {
            "conference": conference,
            "event": conference.event,
            "sessions": selectors.programme_sessions(conference),
            "places": selectors.places(conference),
        },
    )


@require_GET
def session_ics(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    conference = selectors.public_conference_get(slug)
    session = get_object_or_404(conference.sessions.all(), pk=pk)
    return _calendar(
        ical_for_sessions(conference, [session], name=session.title), f"session-{session.pk}"
    )


def _registration(slug: str, token: str) -> tuple[Conference, Registration]:
    registration = registration_for_token(token)
    if registration is None or registration.conference.slug != slug:
        raise Http404("No such registration")
    return registration.conference, registration


@require_http_methods(["GET", "POST"])
def registration(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    conference, found = _registration(slug, token)
    if request.method == "POST":
        try:
            registration_cancel(raw_token=token)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Your registration is cancelled."))
        return redirect("conference:registration", slug=slug, token=token)
    return render(
        request,
        "conference/registration.html",
        {
            "conference": conference,
            "event": conference.event,
            "registration": found,
            "sessions": selectors.own_sessions(found),
            "choices": found.choices.select_related("session"),
            "token": token,
        },
    )


@require_GET
def registration_ics(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    conference, found = _registration(slug, token)
    return _calendar(
        ical_for_sessions(conference, selectors.own_sessions(found), name=conference.event.title),
        "my-sessions",
    )
