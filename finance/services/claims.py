"""Expense claims: a traveller claims the costs of an event with receipts; the programme's
finance officer checks each line (accepted, or rejected with a reason), approves the claim and
records the reimbursement, which is 100% of the accepted lines. Every step is audited.

The programme's controls: costs dated outside its eligible period (or the claim's event's days
with the travel margin) are refused when added and at submission, or accepted and flagged for
the check (finance.claim_flags), as the programme's rule says; with the finance duties separated
the one who checked a claim does not approve it and the one who approved it does not record its
payment; an approval that would overspend the coordinator's travel line is refused beyond the
plan (and overrides given by another officer) and warns at the programme's share of it."""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.aggregates import ExactSum
from core.audit import attribute_to
from core.errors import ConcurrentEditError, DomainError
from core.money import format_money
from core.uploads import RECEIPTS, CheckedUpload, UploadRefused, upload_check, upload_store
from programmes.choices import Currency, IneligibleCosts, PartnerRole
from programmes.models import Person, Programme, ProgrammePartner
from visits.models import Event

from ..choices import ClaimStatus, CostCategory, ExpenseKind, LineDecision
from ..claim_flags import date_problems
from ..models import BudgetLine, ClaimLine, ExpenseClaim, Receipt
from ..money import ZERO, to_eur
from ..permissions import can_manage_finance, person_of
from . import notices
from .budget import budget_overspend_check
from .rates import exchange_rate_for


@dataclass(frozen=True)
class LineInput:
    day: date
    kind: str
    supplier: str
    amount: Decimal
    currency: str
    description: str = ""


# The rules an event's own app sets on who claims its costs (the conference: only the
# delegates whose travel the grant pays), registered by that app in its AppConfig.ready so
# finance imports nothing above it. A check answers the refusal, or "" when the claim may be.
EventClaimCheck = Callable[[Person, Event], str]
_event_claim_checks: list[EventClaimCheck] = []


def register_event_claim_check(check: EventClaimCheck) -> None:
    if check not in _event_claim_checks:
        _event_claim_checks.append(check)


def claim_create(
    *, actor: Any, programme: Programme, purpose: str, event: Event | None = None
) -> ExpenseClaim:
    traveller = person_of(actor)
    if traveller is None or not traveller.memberships.filter(programme=programme).exists():
        raise DomainError(_("Only people of the programme claim expenses."))
    if not purpose.strip():
        raise DomainError(
            _("Please correct the marked fields."),
            field_errors={"purpose": _("Say what the travel was for.")},
        )
    if event is not None and event.programme_id != programme.pk:
        raise DomainError(
            _("Please correct the marked fields."),
            field_errors={"event": _("Choose an event of the programme.")},
        )
    for check in _event_claim_checks:
        refusal = check(traveller, event) if event is not None else ""
        if refusal:
            raise DomainError(
                _("Please correct the marked fields."), field_errors={"event": refusal}
            )
    claim = ExpenseClaim(
        programme=programme, traveller=traveller, event=event, purpose=purpose.strip()[:300]
    )
    attribute_to(claim, actor, "created")
    claim.save()
    return claim


def _own_draft(actor: Any, claim: ExpenseClaim) -> ExpenseClaim:
    current = ExpenseClaim.objects.select_for_update().get(pk=claim.pk)
    if current.traveller.user_id != actor.pk:
        raise DomainError(_("Only the traveller changes their claim."))
    if current.status != ClaimStatus.DRAFT:
        raise DomainError(_("This claim is submitted: it no longer changes."))
    return current


