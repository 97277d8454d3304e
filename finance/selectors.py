"""Reads of the grant's money and hours: staff costs from approved timesheets at their frozen
or current rates, the co-financing ledger, each city's workload, and the budget (planned,
committed, spent) with indirect costs computed, never typed. All amounts are EUR Decimals."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, Prefetch, Q, Sum
from django.http import Http404

from core.rules import Action
from programmes.access import viewer_for
from programmes.choices import PartnerRole
from programmes.models import City, Programme, ProgrammePartner
from visits.models import Event

from .choices import Activity, ClaimStatus, CostCategory, LineDecision, TimesheetStatus
from .models import (
    BudgetLine,
    ClaimLine,
    ExchangeRate,
    ExpenseClaim,
    Receipt,
    StaffRate,
    TimeEntry,
)
from .money import ZERO, indirect_costs, staff_cost, to_eur


@dataclass
class StaffCostLine:
    """One person's month: hours times the hourly rate (rule 3), converted to EUR (rule 1)."""

    person_id: int
    organisation_id: int
    month: date
    hours: Decimal
    hourly_rate: Decimal | None
    currency: str
    amount: Decimal | None  # in `currency`; None when the person has no rate that year
    amount_eur: Decimal | None
    timesheet_id: int
    exchange_rate: Decimal | None = None  # units of `currency` for one euro, that month


def staff_cost_lines(programme: Programme, statuses: tuple[str, ...]) -> list[StaffCostLine]:
    """Staff costs of the months in these states, one line per person and month (3 queries)."""
    months = (
        TimeEntry.objects.filter(timesheet__programme=programme, timesheet__status__in=statuses)
        .values(
            "timesheet_id",
            "timesheet__person_id",
            "timesheet__person__organisation_id",
            "timesheet__month",
        )
        .annotate(hours=Sum("hours"))
        .order_by("timesheet__person_id", "timesheet__month")
    )
    rates = {(r.person_id, r.year): r for r in StaffRate.objects.filter(programme=programme)}
    exchange = {
        (x.currency, x.month): x.rate for x in ExchangeRate.objects.filter(programme=programme)
    }
    lines = []
    for row in months:
        month = row["timesheet__month"]
        rate = rates.get((row["timesheet__person_id"], month.year))
        amount = staff_cost(row["hours"], rate.hourly_rate) if rate else None
        currency = rate.currency if rate else "EUR"
        converted = None
        if amount is not None and (currency == "EUR" or (currency, month) in exchange):
            converted = to_eur(amount, currency, exchange.get((currency, month)))
        lines.append(
            StaffCostLine(
                person_id=row["timesheet__person_id"],
                organisation_id=row["timesheet__person__organisation_id"],
                month=month,
                hours=row["hours"],
                hourly_rate=rate.hourly_rate if rate else None,
                currency=currency,
                amount=amount,
                amount_eur=converted,
                timesheet_id=row["timesheet_id"],
                exchange_rate=exchange.get((currency, month)),
            )
        )
    return lines


@dataclass
class CoFinancingRow:
    city: City
    staff_cost_eur: Decimal
    share_eur: Decimal
    months_without_rate: int

    @property
    def percent_of_share(self) -> Decimal:
        if not self.share_eur:
            return ZERO
        return (self.staff_cost_eur / self.share_eur * 100).quantize(Decimal("0.1"))


@dataclass
class CoFinancing:
    programme: Programme
    rows: list[CoFinancingRow]
    target_eur: Decimal  # the part of the budget the funder does not pay
    eligible_eur: Decimal
    eu_contribution_eur: Decimal
    co_financing_eur: Decimal

    @property
    def profit_eur(self) -> Decimal:
        """EU contribution and co-financing above the eligible costs: must never be positive."""
        return self.eu_contribution_eur + self.co_financing_eur - self.eligible_eur


