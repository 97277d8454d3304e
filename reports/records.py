"""The facts of a technical report: what the records say about a programme's period, read from
their own apps in a fixed number of queries whatever the programme's size.

- Activities per work package: the events held in the period (held or reported, by their first
  day in the host city's zone), with their days (visits.times), place, and who attended by city
  (or organisation) and role. An event of a mentoring scheme belongs to the work package whose
  task serves that scheme's theme; the conference to the package of the conference deliverable;
  any other event (launch, final meeting, a programme-wide webinar) to the first package
  (management and coordination).
- Outputs: every deliverable with its state as it stood at the end of the period (the steps
  recorded by then, the records counted by then; workplan.workflow.standing), its evidence and
  its page.
- The conference in figures: for a conference held with registration on the platform, its
  registrations, delegates by level of government and country, attendance per day and session,
  sessions by kind and the feedback survey's averages (conference.selectors.after); its
  attendance is its delegates checked in.
- Indicators: cities and officers involved, events and visits held, findings, plans adopted,
  practices and toolkits published, people trained (see `Indicators`).
- Deviations: deliverables due by the end of the period and not submitted by their due day.
- Finance: the latest programme-wide financial statement whose period ends within the report's.

The facts are plain data (strings, numbers, dates) in the report's language, so a frozen report
keeps them as they were (`facts_to_json`, `facts_from_json`), whatever changes afterwards.
"""

from __future__ import annotations

import dataclasses
import types
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, Union, get_args, get_origin, get_type_hints
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from conference.selectors.after import ConferenceFigures, Counted, figures_for_events
from core.roles import Role
from finance.choices import CostCategory
from finance.models import Statement
from finance.services.statements import statement_content
from knowledge.choices import PracticeState
from knowledge.models import GoodPractice
from programmes.choices import PartnerRole
from programmes.models import Membership, Programme
from visits.choices import EventFormat, EventStatus
from visits.models import Event, Finding, Participant
from visits.times import event_first_day, event_when
from workplan.choices import Source
from workplan.models import Deliverable, DeliverableStep, Task, WorkPackage
from workplan.months import month_end, month_of, month_start
from workplan.sources import Record, records_for, tally
from workplan.workflow import standing

# The formats in which people learn from each other: attending one counts as being trained.
LEARNING_FORMATS = (
    EventFormat.STUDY_VISIT,
    EventFormat.MENTORING_VISIT,
    EventFormat.WEBINAR,
    EventFormat.TRAINING_WORKSHOP,
    EventFormat.PEER_REVIEW,
)
VISIT_FORMATS = (EventFormat.STUDY_VISIT, EventFormat.MENTORING_VISIT)
CITY_ROLES = (Role.CITY_OFFICER, Role.CITY_APPROVER)
# When a person holds several roles, the one named in the attendance (the first listed).
ROLE_ORDER = [
    Role.COORDINATOR,
    Role.FACILITATOR,
    Role.CITY_OFFICER,
    Role.CITY_APPROVER,
    Role.FINANCE_OFFICER,
    Role.AUDITOR,
]


@dataclass
class Attendance:
    """Who attended an event from one city (or organisation) in one role."""

    place: str
    role: str
    count: int


@dataclass
class HeldEvent:
    pk: int
    title: str
    format: str
    when: str  # in the host city's zone, the zone named (visits.times)
    first_day: date
    place: str
    invited: int
    attended: int
    findings: int
    attendance: list[Attendance] = field(default_factory=list)


@dataclass
class Output:
    """A deliverable as it stood at the end of the period."""

    code: str
    title: str
    kind: str
    due_month: int
    due_on: date
    state: str
    count: int | None
    target: int
    overdue: bool
    submitted_on: date | None
    evidence: str  # the submission's link or file, or the records counted
    url: str  # the deliverable's page on the platform


@dataclass
class Deviation:
    code: str
    title: str
    due_on: date
    state: str
    submitted_on: date | None
    reason: str  # the comment of its latest step, when one was written


@dataclass
class Figure:
    label: str
    count: int


