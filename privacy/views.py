"""The privacy notice (public), a person's own data export, and the coordinators' pages for a
subject access request's export and for pseudonymisation requests (four eyes). Thin: selectors
read, services write."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import DomainError
from core.forms import show_refusal
from programmes.models import Person
from programmes.selectors import person_for_user

from . import selectors, services
from .forms import PeopleSearchForm, PseudonymisationRequestForm
from .notice import categories, finance_retention
from .permissions import can_pseudonymise

logger = logging.getLogger(__name__)


@require_GET
def notice(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "privacy/notice.html",
        {
            "categories": categories(),
            "finance_retention": finance_retention(),
            "controller": settings.PRIVACY_CONTROLLER,
            "contact_email": settings.PRIVACY_CONTACT_EMAIL,
            "can_see_requests": selectors.can_see_requests(request.user),
        },
    )


@login_required
@require_GET
def my_data(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy/my_data.html", {"finance_retention": finance_retention()})


def _archive(person: Person | None, user: object, filename: str) -> FileResponse:
    archive = services.person_export(person=person, user=user)
    return FileResponse(
        archive, as_attachment=True, filename=filename, content_type="application/zip"
    )


@login_required
@require_GET
def my_data_archive(request: HttpRequest) -> FileResponse:
    return _archive(person_for_user(request.user), request.user, "my-data.zip")


@login_required
@require_GET
def person_archive(request: HttpRequest, pk: int) -> FileResponse:
    """A person's export for a subject access request, made by a coordinator."""
    person = selectors.person_in_reach(request.user, pk)
    # Accountability: who exported whose data (ids only).
    logger.info("Data export of person %s made by user %s", person.pk, request.user.pk)
    return _archive(person, person.user, f"person-{person.pk}-data.zip")


@login_required
@require_GET
def requests_page(request: HttpRequest) -> HttpResponse:
    if not selectors.can_see_requests(request.user):
        raise Http404("Coordinators only")
    search = PeopleSearchForm(request.GET or None)
    text = search.cleaned_data["q"] if search.is_valid() else ""
    return render(
        request,
        "privacy/requests.html",
        {
            "requests": selectors.requests_for(request.user),
            "people": selectors.people_who_left(
                request.user, search=text, page=request.GET.get("page", 1)
            ),
            "search": search,
            "text": text,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.person_in_reach(request.user, pk)
    form = PseudonymisationRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.pseudonymisation_request(
                actor=request.user, person=person, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            show_refusal(form, error)
        else:
            messages.success(
                request,
                _("The request is recorded: a second coordinator confirms it, then it is done."),
            )
            return redirect("privacy:requests")
    return render(
        request,
        "privacy/request_new.html",
        {"person": person, "form": form, "decision": can_pseudonymise(request.user, person)},
    )


@login_required
@require_POST
def request_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    pending = selectors.request_in_reach(request.user, pk)
    try:
        done = services.pseudonymisation_confirm(actor=request.user, request=pending)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Pseudonymised: the person is now %(name)s.") % {"name": done.pseudonym}
        )
    return redirect("privacy:requests")


@login_required
@require_POST
def request_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    pending = selectors.request_in_reach(request.user, pk)
    try:
        services.pseudonymisation_cancel(actor=request.user, request=pending)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The request is withdrawn."))
    return redirect("privacy:requests")
