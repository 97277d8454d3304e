"""Reads of the grant's money and hours: staff costs from approved timesheets at their frozen
or current rates, the co-financing ledger, each city's workload, and the budget (planned,
committed, spent) with indirect costs computed, never typed. All amounts are EUR Decimals."""

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import cached_property
from typing import Any, NamedTuple

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.aggregates import ExactSum
from core.choosers import Choice, ChooserMessages, NameChooser
from core.roles import Role
from core.rules import Action
from core.work import WorkItem
from programmes.access import viewer_for
from programmes.choices import CoFinancingModel, CoFinancingSplit, PartnerRole
from programmes.models import City, Membership, Person, Programme, ProgrammePartner
from visits.choices import EventStatus, Invitation
from visits.models import Event, Participant

from .choices import (
    Activity,
    ClaimStatus,
    CostCategory,
    LineDecision,
    TimesheetStatus,
    activity_of_event,
)
from .grant_rules import GrantRules, PartnerCosts, programme_rules, split
from .models import (
    BudgetLine,
    BudgetOverride,
    BudgetTransfer,
    ClaimLine,
    ExchangeRate,
    ExpenseClaim,
    OtherGrantHours,
    PartnerCoFinancing,
    Receipt,
    StaffRate,
    Statement,
    StatementFiles,
    TimeEntry,
    Timesheet,
)
from .money import ZERO, cents, hourly_rate, staff_cost, to_eur
from .permissions import can_manage_finance, supervised_city_ids, supervises_programme_staff


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
    # The rate's inputs (rule 2), so a statement shows how the hourly rate was computed.
    annual_cost: Decimal | None = None
    productive_hours: Decimal | None = None


class _Rate(NamedTuple):
    hourly_rate: Decimal
    currency: str
    annual_cost: Decimal
    productive_hours: Decimal


def staff_cost_lines(
    programme: Programme,
    statuses: tuple[str, ...],
    *,
    organisation_id: int | None = None,
    timesheets: QuerySet[Timesheet] | None = None,
) -> list[StaffCostLine]:
    """Staff costs of the months in these states, one line per person and month (3 queries),
    of one organisation's people when `organisation_id` is given, of these `timesheets` alone
    when given (a statement's)."""
    entries = TimeEntry.objects.filter(
        timesheet__programme=programme, timesheet__status__in=statuses
    )
    rates_of = StaffRate.objects.filter(programme=programme)
    if timesheets is not None:
        entries = entries.filter(timesheet__in=timesheets.values("pk"))
        rates_of = rates_of.filter(person__in=timesheets.values("person_id"))
    if organisation_id is not None:
        entries = entries.filter(timesheet__person__organisation_id=organisation_id)
        rates_of = rates_of.filter(person__organisation_id=organisation_id)
    months = (
        entries.values(
            "timesheet_id",
            "timesheet__person_id",
            "timesheet__person__organisation_id",
            "timesheet__month",
        )
        .annotate(hours=ExactSum("hours"))
        .order_by("timesheet__person_id", "timesheet__month")
    )
    # Plain values, not models: a programme holds a rate per person and year.
    rates = {
        (person_id, year): _Rate(hourly_rate(annual, productive), currency, annual, productive)
        for person_id, year, currency, annual, productive in rates_of.values_list(
            "person_id", "year", "currency", "annual_cost", "productive_hours"
        )
    }
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
                annual_cost=rate.annual_cost if rate else None,
                productive_hours=rate.productive_hours if rate else None,
            )
        )
    return lines


@dataclass
class CoFinancingRow:
    """A city partner's co-financing under the programme's model, against its target."""

    city: City
    partner: ProgrammePartner
    staff_cost_eur: Decimal  # its staff costs of approved months
    costs_eur: Decimal  # its eligible costs spent, indirect ones included
    co_financing_eur: Decimal  # what the model counts as its co-financing
    share_eur: Decimal  # its target: an equal share, or its own (PartnerCoFinancing)
    months_without_rate: int

    @property
    def percent_of_share(self) -> Decimal:
        if not self.share_eur:
            return ZERO
        return (self.co_financing_eur / self.share_eur * 100).quantize(Decimal("0.1"))


@dataclass
class CoFinancing:
    programme: Programme
    rows: list[CoFinancingRow]
    target_eur: Decimal  # the part of the budget the funder does not pay
    eligible_eur: Decimal
    eu_contribution_eur: Decimal
    co_financing_eur: Decimal
    rules: GrantRules

    @property
    def profit_eur(self) -> Decimal:
        """EU contribution and co-financing above the eligible costs: must never be positive."""
        return self.eu_contribution_eur + self.co_financing_eur - self.eligible_eur

    @property
    def model_label(self) -> str:
        return str(CoFinancingModel(self.rules.co_financing_model).label)