@dataclass
class ConferenceFacts:
    """A conference held in the period, in figures: from its registrations, check-ins and
    feedback survey (conference.selectors.after.conference_figures), never typed."""

    title: str
    confirmed: int
    waiting: int
    cancelled: int
    present: int
    travel_eligible: int
    sessions: int
    sessions_by_kind: list[Figure]
    by_level: list[Figure]
    by_country: list[Figure]
    by_day: list[Figure]
    by_session: list[Figure]
    feedback_answers: int
    feedback_overall: Decimal | None  # hidden (None) under 3 answers
    feedback_usefulness: Decimal | None


@dataclass
class PackageFacts:
    number: int
    code: str
    title: str
    lead: str
    start_month: int
    end_month: int
    events: list[HeldEvent] = field(default_factory=list)
    outputs: list[Output] = field(default_factory=list)
    conferences: list[ConferenceFacts] = field(default_factory=list)

    @property
    def participants(self) -> int:
        return sum(e.attended for e in self.events)


@dataclass
class AdoptedPlan:
    title: str
    adopted_on: date | None


@dataclass
class Published:
    title: str
    on: date | None


@dataclass
class Indicators:
    """Cities involved: hosting a held event or attending one. Officers involved: people with a
    city role who attended a held event. People trained: everyone who attended a study or
    mentoring visit, a webinar, a training workshop or a peer review."""

    cities_involved: int
    officers_involved: int
    events_held: int
    visits_held: int
    participants: int
    findings: int
    plans_adopted: int
    practices_published: int
    toolkits_published: int
    people_trained: int


@dataclass
class Amount:
    label: str
    amount: Decimal


@dataclass
class FinanceSummary:
    statement: str  # "Interim statement to 31 December 2017"
    period_end: date
    currency: str
    by_category: list[Amount]
    by_partner: list[Amount]
    total: Decimal
    co_financing: Decimal
    eu_contribution: Decimal
    budget: Decimal


@dataclass
class ReportFacts:
    programme: str
    full_title: str
    funder: str
    grant_reference: str
    kind: str
    period_start: date
    period_end: date
    first_month: int
    last_month: int
    as_of: date
    packages: list[PackageFacts]
    indicators: Indicators
    plans: list[AdoptedPlan]
    toolkits: list[Published]
    practices: list[Published]
    deviations: list[Deviation]
    finance: FinanceSummary | None

    @property
    def events(self) -> list[HeldEvent]:
        return sorted(
            (e for p in self.packages for e in p.events), key=lambda e: (e.first_day, e.pk)
        )


# ---------------------------------------------------------------- reading the records


def _held_events(programme: Programme, start: date, end: date) -> list[Event]:
    """The events held in the period, by their first day in their own zone (one query)."""
    # A margin of a day either side, then each event's own day decides (zones differ by hours).
    earliest = datetime.combine(start - timedelta(days=1), time.min, tzinfo=ZoneInfo("UTC"))
    latest = datetime.combine(end + timedelta(days=2), time.min, tzinfo=ZoneInfo("UTC"))
    events = (
        Event.objects.filter(
            programme=programme,
            status__in=(EventStatus.HELD, EventStatus.REPORTED),
            starts_at__gte=earliest,
            starts_at__lt=latest,
        )
        .select_related("host_city", "scheme", "pair__scheme")
        .annotate(invited=Count("participants", distinct=True))
        .order_by("starts_at", "pk")
    )
    return [e for e in events if start <= event_first_day(e) <= end]


def _place(event: Event) -> str:
    parts = [p for p in (event.venue, event.host_city.name if event.host_city else "") if p]
    if not parts and event.online_url:
        return _("Online")
    return ", ".join(dict.fromkeys(parts)) or "\u2013"


def _package_of_event(
    event: Event, by_theme: dict[int, int], conference_wp: int | None, first_wp: int
) -> int:
    scheme = event.scheme or (event.pair.scheme if event.pair else None)
    if scheme is not None and scheme.theme_id in by_theme:
        return by_theme[scheme.theme_id]
    if event.format == EventFormat.CONFERENCE and conference_wp is not None:
        return conference_wp
    return first_wp


