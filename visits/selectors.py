"""Reads of events, always through the viewer's reach; calendar feeds through their token."""

import calendar as calendar_module
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Min, Prefetch, Q, prefetch_related_objects
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments.selectors import pair_assessments
from core.rules import Action
from core.work import WorkItem
from programmes.access import viewer_for
from programmes.models import (
    City,
    KeyDate,
    Membership,
    MentoringPair,
    MentoringScheme,
    Person,
    Programme,
    SchemeMember,
)
from programmes.permissions import can_manage_programme
from programmes.selectors import city_get, programme_get

from .choices import EventStatus, Invitation
from .models import CalendarFeed, CityUnavailability, Event, Finding, Participant
from .permissions import can_open_city_of_pair
from .times import event_first_day, event_last_day, local


def event_get(user: Any, programme_slug: str, pk: int) -> Event:
    """An event of a programme the viewer is a member of (404 otherwise)."""
    programme = programme_get(user, programme_slug)
    if not viewer_for(user).can(Action.VIEW_PROGRAMME, programme_id=programme.pk):
        raise Http404("No such event")
    event = (
        Event.objects.filter(programme=programme, pk=pk)
        .select_related(
            "programme",
            "host_city",
            "pair__mentor__city",
            "pair__implementing__city",
            "scheme__theme",
            "report",
        )
        .first()
    )
    if event is None:
        raise Http404("No such event")
    return event


def feed_events(token: str) -> tuple[CalendarFeed, list[Event]]:
    """The events its owner takes part in (not declined); a revoked or unknown token is a 404."""
    feed = (
        CalendarFeed.objects.filter(token=token, revoked_at__isnull=True)
        .select_related("user")
        .first()
    )
    if feed is None:
        raise Http404("No such calendar")
    taking_part = Participant.objects.filter(person__user=feed.user).exclude(
        invitation=Invitation.DECLINED
    )
    events = list(
        Event.objects.filter(participants__in=taking_part)
        .select_related("programme", "host_city", "pair__mentor__city", "pair__implementing__city")
        .prefetch_related("agenda")
        .distinct()
        .order_by("starts_at")
    )
    return feed, events


def calendar_feed_for(user: Any) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()


# The calendar's list shows this many events a page; a programme may have thousands.
EVENTS_PER_PAGE = 50


@dataclass
class CalendarPage:
    programme: Any
    page: Page
    months: dict[str, list[Event]]


