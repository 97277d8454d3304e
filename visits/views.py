"""Thin views: iCalendar files and the personal calendar feed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import selectors
from .services import calendar_feed_open, calendar_feed_revoke
from .services.calendars import ical_for

ICAL = "text/calendar; charset=utf-8"


@login_required
def event_ics(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = selectors.event_get(request.user, slug, pk)
    body = ical_for([event], name=event.title, host=request.get_host())
    response = HttpResponse(body, content_type=ICAL)
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}.ics"'
    return response


def feed(request: HttpRequest, token: str) -> HttpResponse:
    """A calendar application fetches this without logging in: the token is the key."""
    _feed, events = selectors.feed_events(token)
    body = ical_for(events, name=_("My mentoring programme events"), host=request.get_host())
    return HttpResponse(body, content_type=ICAL)


@login_required
@require_http_methods(["GET", "POST"])
def feed_settings(request: HttpRequest) -> HttpResponse:
    """Show the person's feed address; POST creates it, or replaces it when one exists."""
    if request.method == "POST":
        if selectors.calendar_feed_for(request.user) is None:
            calendar_feed_open(actor=request.user)
            messages.success(request, _("Your calendar address is ready."))
        else:
            calendar_feed_revoke(actor=request.user)
            messages.success(
                request, _("The old address no longer works. Subscribe with the new one below.")
            )
        return redirect("visits:feed_settings")
    active = selectors.calendar_feed_for(request.user)
    url = request.build_absolute_uri(reverse("visits:feed", args=[active.token])) if active else ""
    return render(request, "visits/feed_settings.html", {"feed_url": url})