def _as_of(found: list[Record], end: date) -> list[Record]:
    """The records as they stood at the end of the period: one done later was under way."""
    return [r if r.on is None or r.on <= end else dataclasses.replace(r, done=False) for r in found]


def _plan_title(title: str) -> str:
    """ "Athens: Athens: from skills to jobs" (the city, then a title naming it) said once."""
    city, _sep, rest = title.partition(": ")
    return rest if rest.startswith(f"{city}:") else title


def _evidence(step: DeliverableStep | None, counted: list[Record]) -> str:
    if counted:
        return "; ".join(r.title for r in counted)
    if step is None:
        return ""
    return step.link or step.file_name


def _conference_facts(title: str, figures: ConferenceFigures) -> ConferenceFacts:
    def plain(counted: list[Counted]) -> list[Figure]:
        return [Figure(c.label, c.count) for c in counted]

    return ConferenceFacts(
        title=title,
        confirmed=figures.confirmed,
        waiting=figures.waiting,
        cancelled=figures.cancelled,
        present=figures.delegates_present,
        travel_eligible=figures.travel_eligible,
        sessions=figures.sessions,
        sessions_by_kind=plain(figures.sessions_by_kind),
        by_level=plain(figures.by_level),
        by_country=plain(figures.by_country),
        by_day=plain(figures.by_day),
        by_session=plain(figures.by_session),
        feedback_answers=figures.feedback_answers,
        feedback_overall=figures.feedback_overall,
        feedback_usefulness=figures.feedback_usefulness,
    )


def _finance(programme: Programme, start: date, end: date) -> FinanceSummary | None:
    statement = (
        Statement.objects.filter(
            programme=programme, partner__isnull=True, period_end__gte=start, period_end__lte=end
        )
        .select_related("programme")
        .order_by("-period_end", "-pk")
        .first()
    )
    if statement is None:
        return None
    content = statement_content(statement)
    categories: dict[str, Decimal] = defaultdict(Decimal)
    for totals in content.partners:
        for category, amount in totals.by_category.items():
            categories[category] += amount
    return FinanceSummary(
        statement=_("%(kind)s statement to %(day)s")
        % {
            "kind": statement.get_kind_display(),
            "day": date_format(statement.period_end, "DATE_FORMAT"),
        },
        period_end=statement.period_end,
        currency=programme.currency,
        by_category=[
            Amount(str(CostCategory(c).label), categories[c])
            for c in CostCategory
            if categories.get(c)
        ],
        by_partner=[Amount(str(t.partner.organisation.name), t.total) for t in content.partners],
        total=content.total,
        co_financing=content.co_financing,
        eu_contribution=content.eu_contribution,
        budget=programme.total_budget,
    )