def events_by_month(user: Any, programme_slug: str, page_number: Any = None) -> CalendarPage:
    """The calendar's list view, a page of events by the month they start in, in the host
    city's time (the template shows each with the `event_when` filter). Without a page asked
    for, the page holding the first event not over yet (the last page once all are)."""
    programme = programme_get(user, programme_slug)
    events = (
        Event.objects.filter(programme=programme)
        .select_related("host_city")
        .order_by("starts_at", "pk")
    )
    paginator = Paginator(events, EVENTS_PER_PAGE)
    if page_number is None:
        over = events.filter(ends_at__lt=timezone.now()).count()
        page_number = min(over // EVENTS_PER_PAGE + 1, paginator.num_pages)
    page = paginator.get_page(page_number)
    months: dict[str, list[Event]] = {}
    for event in page.object_list:
        months.setdefault(date_format(event_first_day(event), "YEAR_MONTH_FORMAT"), []).append(
            event
        )
    return CalendarPage(programme, page, months)


def events_for_programme(user: Any, programme_slug: str) -> tuple[Any, list[Event]]:
    """The programme's calendar: every event, for every member of the programme."""
    programme = programme_get(user, programme_slug)
    return programme, programme_events(programme)


def programme_events(programme: Any) -> list[Event]:
    return list(
        Event.objects.filter(programme=programme)
        .select_related("host_city", "pair__mentor__city", "pair__implementing__city")
        .order_by("starts_at")
    )


def plan_visits(programme: Any) -> list[Event]:
    """The pair visits the visit plan checks, with only what the check reads (one query)."""
    return list(
        Event.objects.filter(programme=programme, pair__isnull=False)
        .only("programme_id", "pair_id", "format", "status", "starts_at", "ends_at", "timezone")
        .order_by("starts_at", "pk")
    )


# The visit plan lists this many visits a page; a programme of 400 cities has 400 visits.
VISITS_PER_PAGE = 25


@dataclass
class VisitsPage:
    """A page of the programme's pair visits in date order, with the count of each status
    over all of them."""

    page: Page[Any]
    counts: dict[str, int]

    @property
    def statuses(self) -> list[tuple[str, Any, int]]:
        return [
            (v, label, self.counts[v]) for v, label in EventStatus.choices if self.counts.get(v)
        ]


def visits_page(visits: list[Event], programme: Any, page_number: Any = 1) -> VisitsPage:
    """One page of the visits (already read for the plan's check), their host cities read for
    that page only (one query)."""
    counts: dict[str, int] = {}
    for visit in visits:
        counts[visit.status] = counts.get(visit.status, 0) + 1
    page = Paginator(visits, VISITS_PER_PAGE).get_page(page_number)
    shown = {
        e.pk: e
        for e in Event.objects.filter(pk__in=[e.pk for e in page.object_list] or [0])
        .select_related("host_city")
        .order_by()
    }
    page.object_list = [shown[e.pk] for e in page.object_list if e.pk in shown]
    return VisitsPage(page, counts)


def programme_to_plan(user: Any, programme_slug: str) -> Any:
    """The programme, for the coordinators who plan its events; a 404 for everyone else,
    before anything else is read."""
    programme = programme_get(user, programme_slug)
    if not can_manage_programme(user, programme.pk):
        raise Http404("No planning here")
    return programme


def event_page(user: Any, programme_slug: str, pk: int) -> Event:
    """An event with its participants and agenda (fixed number of queries)."""
    event = event_get(user, programme_slug, pk)
    participants = Participant.objects.select_related("person__organisation").order_by(
        "person__last_name"
    )
    findings = Finding.objects.select_related("city", "key_factor").order_by("order")
    prefetch_related_objects(
        [event],
        Prefetch("participants", queryset=participants),
        "agenda",
        Prefetch("report__findings", queryset=findings),
    )
    return event


def own_participation(user: Any, event: Event) -> Participant:
    """The viewer's own invitation to the event (404 when not invited)."""
    participant = (
        Participant.objects.filter(event=event, person__user=user).select_related("person").first()
    )
    if participant is None:
        raise Http404("Not invited")
    return participant


def findings_for_city(user: Any, programme_slug: str, city_slug: str) -> tuple[Any, Any, list[Any]]:
    """Every finding about a city in the programme's visit reports, by event: ready for its
    action plan (the city's page reach applies)."""
    programme = programme_get(user, programme_slug)
    city = city_get(user, programme_slug, city_slug)
    findings = list(
        Finding.objects.filter(city=city, report__event__programme=programme)
        .select_related("report__event", "key_factor")
        .order_by("report__event__starts_at", "order")
    )
    return programme, city, findings


def unavailable_dates(programme: Any, city: Any) -> list[Any]:
    """A city's declared unavailable dates in the programme (the caller has checked its reach)."""
    return list(
        CityUnavailability.objects.filter(programme=programme, city=city)
        .select_related("programme", "city")
        .order_by("start")
    )


# ---------------------------------------------------------------- the month grid


@dataclass
class GridDay:
    day: date
    in_month: bool
    events: list[Event] = field(default_factory=list)


@dataclass
class MonthGrid:
    programme: Programme
    month: date  # its first day
    weeks: list[list[GridDay]]
    previous: date | None  # first day of the month before, within the programme
    following: date | None
    weekdays: list[str]


def _month_shown(programme: Programme, wanted: date | None, events: Any) -> date:
    """The month asked for, within the programme; else this month while the programme runs,
    else the month of its first event, else its first month."""
    first, last = programme.start_date.replace(day=1), programme.end_date.replace(day=1)
    if wanted is not None and first <= wanted <= last:
        return wanted
    today = timezone.localdate()
    if first <= today <= programme.end_date:
        return today.replace(day=1)
    start = events.order_by("starts_at").values_list("starts_at", flat=True).first()
    return start.date().replace(day=1) if start else first


def month_grid(user: Any, programme_slug: str, wanted: date | None) -> MonthGrid:
    """The calendar's month view: whole weeks (Monday first); an event is shown on every day it
    spans in its host city's time (two queries)."""
    programme = programme_get(user, programme_slug)
    all_events = Event.objects.filter(programme=programme)
    month = _month_shown(programme, wanted, all_events)
    weeks_of_days = calendar_module.Calendar(firstweekday=0).monthdatescalendar(
        month.year, month.month
    )
    days = {d: GridDay(d, d.month == month.month) for week in weeks_of_days for d in week}
    grid_start, grid_end = weeks_of_days[0][0], weeks_of_days[-1][-1]
    # One day of margin on each side: a time zone can move an event across midnight.
    nearby = all_events.filter(
        starts_at__date__lte=grid_end + timedelta(days=1),
        ends_at__date__gte=grid_start - timedelta(days=1),
    ).select_related("host_city")
    for event in nearby.order_by("starts_at"):
        day, last = event_first_day(event), event_last_day(event)
        while day <= last:
            if day in days:
                days[day].events.append(event)
            day += timedelta(days=1)
    previous = (month - timedelta(days=1)).replace(day=1)
    following = (month + timedelta(days=32)).replace(day=1)
    return MonthGrid(
        programme=programme,
        month=month,
        weeks=[[days[d] for d in week] for week in weeks_of_days],
        previous=previous if previous >= programme.start_date.replace(day=1) else None,
        following=following if following <= programme.end_date else None,
        weekdays=[date_format(d, "WEEKDAY_FORMAT") for d in weeks_of_days[0]],
    )


# ---------------------------------------------------------------- event forms


@dataclass
class EventChoices:
    """What a coordinator may pick in the event form: the programme's cities, pairs, schemes."""

    cities: list[City]
    pairs: list[tuple[MentoringPair, str]]
    schemes: list[MentoringScheme]


def event_choices(programme: Programme, event: Event | None = None) -> EventChoices:
    """What the event form offers: the current pairs, and an existing event's own pair even
    when a later matching ended it (marked so), so that the event can still be saved."""
    cities = City.objects.filter(
        pk__in=SchemeMember.objects.filter(programme=programme).values("city_id")
    ).order_by("name")
    offered = Q(ended_on__isnull=True)
    if event is not None and event.pair_id is not None:
        offered |= Q(pk=event.pair_id)
    pairs = MentoringPair.objects.filter(offered, scheme__programme=programme).select_related(
        "scheme__theme", "mentor__city", "implementing__city"
    )

    def label(p: MentoringPair) -> str:
        text = f"{p.scheme.theme.code}: {p.mentor.city.name} → {p.implementing.city.name}"
        return text if p.ended_on is None else _("%(pair)s (ended)") % {"pair": text}

    return EventChoices(
        cities=list(cities),
        pairs=[
            (p, label(p)) for p in pairs.order_by("scheme__theme__code", "implementing__city__name")
        ],
        schemes=list(
            MentoringScheme.objects.filter(programme=programme)
            .select_related("theme")
            .order_by("theme__code")
        ),
    )


def event_to_edit(user: Any, programme_slug: str, pk: int) -> Event:
    """An event the viewer may change: the coordinators' (404 for everyone else)."""
    event = event_get(user, programme_slug, pk)
    if not viewer_for(user).can(Action.MANAGE_SCHEMES, programme_id=event.programme_id):
        raise Http404("No such event")
    return event


# How many people a search for someone to invite shows; more means typing more of the name.
MATCHES_SHOWN = 20


@dataclass(frozen=True)
class InvitableLookup:
    """The members of the event's programme not invited yet, found by what is typed: a page
    never lists them all (a programme may have thousands)."""

    event: Event

    def _people(self) -> Any:
        return (
            Person.objects.filter(
                pk__in=Membership.objects.current()
                .filter(programme_id=self.event.programme_id)
                .values("person_id")
            )
            .exclude(participations__event=self.event)
            .select_related("organisation")
        )

    def get(self, pk: Any) -> Person | None:
        """The person chosen, if they may still be invited."""
        try:
            return self._people().filter(pk=int(pk)).first()
        except (TypeError, ValueError):
            return None

    def search(self, text: str) -> tuple[list[Person], bool]:
        """Those whose name, e-mail or organisation holds every word typed (at most
        MATCHES_SHOWN), and whether there are more."""
        people = self._people()
        for word in text.split()[:5]:
            people = people.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(email__icontains=word)
                | Q(organisation__name__icontains=word)
            )
        found = list(people.order_by("last_name", "first_name", "pk")[: MATCHES_SHOWN + 1])
        return found[:MATCHES_SHOWN], len(found) > MATCHES_SHOWN