def co_financing(
    programme: Programme,
    overview: "BudgetOverview | None" = None,
    partners: list[ProgrammePartner] | None = None,
    *,
    city_count: int | None = None,
) -> CoFinancing:
    """The costs spent split under the programme's current rules (finance.grant_rules): per
    city, its co-financing under the model against its target (an equal share of the
    programme's target, or its own); for the programme, the EU contribution (as the model says,
    and never above the EU rate of the grant) and the no-profit check."""
    rules = programme_rules(programme)
    if partners is None:  # else the programme's partners, with their organisation's city
        partners = list(
            ProgrammePartner.objects.filter(programme=programme)
            .select_related("organisation__city")
            .order_by("organisation__name")
        )
    # What was spent is all the co-financing depends on.
    overview = overview or budget_overview(programme, partners=partners, spent_only=True)
    city_partners = sorted(
        (p for p in partners if p.role == PartnerRole.CITY), key=lambda p: p.organisation.name
    )
    target = programme.co_financing_target
    if programme.co_financing_split == CoFinancingSplit.PER_PARTNER:
        own = {
            row.partner_id: row.target_eur
            for row in PartnerCoFinancing.objects.filter(programme=programme)
            if row.target_eur is not None
        }
        shares = {p.pk: own.get(p.pk, ZERO) for p in city_partners}
    else:
        # An equal share of the programme's city partners (`city_count` when only some are
        # given: a city's own page).
        count = city_count if city_count is not None else len(city_partners)
        share = (target / count).quantize(Decimal("0.01")) if count else ZERO
        shares = {p.pk: share for p in city_partners}
    staff: dict[int, Decimal] = defaultdict(lambda: ZERO)
    costs: dict[int, Decimal] = defaultdict(lambda: ZERO)
    roles: dict[int, str] = {}
    for row in overview.rows:
        roles[row.partner.pk] = row.partner.role
        costs[row.partner.pk] += row.spent
        if row.category == CostCategory.STAFF:
            staff[row.partner.pk] += row.spent
    shared = split(rules, (PartnerCosts(pk, roles[pk], staff[pk], costs[pk]) for pk in roles))
    missing = overview.months_without_rate
    rows = [
        CoFinancingRow(
            city=partner.organisation.city,
            partner=partner,
            staff_cost_eur=staff[partner.pk],
            costs_eur=costs[partner.pk],
            co_financing_eur=shared.by_partner.get(partner.pk, ZERO),
            share_eur=shares[partner.pk],
            months_without_rate=missing.get(partner.organisation_id, 0),
        )
        for partner in city_partners
    ]
    eu = min(shared.eu_contribution, programme.max_eu_contribution)
    return CoFinancing(programme, rows, target, shared.total, eu, shared.co_financing, rules)


def partner_co_financing(programme: Programme) -> tuple[list[ProgrammePartner], dict[int, Any]]:
    """The programme's partners (coordinator first, then by name) and their saved co-financing
    figures by partner pk (two queries)."""
    partners = sorted(
        ProgrammePartner.objects.filter(programme=programme).select_related("organisation"),
        key=lambda p: (p.role != PartnerRole.COORDINATOR, str(p.organisation.name)),
    )
    saved = {row.partner_id: row for row in PartnerCoFinancing.objects.filter(programme=programme)}
    return partners, saved