def report_facts(
    programme: Programme, *, kind_label: str, start: date, end: date, as_of: date | None = None
) -> ReportFacts:
    """The facts of the programme's period [start, end] (a fixed number of queries)."""
    as_of = as_of or timezone.localdate()
    packages = list(
        WorkPackage.objects.filter(programme=programme)
        .select_related("lead__organisation")
        .order_by("number")
    )
    by_theme: dict[int, int] = {}  # a scheme's theme -> the first package with a task for it
    for task in (
        Task.objects.filter(work_package__programme=programme, theme__isnull=False)
        .order_by("work_package__number", "number")
        .values("theme_id", "work_package__number")
    ):
        by_theme.setdefault(task["theme_id"], task["work_package__number"])
    deliverables = list(
        Deliverable.objects.filter(work_package__programme=programme)
        .select_related("work_package")
        .order_by("work_package__number", "number")
    )
    conference_wp = next(
        (d.work_package.number for d in deliverables if d.source == Source.HELD_CONFERENCE),
        None,
    )
    facts_of = {
        wp.number: PackageFacts(
            number=wp.number,
            code=wp.code,
            title=wp.title,
            lead=str(wp.lead.organisation.name),
            start_month=wp.start_month,
            end_month=wp.end_month,
        )
        for wp in packages
    }
    if not facts_of:  # a programme without a work plan yet: one list of activities
        facts_of[0] = PackageFacts(0, "", _("Activities"), "", 1, 1)
    first_wp = min(facts_of)

    # ---- the events held, their attendance by city and role, their findings
    events = _held_events(programme, start, end)
    event_ids = [e.pk for e in events]
    present = list(
        Participant.objects.filter(event_id__in=event_ids, attended=True).values(
            "event_id",
            "person_id",
            "person__organisation__name",
            "person__organisation__city__name",
            "person__organisation__city__id",
        )
    )
    people = {p["person_id"] for p in present}
    roles: dict[int, str] = {}
    for membership in (
        Membership.objects.filter(programme=programme, person_id__in=people)
        .values("person_id", "role")
        .order_by("person_id")
    ):
        current = roles.get(membership["person_id"])
        if current is None or ROLE_ORDER.index(Role(membership["role"])) < ROLE_ORDER.index(
            Role(current)
        ):
            roles[membership["person_id"]] = membership["role"]
    findings = Counter(
        Finding.objects.filter(report__event_id__in=event_ids).values_list(
            "report__event_id", flat=True
        )
    )
    by_event: dict[int, Counter[tuple[str, str]]] = defaultdict(Counter)
    attended: Counter[int] = Counter()
    cities: set[int] = {e.host_city_id for e in events if e.host_city_id}
    officers: set[int] = set()
    trained: set[int] = set()
    formats = {e.pk: e.format for e in events}
    for row in present:
        role = roles.get(row["person_id"], "")
        place = row["person__organisation__city__name"] or row["person__organisation__name"]
        by_event[row["event_id"]][(place, role)] += 1
        attended[row["event_id"]] += 1
        if row["person__organisation__city__id"]:
            cities.add(row["person__organisation__city__id"])
        if role in CITY_ROLES:
            officers.add(row["person_id"])
        if formats[row["event_id"]] in LEARNING_FORMATS:
            trained.add(row["person_id"])
    figures = figures_for_events([e.pk for e in events if e.format == EventFormat.CONFERENCE])
    for event_id, conference in figures.items():
        attended[event_id] = conference.delegates_present
    for event in events:
        wp = _package_of_event(event, by_theme, conference_wp, first_wp)
        if event.pk in figures:
            facts_of.get(wp, facts_of[first_wp]).conferences.append(
                _conference_facts(event.title, figures[event.pk])
            )
        facts_of.get(wp, facts_of[first_wp]).events.append(
            HeldEvent(
                pk=event.pk,
                title=event.title,
                format=str(event.get_format_display()),
                when=event_when(event),
                first_day=event_first_day(event),
                place=_place(event),
                invited=figures[event.pk].confirmed
                if event.pk in figures
                else getattr(event, "invited", 0),
                attended=attended[event.pk],
                findings=findings[event.pk],
                attendance=[
                    Attendance(place, str(Role(role).label) if role else _("Guest"), count)
                    for (place, role), count in sorted(
                        by_event[event.pk].items(),
                        key=lambda item: (
                            ROLE_ORDER.index(Role(item[0][1])) if item[0][1] else 99,
                            item[0][0],
                        ),
                    )
                ],
            )
        )

    # ---- the deliverables as they stood at the end of the period
    steps: dict[int, list[DeliverableStep]] = {d.pk: [] for d in deliverables}
    for step in DeliverableStep.objects.filter(deliverable__in=deliverables, on__lte=end).order_by(
        "at", "pk"
    ):
        steps[step.deliverable_id].append(step)
    sources = {d.source for d in deliverables if d.from_records}
    records = records_for(programme, sources | {Source.ADOPTED_PLANS, Source.PUBLISHED_TOOLKITS})
    then = {source: _as_of(found, end) for source, found in records.items()}
    deviations: list[Deviation] = []
    for d in deliverables:
        found = tally(then[Source(d.source)], d.theme_id) if d.from_records else None
        standing_then = standing(
            d,
            programme_start=programme.start_date,
            steps=steps[d.pk],
            found=found,
            today=end,
        )
        submission = standing_then.submission
        facts_of.get(d.work_package.number, facts_of[first_wp]).outputs.append(
            Output(
                code=d.code,
                title=d.title,
                kind=str(d.get_kind_display()),
                due_month=d.due_month,
                due_on=standing_then.due_on,
                state=standing_then.state_label,
                count=standing_then.count,
                target=d.target,
                overdue=standing_then.overdue,
                submitted_on=submission.on if submission else None,
                evidence=_evidence(submission, found.done if found else []),
                url=settings.PLATFORM_BASE_URL
                + reverse("workplan:deliverable", args=[programme.slug, d.pk]),
            )
        )
        late_submission = submission is not None and submission.on > standing_then.due_on
        if standing_then.due_on <= end and (standing_then.overdue or late_submission):
            last = standing_then.last_step
            deviations.append(
                Deviation(
                    code=d.code,
                    title=d.title,
                    due_on=standing_then.due_on,
                    state=standing_then.state_label,
                    submitted_on=submission.on if submission else None,
                    reason=(last.comment if last is not None else "").strip(),
                )
            )

    # ---- plans adopted, toolkits and practices published in the period
    def in_period(day: date | None) -> bool:
        return day is not None and start <= day <= end

    plans = [
        AdoptedPlan(_plan_title(r.title), r.on)
        for r in records[Source.ADOPTED_PLANS]
        if r.done and in_period(r.on)
    ]
    toolkits = [
        Published(r.title, r.on)
        for r in records[Source.PUBLISHED_TOOLKITS]
        if r.done and in_period(r.on)
    ]
    practices = [
        Published(f"{p.title} ({p.city_name})", timezone.localdate(p.published_at))
        for p in GoodPractice.objects.filter(
            state=PracticeState.PUBLISHED,
            published_at__isnull=False,
            city__organisation__partnerships__programme=programme,
            city__organisation__partnerships__role=PartnerRole.CITY,
        )
        .distinct()
        .order_by("published_at", "pk")
        if in_period(timezone.localdate(p.published_at))
    ]
    indicators = Indicators(
        cities_involved=len(cities),
        officers_involved=len(officers),
        events_held=len(events),
        visits_held=sum(1 for e in events if e.format in VISIT_FORMATS),
        participants=sum(attended.values()),
        findings=sum(findings.values()),
        plans_adopted=len(plans),
        practices_published=len(practices),
        toolkits_published=len(toolkits),
        people_trained=len(trained),
    )
    return ReportFacts(
        programme=programme.name,
        full_title=programme.full_title,
        funder=programme.funder,
        grant_reference=programme.grant_reference,
        kind=kind_label,
        period_start=start,
        period_end=end,
        first_month=max(1, month_of(programme.start_date, start)),
        last_month=max(1, month_of(programme.start_date, end)),
        as_of=as_of,
        packages=[facts_of[n] for n in sorted(facts_of)],
        indicators=indicators,
        plans=plans,
        toolkits=toolkits,
        practices=practices,
        deviations=deviations,
        finance=_finance(programme, start, end),
    )


