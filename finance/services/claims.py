"""Expense claims: a traveller claims the costs of an event with receipts; the programme's
finance officer checks each line (accepted, or rejected with a reason), approves the claim and
records the reimbursement, which is 100% of the accepted lines. Every step is audited."""

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
from programmes.choices import Currency
from programmes.models import Person, Programme
from visits.models import Event

from ..choices import ClaimStatus, ExpenseKind, LineDecision
from ..models import ClaimLine, ExpenseClaim, Receipt
from ..money import ZERO, to_eur
from ..permissions import can_manage_finance, person_of
from . import notices
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


def _line_errors(data: LineInput) -> dict[str, str]:
    errors = {}
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
    errors = _line_errors(data)
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
            receipt = Receipt(line=line, name=item.name, size=item.size, uploaded_by=actor)
            upload_store(receipt.file, item)
            attribute_to(receipt, actor)
            receipt.save()
        _touch(actor, current, "line added")
    return line


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
        _touch(actor, current, "checked")
        notices.claim_checked(current, actor)
    return current


def accepted_total(claim: ExpenseClaim) -> Decimal:
    """What is reimbursed: 100% of the accepted lines, in EUR (a sum of rounded amounts)."""
    total = claim.lines.filter(decision=LineDecision.ACCEPTED).aggregate(t=ExactSum("amount_eur"))[
        "t"
    ]
    return total or ZERO


def claim_approve(*, actor: Any, claim: ExpenseClaim) -> ExpenseClaim:
    with transaction.atomic():
        current = ExpenseClaim.objects.select_for_update().get(pk=claim.pk)
        if not can_manage_finance(actor, current.programme):
            raise DomainError(_("Only the programme's finance officers approve claims."))
        if current.status != ClaimStatus.CHECKED:
            raise DomainError(_("Only a checked claim is approved."))
        current.status = ClaimStatus.APPROVED
        current.approved_by = actor
        _touch(actor, current, f"approved: {accepted_total(current)} EUR")
        notices.claim_approved(current, actor)
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
        current.reimbursed_on = paid_on
        current.reimbursed_eur = amount_eur
        current.reimbursement_reference = reference.strip()[:100]
        _touch(actor, current, f"reimbursed: {amount_eur} EUR")
        notices.claim_reimbursed(current, actor)
    return current