def _line_errors(data: LineInput, claim: ExpenseClaim) -> dict[str, str]:
    errors = {}
    programme = claim.programme
    if programme.ineligible_costs == IneligibleCosts.REFUSE and (
        problems := date_problems(programme, claim.event, data.day)
    ):
        errors["day"] = " ".join(p.refusal for p in problems)
    if data.kind not in ExpenseKind.values:
        errors["kind"] = _("Choose travel, accommodation or subsistence.")
    if not data.supplier.strip():
        errors["supplier"] = _("Name the supplier (the airline, the hotel…).")
    if data.amount <= 0:
        errors["amount"] = _("The amount must be above zero.")
    elif data.amount != data.amount.quantize(Decimal("0.01")):
        errors["amount"] = _("Give the amount in cents at most.")
    if data.currency not in Currency.values:
        errors["currency"] = _("Choose a currency.")
    return errors


def claim_line_add(
    *, actor: Any, claim: ExpenseClaim, data: LineInput, receipts: list[UploadedFile]
) -> ClaimLine:
    """A cost with its receipts (at least one): every file is checked before anything is kept."""
    errors = _line_errors(data, claim)
    if not receipts:
        errors["receipts"] = _("Attach the receipt (PDF or a photo).")
    checked: list[CheckedUpload] = []
    for upload in receipts:
        try:
            checked.append(upload_check(upload, RECEIPTS))
        except UploadRefused as refusal:
            errors["receipts"] = refusal.message
            break
    if errors:
        raise DomainError(_("The cost could not be added."), field_errors=errors)
    with transaction.atomic():
        current = _own_draft(actor, claim)
        line = ClaimLine(
            claim=current,
            day=data.day,
            kind=data.kind,
            supplier=data.supplier.strip()[:200],
            description=data.description.strip()[:300],
            amount=data.amount,
            currency=data.currency,
        )
        attribute_to(line, actor, "added")
        line.save()
        for item in checked:
            receipt = Receipt(
                line=line,
                name=item.name,
                size=item.size,
                sha256=_sha256(item),
                uploaded_by=actor,
            )
            upload_store(receipt.file, item)
            attribute_to(receipt, actor)
            receipt.save()
        _touch(actor, current, "line added")
    return line


def _sha256(upload: CheckedUpload) -> str:
    """The file's SHA-256, read in chunks from its start (it is left rewound for storing)."""
    digest = hashlib.sha256()
    upload.file.seek(0)
    for chunk in iter(lambda: upload.file.read(1 << 20), b""):
        digest.update(chunk)
    upload.file.seek(0)
    return digest.hexdigest()


def claim_line_remove(*, actor: Any, claim: ExpenseClaim, line_id: int) -> None:
    with transaction.atomic():
        current = _own_draft(actor, claim)
        line = current.lines.filter(pk=line_id).first()
        if line is None:
            raise DomainError(_("This cost is no longer in the claim."))
        attribute_to(line, actor, "removed")
        line.delete()
        _touch(actor, current, "line removed")


def _touch(actor: Any, claim: ExpenseClaim, reason: str) -> None:
    claim.revision += 1
    attribute_to(claim, actor, reason)
    claim.save()


def claim_submit(*, actor: Any, claim: ExpenseClaim) -> ExpenseClaim:
    """Convert every line at its month's rate and send the claim to the finance officer."""
    with transaction.atomic():
        current = _own_draft(actor, claim)
        lines = list(current.lines.prefetch_related("receipts"))
        if not lines:
            raise DomainError(_("Add at least one cost before submitting."))
        # One lookup per currency and month, not per line.
        months = {(line.currency, line.day.replace(day=1)) for line in lines}
        rates = {
            (currency, month): exchange_rate_for(current.programme, currency, month)
            for currency, month in months
            if currency != "EUR"
        }
        # Sorted by currency and month (not by the month's name), then shown in the language.
        if missing := [
            f"{c} {date_format(m, 'YEAR_MONTH_FORMAT')}"
            for c, m in sorted(key for key, rate in rates.items() if rate is None)
        ]:
            raise DomainError(
                _(
                    "The programme has no exchange rate yet for %(months)s: the finance officer "
                    "records it, then you can submit."
                )
                % {"months": ", ".join(missing)}
            )
        programme = current.programme
        if programme.ineligible_costs == IneligibleCosts.REFUSE and (
            outside := [
                _("%(date)s %(supplier)s: %(problem)s")
                % {
                    "date": date_format(line.day, "SHORT_DATE_FORMAT"),
                    "supplier": line.supplier,
                    "problem": " ".join(p.refusal for p in problems),
                }
                for line in lines
                if (problems := date_problems(programme, current.event, line.day))
            ]
        ):
            raise DomainError(
                _("Remove the costs outside the eligible dates, then submit. %(costs)s")
                % {"costs": " ".join(outside)}
            )
        for line in lines:
            if not line.receipts.all():
                raise DomainError(_("Every cost needs its receipt."))
            line.rate = rates.get((line.currency, line.day.replace(day=1)))
            line.amount_eur = to_eur(line.amount, line.currency, line.rate)
            attribute_to(line, actor, "converted")
            line.save(update_fields=["rate", "amount_eur"])
        current.status = ClaimStatus.SUBMITTED
        current.submitted_at = timezone.now()
        _touch(actor, current, "submitted")
        notices.claim_submitted(current, actor)
    return current