def invitable_lookup(user: Any, programme_slug: str, pk: int) -> InvitableLookup:
    """The search for people to invite, for the coordinators who invite (a 404 for anyone
    else, as for an event out of reach)."""
    event = event_get(user, programme_slug, pk)
    if not can_manage_programme(user, event.programme_id):
        raise Http404("No invitations here")
    return InvitableLookup(event)


# ---------------------------------------------------------------- a pair's timeline


@dataclass(frozen=True)
class TimelineEntry:
    day: date
    kind: str  # assessment, event, report, milestone: the template's badge
    title: str
    state: str = ""
    url: str = ""


@dataclass
class PairTimeline:
    programme: Programme
    pair: MentoringPair
    entries: list[TimelineEntry]
    findings: list[Finding]
    today: date


def _pair_get(user: Any, programme: Programme, pk: int) -> MentoringPair:
    """A pair of the programme whose cities the viewer reaches (404 otherwise)."""
    pair = (
        MentoringPair.objects.filter(scheme__programme=programme, pk=pk)
        .select_related("scheme__theme", "mentor__city", "implementing__city")
        .first()
    )
    if pair is None or not can_open_city_of_pair(user, pair.implementing):
        raise Http404("No such pair")
    return pair


def _assessment_entries(user: Any, programme: Programme, pair: MentoringPair) -> list[Any]:
    entries = []
    cities = [pair.mentor.city_id, pair.implementing.city_id]
    for assessment in pair_assessments(user, programme, pair.scheme.theme_id, cities):
        url = reverse(
            "assessments:assessment",
            args=[programme.slug, assessment.city.slug, pair.scheme.theme.code, assessment.phase],
        )
        title = _("Self-assessment of %(city)s (%(phase)s)") % {
            "city": assessment.city.name,
            "phase": assessment.get_phase_display(),
        }
        if assessment.submitted_at:
            day = timezone.localdate(assessment.submitted_at)
            entries.append(TimelineEntry(day, "assessment", title, _("Submitted"), url))
        if assessment.reviewed_at:
            day = timezone.localdate(assessment.reviewed_at)
            state = assessment.get_status_display()
            entries.append(TimelineEntry(day, "assessment", title, state, url))
    return entries


