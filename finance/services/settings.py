"""The programme's money rules that its finance officers own (`Programme` columns): the grant's
total budget, the maximum EU rate, the flat rate of indirect costs and its base, the
co-financing model and how its target is split, the productive hours of a year, the hours of a
working day, the officers' days per city, the eligibility period and what happens to costs
outside it, the travel days around an event, the overspend warning and the separation of
duties; the partners' own co-financing figures (`PartnerCoFinancing`); and what the
coordinators' change of period must respect.

History is not rewritten: a statement keeps the rules it was prepared with (its own columns,
finance.grant_rules.statement_rules), so a change here applies to the dashboard and the next
statement, never to one already prepared. The total budget never drops below the budget plan
with its indirect costs, and the productive hours never drop below the hours people already
recorded (finance.services.hours_cap).
"""

from collections import defaultdict
from datetime import date, timedelta
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
from programmes.choices import (
    CoFinancingModel,
    CoFinancingSplit,
    IndirectCostBase,
    IneligibleCosts,
    PartnerRole,
)
from programmes.models import Programme, ProgrammePartner

from ..choices import CostCategory, TimesheetStatus
from ..grant_rules import GrantRules
from ..models import BudgetLine, PartnerCoFinancing, Statement, Timesheet
from ..permissions import can_manage_finance
from .hours_cap import cap_problems

ZERO = Decimal("0")
MAX_FLAT_RATE = Decimal("0.25")
# How far the eligibility period may reach beyond the programme's dates (preparation before
# the start, the final report and its audit after the end).
ELIGIBILITY_REACH = timedelta(days=366)
MAX_TRAVEL_MARGIN_DAYS = 14


def planned_with_indirect(programme: Programme, rules: GrantRules) -> Decimal:
    """The budget plan: each partner's planned direct costs plus their indirect costs at the
    rules' flat rate on its base, rounded per partner as the budget and the statements do."""
    direct: dict[int, Decimal] = defaultdict(lambda: ZERO)
    staff: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for row in (
        BudgetLine.objects.filter(programme=programme)
        .values("partner_id", "category")
        .annotate(planned=ExactSum("planned_eur"))
        .order_by()
    ):
        direct[row["partner_id"]] += row["planned"] or ZERO
        if row["category"] == CostCategory.STAFF:
            staff[row["partner_id"]] += row["planned"] or ZERO
    return sum((d + rules.indirect(staff[pk], d) for pk, d in direct.items()), ZERO)


def _field_errors(programme: Programme, rules: dict[str, Any]) -> dict[str, str]:
    """What is wrong with the rules on their own (the form checks the same, the service for
    every other caller)."""
    errors = {}
    if rules["total_budget"] < 0:
        errors["total_budget"] = _("The budget cannot be negative.")
    if not ZERO < rules["max_eu_rate"] <= 1:
        errors["max_eu_rate"] = _("Give a rate above 0% and at most 100%.")
    if not ZERO <= rules["indirect_cost_rate"] <= MAX_FLAT_RATE:
        errors["indirect_cost_rate"] = _("Give a rate between 0% and 25%.")
    for name, choices in (
        ("indirect_cost_base", IndirectCostBase),
        ("co_financing_model", CoFinancingModel),
        ("co_financing_split", CoFinancingSplit),
        ("ineligible_costs", IneligibleCosts),
    ):
        if rules[name] not in choices.values:
            errors[name] = _("Choose one of the options.")
    if not 1 <= rules["default_productive_hours"] <= 3000:
        errors["default_productive_hours"] = _("Give between 1 and 3,000 hours.")
    if not 1 <= rules["hours_per_day"] <= 24:
        errors["hours_per_day"] = _("Give between 1 and 24 hours.")
    if rules["officer_days_per_city"] < 0:
        errors["officer_days_per_city"] = _("The days cannot be negative.")
    if not 0 <= rules["event_travel_margin_days"] <= MAX_TRAVEL_MARGIN_DAYS:
        errors["event_travel_margin_days"] = _("Give between 0 and 14 days.")
    if not 1 <= rules["overspend_warning_percent"] <= 100:
        errors["overspend_warning_percent"] = _("Give a share between 1% and 100%.")
    errors.update(_eligibility_errors(programme, rules["eligible_from"], rules["eligible_until"]))
    return errors


def _eligibility_errors(
    programme: Programme, eligible_from: date | None, eligible_until: date | None
) -> dict[str, str]:
    """The eligibility period reaches at most a year beyond the programme's dates, and starts
    before it ends (a blank end is the programme's, a blank start the programme's)."""
    errors = {}
    earliest = programme.start_date - ELIGIBILITY_REACH
    latest = programme.end_date + ELIGIBILITY_REACH
    if eligible_from is not None and not earliest <= eligible_from <= latest:
        errors["eligible_from"] = _("Give a date between %(earliest)s and %(latest)s.") % {
            "earliest": date_format(earliest, "DATE_FORMAT"),
            "latest": date_format(latest, "DATE_FORMAT"),
        }
    if eligible_until is not None and not earliest <= eligible_until <= latest:
        errors["eligible_until"] = _("Give a date between %(earliest)s and %(latest)s.") % {
            "earliest": date_format(earliest, "DATE_FORMAT"),
            "latest": date_format(latest, "DATE_FORMAT"),
        }
    start = eligible_from or programme.start_date
    end = eligible_until or programme.end_date
    if not errors and start > end:
        errors["eligible_until"] = _(
            "The eligible costs must end after they start (%(start)s)."
        ) % {"start": date_format(start, "DATE_FORMAT")}
    return errors