def co_financing_target_gap(programme: Programme) -> Decimal | None:
    """With a target per partner: how far the city partners' targets are from the programme's
    co-financing target (positive when short), None when they add up or the split is equal."""
    if programme.co_financing_split != CoFinancingSplit.PER_PARTNER:
        return None
    total = (
        PartnerCoFinancing.objects.filter(
            programme=programme, partner__role=PartnerRole.CITY
        ).aggregate(t=ExactSum("target_eur"))["t"]
        or ZERO
    )
    gap = programme.co_financing_target - total
    return gap or None


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
    per_day = programme.hours_per_day
    entries = (
        TimeEntry.objects.filter(
            timesheet__programme=programme,
            # A subquery, not a join: a person with two roles in the city counts once.
            timesheet__person_id__in=Membership.objects.filter(
                programme=programme, city=city
            ).values("person_id"),
        )
        .exclude(timesheet__status=TimesheetStatus.OPEN)
        .values(
            "activity",
            "timesheet__month",
            "timesheet__person__first_name",
            "timesheet__person__last_name",
        )
        .annotate(hours=ExactSum("hours"))
        .order_by()  # the model's ordering would group by day too: days are rounded per month
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
    allocation = Decimal(programme.officer_days_per_city)
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
    elapsed: Decimal = Decimal("1")  # the share of the programme's months gone by
    line: BudgetLine | None = None  # the planned line, if one is open (never for indirect)

    @property
    def label(self) -> str:
        return str(CostCategory(self.category).label) if self.category else ""

    @property
    def actual(self) -> Decimal:
        return self.committed + self.spent

    @property
    def forecast(self) -> Decimal:
        """At completion, if spending goes on at its pace so far: the actual costs over the
        share of time gone by (the plan before the programme starts)."""
        if self.elapsed <= 0:
            return self.planned
        return cents(self.actual / self.elapsed) if self.elapsed < 1 else self.actual

    @property
    def left(self) -> Decimal:
        return self.planned - self.actual


@dataclass
class BudgetOverview:
    rows: list[BudgetRow] = field(default_factory=list)
    elapsed: Decimal = Decimal("1")
    # Approved months without a staff rate (their cost unknown), by organisation.
    months_without_rate: dict[int, int] = field(default_factory=dict)

    def _total(self, rows: list[BudgetRow], partner: Any = None, category: str = "") -> BudgetRow:
        total = BudgetRow(partner, category, elapsed=self.elapsed)
        for attribute in ("planned", "committed", "spent"):
            setattr(total, attribute, sum((getattr(r, attribute) for r in rows), ZERO))
        return total

    @cached_property
    def total(self) -> BudgetRow:
        """Over every row (read several times by a page: computed once)."""
        return self._total(self.rows)

    @property
    def planned_total(self) -> Decimal:
        return self.total.planned

    @property
    def spent_total(self) -> Decimal:
        return self.total.spent

    def by_partner(self) -> list[tuple[ProgrammePartner, list[BudgetRow], BudgetRow]]:
        groups: dict[int, list[BudgetRow]] = defaultdict(list)
        for row in self.rows:
            groups[row.partner.pk].append(row)
        return [
            (rows[0].partner, rows, self._total(rows, rows[0].partner)) for rows in groups.values()
        ]

    def by_category(self) -> list[BudgetRow]:
        groups: dict[str, list[BudgetRow]] = defaultdict(list)
        for row in self.rows:
            groups[row.category].append(row)
        return [self._total(groups[c], category=c) for c in CostCategory.values if c in groups]


def programme_months(programme: Programme) -> list[date]:
    """The first day of each of the programme's months."""
    months, month = [], programme.start_date.replace(day=1)
    while month <= programme.end_date:
        months.append(month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return months


def elapsed_share(programme: Programme, today: date) -> Decimal:
    """The share of the programme's months gone by on `today` (0 before, 1 after)."""

    def month_index(day: date) -> int:
        return day.year * 12 + day.month

    total = month_index(programme.end_date) - month_index(programme.start_date) + 1
    gone = month_index(today) - month_index(programme.start_date)
    return min(max(Decimal(gone) / Decimal(total), Decimal("0")), Decimal("1"))


def _budget_rows(
    programme: Programme,
    partners: list[ProgrammePartner],
    elapsed: Decimal,
    categories: frozenset[str] | None = None,
    missing: dict[int, int] | None = None,
    spent_only: bool = False,
) -> dict[tuple[int, str], BudgetRow]:
    """The budget rows of these partners (all of the programme's, or one): planned, committed
    and spent per category, indirect costs computed on their base. `categories` limits what is
    read to what those categories need (indirect costs need every direct one). `missing`, when
    given, receives the approved months without a staff rate by organisation. `spent_only`
    reads only what was spent (what co-financing is computed from)."""
    rows: dict[tuple[int, str], BudgetRow] = {}

    def row(partner: ProgrammePartner, category: str) -> BudgetRow:
        return rows.setdefault(
            (partner.pk, category), BudgetRow(partner, category, elapsed=elapsed)
        )

    def needs(category: str) -> bool:
        return categories is None or category in categories or CostCategory.INDIRECT in categories

    alone = partners[0] if len(partners) == 1 else None
    by_pk = {p.pk: p for p in partners}
    lines = BudgetLine.objects.filter(programme=programme)
    if alone is not None:
        lines = lines.filter(partner=alone)
    if spent_only:
        lines = lines.none()
    for line in lines:
        if line.partner_id in by_pk:
            line.partner = by_pk[line.partner_id]  # for its label, without a query
            planned = row(line.partner, line.category)
            planned.planned, planned.line = line.planned_eur, line
    by_organisation = {p.organisation_id: p for p in partners}
    if needs(CostCategory.STAFF):
        for status, attribute in (
            () if spent_only else ((TimesheetStatus.SIGNED, "committed"),)
        ) + ((TimesheetStatus.APPROVED, "spent"),):
            organisation = alone.organisation_id if alone is not None else None
            for cost in staff_cost_lines(programme, (status,), organisation_id=organisation):
                if missing is not None and attribute == "spent" and cost.amount_eur is None:
                    missing[cost.organisation_id] = missing.get(cost.organisation_id, 0) + 1
                owner = by_organisation.get(cost.organisation_id)
                if owner is not None and cost.amount_eur is not None:
                    target = row(owner, CostCategory.STAFF)
                    setattr(target, attribute, getattr(target, attribute) + cost.amount_eur)
    coordinator = next((p for p in partners if p.role == PartnerRole.COORDINATOR), None)
    if coordinator is not None and needs(CostCategory.TRAVEL):
        claims = ClaimLine.objects.filter(
            claim__programme=programme, decision=LineDecision.ACCEPTED
        )
        travel = row(coordinator, CostCategory.TRAVEL)
        sums = claims.aggregate(
            committed=ExactSum("amount_eur", filter=Q(claim__status=ClaimStatus.APPROVED)),
            spent=ExactSum("amount_eur", filter=Q(claim__status=ClaimStatus.REIMBURSED)),
        )
        travel.committed = ZERO if spent_only else sums["committed"] or ZERO
        travel.spent = sums["spent"] or ZERO
    if categories is not None and CostCategory.INDIRECT not in categories:
        return rows
    rules = programme_rules(programme)  # the flat rate on its base (finance.grant_rules)
    direct_of: dict[int, list[BudgetRow]] = defaultdict(list)
    for (pk, _category), direct_row in rows.items():
        direct_of[pk].append(direct_row)
    for partner in partners:
        direct = direct_of.get(partner.pk)
        if not direct:
            continue
        staff = rows.get((partner.pk, CostCategory.STAFF))
        indirect = row(partner, CostCategory.INDIRECT)
        for attribute in ("planned", "committed", "spent"):
            base = sum((getattr(r, attribute) for r in direct), ZERO)
            on_staff = getattr(staff, attribute) if staff is not None else ZERO
            setattr(indirect, attribute, rules.indirect(on_staff, base))
    return rows


def budget_overview(
    programme: Programme,
    today: date | None = None,
    partners: list[ProgrammePartner] | None = None,
    *,
    spent_only: bool = False,
) -> BudgetOverview:
    """Planned, committed and spent per partner and category. Travel is the coordinator's
    (it pays every traveller): approved claims are committed, reimbursed ones spent. Staff
    costs are each partner's: signed months committed, approved months spent. Indirect costs
    are the flat rate of each partner's direct or staff costs (the programme's base; planned
    and spent), never typed. `partners`: the programme's, when the caller read them already;
    `spent_only`: what was spent alone (planned and committed left at zero)."""
    if partners is None:
        partners = list(
            ProgrammePartner.objects.filter(programme=programme).select_related("organisation")
        )
    elapsed = elapsed_share(programme, today or timezone.localdate())
    missing: dict[int, int] = {}
    rows = _budget_rows(programme, partners, elapsed, missing=missing, spent_only=spent_only)
    order = {c: n for n, c in enumerate(CostCategory.values)}
    return BudgetOverview(
        sorted(rows.values(), key=lambda r: (r.partner.organisation.name, order[r.category])),
        elapsed,
        missing,
    )


def budget_line_row(
    programme: Programme, partner: ProgrammePartner, category: str, today: date | None = None
) -> BudgetRow:
    """One partner's line in one category, with the same figures as the budget's overview,
    read from that partner's records alone (the overspend check before an approval): a
    bounded number of queries however many lines and partners the budget has."""
    elapsed = elapsed_share(programme, today or timezone.localdate())
    rows = _budget_rows(programme, [partner], elapsed, frozenset({category}))
    return rows.get((partner.pk, category)) or BudgetRow(partner, category, elapsed=elapsed)


BUDGET_PARTNERS_PER_PAGE = 20


@dataclass
class BudgetPartner:
    """A partner of the budget's page: its rows by category (indirect costs included) and
    their total."""

    partner: ProgrammePartner
    rows: list[BudgetRow]
    total: BudgetRow


@dataclass
class BudgetPage:
    """The budget: its totals over every partner and category (`overview`, `ledger`), and one
    page of the partners, found by name, with their lines, co-financing, transfers and
    overrides; the forms act on the lines of the partners shown."""

    overview: BudgetOverview
    ledger: CoFinancing
    page: Page  # of BudgetPartner
    query: str
    partner_count: int  # of the whole programme

    @property
    def partners(self) -> list[ProgrammePartner]:
        return [shown.partner for shown in self.page]

    @property
    def lines(self) -> list[BudgetLine]:
        """The open lines of the partners shown, by partner and category."""
        return [r.line for shown in self.page for r in shown.rows if r.line is not None]

    @property
    def ledger_rows(self) -> list[CoFinancingRow]:
        shown = {p.pk for p in self.partners}
        return [r for r in self.ledger.rows if r.partner.pk in shown]

    @property
    def query_string(self) -> str:
        """The page's own parameters (its search and page number), for the forms' addresses."""
        return urlencode(
            {k: v for k, v in (("q", self.query), ("page", self.page.number)) if v and v != 1}
        )

    @property
    def search_string(self) -> str:
        """The search alone, for the links between pages."""
        return urlencode({"q": self.query}) if self.query else ""


def _matches(text: str, *names: str | None) -> bool:
    """Whether every word typed is in one of the names (accents and case as typed: casefold)."""
    haystack = " ".join(n for n in names if n).casefold()
    return all(word in haystack for word in text.casefold().split())


def budget_page(programme: Programme, *, query: str = "", page: Any = 1) -> BudgetPage:
    """The budget's page: totals over the whole budget, and a page of the partners whose name
    or city holds every word of `query`, with their rows. The same queries whatever the size
    of the budget (the partners are paged in memory: the overview reads them all anyway)."""
    query = query.strip()[:100]
    partners = list(
        ProgrammePartner.objects.filter(programme=programme)
        .select_related("organisation__city")
        .order_by("organisation__name", "pk")
    )
    overview = budget_overview(programme, partners=partners)
    ledger = co_financing(programme, overview, partners)
    if query:
        partners = [
            p
            for p in partners
            if _matches(
                query,
                p.organisation.name,
                getattr(getattr(p.organisation, "city", None), "name", None),
            )
        ]
    rows: dict[int, list[BudgetRow]] = defaultdict(list)
    for budget_row in overview.rows:
        rows[budget_row.partner.pk].append(budget_row)
    shown: Page = Paginator(partners, BUDGET_PARTNERS_PER_PAGE).get_page(page)
    shown.object_list = [
        BudgetPartner(p, rows[p.pk], overview._total(rows[p.pk], p)) for p in shown.object_list
    ]
    return BudgetPage(overview, ledger, shown, query, len(partners))


def partner_chooser(programme: Programme) -> NameChooser:
    """The programme's partners found by what a finance officer types (core.choosers), where a
    select would list every partner: a choice's key is the partner's pk, its label the
    organisation's name with its city's country."""

    def load() -> list[Choice]:
        rows = (
            ProgrammePartner.objects.filter(programme=programme)
            .order_by("organisation__name", "pk")
            .values_list("pk", "organisation__name", "organisation__city__country")
        )
        return [Choice(str(pk), name, str(country or "")) for pk, name, country in rows]

    return NameChooser(
        load,
        ChooserMessages(
            several=_("Several partners are called “%(text)s”: choose one, e.g. “%(example)s”."),
            did_you_mean=_(
                "No partner of the programme is called “%(text)s”. Did you mean %(names)s?"
            ),
            unknown=_("No partner of the programme is called “%(text)s”."),
        ),
    )


def budget_line_of(programme: Programme, partner_id: int, category: str) -> BudgetLine | None:
    """A partner's open line in a category, with its partner (one query)."""
    return (
        BudgetLine.objects.filter(programme=programme, partner_id=partner_id, category=category)
        .select_related("partner__organisation")
        .first()
    )


# ---------------------------------------------------------------- claims and timesheets


def _claims_visible(user: Any, programme: Programme) -> Q:
    """A traveller sees their own claims; coordinators, finance officers and auditors all."""
    viewer = viewer_for(user)
    if viewer.can(Action.VIEW_FINANCE, programme_id=programme.pk):
        return Q(programme=programme)
    return Q(programme=programme, traveller__user_id=viewer.user_id or 0)


def _accepted_eur() -> ExactSum:
    """A claim's accepted total (what is reimbursed), as an annotation over its lines."""
    return ExactSum("lines__amount_eur", filter=Q(lines__decision=LineDecision.ACCEPTED))


CLAIMS_PER_PAGE = 25


def _claims_with_totals(user: Any, programme: Programme) -> QuerySet[ExpenseClaim]:
    """The claims the user sees, each with its claimed total and, once checked, its accepted
    total (`accepted_eur`, None before the check), newest first."""
    return (
        ExpenseClaim.objects.filter(_claims_visible(user, programme))
        .select_related("traveller", "event")
        .annotate(
            claimed_eur=ExactSum("lines__amount_eur"),
            accepted_eur=_accepted_eur(),
            line_count=Count("lines", distinct=True),
        )
        .order_by("-pk")
    )


@dataclass
class ClaimsPage:
    """One page of the claims the user sees, filtered by status, with each status's count."""

    page: Page
    status: str
    counts: dict[str, int]

    @property
    def claim_count(self) -> int:
        return sum(self.counts.values())

    @property
    def statuses(self) -> list[tuple[str, Any, int]]:
        """Each status with its label and count, in the workflow's order."""
        return [(value, label, self.counts.get(value, 0)) for value, label in ClaimStatus.choices]


def claims_page(user: Any, programme: Programme, *, status: str = "", page: Any = 1) -> ClaimsPage:
    """A page of the user's claims: however many there are, two queries (the counts by
    status, the page's rows)."""
    counts = dict(
        ExpenseClaim.objects.filter(_claims_visible(user, programme))
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    claims = _claims_with_totals(user, programme)
    if status in ClaimStatus.values:
        claims = claims.filter(status=status)
    else:
        status = ""
    paginator = Paginator(claims, CLAIMS_PER_PAGE)
    # The counts by status give the list's length (no COUNT query of its own), and the page
    # is read with one query even when empty: the same queries for no claim as for many.
    paginator.count = counts.get(status, 0) if status else sum(counts.values())
    shown = paginator.get_page(page)
    offset = (shown.number - 1) * CLAIMS_PER_PAGE
    shown.object_list = list(claims[offset : offset + CLAIMS_PER_PAGE])
    return ClaimsPage(shown, status, counts)


def claim_get(user: Any, programme: Programme, pk: int) -> ExpenseClaim:
    claim = (
        ExpenseClaim.objects.filter(_claims_visible(user, programme), pk=pk)
        .select_related(
            "programme",
            "traveller__organisation",
            "event",
            "checked_by",
            "approved_by",
            "reimbursed_by",
        )
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


INBOX_SHOWN = 25


@dataclass
class InboxGroup:
    """The claims of one status waiting for the finance officers: the INBOX_SHOWN waiting
    longest, and how many wait in all (the claims list, filtered by the status, has them all)."""

    status: str
    claims: list[ExpenseClaim]
    count: int


@dataclass
class FinanceInbox:
    to_check: InboxGroup
    to_approve: InboxGroup
    to_pay: InboxGroup

    @property
    def count(self) -> int:
        return self.to_check.count + self.to_approve.count + self.to_pay.count


def finance_inbox(user: Any, programme: Programme) -> FinanceInbox:
    """What waits for the programme's finance officers, each claim with its claimed total and
    its accepted total (`accepted_eur`: what is approved and paid, once checked): four queries,
    however many claims wait."""
    waiting = (ClaimStatus.SUBMITTED, ClaimStatus.CHECKED, ClaimStatus.APPROVED)
    counts = dict(
        ExpenseClaim.objects.filter(programme=programme, status__in=waiting)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    claims = (
        ExpenseClaim.objects.filter(programme=programme)
        .select_related("traveller")
        .annotate(claimed_eur=ExactSum("lines__amount_eur"), accepted_eur=_accepted_eur())
        .order_by("submitted_at", "pk")
    )

    def group(status: str) -> InboxGroup:
        shown: list[ExpenseClaim] = list(claims.filter(status=status)[:INBOX_SHOWN])
        return InboxGroup(status, shown, counts.get(status, 0))

    return FinanceInbox(*(group(status) for status in waiting))


EVENT_MATCHES_SHOWN = 20


@dataclass
class ClaimableEventLookup:
    """The events of the programme a traveller may claim costs for, found by what is typed:
    the claim form never lists them all (a programme at scale holds hundreds). Who may claim
    a given event (the conference's delegates) is the service's check, not the lookup's."""

    programme: Programme

    def _events(self) -> QuerySet[Event]:
        return Event.objects.filter(programme=self.programme).select_related("host_city")

    def get(self, pk: Any) -> Event | None:
        """The event chosen, if it is one of the programme's."""
        try:
            return self._events().filter(pk=int(pk)).first()
        except (TypeError, ValueError):
            return None

    def search(self, text: str) -> tuple[list[Event], bool]:
        """The events whose title, venue or host city holds every word typed, in date order
        (at most EVENT_MATCHES_SHOWN), and whether there are more."""
        events = self._events()
        for word in text.split()[:5]:
            events = events.filter(
                Q(title__icontains=word)
                | Q(venue__icontains=word)
                | Q(host_city__name__icontains=word)
            )
        found = list(events.order_by("starts_at", "pk")[: EVENT_MATCHES_SHOWN + 1])
        return found[:EVENT_MATCHES_SHOWN], len(found) > EVENT_MATCHES_SHOWN


def claimable_event_lookup(user: Any, programme: Programme) -> ClaimableEventLookup:
    """The search for the events to claim for, for whoever sees the programme (the programme
    itself fetched within the user's scope: programme_get)."""
    return ClaimableEventLookup(programme)


# ---------------------------------------------------------------- timesheets


def _timesheets_visible(user: Any, programme: Programme) -> Q:
    """A person sees their own months; their supervisor the months they approve; coordinators,
    finance officers and auditors every month."""
    viewer = viewer_for(user)
    if viewer.can(Action.VIEW_FINANCE, programme_id=programme.pk):
        return Q(programme=programme)
    own = Q(person__user_id=viewer.user_id or 0)
    cities = supervised_city_ids(user, programme)
    supervised = Q(
        person_id__in=Membership.objects.filter(programme=programme, city_id__in=cities).values(
            "person_id"
        )
    )
    return Q(programme=programme) & (own | supervised)


def timesheet_get(user: Any, programme: Programme, pk: int) -> Timesheet:
    sheet = (
        Timesheet.objects.filter(_timesheets_visible(user, programme), pk=pk)
        .select_related("person__organisation", "approved_by", "reported_in")
        .prefetch_related(
            Prefetch("entries", queryset=TimeEntry.objects.select_related("event").order_by("day"))
        )
        .first()
    )
    if sheet is None:
        raise Http404("No such timesheet")
    return sheet


def own_timesheets(user: Any, programme: Programme) -> list[Timesheet]:
    """The user's months with their hours, newest first."""
    return list(
        Timesheet.objects.filter(programme=programme, person__user_id=user.pk)
        .annotate(hours=ExactSum("entries__hours"))
        .order_by("-month")
    )


def own_timesheet(user: Any, programme: Programme, month: date) -> Timesheet:
    """The user's timesheet of a month; an unsaved empty one (revision 0) when they have not
    recorded anything that month yet. A 404 outside the programme's months."""
    if not programme.start_date.replace(day=1) <= month <= programme.end_date:
        raise Http404("This month is outside the programme")
    found = (
        Timesheet.objects.filter(programme=programme, person__user_id=user.pk, month=month)
        .select_related("reported_in", "approved_by")
        .first()
    )
    return found or Timesheet(programme=programme, month=month, revision=0)


def timesheets_to_approve(user: Any, programme: Programme) -> list[Timesheet]:
    """Signed months waiting for this user's approval (never their own)."""
    cities = supervised_city_ids(user, programme)
    with_city = Membership.objects.filter(programme=programme, city__isnull=False)
    scope = Q(person_id__in=with_city.filter(city_id__in=cities).values("person_id"))
    if supervises_programme_staff(user, programme):
        scope |= ~Q(person_id__in=with_city.values("person_id"))
    return list(
        Timesheet.objects.filter(scope, programme=programme, status=TimesheetStatus.SIGNED)
        .exclude(person__user_id=user.pk)
        .select_related("person__organisation")
        .annotate(hours=ExactSum("entries__hours"))
        .order_by("month", "person__last_name")
    )


@dataclass
class GridCell:
    day: date
    name: str  # the form field's name
    hours: Decimal | None
    editable: bool


@dataclass
class GridRow:
    activity: str
    event: Event | None
    cells: list[GridCell]

    @property
    def label(self) -> str:
        return self.event.title if self.event else str(Activity(self.activity).label)

    @property
    def total(self) -> Decimal:
        return sum((c.hours for c in self.cells if c.hours), ZERO)


@dataclass
class WeekGrid:
    """One week of a month's timesheet: a row per activity and per event of the week, a
    column per day; days outside the month belong to the neighbouring month's timesheet."""

    timesheet: Timesheet
    monday: date
    days: list[date]
    rows: list[GridRow]
    weeks: list[date]  # the Mondays of the month's weeks, for moving between them

    @property
    def editable_days(self) -> list[date]:
        return [d for d in self.days if d.month == self.timesheet.month.month]

    def day_total(self, day: date) -> Decimal:
        index = self.days.index(day)
        return sum((r.cells[index].hours or ZERO for r in self.rows), ZERO)

    @property
    def day_totals(self) -> list[Decimal]:
        return [self.day_total(d) for d in self.days]

    @property
    def total(self) -> Decimal:
        return sum(self.day_totals, ZERO)

    @property
    def previous_week(self) -> date | None:
        index = self.weeks.index(self.monday)
        return self.weeks[index - 1] if index > 0 else None

    @property
    def next_week(self) -> date | None:
        index = self.weeks.index(self.monday)
        return self.weeks[index + 1] if index + 1 < len(self.weeks) else None


def cell_name(activity: str, event_id: int | None, day: date) -> str:
    return f"h-{activity}-{event_id or 0}-{day:%Y%m%d}"


def month_mondays(month: date) -> list[date]:
    last = month.replace(day=calendar.monthrange(month.year, month.month)[1])
    monday = month - timedelta(days=month.weekday())
    weeks = []
    while monday <= last:
        weeks.append(monday)
        monday += timedelta(days=7)
    return weeks


def bookable_events(person_id: int, programme_id: int) -> QuerySet[Event]:
    """The events of the programme a person may book hours to (a lazy query, so the grid and
    the service each add their own filter and run it once): those they took part in (invited or
    accepted, not declined) and those of their city (hosted by it, or a visit of a pair it
    mentors or implements); never a cancelled one."""
    cities = (
        Membership.objects.current()
        .filter(person_id=person_id, programme_id=programme_id, city__isnull=False)
        .values("city_id")
    )
    took_part = (
        Participant.objects.filter(person_id=person_id)
        .exclude(invitation=Invitation.DECLINED)
        .values("event_id")
    )
    return (
        Event.objects.filter(programme_id=programme_id)
        .exclude(status=EventStatus.CANCELLED)
        .filter(
            Q(pk__in=took_part)
            | Q(host_city_id__in=cities)
            | Q(pair__mentor__city_id__in=cities)
            | Q(pair__implementing__city_id__in=cities)
        )
    )


def week_grid(timesheet: Timesheet, monday: date | None, person: Person | None = None) -> WeekGrid:
    """The grid of the week starting on `monday` (the month's first week when not one of its
    weeks), with the hours recorded, a row per general activity and a row for every event of
    the week the person may book (bookable_events), plus any event already booked (3 queries).
    `person` is the timesheet's, for a month not saved yet."""
    weeks = month_mondays(timesheet.month)
    if monday not in weeks:
        monday = weeks[0]
    days = [monday + timedelta(days=n) for n in range(7)]
    recorded = {
        (e.activity, e.event_id, e.day): e.hours
        for e in (timesheet.entries.filter(day__range=(days[0], days[-1])) if timesheet.pk else [])
    }
    zone = timezone.get_current_timezone()
    person_id = timesheet.person_id or (person.pk if person is not None else None)
    events = (
        {
            e.pk: e
            for e in bookable_events(person_id, timesheet.programme_id)
            .filter(
                starts_at__lt=datetime.combine(days[-1] + timedelta(days=1), time(), zone),
                ends_at__gte=datetime.combine(days[0], time(), zone),
            )
            .order_by("starts_at")
        }
        if person_id is not None
        else {}
    )
    missing = {event_id for _a, event_id, _d in recorded if event_id and event_id not in events}
    events |= {e.pk: e for e in Event.objects.filter(pk__in=missing)}
    keys: list[tuple[str, int | None]] = [(a, None) for a in Activity.values]
    for event in events.values():
        keys.append((activity_of_event(event.format), event.pk))
    keys += [(a, e) for a, e, _d in recorded if (a, e) not in keys]
    rows = [
        GridRow(
            activity=activity,
            event=events.get(event_id) if event_id else None,
            cells=[
                GridCell(
                    day=day,
                    name=cell_name(activity, event_id, day),
                    hours=recorded.get((activity, event_id, day)),
                    editable=timesheet.is_open and day.month == timesheet.month.month,
                )
                for day in days
            ],
        )
        for activity, event_id in keys
    ]
    return WeekGrid(timesheet, monday, days, rows, weeks)


@dataclass
class TimesheetSummary:
    days: list[tuple[date, list[TimeEntry], Decimal]]
    by_activity: list[tuple[str, Decimal]]
    total: Decimal
    hours_per_day: Decimal

    @property
    def days_worked(self) -> Decimal:
        return (self.total / self.hours_per_day).quantize(Decimal("0.01"))


def timesheet_summary(sheet: Timesheet, programme: Programme) -> TimesheetSummary:
    """A month's hours day by day and per activity, from its prefetched entries; days in the
    programme's working day."""
    by_day: dict[date, list[TimeEntry]] = defaultdict(list)
    by_activity: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for entry in sheet.entries.all():
        by_day[entry.day].append(entry)
        by_activity[str(Activity(entry.activity).label)] += entry.hours
    days = [(d, by_day[d], sum((e.hours for e in by_day[d]), ZERO)) for d in sorted(by_day)]
    return TimesheetSummary(
        days,
        sorted(by_activity.items()),
        sum(by_activity.values(), ZERO),
        programme.hours_per_day,
    )


# ---------------------------------------------------------------- salaries, cities, statements


def _salary_person_ids(user: Any, programme: Programme) -> Q:
    """The people whose salary the user may read: everyone of the programme for its finance
    officers and auditors, their city's people for a city's finance contact, else themselves."""
    viewer = viewer_for(user)
    reach = viewer.reach(Action.VIEW_SALARY, programme_id=programme.pk)
    members = Q(memberships__programme=programme)
    if reach.everything or programme.pk in reach.programme_ids:
        return members
    cities = supervised_city_ids(user, programme)
    return members & (Q(user_id=viewer.user_id or 0) | Q(memberships__city_id__in=cities))


@dataclass
class SalaryRow:
    person: Person
    rates: list[StaffRate]


STAFF_RATES_PER_PAGE = 25


@dataclass
class StaffRatesPage:
    """One page of the people whose salary the user may read, found by name, e-mail or
    organisation, each with their rates by year."""

    page: Page  # of SalaryRow
    query: str

    @property
    def people(self) -> list[Person]:
        return [row.person for row in self.page]

    @property
    def search_string(self) -> str:
        return urlencode({"q": self.query}) if self.query else ""


def staff_rates_page(
    user: Any, programme: Programme, *, query: str = "", page: Any = 1
) -> StaffRatesPage:
    """A page of the staff-cost rates the user may read: three queries however many people
    (their number, the page's people, their rates)."""
    query = query.strip()[:100]
    people = (
        Person.objects.filter(_salary_person_ids(user, programme))
        .select_related("organisation")
        .distinct()
        .order_by("organisation__name", "last_name", "first_name", "pk")
    )
    for word in query.split()[:5]:
        people = people.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(email__icontains=word)
            | Q(organisation__name__icontains=word)
        )
    paginator = Paginator(people, STAFF_RATES_PER_PAGE)
    shown = paginator.get_page(page)
    offset = (shown.number - 1) * STAFF_RATES_PER_PAGE
    # Read even when empty (a slice of nothing runs no query): the same queries every time.
    found = list(people[offset : offset + STAFF_RATES_PER_PAGE])
    rates: dict[int, list[StaffRate]] = defaultdict(list)
    for rate in StaffRate.objects.filter(
        programme=programme, person_id__in=[p.pk for p in found] or [0]
    ).order_by("year"):
        rates[rate.person_id].append(rate)
    shown.object_list = [SalaryRow(person, rates[person.pk]) for person in found]  # type: ignore[misc]
    return StaffRatesPage(shown, query)


def salary_person_get(user: Any, programme: Programme, pk: int) -> Person:
    person = Person.objects.filter(_salary_person_ids(user, programme), pk=pk).first()
    if person is None:
        raise Http404("No such person")
    return person


def other_grant_hours_of(person: Person) -> list[OtherGrantHours]:
    """A person's declarations of hours on other grants (the person fetched within the viewer's
    scope: salary_person_get), by year and month."""
    return list(
        OtherGrantHours.objects.filter(person=person)
        .select_related("declared_by")
        .order_by("-year", "month", "grant", "pk")
    )


def other_grant_hours_get(user: Any, programme: Programme, pk: int) -> OtherGrantHours:
    """A declaration of hours on another grant, read like a salary: by the person, their
    city's finance contact, the programme's finance officers and auditors (404 for anyone
    else)."""
    found = (
        OtherGrantHours.objects.filter(
            pk=pk,
            person_id__in=Person.objects.filter(_salary_person_ids(user, programme)).values("pk"),
        )
        .select_related("person__organisation", "declared_by")
        .first()
    )
    if found is None:
        raise Http404("No such declaration")
    return found


def finance_city_get(user: Any, programme: Programme, slug: str) -> City:
    """A city's money-and-time page: for its own members and the programme-wide roles."""
    viewer = viewer_for(user)
    city = City.objects.filter(slug=slug).first()
    if city is None:
        raise Http404("No such city")
    if viewer.can(Action.VIEW_FINANCE, programme_id=programme.pk):
        return city
    if any(g.programme_id == programme.pk and g.city_id == city.pk for g in viewer.grants):
        return city
    raise Http404("No such city")


def exchange_rate_table(programme: Programme) -> tuple[list[str], list[tuple[date, list[Any]]]]:
    """The monthly rates as a table: the currencies used, and per month one rate for each."""
    rates = list(ExchangeRate.objects.filter(programme=programme))
    currencies = sorted({r.currency for r in rates})
    by_month: dict[date, dict[str, Decimal]] = defaultdict(dict)
    for r in rates:
        by_month[r.month][r.currency] = r.rate
    return currencies, [
        (month, [by_month[month].get(c) for c in currencies]) for month in sorted(by_month)
    ]


def statements_of(user: Any, programme: Programme) -> list[Statement]:
    if not viewer_for(user).can(Action.VIEW_FINANCE, programme_id=programme.pk):
        raise Http404("No statements here")
    return list(
        Statement.objects.filter(programme=programme)
        .select_related("partner__organisation", "created_by", "signed_off_by")
        .order_by("-period_end", "-pk")
    )


def statement_get(user: Any, programme: Programme, pk: int) -> Statement:
    if not viewer_for(user).can(Action.VIEW_FINANCE, programme_id=programme.pk):
        raise Http404("No such statement")
    statement = (
        Statement.objects.filter(programme=programme, pk=pk)
        .select_related("programme", "partner__organisation", "created_by", "signed_off_by")
        .first()
    )
    if statement is None:
        raise Http404("No such statement")
    return statement


def statement_files_of(statement: Statement, language: str) -> StatementFiles | None:
    """The statement's files in a language (their generation's status), if asked for; the
    statement itself was fetched within the viewer's scope (statement_get)."""
    return StatementFiles.objects.filter(statement=statement, language=language).first()


def budget_transfers(
    programme: Programme, partners: list[ProgrammePartner] | None = None
) -> list[BudgetTransfer]:
    """The transfers between lines, newest first; those from or to the lines of `partners`
    when given (the partners a page shows)."""
    transfers = BudgetTransfer.objects.filter(programme=programme)
    if partners is not None:
        ids = [p.pk for p in partners]
        transfers = transfers.filter(Q(source__partner_id__in=ids) | Q(target__partner_id__in=ids))
    return list(
        transfers.select_related(
            "source__partner__organisation", "target__partner__organisation", "actor"
        ).order_by("-at")
    )


def budget_overrides(
    programme: Programme, partners: list[ProgrammePartner] | None = None
) -> list[BudgetOverride]:
    """The leaves to spend beyond a line's plan, newest first, with who gave them and why; on
    the lines of `partners` when given (the partners a page shows)."""
    overrides = BudgetOverride.objects.filter(line__programme=programme)
    if partners is not None:
        overrides = overrides.filter(line__partner_id__in=[p.pk for p in partners])
    return list(
        overrides.select_related("line__partner__organisation", "granted_by").order_by(
            "-granted_at", "-pk"
        )
    )


def programme_partner_get(programme: Programme, pk: int | None) -> ProgrammePartner | None:
    """The programme's partner of this pk (None for none: the whole programme)."""
    if pk is None:
        return None
    return get_object_or_404(
        ProgrammePartner.objects.select_related("organisation"), programme=programme, pk=pk
    )


def cities_co_financing(programme: Programme, city_ids: Any) -> dict[int, CoFinancingRow]:
    """The city partners' co-financing rows as the budget shows them, by city, read from
    these cities' records only: under every model a partner's co-financing depends on its own
    costs alone (the equal share counts every city partner). `city_ids`: ids or a subquery."""
    city_partners = ProgrammePartner.objects.filter(programme=programme, role=PartnerRole.CITY)
    found = list(
        city_partners.filter(organisation__city__in=city_ids).select_related("organisation__city")
    )
    if not found:
        return {}
    overview = budget_overview(programme, partners=found, spent_only=True)
    ledger = co_financing(programme, overview, found, city_count=city_partners.count())
    return {row.city.pk: row for row in ledger.rows}


def city_co_financing(programme: Programme, city: City) -> CoFinancingRow | None:
    """The city partner's co-financing row as the budget shows it."""
    return cities_co_financing(programme, [city.pk]).get(city.pk)


def own_cities(user: Any, programme: Programme) -> list[City]:
    """The cities the user belongs to in the programme (for their days-and-co-financing page)."""
    ids = {g.city_id for g in viewer_for(user).grants if g.programme_id == programme.pk}
    return list(City.objects.filter(pk__in=ids - {None}).order_by("name"))


# ---------------------------------------------------------------- the first screen's work


def own_months_to_sign(user: Any, programme: Programme) -> list[Timesheet]:
    """The user's own past months still open with hours in them, oldest first (one query)."""
    this_month = timezone.localdate().replace(day=1)
    return sorted(
        (
            s
            for s in own_timesheets(user, programme)
            if s.is_open and getattr(s, "hours", None) and s.month < this_month  # annotated
        ),
        key=lambda s: s.month,
    )


def _audits(user: Any, programme: Programme) -> bool:
    """An auditor of the programme: the statements the programme reported are their work."""
    return any(
        g.role == Role.AUDITOR and g.programme_id == programme.pk for g in viewer_for(user).grants
    )


def finance_inbox_count(programme: Programme) -> int:
    """How many claims wait for the finance officers (to check, approve or pay)."""
    waiting = (ClaimStatus.SUBMITTED, ClaimStatus.CHECKED, ClaimStatus.APPROVED)
    return ExpenseClaim.objects.filter(programme=programme, status__in=waiting).count()


def finance_work(user: Any, programme: Programme) -> list[WorkItem]:
    """What waits for the user in the grant's finance (core.work provider): the finance
    officers' claims inbox, the auditors' statements, the supervisor's signed months to
    approve, and the person's own past months to sign."""
    items = []
    if can_manage_finance(user, programme) and (n := finance_inbox_count(programme)):
        label = ngettext(
            "%(count)d expense claim to check, approve or pay",
            "%(count)d expense claims to check, approve or pay",
            n,
        ) % {"count": n}
        items.append(WorkItem(label, n, reverse("finance:inbox", args=[programme.slug])))
    if _audits(user, programme) and (n := Statement.objects.filter(programme=programme).count()):
        label = ngettext(
            "%(count)d financial statement to audit, down to its records",
            "%(count)d financial statements to audit, down to their records",
            n,
        ) % {"count": n}
        items.append(WorkItem(label, n, reverse("finance:statements", args=[programme.slug])))
    if n := len(timesheets_to_approve(user, programme)):
        label = ngettext(
            "%(count)d signed month of hours to approve",
            "%(count)d signed months of hours to approve",
            n,
        ) % {"count": n}
        items.append(WorkItem(label, n, reverse("finance:approvals", args=[programme.slug])))
    if months := own_months_to_sign(user, programme):
        n, oldest = len(months), months[0].month
        label = ngettext(
            "%(count)d month of your hours to sign", "%(count)d months of your hours to sign", n
        ) % {"count": n}
        url = reverse("finance:week", args=[programme.slug, oldest.year, oldest.month])
        items.append(WorkItem(label, n, url))
    return items