def claim_check(
    *,
    actor: Any,
    claim: ExpenseClaim,
    decisions: dict[int, tuple[str, str]],
    revision: int,
) -> ExpenseClaim:
    """Accept or reject every line (a rejection needs its reason)."""
    errors = {}
    for line_id, (decision, reason) in decisions.items():
        if decision not in (LineDecision.ACCEPTED, LineDecision.REJECTED):
            errors[f"line-{line_id}-decision"] = _("Accept or reject this cost.")
        elif decision == LineDecision.REJECTED and not reason.strip():
            errors[f"line-{line_id}-reason"] = _("Say why this cost is rejected.")
    with transaction.atomic():
        current = ExpenseClaim.objects.select_for_update().get(pk=claim.pk)
        if not can_manage_finance(actor, current.programme):
            raise DomainError(_("Only the programme's finance officers check claims."))
        if current.status != ClaimStatus.SUBMITTED:
            raise DomainError(_("Only a submitted claim is checked."))
        if current.revision != revision:
            raise ConcurrentEditError(_("Someone else changed this claim: check it again."))
        lines = {line.pk: line for line in current.lines.all()}
        for line_id in lines:
            if line_id not in decisions:
                errors[f"line-{line_id}-decision"] = _("Accept or reject this cost.")
        if errors:
            raise DomainError(_("Please decide on every cost."), field_errors=errors)
        for line_id, (decision, reason) in decisions.items():
            line = lines.get(line_id)
            if line is None:
                continue
            line.decision = decision
            line.rejection_reason = reason.strip() if decision == LineDecision.REJECTED else ""
            attribute_to(line, actor, f"checked: {decision}")
            line.save(update_fields=["decision", "rejection_reason"])
        current.status = ClaimStatus.CHECKED
        current.checked_by = actor
        current.checked_at = timezone.now()
        _touch(actor, current, "checked")
        notices.claim_checked(current, actor)
    return current


def accepted_total(claim: ExpenseClaim) -> Decimal:
    """What is reimbursed: 100% of the accepted lines, in EUR (a sum of rounded amounts)."""
    total = claim.lines.filter(decision=LineDecision.ACCEPTED).aggregate(t=ExactSum("amount_eur"))[
        "t"
    ]
    return total or ZERO


def claim_duty_refusal(actor: Any, claim: ExpenseClaim, step: str) -> str:
    """Why the programme's separation of duties keeps `actor` from this step of the claim
    ("approve" or "reimburse"), "" when it does not: the one who checked the costs does not
    approve them, the one who approved does not record the payment. With the duties not
    separated, one finance officer may do every step."""
    if not claim.programme.separate_duties or actor is None:
        return ""
    if step == "approve" and claim.checked_by_id == actor.pk:
        return _(
            "You checked this claim's costs: another finance officer approves it (the "
            "programme separates these duties)."
        )
    if step == "reimburse" and claim.approved_by_id == actor.pk:
        return _(
            "You approved this claim: another finance officer records its payment (the "
            "programme separates these duties)."
        )
    return ""


