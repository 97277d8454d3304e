"""The organisers' screens (thin: a selector or a service each): the conference's home and
settings, its sessions, speakers and delegations' quotas, and the registrations. The
coordinators organise; the auditors read the registrations; everyone else gets a 404, and an
anonymous visitor the log-in page."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.errors import ConcurrentEditError, DomainError
from core.forms import show_refusal
from visits.times import day_text, local, zone_abbreviation

from .. import selectors
from ..forms.organiser import (
    ConferenceForm,
    QuotaForm,
    RegistrationFilterForm,
    SessionForm,
    SpeakerForm,
)
from ..models import Conference
from ..permissions import can_organise
from ..selectors import organising as organised
from ..selectors.travel import conference_travel_claims
from ..services import organising


def _moment(moment: datetime | None, conference: Conference) -> str:
    """A moment on the conference's clocks, the zone named."""
    if moment is None:
        return ""
    at = local(moment, conference.event.timezone)
    return f"{day_text(at)}, {time_format(at, 'TIME_FORMAT')} {zone_abbreviation(at)}"


# ---------------------------------------------------------------- the conference


@login_required
@require_GET
def home(request: HttpRequest, slug: str) -> HttpResponse:
    conference = organised.readable_conference_get(request.user, slug)
    return render(
        request,
        "conference/organise/home.html",
        {
            "conference": conference,
            "event": conference.event,
            "places": selectors.places(conference),
            "counts": organised.registration_counts(request.user, conference),
            "may_organise": bool(can_organise(request.user, conference)),
            "read_only": not can_organise(request.user, conference),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def conference_new(request: HttpRequest, programme: str) -> HttpResponse:
    found = organised.programme_for_organising(request.user, programme)
    chosen = request.GET.get("event", "")
    if chosen.isdigit():
        # From an event's page: its conference, if it has one already.
        existing = organised.conference_of_event(organised.conference_event_get(found, int(chosen)))
        if existing is not None:
            return redirect("conference:organise", slug=existing.slug)
    events = organising.conference_events(found.pk)
    labels = [(e.pk, e.title) for e in events]
    zones = {str(e.pk): e.timezone for e in events}
    zone = zones.get(request.POST.get("event", chosen), "Europe/Brussels")
    status = 200
    if request.method == "POST":
        form = ConferenceForm(request.POST, zone=zone, events=labels)
        status = 400
        if form.is_valid():
            event = organised.conference_event_get(found, int(form.cleaned_data["event"]))
            try:
                conference = organising.conference_create(
                    actor=request.user, event=event, data=form.to_input()
                )
            except DomainError as error:
                show_refusal(form, error)
            else:
                messages.success(request, _("The conference is created."))
                return redirect("conference:organise", slug=conference.slug)
    else:
        form = ConferenceForm(
            zone=zone,
            events=labels,
            initial={"event": chosen, "capacity": 200, "delegation_quota": 3},
        )
    return render(
        request,
        "conference/organise/conference_form.html",
        {"programme": found, "form": form, "events": events},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def conference_settings(request: HttpRequest, slug: str) -> HttpResponse:
    conference = organised.organised_conference_get(request.user, slug)
    zone = conference.event.timezone
    status, saved = 200, None
    if request.method == "POST":
        form = ConferenceForm(request.POST, zone=zone)
        status = 400
        if form.is_valid():
            try:
                changed = organising.conference_update(
                    actor=request.user, conference=conference, data=form.to_input()
                )
            except ConcurrentEditError as error:
                # What was typed stays; the other person's save is shown beside it, and the
                # next save is drawn from it.
                saved = Conference.objects.select_related("event").get(pk=conference.pk)
                retry = request.POST.copy()
                retry["revision"] = str(saved.revision)
                form.data = retry
                form.add_error(None, error.message)
                status = 409
            except DomainError as error:
                show_refusal(form, error)
            else:
                messages.success(request, _("The conference's settings are saved."))
                return redirect("conference:organise", slug=changed.slug)
    else:
        form = ConferenceForm(initial=ConferenceForm.initial_for(conference), zone=zone)
    return render(
        request,
        "conference/organise/conference_form.html",
        {
            "conference": conference,
            "event": conference.event,
            "programme": conference.event.programme,
            "form": form,
            "saved": saved,
        },
        status=status,
    )


# ---------------------------------------------------------------- sessions


@login_required
@require_GET
def sessions(request: HttpRequest, slug: str) -> HttpResponse:
    conference = organised.organised_conference_get(request.user, slug)
    return render(
        request,
        "conference/organise/sessions.html",
        {
            "conference": conference,
            "event": conference.event,
            "days": organised.timetable(conference),
        },
    )


def _session_form(conference: Conference, *args: Any, **kwargs: Any) -> SessionForm:
    return SessionForm(
        *args,
        zone=conference.event.timezone,
        choices=organised.session_choices(conference),
        **kwargs,
    )


def _session_page(
    request: HttpRequest, conference: Conference, form: SessionForm, session: Any, status: int
) -> HttpResponse:
    return render(
        request,
        "conference/organise/session_form.html",
        {"conference": conference, "event": conference.event, "form": form, "session": session},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_new(request: HttpRequest, slug: str) -> HttpResponse:
    conference = organised.organised_conference_get(request.user, slug)
    form = _session_form(conference, request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                organising.session_save(
                    actor=request.user, conference=conference, data=form.to_input()
                )
            except DomainError as error:
                show_refusal(form, error, renames=SessionForm.SERVICE_FIELDS)
            else:
                messages.success(request, _("The session is added."))
                return redirect("conference:organise_sessions", slug=slug)
    return _session_page(request, conference, form, None, status)


@login_required
@require_http_methods(["GET", "POST"])
def session_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    conference = organised.organised_conference_get(request.user, slug)
    session = organised.organised_session_get(conference, pk)
    status = 200
    if request.method == "POST":
        form = _session_form(conference, request.POST)
        status = 400
        if form.is_valid():
            try:
                organising.session_save(
                    actor=request.user,
                    conference=conference,
                    session=session,
                    data=form.to_input(),
                )
            except DomainError as error:
                show_refusal(form, error, renames=SessionForm.SERVICE_FIELDS)
            else:
                messages.success(request, _("The session is saved."))
                return redirect("conference:organise_sessions", slug=slug)
    else:
        form = _session_form(
            conference, initial=SessionForm.initial_for(session, conference.event.timezone)
        )
    return _session_page(request, conference, form, session, status)


@login_required
@require_http_methods(["GET", "POST"])
def session_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    conference = organised.organised_conference_get(request.user, slug)
    session = organised.organised_session_get(conference, pk)
    refusal, status = "", 200
    if request.method == "POST":
        try:
            organising.session_delete(actor=request.user, session=session)
        except DomainError as error:
            refusal, status = error.message, 400
        else:
            messages.success(request, _("The session is removed."))
            return redirect("conference:organise_sessions", slug=slug)
    return render(
        request,
        "conference/organise/session_delete.html",
        {
            "conference": conference,
            "event": conference.event,
            "session": session,
            "refusal": refusal,
        },
        status=status,
    )


# ---------------------------------------------------------------- speakers


@login_required
@require_GET
def speakers(request: HttpRequest, slug: str) -> HttpResponse:
    conference = organised.organised_conference_get(request.user, slug)
    return render(
        request,
        "conference/organise/speakers.html",
        {
            "conference": conference,
            "event": conference.event,
            "speakers": organised.speakers_for(conference),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def speaker_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    conference = organised.organised_conference_get(request.user, slug)
    speaker = organised.organised_speaker_get(conference, pk) if pk is not None else None
    status = 200
    if request.method == "POST":
        form = SpeakerForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                organising.speaker_save(
                    actor=request.user,
                    conference=conference,
                    speaker=speaker,
                    data=form.to_input(),
                )
            except DomainError as error:
                show_refusal(form, error)
            else:
                messages.success(request, _("The speaker is saved."))
                return redirect("conference:organise_speakers", slug=slug)
    else:
        form = SpeakerForm(initial=SpeakerForm.initial_for(speaker) if speaker else None)
    return render(
        request,
        "conference/organise/speaker_form.html",
        {"conference": conference, "event": conference.event, "form": form, "speaker": speaker},
        status=status,
    )


# ---------------------------------------------------------------- delegations


@login_required
@require_http_methods(["GET", "POST"])
def delegations(request: HttpRequest, slug: str) -> HttpResponse:
    conference = organised.organised_conference_get(request.user, slug)
    failed: QuotaForm | None = None
    status = 200
    if request.method == "POST":
        form = QuotaForm(request.POST)
        status = 400
        if form.is_valid():
            city = organised.delegation_city_get(conference, form.cleaned_data["city"])
            try:
                organising.delegation_quota_set(
                    actor=request.user,
                    conference=conference,
                    city=city,
                    quota=form.cleaned_data["quota"],
                )
            except DomainError as error:
                show_refusal(form, error)
            else:
                messages.success(
                    request, _("The quota of %(city)s is saved.") % {"city": city.name}
                )
                return redirect("conference:organise_delegations", slug=slug)
        failed = form
    failed_city = None
    if failed is not None and str(failed.data.get("city", "")).isdigit():
        failed_city = int(failed.data["city"])
    return render(
        request,
        "conference/organise/delegations.html",
        {
            "conference": conference,
            "event": conference.event,
            "rows": organised.delegations_table(conference),
            "failed": failed,
            "failed_city": failed_city,
        },
        status=status,
    )


# ---------------------------------------------------------------- registrations


@login_required
@require_GET
def registrations(request: HttpRequest, slug: str) -> HttpResponse:
    conference = organised.readable_conference_get(request.user, slug)
    cities = organised.delegation_cities(conference)
    form = RegistrationFilterForm(request.GET, cities=cities)
    filters: dict[str, Any] = {}
    if form.is_valid():
        filters = {
            "search": form.cleaned_data.get("q") or "",
            "status": form.cleaned_data.get("status") or "",
            "city_id": form.cleaned_data.get("city"),
        }
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "conference/organise/registrations.html",
        {
            "conference": conference,
            "event": conference.event,
            "form": form,
            "counts": organised.registration_counts(request.user, conference),
            "page": organised.registrations_page(
                request.user, conference, page=request.GET.get("page", 1), **filters
            ),
            "query": query.urlencode(),
            "read_only": not can_organise(request.user, conference),
        },
    )


@login_required
@require_GET
def registration_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    conference = organised.readable_conference_get(request.user, slug)
    registration = organised.registration_detail(request.user, conference, pk)
    return render(
        request,
        "conference/organise/registration.html",
        {
            "conference": conference,
            "event": conference.event,
            "registration": registration,
            "choices": list(registration.choices.all()),
            "registration_queued": _moment(registration.queued_at, conference),
            "registration_cancelled": _moment(registration.cancelled_at, conference),
            "read_only": not can_organise(request.user, conference),
        },
    )


@login_required
@require_GET
def travel(request: HttpRequest, slug: str) -> HttpResponse:
    """The delegates whose travel the grant pays and their claims for the conference."""
    conference = organised.organised_conference_get(request.user, slug)
    return render(
        request,
        "conference/organise/travel.html",
        {
            "conference": conference,
            "event": conference.event,
            "rows": conference_travel_claims(request.user, conference),
        },
    )
