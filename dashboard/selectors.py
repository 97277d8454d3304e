"""The coordinator's dashboard: where the schemes and cities of a programme stand, read from the
other apps' records and never stored.

Every figure is an aggregate over the records its own rule lets the viewer open (a draft
self-assessment stays its city's, a plan follows VIEW_PLAN, a city's days its finance page), and
the rows are the cities the dashboard's rule reaches (core.rules.VIEW_DASHBOARD): the whole
programme for the programme-wide roles, a facilitator's scheme, a city's own row for its people.
The city tables show one page of the cities kept (filtered by scheme and name) and the scheme table
sums up the schemes of that page: each measure is one grouped query over those schemes' cities
(the plans by state over every city kept), so the page runs the same number of queries, over about
the same rows, for 16 cities or 400.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from action_plans.choices import PlanStatus
from action_plans.models import ActionPlan
from assessments.choices import AssessmentStatus, Phase
from assessments.models import SelfAssessment
from assessments.selectors import visible_assessments_q
from core.aggregates import ExactSum
from core.rules import Action
from finance.choices import ClaimStatus, TimesheetStatus
from finance.models import ExpenseClaim, TimeEntry
from finance.permissions import can_manage_finance, can_view_city_money, can_view_finance
from finance.selectors import CoFinancingRow, cities_co_financing
from programmes.access import Viewer, viewer_for
from programmes.models import Membership, MentoringPair, MentoringScheme, Programme, SchemeMember
from programmes.selectors import SchemeCityFilters, programme_get
from visits.choices import PAIR_FORMATS, EventStatus
from visits.models import Event
from workplan.selectors import DeliverableRow, deliverable_deadlines

CITIES_PER_PAGE = 25
PAIRS_LISTED = 50  # beyond, the visits of every pair are counted (see _visits)
DUE_WITHIN_DAYS = 90
ZERO = Decimal("0")
NO_DAYS = Decimal("0.00")  # shown as days are, to the hundredth
SETTLED = (AssessmentStatus.SUBMITTED, AssessmentStatus.ACCEPTED)
# A visit still ahead: planned or confirmed (a cancelled one is not counted anywhere).
VISIT_AHEAD = (EventStatus.PLANNED, EventStatus.CONFIRMED)
CLAIMS_WAITING = (ClaimStatus.SUBMITTED, ClaimStatus.CHECKED, ClaimStatus.APPROVED)


Filters = SchemeCityFilters  # the dashboard's GET form: the overview's


@dataclass
class Figure:
    """A number and the list of records behind it ("" when that list does not open)."""

    value: int | Decimal
    url: str = ""


@dataclass
class PhaseCell:
    """One city's self-assessments of one phase that the viewer may open, by status."""

    by_status: list[tuple[str, int]]
    url: str

    @property
    def total(self) -> int:
        return sum(n for _status, n in self.by_status)


@dataclass
class CityRow:
    member: SchemeMember
    phases: list[PhaseCell]
    plan_status: str  # "" when the city has no plan the viewer may open
    plan_label: str
    plan_url: str
    days_used: Decimal | None  # None: the viewer does not see this city's days
    money: CoFinancingRow | None  # None: the viewer does not see this city's euros
    finance_url: str
    allocation: Decimal = ZERO

    @property
    def days_left(self) -> Decimal | None:
        return None if self.days_used is None else self.allocation - self.days_used


@dataclass
class PairRow:
    pair: MentoringPair
    planned: int
    held: int
    reported: int
    url: str  # the pair's timeline, which lists its visits


