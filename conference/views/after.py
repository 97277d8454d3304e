"""After the conference (thin: a selector or a service each): the delegate's feedback survey and
certificate of attendance, through their private link (an unknown link is a 404), and the
survey's results for the organisers and auditors (a 404 for anyone else)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import DomainError

from ..certificates import certificate_pdf
from ..forms.after import FeedbackForm
from ..models import Conference, Registration
from ..selectors import public_conference_get
from ..selectors.after import certificate_data, feedback_results, survey_item, survey_page
from ..services.after import certificate_request, feedback_answer
from ..services.places import registration_for_token


def _delegate(slug: str, token: str) -> tuple[Conference, Registration]:
    registration = registration_for_token(token)
    if registration is None or registration.conference.slug != slug:
        raise Http404("No such registration")
    return registration.conference, registration


@require_GET
def survey(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    conference, registration = _delegate(slug, token)
    return render(
        request,
        "conference/after/survey.html",
        {
            "conference": conference,
            "event": conference.event,
            "token": token,
            "page": survey_page(registration),
        },
    )


@require_http_methods(["GET", "POST"])
def feedback(
    request: HttpRequest, slug: str, token: str, session_pk: int | None = None
) -> HttpResponse:
    conference, registration = _delegate(slug, token)
    page = survey_page(registration)
    item = survey_item(page, session_pk)
    form = FeedbackForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            feedback_answer(raw_token=token, session_id=session_pk, data=form.to_input())
        except DomainError as error:
            for name, message in error.field_errors.items():
                form.add_error(name, message)
            if not error.field_errors:
                form.add_error(None, error.message)
        else:
            messages.success(request, _("Thank you: your answer is saved, anonymously."))
            return redirect("conference:feedback_survey", slug=slug, token=token)
    return render(
        request,
        "conference/after/feedback.html",
        {
            "conference": conference,
            "event": conference.event,
            "token": token,
            "page": page,
            "item": item,
            "form": form,
        },
    )


@require_POST
def certificate(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    _conference, registration = _delegate(slug, token)
    try:
        registration = certificate_request(raw_token=token)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("conference:registration", slug=slug, token=token)
    content = certificate_pdf(certificate_data(registration, (get_language() or "en")[:2]))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="certificate-of-attendance.pdf"'
    return response


@login_required
@require_GET
def results(request: HttpRequest, slug: str) -> HttpResponse:
    conference = public_conference_get(slug)
    return render(
        request,
        "conference/after/results.html",
        {
            "conference": conference,
            "event": conference.event,
            "results": feedback_results(request.user, conference),
        },
    )
