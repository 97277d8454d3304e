"""The budget: each partner's planned direct costs per category, and transfers between lines
with their reason. Indirect costs are never planned by hand: they are the programme's flat rate
of the direct costs, so the plan (direct plus indirect) must stay within the grant's budget."""

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from core.aggregates import ExactSum
from core.audit import attribute_to
from core.errors import ConcurrentEditError, DomainError
from core.money import format_money
from programmes.models import Programme, ProgrammePartner

from ..choices import DIRECT_CATEGORIES, CostCategory
from ..grant_rules import programme_rules
from ..models import BudgetLine, BudgetOverride, BudgetTransfer
from ..permissions import can_manage_finance


def _refuse_unless_finance_officer(actor: Any, programme: Programme) -> None:
    if not can_manage_finance(actor, programme):
        raise DomainError(_("Only the programme's finance officers change the budget."))


def budget_line_create(
    *,
    actor: Any,
    programme: Programme,
    partner: ProgrammePartner,
    category: str,
    planned_eur: Decimal,
) -> BudgetLine:
    """Open a partner's line in a direct category. Its amount changes afterwards only through
    transfers, so every later change carries its reason."""
    _refuse_unless_finance_officer(actor, programme)
    errors = {}
    if partner.programme_id != programme.pk:
        errors["partner"] = _("Choose a partner of the programme.")
    if category not in DIRECT_CATEGORIES:
        errors["category"] = _("Choose a direct cost category: indirect costs are computed.")
    if planned_eur < 0:
        errors["planned_eur"] = _("The planned amount cannot be negative.")
    if errors:
        raise DomainError(_("Please correct the marked fields."), field_errors=errors)
    with transaction.atomic():
        # One budget at a time: two lines opened at once cannot together pass the grant.
        Programme.objects.select_for_update().get(pk=programme.pk)
        if BudgetLine.objects.filter(partner=partner, category=category).exists():
            raise DomainError(
                _("This partner already has a line in this category: move money with a transfer."),
                field_errors={"category": _("This line exists already.")},
            )
        # Indirect costs per partner on the programme's base (direct or staff costs), rounded
        # per partner, as the overview and statements do.
        direct: dict[int, Decimal] = defaultdict(Decimal)
        staff: dict[int, Decimal] = defaultdict(Decimal)
        for row in (
            BudgetLine.objects.filter(programme=programme)
            .values("partner_id", "category")
            .annotate(planned=ExactSum("planned_eur"))
            .order_by()
        ):
            direct[row["partner_id"]] += row["planned"]
            if row["category"] == CostCategory.STAFF:
                staff[row["partner_id"]] += row["planned"]
        direct[partner.pk] += planned_eur
        if category == CostCategory.STAFF:
            staff[partner.pk] += planned_eur
        rules = programme_rules(programme)
        total = sum(
            (d + rules.indirect(staff[pk], d) for pk, d in direct.items()),
            Decimal("0"),
        )
        if total > programme.total_budget:
            raise DomainError(
                _(
                    "With its indirect costs the plan would come to %(total)s, above the budget "
                    "of %(budget)s."
                )
                % {
                    "total": format_money(total, "EUR"),
                    "budget": format_money(programme.total_budget, "EUR"),
                },
                field_errors={"planned_eur": _("Above what is left of the budget.")},
            )
        line = BudgetLine(
            programme=programme, partner=partner, category=category, planned_eur=planned_eur
        )
        attribute_to(line, actor, "line opened")
        line.save()
    return line


def budget_transfer(
    *,
    actor: Any,
    programme: Programme,
    source_id: int,
    target_id: int,
    amount_eur: Decimal,
    reason: str,
    revisions: tuple[int, int] | None = None,
) -> BudgetTransfer:
    """Move planned money from one line to another with the reason; both lines and the
    transfer are in the audit trail. `revisions` are the lines' revisions as the form showed
    them: a line changed since is refused rather than overwritten."""
    _refuse_unless_finance_officer(actor, programme)
    errors = {}
    if source_id == target_id:
        errors["target"] = _("Choose another line to move the money to.")
    if amount_eur <= 0:
        errors["amount_eur"] = _("Give an amount above zero.")
    if not reason.strip():
        errors["reason"] = _("Give the reason for the transfer.")
    if errors:
        raise DomainError(_("Please correct the marked fields."), field_errors=errors)
    with transaction.atomic():
        lines = {
            line.pk: line
            for line in BudgetLine.objects.select_for_update()
            .select_related("partner__organisation")
            .filter(programme=programme, pk__in=[source_id, target_id])
        }
        if len(lines) != 2:
            raise DomainError(_("Choose two lines of this programme's budget."))
        source, target = lines[source_id], lines[target_id]
        if revisions is not None and (source.revision, target.revision) != revisions:
            raise ConcurrentEditError(
                _("These lines changed after you opened the page. Check them and try again.")
            )
        if amount_eur > source.planned_eur:
            raise DomainError(
                _("The line has only %(planned)s planned.")
                % {"planned": format_money(source.planned_eur, "EUR")},
                field_errors={"amount_eur": _("More than the line holds.")},
            )
        for line, change in ((source, -amount_eur), (target, amount_eur)):
            line.planned_eur += change
            line.revision += 1
            attribute_to(line, actor, f"transfer: {reason.strip()}")
            line.save(update_fields=["planned_eur", "revision"])
        return BudgetTransfer.objects.create(
            programme=programme,
            source=source,
            target=target,
            amount_eur=amount_eur,
            reason=reason.strip(),
            actor=actor,
        )