@dataclass
class SchemeSummary:
    scheme: MentoringScheme
    url: str
    cities: int = 0
    pairs: int = 0
    assessed: dict[str, int] = field(default_factory=dict)  # phase -> cities settled
    planned: int = 0
    held: int = 0
    reported: int = 0
    plans: dict[str, int] = field(default_factory=dict)  # plan status -> plans
    days_used: Decimal = NO_DAYS
    days_allocated: Decimal = ZERO
    days_cities: int = 0  # cities whose days the viewer sees
    co_financing_eur: Decimal = ZERO
    co_financing_share_eur: Decimal = ZERO
    money_cities: int = 0

    @property
    def assessed_list(self) -> list[int]:
        return [self.assessed.get(p, 0) for p in Phase]

    @property
    def adopted(self) -> int:
        return self.plans.get(PlanStatus.ADOPTED, 0)


@dataclass
class ClaimsWaiting:
    by_status: list[tuple[str, int, Decimal]]  # status label, claims, EUR claimed
    url: str

    @property
    def total(self) -> int:
        return sum(n for _label, n, _eur in self.by_status)


@dataclass
class Dashboard:
    programme: Programme
    today: date
    filters: Filters
    schemes: list[MentoringScheme]  # those the viewer reaches (the filter's choices)
    summaries: list[SchemeSummary]  # the schemes of the page's cities
    scheme_count: int  # the schemes of every city the filters keep
    page: Page[SchemeMember]
    rows: list[CityRow]
    pairs: list[PairRow]
    plans_by_state: list[tuple[str, str, Figure]]  # status, label, count linking the plans
    claims: ClaimsWaiting | None  # None: the viewer sees no claims
    due: list[DeliverableRow]
    overdue: int
    workplan_url: str
    calendar_url: str
    assessments_url: str
    plans_url: str
    phases: list[tuple[str, str]]
    sees_days: bool
    sees_money: bool
    currency: str

    @property
    def due_until(self) -> date:
        return self.today + timedelta(days=DUE_WITHIN_DAYS)


def _today() -> date:
    """Today in the platform's zone (a seam for tests that fix the day)."""
    return timezone.localdate()


def _members(viewer: Viewer, programme: Programme) -> QuerySet[SchemeMember]:
    """The current cities of the programme in the dashboard's reach (one query)."""
    return (
        SchemeMember.objects.current()
        .filter(
            viewer.q(
                Action.VIEW_DASHBOARD,
                programme="programme_id",
                scheme="scheme_id",
                city="city_id",
                programme_id=programme.pk,
            ),
            programme=programme,
        )
        .select_related("city", "scheme__theme")
        .order_by("scheme__theme__code", "role", "city__name", "pk")
    )


