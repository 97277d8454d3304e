"""The programme's money rules that its finance officers own: the grant's total budget, the
maximum EU co-financing rate, the flat rate of indirect costs, the hours of a working day and the
officers' days per city (`Programme` columns), and what the coordinators' change of period must
respect.

History is not rewritten: a statement's figures are computed from the programme's rates when it
is shown or exported, so once a statement to the funder exists the two rates are frozen (a
change would silently alter a statement already sent). The total budget may change at any time
(a grant amendment) but never below the budget plan with its indirect costs.
"""

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.aggregates import ExactSum
from core.audit import attribute_to
from core.errors import ConcurrentEditError, DomainError
from core.money import format_money
from programmes.models import Programme

from ..choices import TimesheetStatus
from ..models import BudgetLine, Statement, Timesheet
from ..money import indirect_costs
from ..permissions import can_manage_finance

ZERO = Decimal("0")
MAX_FLAT_RATE = Decimal("0.25")


def planned_with_indirect(programme: Programme, indirect_cost_rate: Decimal) -> Decimal:
    """The budget plan: each partner's planned direct costs plus their indirect costs at this
    rate, rounded per partner as the budget and the statements do."""
    direct: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for row in (
        BudgetLine.objects.filter(programme=programme)
        .values("partner_id")
        .annotate(planned=ExactSum("planned_eur"))
        .order_by()
    ):
        direct[row["partner_id"]] += row["planned"] or ZERO
    return sum((d + indirect_costs(d, indirect_cost_rate) for d in direct.values()), ZERO)


def programme_money_rules_update(
    *,
    actor: Any,
    programme: Programme,
    expected_version: int,
    total_budget: Decimal,
    max_eu_rate: Decimal,
    indirect_cost_rate: Decimal,
    hours_per_day: Decimal,
    officer_days_per_city: int,
) -> Programme:
    """Change the grant's total budget and rates (rates as fractions: 0.9 for 90%). Refused when
    the programme changed since `expected_version`, when a rate would change after a statement,
    and when the plan with its indirect costs would pass the budget."""
    if not can_manage_finance(actor, programme):
        raise DomainError(_("Only the programme's finance officers change its money rules."))
    errors = {}
    if total_budget < 0:
        errors["total_budget"] = _("The budget cannot be negative.")
    if not ZERO < max_eu_rate <= 1:
        errors["max_eu_rate"] = _("Give a rate above 0% and at most 100%.")
    if not ZERO <= indirect_cost_rate <= MAX_FLAT_RATE:
        errors["indirect_cost_rate"] = _("Give a rate between 0% and 25%.")
    if not 1 <= hours_per_day <= 24:
        errors["hours_per_day"] = _("Give between 1 and 24 hours.")
    if officer_days_per_city < 0:
        errors["officer_days_per_city"] = _("The days cannot be negative.")
    if errors:
        raise DomainError(_("Please correct the marked fields."), field_errors=errors)
    with transaction.atomic():
        # Locked as budget lines are opened under it: the plan cannot grow meanwhile.
        current = Programme.objects.select_for_update().get(pk=programme.pk)
        if current.version != expected_version:
            raise ConcurrentEditError(
                _(
                    "Someone else saved the programme's settings while you were editing them. "
                    "Your values are still in the form below; compare them with the saved ones "
                    "and save again."
                )
            )
        last = Statement.objects.filter(programme=current).order_by("-period_end").first()
        if last is not None:
            frozen = _("Frozen since the statement up to %(date)s: it was computed with it.") % {
                "date": date_format(last.period_end, "DATE_FORMAT")
            }
            if max_eu_rate != current.max_eu_rate:
                errors["max_eu_rate"] = frozen
            if indirect_cost_rate != current.indirect_cost_rate:
                errors["indirect_cost_rate"] = frozen
        planned = planned_with_indirect(current, indirect_cost_rate)
        if planned > total_budget:
            errors["total_budget"] = _(
                "The budget plan with its indirect costs comes to %(planned)s: the budget "
                "cannot be less."
            ) % {"planned": format_money(planned, "EUR")}
        if errors:
            raise DomainError(_("Please correct the marked fields."), field_errors=errors)
        new = (total_budget, max_eu_rate, indirect_cost_rate, hours_per_day, officer_days_per_city)
        old = (
            current.total_budget,
            current.max_eu_rate,
            current.indirect_cost_rate,
            current.hours_per_day,
            current.officer_days_per_city,
        )
        if new == old:
            return current
        current.total_budget = total_budget
        current.max_eu_rate = max_eu_rate
        current.indirect_cost_rate = indirect_cost_rate
        current.hours_per_day = hours_per_day
        current.officer_days_per_city = officer_days_per_city
        current.version += 1
        attribute_to(current, actor, "money rules changed")
        current.full_clean()
        current.save()
    return current


def period_problems(programme: Programme, start: date, end: date) -> list[str]:
    """What a new programme period would leave outside it: recorded months of hours (the
    timesheet screens only open months of the period) and statements to the funder. Registered
    with programmes.services.settings from FinanceConfig.ready()."""
    problems = []
    first_month = start.replace(day=1)
    months = list(
        Timesheet.objects.filter(programme=programme)
        .filter(Q(month__lt=first_month) | Q(month__gt=end))
        .filter(Q(entries__isnull=False) | ~Q(status=TimesheetStatus.OPEN))
        .values_list("month", flat=True)
        .distinct()
        .order_by("month")
    )
    if months:
        problems.append(
            ngettext(
                "Hours are recorded in %(n)d month outside it (%(month)s).",
                "Hours are recorded in %(n)d months outside it (the first: %(month)s).",
                len(months),
            )
            % {"n": len(months), "month": date_format(months[0], "YEAR_MONTH_FORMAT")}
        )
    statement = (
        Statement.objects.filter(programme=programme)
        .filter(Q(period_end__lt=start) | Q(period_end__gt=end))
        .order_by("period_end")
        .first()
    )
    if statement is not None:
        problems.append(
            _("A statement to the funder covers up to %(date)s.")
            % {"date": date_format(statement.period_end, "DATE_FORMAT")}
        )
    return problems
