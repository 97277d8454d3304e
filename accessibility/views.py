"""The accessibility statement, its feedback form (anyone), and the coordinators' list of what
was reported."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.client_ip import client_ip_address
from core.errors import DomainError
from core.forms import show_refusal

from . import selectors, statement
from .forms import AnswerForm, FeedbackForm, TranslationReportForm
from .models import FeedbackKind, FeedbackStatus
from .services import FeedbackInput, feedback_answer, feedback_submit


def _contact() -> dict[str, Any]:
    return {
        "controller": settings.PRIVACY_CONTROLLER,
        "contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL,
        "answer_days": settings.ACCESSIBILITY_ANSWER_DAYS,
        "enforcement_body": settings.ACCESSIBILITY_ENFORCEMENT_BODY,
        "enforcement_url": settings.ACCESSIBILITY_ENFORCEMENT_URL,
    }


@require_GET
def statement_page(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accessibility/statement.html",
        {
            **_contact(),
            "base_url": settings.PLATFORM_BASE_URL,
            "standard": statement.STANDARD,
            "compliance": statement.compliance(),
            "known_issues": statement.KNOWN_ISSUES,
            "method": statement.METHOD,
            "prepared_on": statement.PREPARED_ON,
            "reviewed_on": statement.REVIEWED_ON,
        },
    )


def _page_came_from(request: HttpRequest) -> str:
    """The page the person came from, as a path of this site (a link from a page's footer)."""
    came_from = request.GET.get("page", "")
    if came_from.startswith("/") and url_has_allowed_host_and_scheme(came_from, None):
        return came_from[:300]
    return ""


def _receive(request: HttpRequest, form: Any, kind: str, template: str) -> HttpResponse:
    """Anyone's report, of a problem or of a wrong translation: sent on to the coordinators, or
    refused next to its field (429 when one address sends too many) with what was typed kept."""
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                feedback_submit(
                    user=request.user,
                    data=FeedbackInput(**form.cleaned_data),
                    client=client_ip_address(request) or "unknown",
                    kind=kind,
                )
            except DomainError as error:
                show_refusal(form, error)
                status = 429 if not error.field_errors else 400
            else:
                return redirect("accessibility:feedback_sent")
    return render(request, template, {"form": form, **_contact()}, status=status)


@require_http_methods(["GET", "POST"])
def feedback_new(request: HttpRequest) -> HttpResponse:
    form = FeedbackForm(request.POST or None, initial={"page": _page_came_from(request)})
    return _receive(request, form, FeedbackKind.ACCESSIBILITY, "accessibility/feedback_form.html")


@require_GET
def languages_page(request: HttpRequest) -> HttpResponse:
    return render(
        request, "accessibility/languages.html", {"coverage": selectors.language_coverage()}
    )


@require_http_methods(["GET", "POST"])
def translation_report(request: HttpRequest) -> HttpResponse:
    """A native speaker tells the coordinators a translation is wrong (anyone, as feedback)."""
    chosen = request.GET.get("language", get_language())
    form = TranslationReportForm(
        request.POST or None, initial={"language": chosen, "page": _page_came_from(request)}
    )
    return _receive(
        request, form, FeedbackKind.TRANSLATION, "accessibility/translation_report.html"
    )


@require_GET
def feedback_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "accessibility/feedback_sent.html", _contact())


@login_required
@require_GET
def feedback_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", FeedbackStatus.OPEN)
    page, counts = selectors.feedback_page(
        request.user, status=status, page=request.GET.get("page", 1)
    )
    tabs = [
        (value, label, counts[value], value == status) for value, label in FeedbackStatus.choices
    ]
    return render(
        request, "accessibility/feedback_list.html", {"page": page, "tabs": tabs, "status": status}
    )


@login_required
@require_http_methods(["GET", "POST"])
def feedback_detail(request: HttpRequest, pk: int) -> HttpResponse:
    feedback = selectors.feedback_get(request.user, pk)
    form = AnswerForm(request.POST or None)
    status = 200
    if request.method == "POST" and feedback.status == FeedbackStatus.OPEN:
        status = 400
        if form.is_valid():
            try:
                feedback_answer(
                    actor=request.user,
                    feedback=feedback,
                    note=form.cleaned_data["answer_note"],
                )
            except DomainError as error:
                show_refusal(form, error)
                status = 409 if not error.field_errors else 400
            else:
                messages.success(request, _("The feedback is marked answered."))
                return redirect("accessibility:feedback_list")
    return render(
        request,
        "accessibility/feedback_detail.html",
        {"feedback": feedback, "form": form},
        status=status,
    )