def dashboard_for(
    user: Any, slug: str, filters: Filters | None = None, *, today: date | None = None
) -> Dashboard:
    """Everything the dashboard shows, in a fixed number of queries."""
    programme = programme_get(user, slug)
    viewer = viewer_for(user)
    if not viewer.can(Action.VIEW_DASHBOARD, programme_id=programme.pk):
        raise Http404("No dashboard here")
    today = today or _today()
    filters = filters or Filters()
    # Every city in reach (the scheme filter's choices), then those the filters keep: in memory,
    # so that the page and the summaries come from the same rows.
    all_members = list(_members(viewer, programme))
    schemes = list({m.scheme_id: m.scheme for m in all_members}.values())
    members = [
        m
        for m in all_members
        if (not filters.scheme or m.scheme.theme.code.lower() == filters.scheme.lower())
        and (not filters.search or filters.search.lower() in m.city.name.lower())
    ]
    page = Paginator(members, CITIES_PER_PAGE).get_page(filters.page)
    page_schemes = {m.scheme_id for m in page.object_list}
    # The page sums up the schemes of its cities (a hundred rows would bury it): their cities'
    # records are all the page reads, but for the plans, counted over every city kept.
    summed = [m for m in members if m.scheme_id in page_schemes]
    city_ids = [m.city_id for m in summed]
    # The cities as the database selects them when no filter narrows them (a subquery: a list
    # of 400 ids costs more to send than the query to run), else the few the filters keep.
    cities: Any = [m.city_id for m in members]
    if len(members) == len(all_members):
        cities = _members(viewer, programme).order_by().values("city_id")

    assessments = _assessments(viewer, programme, city_ids)
    pairs = _pairs(programme, city_ids)
    visits = _visits(programme, pairs)
    plans = _plans(viewer, programme, cities)
    days_city_ids = _days_city_ids(user, viewer, programme, city_ids)
    days = _days_used(programme, list(days_city_ids))
    money_city_ids = [c for c in city_ids if can_view_city_money(user, programme, c)]
    money = cities_co_financing(programme, money_city_ids) if money_city_ids else {}
    allocation = Decimal(programme.officer_days_per_city)

    summaries = {
        s.pk: SchemeSummary(
            scheme=s,
            url=reverse("programmes:scheme", args=[programme.slug, s.theme.code])
            if viewer.reaches(Action.VIEW_SCHEME, programme_id=programme.pk, scheme_id=s.pk)
            else "",
        )
        for s in schemes
        if s.pk in page_schemes
    }
    for m in summed:
        summary = summaries[m.scheme_id]
        summary.cities += 1
        for phase in Phase:
            if any(status in SETTLED for status, _code in assessments[(m.city_id, phase)]):
                summary.assessed[phase] = summary.assessed.get(phase, 0) + 1
        plan = plans.get(m.city_id)
        if plan is not None:
            summary.plans[plan] = summary.plans.get(plan, 0) + 1
        if m.city_id in days_city_ids:
            summary.days_cities += 1
            summary.days_used += days.get(m.city_id, ZERO)
            summary.days_allocated += allocation
        if m.city_id in money:
            summary.money_cities += 1
            summary.co_financing_eur += money[m.city_id].co_financing_eur
            summary.co_financing_share_eur += money[m.city_id].share_eur
    on_page = {m.city_id for m in page.object_list}
    pair_rows = []
    for pair in pairs:
        counts = visits.get(pair.pk, {})
        shown = pair.mentor.city_id in on_page or pair.implementing.city_id in on_page
        row = PairRow(
            pair=pair,
            planned=sum(counts.get(s, 0) for s in VISIT_AHEAD),
            held=counts.get(EventStatus.HELD, 0),
            reported=counts.get(EventStatus.REPORTED, 0),
            # The page's pairs only link (the others are only counted).
            url=reverse("visits:pair", args=[programme.slug, pair.pk])
            if shown and _opens_pair(viewer, pair)
            else "",
        )
        if pair.scheme_id in summaries:
            summary = summaries[pair.scheme_id]
            summary.pairs += 1
            summary.planned += row.planned
            summary.held += row.held
            summary.reported += row.reported
        pair_rows.append(row)

    rows = [
        _city_row(programme, m, assessments, plans, days, days_city_ids, money, allocation, filters)
        for m in page.object_list
    ]
    plans_url = reverse("action_plans:index", args=[programme.slug])
    plan_counts: dict[str, int] = defaultdict(int)
    for plan in plans.values():
        plan_counts[plan] += 1
    work = deliverable_deadlines(user, slug, today=today)
    due_until = today + timedelta(days=DUE_WITHIN_DAYS)
    due = [row for row in work.rows if today <= row.due.ends <= due_until]
    return Dashboard(
        programme=programme,
        today=today,
        filters=filters,
        schemes=schemes,
        summaries=list(summaries.values()),
        scheme_count=len({m.scheme_id for m in members}),
        page=page,
        rows=rows,
        pairs=[
            p
            for p in pair_rows
            if p.pair.mentor.city_id in on_page or p.pair.implementing.city_id in on_page
        ],
        plans_by_state=[
            (s.value, str(s.label), Figure(plan_counts[s], plans_url if plan_counts[s] else ""))
            for s in PlanStatus
        ],
        claims=_claims(user, viewer, programme),
        due=sorted(due, key=lambda r: (r.due.ends, r.deliverable.pk)),
        overdue=work.overdue,
        workplan_url=reverse("workplan:plan", args=[programme.slug]),
        calendar_url=reverse("visits:calendar", args=[programme.slug]),
        plans_url=plans_url,
        assessments_url=reverse("assessments:home", args=[programme.slug]),
        phases=[(p.value, str(p.label)) for p in Phase],
        sees_days=bool(days_city_ids),
        sees_money=bool(money),
        currency=programme.currency,
    )


