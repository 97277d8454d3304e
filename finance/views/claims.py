"""Thin views of the finance screens: parse, call one service or selector, render or redirect."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import ConcurrentEditError, DomainError
from core.files import private_file_response
from core.forms import show_refusal
from core.history import history_entries
from programmes.selectors import programme_get

from .. import selectors
from ..choices import ClaimStatus
from ..claim_flags import claim_line_flags
from ..forms import CheckForm, ClaimForm, LineForm, ReimburseForm, event_label
from ..permissions import can_manage_finance, can_view_finance
from ..services.claims import (
    LineInput,
    accepted_total,
    claim_approve,
    claim_check,
    claim_create,
    claim_duty_refusal,
    claim_line_add,
    claim_line_remove,
    claim_reimburse,
    claim_submit,
)


def _home_page(
    request: HttpRequest, programme: Any, form: Any = None, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "finance/home.html",
        {
            "programme": programme,
            "tab": "finance",
            "claims": selectors.claims_page(
                request.user,
                programme,
                status=request.GET.get("status", ""),
                page=request.GET.get("page", 1),
            ),
            "form": form
            or ClaimForm(lookup=selectors.claimable_event_lookup(request.user, programme)),
            "is_finance_officer": can_manage_finance(request.user, programme),
            "can_view_finance": can_view_finance(request.user, programme),
            "own_cities": selectors.own_cities(request.user, programme),
        },
        status=status,
    )


@login_required
def home(request: HttpRequest, slug: str) -> HttpResponse:
    return _home_page(request, programme_get(request.user, slug))


@login_required
@require_POST
def claim_new(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_get(request.user, slug)
    form = ClaimForm(request.POST, lookup=selectors.claimable_event_lookup(request.user, programme))
    if form.is_valid():
        try:
            claim = claim_create(
                actor=request.user,
                programme=programme,
                purpose=form.cleaned_data["purpose"],
                event=form.cleaned_data["event"],
            )
        except DomainError as error:
            show_refusal(form, error, renames={"event": "event_search"})
        else:
            return redirect("finance:claim", slug, claim.pk)
    return _home_page(request, programme, form, status=400)


@login_required
def claimable_events(request: HttpRequest, slug: str) -> JsonResponse:
    """The programme's events whose title, venue or city holds what was typed (`?q=`), for the
    claim form's live list."""
    programme = programme_get(request.user, slug)
    lookup = selectors.claimable_event_lookup(request.user, programme)
    text = request.GET.get("q", "").strip()[:200]
    events, more = lookup.search(text) if text else ([], False)
    return JsonResponse(
        {"results": [{"id": e.pk, "label": event_label(e)} for e in events], "more": more}
    )


def _claim_page(
    request: HttpRequest,
    programme: Any,
    claim: Any,
    *,
    line_form: Any = None,
    check_form: Any = None,
    reimburse_form: Any = None,
    status: int = 200,
) -> HttpResponse:
    lines = list(claim.lines.all())
    own = claim.traveller.user_id == request.user.pk
    manager = can_manage_finance(request.user, programme)
    editable = own and claim.status == ClaimStatus.DRAFT
    flags = claim_line_flags(request.user, claim, lines)
    # The separation of duties: the step's button is not offered to whom it would refuse.
    approving = manager and claim.status == ClaimStatus.CHECKED
    paying = manager and claim.status == ClaimStatus.APPROVED
    approve_refusal = claim_duty_refusal(request.user, claim, "approve") if approving else ""
    pay_refusal = claim_duty_refusal(request.user, claim, "reimburse") if paying else ""
    return render(
        request,
        "finance/claim.html",
        {
            "programme": programme,
            "tab": "finance",
            "claim": claim,
            "lines": lines,
            "line_rows": [(line, flags.get(line.pk, [])) for line in lines],
            "editable": editable,
            "line_form": line_form or (LineForm() if editable else None),
            "check_form": check_form
            or (
                CheckForm(lines=lines, initial={"revision": claim.revision})
                if manager and claim.status == ClaimStatus.SUBMITTED
                else None
            ),
            "can_approve": approving and not approve_refusal,
            "approve_refusal": approve_refusal,
            "pay_refusal": pay_refusal,
            "reimburse_form": reimburse_form
            or (ReimburseForm() if paying and not pay_refusal else None),
            "accepted_total": accepted_total(claim),
            "history": history_entries(claim),
        },
        status=status,
    )