def _travel_budget_check(actor: Any, programme: Programme, adding: Decimal) -> str:
    """The approval spends `adding` on the coordinator's travel line (the coordinator pays
    every traveller): refused without that line or beyond its plan and the overrides another
    officer gave; the warning at the programme's share of the plan ("" below it). The line
    is locked, so two approvals at once cannot both pass its plan."""
    coordinator = (
        ProgrammePartner.objects.filter(programme=programme, role=PartnerRole.COORDINATOR)
        .select_related("organisation")
        .first()
    )
    line = (
        BudgetLine.objects.select_for_update()
        .filter(programme=programme, partner=coordinator, category=CostCategory.TRAVEL)
        .first()
        if coordinator is not None
        else None
    )
    if coordinator is None or line is None:
        raise DomainError(
            _(
                "The budget has no travel line for the coordinator, who pays the travel: a "
                "finance officer opens it on the budget page, then the claim can be approved."
            )
        )
    return budget_overspend_check(
        actor=actor,
        programme=programme,
        partner=coordinator,
        category=CostCategory.TRAVEL,
        adding=adding,
    )


def claim_approve(
    *, actor: Any, claim: ExpenseClaim, warnings: list[str] | None = None
) -> ExpenseClaim:
    """Approve the accepted total: refused to the officer who checked the claim when the
    programme separates the duties, and beyond the coordinator's travel budget. The budget's
    warning (the line has reached the programme's warning share) is added to `warnings`."""
    with transaction.atomic():
        current = ExpenseClaim.objects.select_for_update().get(pk=claim.pk)
        if not can_manage_finance(actor, current.programme):
            raise DomainError(_("Only the programme's finance officers approve claims."))
        if current.status != ClaimStatus.CHECKED:
            raise DomainError(_("Only a checked claim is approved."))
        if refusal := claim_duty_refusal(actor, current, "approve"):
            raise DomainError(refusal)
        total = accepted_total(current)
        warning = _travel_budget_check(actor, current.programme, total)
        current.status = ClaimStatus.APPROVED
        current.approved_by = actor
        current.approved_at = timezone.now()
        _touch(actor, current, f"approved: {accepted_total(current)} EUR")
        notices.claim_approved(current, actor)
    if warning and warnings is not None:
        warnings.append(warning)
    return current


def claim_reimburse(
    *, actor: Any, claim: ExpenseClaim, paid_on: date, amount_eur: Decimal, reference: str
) -> ExpenseClaim:
    """Record the payment: it must be exactly the accepted total."""
    with transaction.atomic():
        current = ExpenseClaim.objects.select_for_update().get(pk=claim.pk)
        if not can_manage_finance(actor, current.programme):
            raise DomainError(_("Only the programme's finance officers record payments."))
        if current.status != ClaimStatus.APPROVED:
            raise DomainError(_("Only an approved claim is reimbursed."))
        if refusal := claim_duty_refusal(actor, current, "reimburse"):
            raise DomainError(refusal)
        due = accepted_total(current)
        errors = {}
        if amount_eur != due:
            errors["amount_eur"] = _("The payment must be the accepted total, %(due)s.") % {
                "due": format_money(due, "EUR")
            }
        if not reference.strip():
            errors["reference"] = _("Give the payment reference.")
        if paid_on > timezone.localdate():
            errors["paid_on"] = _("The payment date cannot be in the future.")
        if errors:
            raise DomainError(_("Please correct the marked fields."), field_errors=errors)
        current.status = ClaimStatus.REIMBURSED
        current.reimbursed_by = actor
        current.reimbursed_on = paid_on
        current.reimbursed_eur = amount_eur
        current.reimbursement_reference = reference.strip()[:100]
        _touch(actor, current, f"reimbursed: {amount_eur} EUR")
        notices.claim_reimbursed(current, actor)
    return current