def _city_row(
    programme: Programme,
    member: SchemeMember,
    assessments: dict[tuple[int, str], list[tuple[str, str]]],
    plans: dict[int, str],
    days: dict[int, Decimal],
    days_city_ids: set[int],
    money: dict[int, CoFinancingRow],
    allocation: Decimal,
    filters: Filters,
) -> CityRow:
    city = member.city
    home = reverse("assessments:home", args=[programme.slug])
    phases = []
    for phase in Phase:
        found = assessments[(city.pk, phase)]
        by_status = _status_counts(found)
        url = ""
        if len(found) == 1:
            _status, code = found[0]
            url = reverse("assessments:assessment", args=[programme.slug, city.slug, code, phase])
        elif found:
            # The assessments tab, narrowed to this city and phase.
            url = f"{home}?{urlencode({'q': city.name, 'phase': phase.value})}#all"
        phases.append(PhaseCell(by_status, url))
    plan = plans.get(city.pk)
    finance_url = (
        reverse("finance:city", args=[programme.slug, city.slug])
        if city.pk in days_city_ids
        else ""
    )
    return CityRow(
        member=member,
        phases=phases,
        plan_status=plan if plan else "",
        plan_label=str(PlanStatus(plan).label) if plan else "",
        plan_url=reverse("action_plans:plan", args=[programme.slug, city.slug]) if plan else "",
        days_used=days.get(city.pk, NO_DAYS) if city.pk in days_city_ids else None,
        money=money.get(city.pk),
        finance_url=finance_url,
        allocation=allocation,
    )


def _status_counts(found: list[tuple[str, str]]) -> list[tuple[str, int]]:
    counts: dict[str, int] = defaultdict(int)
    for status, _code in found:
        counts[status] += 1
    return [(str(AssessmentStatus(s).label), counts[s]) for s in AssessmentStatus if counts[s]]


def _assessments(
    viewer: Viewer, programme: Programme, city_ids: Any
) -> defaultdict[tuple[int, str], list[tuple[str, str]]]:
    """(city, phase) -> (status, theme code) of each self-assessment the viewer may open: the
    assessments tab's own rule (one query)."""
    found: defaultdict[tuple[int, str], list[tuple[str, str]]] = defaultdict(list)
    rows = (
        SelfAssessment.objects.filter(visible_assessments_q(viewer, programme))
        .filter(city_id__in=city_ids)
        .values_list("city_id", "phase", "status", "theme__code")
        .order_by("city_id", "phase", "theme__code")
    )
    for city_id, phase, status, code in rows:
        found[(city_id, phase)].append((status, code))
    return found


def _pairs(programme: Programme, city_ids: Any) -> list[MentoringPair]:
    """The current pairs of the programme with a city among those shown (one query)."""
    return list(
        MentoringPair.objects.current()
        .filter(
            Q(mentor__city_id__in=city_ids) | Q(implementing__city_id__in=city_ids),
            scheme__programme=programme,
        )
        .select_related("scheme__theme", "mentor__city", "implementing__city")
        .order_by("scheme__theme__code", "implementing__city__name", "pk")
    )


def _opens_pair(viewer: Viewer, pair: MentoringPair) -> bool:
    """The pair's timeline opens for the viewer (visits.permissions.can_open_city_of_pair)."""
    member = pair.implementing
    return viewer.reaches(
        Action.VIEW_CITY,
        programme_id=member.programme_id,
        scheme_id=member.scheme_id,
        city_id=member.city_id,
    )