def co_financing(programme: Programme) -> CoFinancing:
    """Per city, its staff costs from approved months against its equal share of the
    co-financing target; for the programme, the EU contribution (at most the EU rate of the
    eligible costs and of the grant) and the no-profit check."""
    city_partners = list(
        ProgrammePartner.objects.filter(programme=programme, role=PartnerRole.CITY)
        .select_related("organisation__city")
        .order_by("organisation__name")
    )
    target = programme.co_financing_target
    share = (target / len(city_partners)).quantize(Decimal("0.01")) if city_partners else ZERO
    by_organisation: dict[int, Decimal] = defaultdict(lambda: ZERO)
    missing: dict[int, int] = defaultdict(int)
    for line in staff_cost_lines(programme, (TimesheetStatus.APPROVED,)):
        if line.amount_eur is None:
            missing[line.organisation_id] += 1
        else:
            by_organisation[line.organisation_id] += line.amount_eur
    rows = [
        CoFinancingRow(
            city=partner.organisation.city,
            staff_cost_eur=by_organisation[partner.organisation_id],
            share_eur=share,
            months_without_rate=missing[partner.organisation_id],
        )
        for partner in city_partners
    ]
    spent = budget_overview(programme).spent_total
    co = sum((row.staff_cost_eur for row in rows), ZERO)
    eu = min(
        (spent * programme.max_eu_rate).quantize(Decimal("0.01")),
        programme.max_eu_contribution,
        spent - co if spent > co else ZERO,
    )
    return CoFinancing(programme, rows, target, spent, eu, co)


@dataclass
class Workload:
    city: City
    allocation_days: Decimal
    used_days: Decimal
    by_person: dict[str, Decimal]
    by_activity: dict[str, Decimal]
    by_month: list[tuple[date, Decimal]]  # days left after each month: the burn-down

    @property
    def left_days(self) -> Decimal:
        return self.allocation_days - self.used_days


def city_workload(programme: Programme, city: City) -> Workload:
    """Days the city's people recorded (signed or approved months) against its allocation."""
    per_day = Decimal(settings.FINANCE_HOURS_PER_DAY)
    entries = (
        TimeEntry.objects.filter(
            timesheet__programme=programme,
            timesheet__person__memberships__programme=programme,
            timesheet__person__memberships__city=city,
        )
        .exclude(timesheet__status=TimesheetStatus.OPEN)
        .values(
            "activity",
            "timesheet__month",
            "timesheet__person__first_name",
            "timesheet__person__last_name",
        )
        .annotate(hours=Sum("hours"))
        .distinct()
    )
    by_person: dict[str, Decimal] = defaultdict(lambda: ZERO)
    by_activity: dict[str, Decimal] = defaultdict(lambda: ZERO)
    by_month: dict[date, Decimal] = defaultdict(lambda: ZERO)
    for row in entries:
        days = (row["hours"] / per_day).quantize(Decimal("0.01"))
        name = f"{row['timesheet__person__first_name']} {row['timesheet__person__last_name']}"
        by_person[name] += days
        by_activity[str(Activity(row["activity"]).label)] += days
        by_month[row["timesheet__month"]] += days
    allocation = Decimal(settings.FINANCE_CITY_DAYS)
    left, burn = allocation, []
    for month in sorted(by_month):
        left -= by_month[month]
        burn.append((month, left))
    used = sum(by_month.values(), ZERO)
    return Workload(city, allocation, used, dict(by_person), dict(by_activity), burn)


@dataclass
class BudgetRow:
    partner: ProgrammePartner
    category: str
    planned: Decimal = ZERO
    committed: Decimal = ZERO
    spent: Decimal = ZERO

    @property
    def forecast(self) -> Decimal:
        return self.committed + self.spent


@dataclass
class BudgetOverview:
    rows: list[BudgetRow] = field(default_factory=list)

    @property
    def planned_total(self) -> Decimal:
        return sum((r.planned for r in self.rows), ZERO)

    @property
    def spent_total(self) -> Decimal:
        return sum((r.spent for r in self.rows), ZERO)