def budget_overspend_check(
    *, actor: Any, programme: Programme, partner: ProgrammePartner, category: str, adding: Decimal
) -> str:
    """Before an approval spends money on a partner's line: refused (DomainError) when the
    line's actual costs with `adding` would pass its plan plus the overrides given by someone
    other than `actor`; otherwise a warning ("" when none) once they reach the programme's
    warning share of the plan. `adding` is what the approval adds to the actual costs (a
    signed month is already committed, so 0 for a month)."""
    from ..selectors import budget_line_row

    # A programme that keeps no budget here has no line to control against; once it has one,
    # a partner without a line in the category has a plan of nothing.
    if not BudgetLine.objects.filter(programme=programme).exists():
        return ""
    line = BudgetLine.objects.filter(partner=partner, category=category).first()
    # Only this line's figures are read, as the budget's overview computes them.
    actual = budget_line_row(programme, partner, category).actual + adding
    planned = line.planned_eur if line else Decimal("0")
    # The overrides by whom: the actor's own never count for their own approval.
    others, own = Decimal("0"), Decimal("0")
    if line is not None:
        for granted_by_id, amount in line.overrides.values_list("granted_by_id", "amount_eur"):
            if granted_by_id is not None and granted_by_id == getattr(actor, "pk", None):
                own += amount
            else:
                others += amount
    allowed = planned + others
    names = {"line": f"{partner.organisation.name}, {CostCategory(category).label}"}
    if actual > allowed:
        refusal = _(
            "This would bring %(line)s to %(actual)s, above its plan of %(planned)s: move "
            "money to the line with a reasoned transfer, or ask another finance officer to "
            "allow the overspend."
        ) % {
            **names,
            "actual": format_money(actual, "EUR"),
            "planned": format_money(planned, "EUR"),
        }
        if others:
            refusal += " " + _(
                "With the overrides other finance officers gave, it may reach %(allowed)s."
            ) % {"allowed": format_money(allowed, "EUR")}
        if own:
            refusal += " " + _(
                "Your own override (%(own)s) does not count for your own approval."
            ) % {"own": format_money(own, "EUR")}
        raise DomainError(refusal)
    if planned and actual * 100 >= planned * programme.overspend_warning_percent:
        return _("%(line)s has now used %(share)s%% of its plan (%(actual)s of %(planned)s).") % {
            **names,
            "share": (actual * 100 / planned).quantize(Decimal("1")),
            "actual": format_money(actual, "EUR"),
            "planned": format_money(planned, "EUR"),
        }
    return ""


def budget_override_grant(
    *, actor: Any, programme: Programme, line_id: int, amount_eur: Decimal, reason: str
) -> BudgetOverride:
    """Leave to spend up to `amount_eur` beyond a line's plan, with the reason; audited. It
    counts for the approvals of every finance officer but the one who gave it (a second pair
    of eyes: nobody overrides the budget for their own approval)."""
    _refuse_unless_finance_officer(actor, programme)
    errors = {}
    if amount_eur <= 0:
        errors["amount_eur"] = _("Give an amount above zero.")
    elif amount_eur != amount_eur.quantize(Decimal("0.01")):
        errors["amount_eur"] = _("Give the amount in cents at most.")
    if not reason.strip():
        errors["reason"] = _("Give the reason for the override.")
    if errors:
        raise DomainError(_("Please correct the marked fields."), field_errors=errors)
    with transaction.atomic():
        line = (
            BudgetLine.objects.select_for_update().filter(programme=programme, pk=line_id).first()
        )
        if line is None:
            raise DomainError(
                _("Choose a line of this programme's budget."),
                field_errors={"line": _("Choose a line of this programme's budget.")},
            )
        override = BudgetOverride(
            line=line, amount_eur=amount_eur, reason=reason.strip(), granted_by=actor
        )
        attribute_to(override, actor, "override granted")
        override.save()
    return override