def _visits(programme: Programme, pairs: list[MentoringPair]) -> dict[int, dict[str, int]]:
    """Study and mentoring visits of these pairs, counted by status (one query; over all the
    programme's pairs when they are many: a list of hundreds of ids costs more than the counts
    of the others). Every member of a programme reads its calendar."""
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    if not pairs:
        return counts
    events = Event.objects.filter(programme=programme, pair__isnull=False, format__in=PAIR_FORMATS)
    if len(pairs) <= PAIRS_LISTED:
        events = events.filter(pair_id__in=[p.pk for p in pairs])
    rows = events.values("pair_id", "status").annotate(n=Count("id")).order_by()
    for row in rows:
        counts[row["pair_id"]][row["status"]] = row["n"]
    return counts


def _plans(viewer: Viewer, programme: Programme, city_ids: Any) -> dict[int, str]:
    """city -> its action plan's status, where VIEW_PLAN lets the viewer read it (one query)."""
    rows = ActionPlan.objects.filter(
        viewer.q(
            Action.VIEW_PLAN,
            programme="programme_id",
            scheme="pair__scheme_id",
            city="city_id",
            programme_id=programme.pk,
        ),
        programme=programme,
        city_id__in=city_ids,
    ).values_list("city_id", "status")
    return dict(rows)


def _days_city_ids(
    user: Any, viewer: Viewer, programme: Programme, city_ids: list[int]
) -> set[int]:
    """The cities whose days the viewer sees: finance.selectors.finance_city_get's rule (the
    programme-wide roles, and a city's own people)."""
    if can_view_finance(user, programme):
        return set(city_ids)
    own = {g.city_id for g in viewer.grants if g.programme_id == programme.pk and g.city_id}
    return own & set(city_ids)


def _days_used(programme: Programme, city_ids: list[int]) -> dict[int, Decimal]:
    """Days each city's people recorded (signed or approved months), rounded as
    finance.selectors.city_workload rounds them: per person, activity and month (two queries)."""
    if not city_ids:
        return {}
    memberships = Membership.objects.filter(programme=programme, city_id__in=city_ids)
    cities_of: dict[int, set[int]] = defaultdict(set)
    for person_id, city_id in memberships.values_list("person_id", "city_id").distinct():
        cities_of[person_id].add(city_id)
    rows = (
        TimeEntry.objects.filter(
            timesheet__programme=programme,
            timesheet__person_id__in=memberships.values("person_id"),
        )
        .exclude(timesheet__status=TimesheetStatus.OPEN)
        .values("timesheet__person_id", "activity", "timesheet__month")
        .annotate(hours=ExactSum("hours"))
        .order_by()
    )
    used: dict[int, Decimal] = defaultdict(lambda: NO_DAYS)
    per_day = programme.hours_per_day
    for row in rows:
        days = (row["hours"] / per_day).quantize(Decimal("0.01"))
        for city_id in cities_of[row["timesheet__person_id"]]:
            used[city_id] += days
    return dict(used)


def _claims(user: Any, viewer: Viewer, programme: Programme) -> ClaimsWaiting | None:
    """Expense claims submitted and not yet paid, by status: every claim for the programme-wide
    roles, one's own for the others (finance.selectors' rule); one query."""
    if can_view_finance(user, programme):
        scope = Q(programme=programme)
    else:
        scope = Q(programme=programme, traveller__user_id=viewer.user_id or 0)
    rows = {
        row["status"]: row
        for row in ExpenseClaim.objects.filter(scope, status__in=CLAIMS_WAITING)
        .values("status")
        .annotate(n=Count("id", distinct=True), eur=ExactSum("lines__amount_eur"))
        .order_by()
    }
    if not rows and not can_view_finance(user, programme):
        return None
    url_name = "finance:inbox" if can_manage_finance(user, programme) else "finance:home"
    return ClaimsWaiting(
        by_status=[
            (
                str(s.label),
                rows[s]["n"] if s in rows else 0,
                (rows[s]["eur"] or ZERO) if s in rows else ZERO,
            )
            for s in CLAIMS_WAITING
        ],
        url=reverse(url_name, args=[programme.slug]),
    )