def _event_entries(programme: Programme, pair: MentoringPair) -> list[Any]:
    """The pair's visits, its scheme's events and the whole programme's meetings."""
    events = (
        Event.objects.filter(programme=programme)
        .filter(Q(pair=pair) | Q(pair__isnull=True, scheme=pair.scheme_id) | Q(scheme__isnull=True))
        .select_related("report")
    )
    entries = []
    for event in events:
        url = reverse("visits:event", args=[programme.slug, event.pk])
        day = event_first_day(event)
        entries.append(TimelineEntry(day, "event", event.title, event.get_status_display(), url))
        report = getattr(event, "report", None)
        if report is not None and report.submitted_at:
            title = _("Report of “%(event)s”") % {"event": event.title}
            day = timezone.localdate(report.submitted_at)
            entries.append(TimelineEntry(day, "report", title, _("Submitted"), url))
    return entries


def pair_timeline(user: Any, programme_slug: str, pk: int) -> PairTimeline:
    """A pair's path through the programme: assessments, events and reports, the programme's
    milestones; and every finding of its visits (a fixed number of queries)."""
    programme = programme_get(user, programme_slug)
    pair = _pair_get(user, programme, pk)
    # A key date that is an event of the programme (the launch meeting...) is shown as the event.
    event_days = {
        local(starts, zone).date()
        for starts, zone in Event.objects.filter(programme=programme).values_list(
            "starts_at", "timezone"
        )
    }
    milestones = [
        TimelineEntry(row.start_date, "milestone", row.title)
        for row in KeyDate.objects.filter(programme=programme)
        if row.start_date not in event_days
    ]
    entries = (
        _assessment_entries(user, programme, pair) + _event_entries(programme, pair) + milestones
    )
    findings = list(
        Finding.objects.filter(report__event__pair=pair)
        .select_related("city", "key_factor", "report__event")
        .order_by("report__event__starts_at", "order")
    )
    return PairTimeline(
        programme=programme,
        pair=pair,
        entries=sorted(entries, key=lambda e: (e.day, e.kind)),
        findings=findings,
        today=timezone.localdate(),
    )


