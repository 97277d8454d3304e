"""The finance officers' settings screens: the grant's money rules, and the partners'
co-financing targets and fixed contributions (thin views)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.errors import ConcurrentEditError, DomainError
from core.forms import show_refusal
from core.money import format_money
from programmes.models import Programme

from .. import selectors
from ..forms_settings import MoneyRulesForm, PartnerCoFinancingForm
from ..models import Statement
from ..permissions import can_manage_finance
from ..services.settings import partner_co_financing_update, programme_money_rules_update
from .money import _finance_programme


def _finance_officers_programme(request: HttpRequest, slug: str) -> Programme:
    programme: Programme = _finance_programme(request, slug)  # a 404 outside the books' readers
    if not can_manage_finance(request.user, programme):
        raise PermissionDenied(_("Only the programme's finance officers change its money rules."))
    return programme


def _target_warning(programme: Programme) -> str:
    """With a target per partner, whether the city partners' targets add up to the
    programme's co-financing target ("" when they do)."""
    gap = selectors.co_financing_target_gap(programme)
    if gap is None:
        return ""
    return _(
        "The city partners' targets add up to %(total)s, not the programme's co-financing "
        "target of %(target)s."
    ) % {
        "total": format_money(programme.co_financing_target - gap, "EUR"),
        "target": format_money(programme.co_financing_target, "EUR"),
    }


def _page(
    request: HttpRequest, programme: Programme, form: Any, *, saved: Any = None, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "finance/settings.html",
        {
            "programme": programme,
            "tab": "finance",
            "form": form,
            "saved": saved,
            "saved_facts": MoneyRulesForm.for_programme(programme).facts() if saved else None,
            "has_statement": Statement.objects.filter(programme=programme).exists(),
            "target_warning": _target_warning(programme),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def settings(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _finance_officers_programme(request, slug)
    if request.method != "POST":
        return _page(request, programme, MoneyRulesForm.for_programme(programme))
    form = MoneyRulesForm(request.POST)
    if form.is_valid():
        try:
            saved = programme_money_rules_update(
                actor=request.user,
                programme=programme,
                expected_version=form.cleaned_data["version"],
                **form.as_fractions(),
            )
        except ConcurrentEditError as error:
            saved = Programme.objects.get(pk=programme.pk)
            retry = request.POST.copy()
            retry["version"] = str(saved.version)
            form = MoneyRulesForm(retry)
            form.is_valid()
            form.add_error(None, error.message)
            shown = MoneyRulesForm.for_programme(saved).initial  # the saved values, as typed
            return _page(request, saved, form, saved=shown, status=409)
        except DomainError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("The programme's money rules are saved."))
            if warning := _target_warning(saved):
                messages.warning(request, warning)
            return redirect("finance:settings", slug)
    return _page(request, programme, form, status=400)


def _partners_page(
    request: HttpRequest, programme: Programme, form: Any, *, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "finance/co_financing_partners.html",
        {
            "programme": programme,
            "tab": "finance",
            "form": form,
            "target_warning": _target_warning(programme),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def co_financing_partners(request: HttpRequest, slug: str) -> HttpResponse:
    """Each partner's co-financing target (split per partner) and fixed contribution (model
    "fixed")."""
    programme = _finance_officers_programme(request, slug)
    partners, saved = selectors.partner_co_financing(programme)
    if request.method != "POST":
        return _partners_page(
            request, programme, PartnerCoFinancingForm(partners=partners, saved=saved)
        )
    form = PartnerCoFinancingForm(request.POST, partners=partners, saved=saved)
    status = 400
    if form.is_valid():
        try:
            partner_co_financing_update(
                actor=request.user,
                programme=programme,
                figures=form.figures(),
                revisions=form.shown_revisions(),
            )
        except ConcurrentEditError as error:
            # What was typed stays, beside the figures saved meanwhile; saving again confirms.
            retry = request.POST.copy()
            fresh = PartnerCoFinancingForm(partners=partners, saved=saved)
            retry["revisions"] = fresh.fields["revisions"].initial
            form = PartnerCoFinancingForm(retry, partners=partners, saved=saved)
            form.is_valid()
            form.add_error(None, error.message)
            form.conflict = True
            status = 409
        except DomainError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("The partners' co-financing figures are saved."))
            if warning := _target_warning(programme):
                messages.warning(request, warning)
            return redirect("finance:co_financing_partners", slug)
    return _partners_page(request, programme, form, status=status)