@login_required
def claim_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme = programme_get(request.user, slug)
    return _claim_page(request, programme, selectors.claim_get(request.user, programme, pk))


@login_required
@require_POST
def claim_line_new(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme = programme_get(request.user, slug)
    claim = selectors.claim_get(request.user, programme, pk)
    form = LineForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            claim_line_add(
                actor=request.user,
                claim=claim,
                data=LineInput(
                    day=data["day"],
                    kind=data["kind"],
                    supplier=data["supplier"],
                    amount=data["amount"],
                    currency=data["currency"],
                    description=data["description"],
                ),
                receipts=[data["receipt"]],
            )
        except DomainError as error:
            show_refusal(form, error, renames={"receipts": "receipt"})
        else:
            messages.success(request, _("The cost is added."))
            return redirect("finance:claim", slug, pk)
    return _claim_page(request, programme, claim, line_form=form, status=400)


@login_required
@require_POST
def claim_line_delete(request: HttpRequest, slug: str, pk: int, line: int) -> HttpResponse:
    programme = programme_get(request.user, slug)
    claim = selectors.claim_get(request.user, programme, pk)
    try:
        claim_line_remove(actor=request.user, claim=claim, line_id=line)
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("finance:claim", slug, pk)


@login_required
@require_POST
def claim_step(request: HttpRequest, slug: str, pk: int, step: str) -> HttpResponse:
    if step not in ("submit", "approve"):
        raise Http404("No such step")
    programme = programme_get(request.user, slug)
    claim = selectors.claim_get(request.user, programme, pk)
    warnings: list[str] = []  # the budget line nearing its plan, said after the approval
    try:
        if step == "submit":
            claim_submit(actor=request.user, claim=claim)
        else:
            claim_approve(actor=request.user, claim=claim, warnings=warnings)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The claim is submitted.") if step == "submit" else _("The claim is approved."),
        )
        for warning in warnings:
            messages.warning(request, warning)
    return redirect("finance:claim", slug, pk)


@login_required
@require_POST
def claim_check_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme = programme_get(request.user, slug)
    claim = selectors.claim_get(request.user, programme, pk)
    form = CheckForm(request.POST, lines=list(claim.lines.all()))
    status = 400
    if form.is_valid():
        try:
            claim_check(
                actor=request.user,
                claim=claim,
                decisions=form.decisions(),
                revision=form.cleaned_data["revision"],
            )
        except DomainError as error:
            show_refusal(form, error)
            status = 409 if isinstance(error, ConcurrentEditError) else 400
        else:
            messages.success(request, _("The claim is checked."))
            return redirect("finance:claim", slug, pk)
    return _claim_page(request, programme, claim, check_form=form, status=status)


@login_required
@require_POST
def claim_reimburse_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme = programme_get(request.user, slug)
    claim = selectors.claim_get(request.user, programme, pk)
    form = ReimburseForm(request.POST)
    if form.is_valid():
        try:
            claim_reimburse(
                actor=request.user,
                claim=claim,
                paid_on=form.cleaned_data["paid_on"],
                amount_eur=form.cleaned_data["amount_eur"],
                reference=form.cleaned_data["reference"],
            )
        except DomainError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("The reimbursement is recorded."))
            return redirect("finance:claim", slug, pk)
    return _claim_page(request, programme, claim, reimburse_form=form, status=400)


@login_required
def receipt(request: HttpRequest, slug: str, pk: int, receipt_pk: int) -> FileResponse:
    programme = programme_get(request.user, slug)
    found = selectors.receipt_get(request.user, programme, pk, receipt_pk)
    return private_file_response(found.file, found.name)


@login_required
def inbox(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_get(request.user, slug)
    if not can_manage_finance(request.user, programme):
        raise Http404("No such page")
    return render(
        request,
        "finance/inbox.html",
        {
            "programme": programme,
            "tab": "finance",
            "groups": _inbox_groups(selectors.finance_inbox(request.user, programme)),
        },
    )


def _inbox_groups(inbox: selectors.FinanceInbox) -> list[tuple[str, selectors.InboxGroup, bool]]:
    """Each group with whether its claims are checked (their accepted total is then shown)."""
    return [
        (_("To check"), inbox.to_check, False),
        (_("To approve"), inbox.to_approve, True),
        (_("To pay"), inbox.to_pay, True),
    ]