def period_of_months(programme: Programme, first: int, last: int) -> tuple[date, date]:
    """The days from the first of month `first` to the last of month `last`."""
    return month_start(programme.start_date, first), month_end(programme.start_date, last)


# ---------------------------------------------------------------- frozen facts as JSON


def facts_to_json(value: Any) -> Any:
    """Plain JSON: dates as ISO days, amounts as strings (exact)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: facts_to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list):
        return [facts_to_json(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _from_json(kind: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = get_origin(kind)
    if origin in (Union, types.UnionType):
        inner = [a for a in get_args(kind) if a is not type(None)]
        return _from_json(inner[0], value)
    if origin is list:
        (item,) = get_args(kind)
        return [_from_json(item, v) for v in value]
    if dataclasses.is_dataclass(kind):
        hints = get_type_hints(kind)
        fields = dataclasses.fields(kind)
        # A field added since the report was frozen keeps its default (absent from its JSON).
        values = {
            f.name: _from_json(hints[f.name], value[f.name]) for f in fields if f.name in value
        }
        return kind(**values)  # type: ignore[operator]
    if kind is date:
        return date.fromisoformat(value)
    if kind is Decimal:
        return Decimal(value)
    return value


def facts_from_json(data: dict[str, Any]) -> ReportFacts:
    result: ReportFacts = _from_json(ReportFacts, data)
    return result