def budget_overview(programme: Programme) -> BudgetOverview:
    """Planned, committed and spent per partner and category. Travel is the coordinator's
    (it pays every traveller): approved claims are committed, reimbursed ones spent. Staff
    costs are each partner's: signed months committed, approved months spent. Indirect costs
    are the flat rate of each partner's direct costs (planned and spent), never typed."""
    partners = list(
        ProgrammePartner.objects.filter(programme=programme).select_related("organisation")
    )
    rows: dict[tuple[int, str], BudgetRow] = {}

    def row(partner: ProgrammePartner, category: str) -> BudgetRow:
        return rows.setdefault((partner.pk, category), BudgetRow(partner, category))

    by_pk = {p.pk: p for p in partners}
    for line in BudgetLine.objects.filter(programme=programme):
        row(by_pk[line.partner_id], line.category).planned = line.planned_eur
    by_organisation = {p.organisation_id: p for p in partners}
    for status, attribute in (
        (TimesheetStatus.SIGNED, "committed"),
        (TimesheetStatus.APPROVED, "spent"),
    ):
        for cost in staff_cost_lines(programme, (status,)):
            owner = by_organisation.get(cost.organisation_id)
            if owner is not None and cost.amount_eur is not None:
                target = row(owner, CostCategory.STAFF)
                setattr(target, attribute, getattr(target, attribute) + cost.amount_eur)
    coordinator = next((p for p in partners if p.role == PartnerRole.COORDINATOR), None)
    if coordinator is not None:
        claims = ClaimLine.objects.filter(
            claim__programme=programme, decision=LineDecision.ACCEPTED
        )
        travel = row(coordinator, CostCategory.TRAVEL)
        travel.committed = (
            claims.filter(claim__status=ClaimStatus.APPROVED).aggregate(t=Sum("amount_eur"))["t"]
            or ZERO
        )
        travel.spent = (
            claims.filter(claim__status=ClaimStatus.REIMBURSED).aggregate(t=Sum("amount_eur"))["t"]
            or ZERO
        )
    for partner in partners:
        direct = [r for (pk, _c), r in rows.items() if pk == partner.pk]
        if not direct:
            continue
        indirect = row(partner, CostCategory.INDIRECT)
        for attribute in ("planned", "committed", "spent"):
            base = sum((getattr(r, attribute) for r in direct), ZERO)
            setattr(indirect, attribute, indirect_costs(base, programme.indirect_cost_rate))
    order = {c: n for n, c in enumerate(CostCategory.values)}
    overview = BudgetOverview(
        sorted(rows.values(), key=lambda r: (r.partner.organisation.name, order[r.category]))
    )
    return overview


# ---------------------------------------------------------------- claims and timesheets


def _claims_visible(user: Any, programme: Programme) -> Q:
    """A traveller sees their own claims; coordinators, finance officers and auditors all."""
    viewer = viewer_for(user)
    if viewer.can(Action.VIEW_FINANCE, programme_id=programme.pk):
        return Q(programme=programme)
    return Q(programme=programme, traveller__user_id=viewer.user_id or 0)


def claims_for(user: Any, programme: Programme) -> list[ExpenseClaim]:
    return list(
        ExpenseClaim.objects.filter(_claims_visible(user, programme))
        .select_related("traveller", "event")
        .annotate(
            claimed_eur=Sum("lines__amount_eur"),
            line_count=Count("lines", distinct=True),
        )
        .order_by("-pk")
    )


def claim_get(user: Any, programme: Programme, pk: int) -> ExpenseClaim:
    claim = (
        ExpenseClaim.objects.filter(_claims_visible(user, programme), pk=pk)
        .select_related("traveller__organisation", "event", "checked_by", "approved_by")
        .prefetch_related(
            Prefetch("lines", queryset=ClaimLine.objects.prefetch_related("receipts"))
        )
        .first()
    )
    if claim is None:
        raise Http404("No such claim")
    return claim


def receipt_get(user: Any, programme: Programme, claim_pk: int, pk: int) -> Receipt:
    """A receipt of a claim the viewer may read (404 otherwise, whoever asks)."""
    claim = claim_get(user, programme, claim_pk)
    receipt = Receipt.objects.filter(line__claim=claim, pk=pk).first()
    if receipt is None:
        raise Http404("No such receipt")
    return receipt


@dataclass
class FinanceInbox:
    to_check: list[ExpenseClaim]
    to_approve: list[ExpenseClaim]
    to_pay: list[ExpenseClaim]


def finance_inbox(user: Any, programme: Programme) -> FinanceInbox:
    """What waits for the programme's finance officers."""
    claims = (
        ExpenseClaim.objects.filter(programme=programme)
        .select_related("traveller")
        .annotate(claimed_eur=Sum("lines__amount_eur"))
        .order_by("submitted_at", "pk")
    )
    return FinanceInbox(
        to_check=list(claims.filter(status=ClaimStatus.SUBMITTED)),
        to_approve=list(claims.filter(status=ClaimStatus.CHECKED)),
        to_pay=list(claims.filter(status=ClaimStatus.APPROVED)),
    )


def claimable_events(programme: Programme) -> list[Event]:
    """The events of the programme a traveller may claim costs for."""
    return list(Event.objects.filter(programme=programme).order_by("starts_at"))