# ---------------------------------------------------------------- the first screen's work


@dataclass
class EventsWaiting:
    to_report: int  # held, not yet reported, whose report the user may write
    to_confirm: int  # planned, whose dates the user may confirm for the hosts
    # The event's pk when it is the only one of its kind (the work item links to it).
    only_to_report: int | None
    only_to_confirm: int | None


def _may_write_report(viewer: Any, programme: Programme) -> Q:
    """`can_write_report` as a filter: the programme-wide roles, the scheme's facilitator, and
    the officers of the pair's cities (of the host city, for an event without a pair)."""
    reach = viewer.reach(Action.WRITE_REPORT, programme_id=programme.pk)
    if reach.everything or programme.pk in reach.programme_ids:
        return Q(programme=programme)
    cities = reach.city_ids
    return Q(programme=programme) & (
        Q(scheme_id__in=reach.scheme_ids)
        | Q(pair__mentor__city_id__in=cities)
        | Q(pair__implementing__city_id__in=cities)
        | Q(pair__isnull=True, host_city_id__in=cities)
    )


def _may_confirm(viewer: Any, programme: Programme) -> Q:
    """`can_confirm_event` as a filter: the coordinators and the host city's officers."""
    reach = viewer.reach(Action.EDIT_CITY, programme_id=programme.pk)
    if reach.everything or programme.pk in reach.programme_ids:
        return Q(programme=programme)
    return Q(programme=programme, host_city_id__in=reach.city_ids)


def events_waiting(user: Any, programme: Programme) -> EventsWaiting:
    """The events waiting for the user, by the same predicates as the report and status
    screens written as filters: counted in the database (one query, whatever the number of
    events)."""
    viewer = viewer_for(user)
    if not viewer.can(Action.VIEW_PROGRAMME, programme_id=programme.pk):
        return EventsWaiting(0, 0, None, None)
    report = Q(status=EventStatus.HELD) & _may_write_report(viewer, programme)
    confirm = Q(status=EventStatus.PLANNED) & _may_confirm(viewer, programme)
    counts = Event.objects.filter(programme=programme).aggregate(
        report=Count("pk", filter=report),
        confirm=Count("pk", filter=confirm),
        one_report=Min("pk", filter=report),
        one_confirm=Min("pk", filter=confirm),
    )
    return EventsWaiting(
        counts["report"],
        counts["confirm"],
        counts["one_report"] if counts["report"] == 1 else None,
        counts["one_confirm"] if counts["confirm"] == 1 else None,
    )


def visits_work(user: Any, programme: Programme) -> list[WorkItem]:
    """The events waiting for the user (core.work provider): one event links to its report
    or its page, several to the calendar."""
    waiting = events_waiting(user, programme)
    calendar_url = reverse("visits:calendar", args=[programme.slug])
    items = []
    if n := waiting.to_report:
        url = (
            reverse("visits:report", args=[programme.slug, waiting.only_to_report])
            if n == 1
            else calendar_url
        )
        label = ngettext(
            "%(count)d visit report to write", "%(count)d visit reports to write", n
        ) % {"count": n}
        items.append(WorkItem(label, n, url))
    if n := waiting.to_confirm:
        url = (
            reverse("visits:event", args=[programme.slug, waiting.only_to_confirm])
            if n == 1
            else calendar_url
        )
        label = ngettext(
            "%(count)d planned event to confirm", "%(count)d planned events to confirm", n
        ) % {"count": n}
        items.append(WorkItem(label, n, url))
    return items
