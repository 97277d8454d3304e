"""The finance officers' settings screen: the grant's budget and rates (thin view)."""

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
from programmes.models import Programme

from ..forms_settings import MoneyRulesForm
from ..models import Statement
from ..permissions import can_manage_finance
from ..services.settings import programme_money_rules_update
from .money import _finance_programme


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
            "has_statement": Statement.objects.filter(programme=programme).exists(),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def settings(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _finance_programme(request, slug)  # a 404 outside the books' readers
    if not can_manage_finance(request.user, programme):
        raise PermissionDenied(_("Only the programme's finance officers change its money rules."))
    if request.method != "POST":
        return _page(request, programme, MoneyRulesForm.for_programme(programme))
    form = MoneyRulesForm(request.POST)
    if form.is_valid():
        try:
            programme_money_rules_update(
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
            return redirect("finance:settings", slug)
    return _page(request, programme, form, status=400)
