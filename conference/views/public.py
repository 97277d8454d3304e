"""The conference's public screens (thin: a selector or a service each): the programme, the
registration form, a session's calendar file, a delegate's private page (their place, their
workshops, their consents, their sessions' calendar, cancelling) and a programme city's
delegation form. The private page is reached only through the link e-mailed to the delegate;
an unknown link is a 404 and reveals nothing."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from core.errors import DomainError
from core.forms import show_refusal

from .. import selectors
from ..calendar import ical_for_sessions
from ..choices import PlaceStatus
from ..forms.public import ConsentsForm, RegistrationForm, SessionChoicesForm, delegation_formset
from ..models import Conference, Registration
from ..selectors.after import after_links
from ..services import (
    delegation_register,
    register,
    registration_cancel,
    registration_consents_change,
    registration_for_token,
    registration_open_problem,
    session_choices_change,
)


def _calendar(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.ics"'
    return response


@require_GET
def public(request: HttpRequest, slug: str) -> HttpResponse:
    conference = selectors.public_conference_get(slug)
    sessions = selectors.programme_sessions(conference)
    return render(
        request,
        "conference/public.html",
        {
            "conference": conference,
            "event": conference.event,
            "sessions": sessions,
            "timetable": selectors.timetable(sessions, conference.event.timezone),
            "places": selectors.places(conference),
            "open_problem": registration_open_problem(conference),
            "delegation_cities": selectors.delegation_cities_for(request.user, conference),
        },
    )


@require_GET
def session_ics(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    conference = selectors.public_conference_get(slug)
    session = get_object_or_404(conference.sessions.all(), pk=pk)
    return _calendar(
        ical_for_sessions(conference, [session], name=session.title), f"session-{session.pk}"
    )


def _choice_forms(conference: Conference) -> dict[str, Any]:
    return {
        "conference": conference,
        "sessions": selectors.choosable_sessions(conference),
        "taken": selectors.sessions_taken(conference),
    }


def _sessions_field(form: Any) -> dict[str, str]:
    """A refusal about the sessions goes next to the first group of workshops."""
    return {"sessions": form.slots[0].field_name} if form.slots else {}


@require_http_methods(["GET", "POST"])
def register_view(request: HttpRequest, slug: str) -> HttpResponse:
    """The public registration form; a refusal shows next to its field and keeps the rest."""
    conference = selectors.public_conference_get(slug)
    closed = registration_open_problem(conference)
    form = RegistrationForm(request.POST or None, **_choice_forms(conference))
    if request.method == "POST" and not closed and form.is_valid():
        try:
            placed = register(conference=conference, data=form.delegate())
        except DomainError as error:
            show_refusal(form, error, renames=_sessions_field(form))
        else:
            if placed.registration.status == PlaceStatus.CONFIRMED:
                messages.success(request, _("You are registered. We have sent you an e-mail."))
            else:
                messages.warning(
                    request,
                    _(
                        "The conference is full: you are on the waiting list. We have sent you "
                        "an e-mail and will write again as soon as a place is yours."
                    ),
                )
            return redirect("conference:registration", slug=slug, token=placed.token)
    return render(
        request,
        "conference/register.html",
        {"conference": conference, "event": conference.event, "form": form, "closed": closed},
        status=400 if request.method == "POST" else 200,
    )


def _registration(slug: str, token: str) -> tuple[Conference, Registration]:
    registration = registration_for_token(token)
    if registration is None or registration.conference.slug != slug:
        raise Http404("No such registration")
    return registration.conference, registration


def _private_forms(
    conference: Conference, found: Registration, action: str, data: Any
) -> tuple[SessionChoicesForm, ConsentsForm]:
    """The workshops' and the consents' forms, the one named by `action` bound to `data`."""
    held = {c.session_id for c in found.choices.exclude(status=PlaceStatus.CANCELLED)}
    choices = SessionChoicesForm(
        data if action == "sessions" else None, held=held, **_choice_forms(conference)
    )
    consents = ConsentsForm(
        data if action == "consents" else None,
        initial={"consent_listed": found.consent_listed, "consent_photos": found.consent_photos},
    )
    return choices, consents


@require_http_methods(["GET", "POST"])
def registration(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """The delegate's private page; its three forms say which they are in `action`."""
    conference, found = _registration(slug, token)
    action = request.POST.get("action", "cancel") if request.method == "POST" else ""
    choices, consents = _private_forms(conference, found, action, request.POST)
    try:
        if action == "cancel":
            registration_cancel(raw_token=token)
            messages.success(request, _("Your registration is cancelled."))
        elif action == "sessions" and choices.is_valid():
            session_choices_change(raw_token=token, session_ids=choices.session_ids())
            messages.success(request, _("Your sessions are changed. We have sent you an e-mail."))
        elif action == "consents" and consents.is_valid():
            registration_consents_change(
                raw_token=token,
                listed=consents.cleaned_data["consent_listed"],
                photos=consents.cleaned_data["consent_photos"],
            )
            messages.success(request, _("Your choices are saved."))
        if action and not (choices.errors or consents.errors):
            return redirect("conference:registration", slug=slug, token=token)
    except DomainError as error:
        if action == "sessions":
            show_refusal(choices, error, renames=_sessions_field(choices))
        else:
            messages.error(request, error.message)
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
            "choices_form": choices,
            "consents_form": consents,
            "after": after_links(found),
            "token": token,
        },
        status=400 if action and (choices.errors or consents.errors) else 200,
    )


@require_GET
def registration_ics(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    conference, found = _registration(slug, token)
    return _calendar(
        ical_for_sessions(conference, selectors.own_sessions(found), name=conference.event.title),
        "my-sessions",
    )


@login_required
@require_http_methods(["GET", "POST"])
def delegation(request: HttpRequest, slug: str, city: str) -> HttpResponse:
    """A programme city registers its delegation in one go: one row per delegate, blank rows
    ignored, within the quota; all or none."""
    conference = selectors.public_conference_get(slug)
    page = selectors.delegation_page(request.user, conference, city)
    formset_class = delegation_formset(page.left)
    formset = formset_class(
        request.POST or None, prefix="delegates", form_kwargs={"people": page.people}
    )
    if request.method == "POST" and formset.is_valid():
        rows = formset.filled()
        try:
            placed = delegation_register(
                actor=request.user,
                conference=conference,
                city=page.city,
                delegates=[row.delegate(page.city.name, str(page.city.country)) for row in rows],
            )
        except DomainError as error:
            formset.refuse(error.message)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d delegate registered; each receives an e-mail with their link.",
                    "%(count)d delegates registered; each receives an e-mail with their link.",
                    len(placed),
                )
                % {"count": len(placed)},
            )
            return redirect("conference:delegation", slug=slug, city=city)
    return render(
        request,
        "conference/delegation.html",
        {"conference": conference, "event": conference.event, "page": page, "formset": formset},
        status=400 if request.method == "POST" else 200,
    )