def programme_money_rules_update(
    *,
    actor: Any,
    programme: Programme,
    expected_version: int,
    total_budget: Decimal,
    max_eu_rate: Decimal,
    indirect_cost_rate: Decimal,
    indirect_cost_base: str,
    co_financing_model: str,
    co_financing_split: str,
    default_productive_hours: Decimal,
    hours_per_day: Decimal,
    officer_days_per_city: int,
    eligible_from: date | None,
    eligible_until: date | None,
    ineligible_costs: str,
    event_travel_margin_days: int,
    overspend_warning_percent: int,
    separate_duties: bool,
) -> Programme:
    """Change the grant's money rules (rates as fractions: 0.9 for 90%). Refused when the
    programme changed since `expected_version`, when the plan with its indirect costs would
    pass the budget, and when fewer productive hours would put recorded hours above a
    person's cap. A statement already prepared keeps its own rules."""
    if not can_manage_finance(actor, programme):
        raise DomainError(_("Only the programme's finance officers change its money rules."))
    new = {
        "total_budget": total_budget,
        "max_eu_rate": max_eu_rate,
        "indirect_cost_rate": indirect_cost_rate,
        "indirect_cost_base": indirect_cost_base,
        "co_financing_model": co_financing_model,
        "co_financing_split": co_financing_split,
        "default_productive_hours": default_productive_hours,
        "hours_per_day": hours_per_day,
        "officer_days_per_city": officer_days_per_city,
        "eligible_from": eligible_from,
        "eligible_until": eligible_until,
        "ineligible_costs": ineligible_costs,
        "event_travel_margin_days": event_travel_margin_days,
        "overspend_warning_percent": overspend_warning_percent,
        "separate_duties": separate_duties,
    }
    errors = _field_errors(programme, new)
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
        # The period may have changed since the form was checked (the coordinators').
        errors = _eligibility_errors(current, eligible_from, eligible_until)
        rules = GrantRules(
            eu_rate=max_eu_rate,
            indirect_rate=indirect_cost_rate,
            indirect_base=indirect_cost_base,
            co_financing_model=co_financing_model,
        )
        planned = planned_with_indirect(current, rules)
        if planned > total_budget:
            errors["total_budget"] = _(
                "The budget plan with its indirect costs comes to %(planned)s: the budget "
                "cannot be less."
            ) % {"planned": format_money(planned, "EUR")}
        if default_productive_hours < current.default_productive_hours and (
            problems := cap_problems(current, default_productive_hours)
        ):
            errors["default_productive_hours"] = ngettext(
                "Too few: %(n)d person-year would pass its cap (%(list)s).",
                "Too few: %(n)d people-years would pass their cap (%(list)s).",
                len(problems),
            ) % {"n": len(problems), "list": "; ".join(problems)}
        if errors:
            raise DomainError(_("Please correct the marked fields."), field_errors=errors)
        if all(getattr(current, name) == value for name, value in new.items()):
            return current
        for name, value in new.items():
            setattr(current, name, value)
        current.version += 1
        attribute_to(current, actor, "money rules changed")
        current.full_clean()
        current.save()
    return current


def partner_co_financing_update(
    *,
    actor: Any,
    programme: Programme,
    figures: dict[int, tuple[Decimal | None, Decimal | None]],
    revisions: dict[int, int],
) -> list[PartnerCoFinancing]:
    """Set the partners' co-financing targets (city partners only) and fixed contributions
    (partner pk → (target, contribution), None for none). Only the rows that change are
    written, each audited with its revision raised; refused when a row changed since the page
    showed it (`revisions`, 0 for a row not saved yet)."""
    if not can_manage_finance(actor, programme):
        raise DomainError(_("Only the programme's finance officers change its money rules."))
    partners = {
        p.pk: p for p in ProgrammePartner.objects.filter(programme=programme, pk__in=list(figures))
    }
    errors = {}
    for pk, (target, fixed) in figures.items():
        partner = partners.get(pk)
        if partner is None:
            raise DomainError(_("Choose partners of this programme."))
        if target is not None and (target < 0 or partner.role != PartnerRole.CITY):
            errors[f"target_{pk}"] = (
                _("The target cannot be negative.")
                if target < 0
                else _("Only city partners have a share of the co-financing target.")
            )
        if fixed is not None and fixed < 0:
            errors[f"fixed_{pk}"] = _("The contribution cannot be negative.")
    if errors:
        raise DomainError(_("Please correct the marked fields."), field_errors=errors)
    changed = []
    with transaction.atomic():
        saved = {
            row.partner_id: row
            for row in PartnerCoFinancing.objects.select_for_update().filter(programme=programme)
        }
        for pk in figures:
            row = saved.get(pk)
            if (row.revision if row else 0) != revisions.get(pk, 0):
                raise ConcurrentEditError(
                    _(
                        "Someone else saved the partners' co-financing while you were editing "
                        "it. The saved figures are shown below: check them and save again."
                    )
                )
        for pk, (target, fixed) in figures.items():
            row = saved.get(pk)
            if row is None:
                if target is None and fixed is None:
                    continue
                row = PartnerCoFinancing(programme=programme, partner=partners[pk], revision=0)
            elif (row.target_eur, row.fixed_contribution_eur) == (target, fixed):
                continue
            row.target_eur, row.fixed_contribution_eur = target, fixed
            row.revision += 1
            attribute_to(row, actor, "co-financing figures changed")
            row.full_clean()
            row.save()
            changed.append(row)
    return changed


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
