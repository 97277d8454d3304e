"""The programme's timeline: work packages, tasks, deliverables, milestones and events on the
programme's months, read for the viewer (a programme outside their reach is a 404).

One model feeds the chart (workplan.timeline_drawing lays it out), the table that screen readers
use and the exports (workplan.timeline_export), so they show the same items, months and states.
Deliverables take their computed standing (workplan.selectors), events their status, placed on
the day they start in their host city's zone (visits.times). A fixed number of queries whatever
the number of cities or events: the work plan with its prefetches, the standings' steps and
records, the themes, and the events in one query.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from programmes.models import Programme, Theme
from visits.choices import EventStatus
from visits.models import Event
from visits.times import event_first_day, event_last_day, event_when, local

from . import selectors
from .choices import DeliverableState
from .models import Deliverable, Milestone, Task, WorkPackage
from .months import month_end, month_of, month_start


class Kind:
    WORK_PACKAGE = "work_package"
    TASK = "task"
    DELIVERABLE = "deliverable"
    MILESTONE = "milestone"
    EVENT = "event"


# An event's status as the chart draws it: held (a filled mark), planned, or cancelled.
EVENT_SHOWN = {
    EventStatus.PLANNED: "planned",
    EventStatus.CONFIRMED: "planned",
    EventStatus.HELD: "held",
    EventStatus.REPORTED: "held",
    EventStatus.CANCELLED: "cancelled",
}


@dataclass(frozen=True)
class TimelineFilters:
    """What the reader narrowed the timeline to: work packages (none: every one), one mentoring
    scheme by its theme's code, and whether the programme's events are shown."""

    packages: tuple[int, ...] = ()
    scheme: str = ""
    events: bool = True

    @classmethod
    def from_query(cls, query: Any) -> TimelineFilters:
        numbers = query.getlist("wp") if hasattr(query, "getlist") else [query.get("wp") or ""]
        packages = sorted({int(n) for n in numbers if str(n).strip().isdigit()})
        scheme = (query.get("scheme") or "").strip()[:10]
        return cls(tuple(packages), scheme, query.get("events") != "none")

    @property
    def active(self) -> bool:
        return bool(self.packages or self.scheme or not self.events)

    def query_string(self) -> str:
        """The filters as a query string ("" when none), for the export links."""
        pairs: list[tuple[str, str]] = [("wp", str(n)) for n in self.packages]
        if self.scheme:
            pairs.append(("scheme", self.scheme))
        if not self.events:
            pairs.append(("events", "none"))
        return f"?{urlencode(pairs)}" if pairs else ""


@dataclass(frozen=True)
class AxisMonth:
    number: int
    starts: date
    ends: date
    label: str  # "Oct 2017" in the reader's language


@dataclass
class Item:
    """One thing on the timeline: a bar from its first to its last day (work packages and
    tasks), or a point (deliverables and milestones at the end of their due month, events on
    the day they start in their host city)."""

    kind: str
    code: str
    title: str
    starts: date
    ends: date
    first_month: int
    last_month: int
    state: str  # a key: a deliverable's state, "reached", "held", "planned", "cancelled"...
    state_label: str
    overdue: bool = False
    url: str = ""
    when: str = ""  # an event's days and hours in its host city's zone
    scheme: str = ""  # the theme's code, when it serves one scheme

    @property
    def name(self) -> str:
        return f"{self.code} {self.title}".strip()


@dataclass
class Row:
    """A line of the chart: one work package, task, deliverable or milestone, or the events of
    one scheme (or of the whole programme)."""

    label: str
    kind: str
    items: list[Item]


@dataclass
class Group:
    """A work package with its items, or the programme's events; a <tbody> of the table."""

    key: str
    heading: str
    rows: list[Row]

    @property
    def items(self) -> list[Item]:
        return [item for row in self.rows for item in row.items]


@dataclass
class Timeline:
    programme: Programme
    today: date
    today_month: int | None  # None when today is outside the chart's months
    months: list[AxisMonth]
    groups: list[Group]
    filters: TimelineFilters
    all_packages: list[WorkPackage]
    themes: list[Theme]
    title: str  # "CITIES-GROW work plan, 5 December 2026"
    filter_summary: str  # "WP5 · scheme B", "" without filters
    overdue: list[Item] = field(default_factory=list)
    event_count: int = 0  # the events shown, one by one or counted by month
    events_by_month: bool = False  # too many events to show each: counted by month

    @property
    def items(self) -> list[Item]:
        return [item for group in self.groups for item in group.items]

    def count(self, kind: str) -> int:
        if kind == Kind.EVENT:
            return self.event_count
        return sum(1 for item in self.items if item.kind == kind)


def _months(programme: Programme, packages: list[WorkPackage]) -> list[AxisMonth]:
    """From M1 to the last month of the programme or of an item due after it (the reports)."""
    start = programme.start_date
    last = max(
        [month_of(start, programme.end_date)]
        + [wp.end_month for wp in packages]
        + [t.end_month for wp in packages for t in wp.tasks.all()]
        + [d.due_month for wp in packages for d in wp.deliverables.all()]
        + [m.due_month for wp in packages for m in wp.milestones.all()]
    )
    return [
        AxisMonth(
            n,
            month_start(start, n),
            month_end(start, n),
            date_format(month_start(start, n), "SHORT_YEAR_MONTH_FORMAT"),
        )
        for n in range(1, max(last, 1) + 1)
    ]


def _span(programme: Programme, kind: str, obj: Any, state: str, label: str) -> Item:
    start = programme.start_date
    return Item(
        kind=kind,
        code=obj.code,
        title=obj.title,
        starts=month_start(start, obj.start_month),
        ends=month_end(start, obj.end_month),
        first_month=obj.start_month,
        last_month=obj.end_month,
        state=state,
        state_label=label,
        scheme=obj.theme.code if getattr(obj, "theme", None) else "",
    )


def _span_state(item_start: int, item_end: int, today_month: int) -> tuple[str, str]:
    if today_month > item_end:
        return "ended", _("Ended")
    if today_month >= item_start:
        return "running", _("Running")
    return "ahead", _("Not started")


def _deliverable_scheme(d: Deliverable) -> str:
    theme = d.theme or (d.task.theme if d.task else None)
    return theme.code if theme else ""


def timeline_get(
    user: Any, slug: str, filters: TimelineFilters | None = None, *, today: date | None = None
) -> Timeline:
    """The timeline of the programme's work plan and events, narrowed by the filters."""
    programme = selectors._programme(user, slug)
    # Through the module: tests fix today for the work plan's pages in one place.
    today = selectors._today(today)
    filters = filters or TimelineFilters()
    start = programme.start_date
    packages = list(
        WorkPackage.objects.filter(programme=programme)
        .prefetch_related(
            Prefetch("tasks", Task.objects.select_related("theme").order_by("number")),
            Prefetch(
                "deliverables",
                Deliverable.objects.select_related("task__theme", "theme").order_by("number"),
            ),
            Prefetch("milestones", Milestone.objects.order_by("number")),
        )
        .order_by("number")
    )
    themes = list(Theme.objects.filter(programme=programme).order_by("code"))
    if filters.scheme and filters.scheme not in {t.code for t in themes}:
        filters = TimelineFilters(filters.packages, "", filters.events)
    months = _months(programme, packages)
    now = month_of(start, today)
    today_month = now if 1 <= now <= len(months) else None
    deliverables = [d for wp in packages for d in wp.deliverables.all()]
    standings = selectors._standings(programme, deliverables, today)

    groups: list[Group] = []
    overdue: list[Item] = []
    for wp in packages:
        if filters.packages and wp.number not in filters.packages:
            continue
        rows: list[Row] = []
        for task in wp.tasks.all():
            if filters.scheme and (task.theme is None or task.theme.code != filters.scheme):
                continue
            item = _span(
                programme, Kind.TASK, task, *_span_state(task.start_month, task.end_month, now)
            )
            rows.append(Row(item.name, Kind.TASK, [item]))
        for d in wp.deliverables.all():
            scheme = _deliverable_scheme(d)
            if filters.scheme and scheme != filters.scheme:
                continue
            found = standings[d.pk]
            item = Item(
                kind=Kind.DELIVERABLE,
                code=d.code,
                title=d.title,
                starts=month_start(start, d.due_month),
                ends=found.due_on,
                first_month=d.due_month,
                last_month=d.due_month,
                state=str(found.state),
                state_label=str(DeliverableState(found.state).label),
                overdue=found.overdue,
                url=reverse("workplan:deliverable", args=[programme.slug, d.pk]),
                scheme=scheme,
            )
            if item.overdue:
                overdue.append(item)
            rows.append(Row(item.name, Kind.DELIVERABLE, [item]))
        if not filters.scheme:
            for m in wp.milestones.all():
                due_on = month_end(start, m.due_month)
                late = m.reached_on is None and today > due_on
                if m.reached_on is not None:
                    state, label = (
                        "reached",
                        _("Reached on %(day)s") % {"day": date_format(m.reached_on, "DATE_FORMAT")},
                    )
                else:
                    state, label = "not_reached", _("Not reached yet")
                item = Item(
                    kind=Kind.MILESTONE,
                    code=m.code,
                    title=m.title,
                    starts=month_start(start, m.due_month),
                    ends=due_on,
                    first_month=m.due_month,
                    last_month=m.due_month,
                    state=state,
                    state_label=label,
                    overdue=late,
                )
                if late:
                    overdue.append(item)
                rows.append(Row(item.name, Kind.MILESTONE, [item]))
        if filters.scheme and not rows:
            continue
        head = _span(
            programme, Kind.WORK_PACKAGE, wp, *_span_state(wp.start_month, wp.end_month, now)
        )
        groups.append(
            Group(
                f"wp-{wp.number}",
                wp.code + " " + wp.title,
                [Row(head.name, Kind.WORK_PACKAGE, [head]), *rows],
            )
        )

    events = _EventGroups([], 0, False)
    if filters.events:
        events = _event_groups(programme, themes, filters)
        groups.extend(events.groups)

    summary = [", ".join(f"WP{n}" for n in filters.packages)] if filters.packages else []
    if filters.scheme:
        summary.append(_("scheme %(code)s") % {"code": filters.scheme})
    if not filters.events:
        summary.append(_("without the events"))
    return Timeline(
        programme=programme,
        today=today,
        today_month=today_month,
        months=months,
        groups=groups,
        filters=filters,
        all_packages=packages,
        themes=themes,
        title=_("%(programme)s work plan, %(day)s")
        % {"programme": programme.name, "day": date_format(today, "DATE_FORMAT")},
        filter_summary=" · ".join(summary),
        overdue=overdue,
        event_count=events.count,
        events_by_month=events.by_month,
    )


# Beyond this many events (after the filters), the chart and its table count them by month
# rather than show each one: a programme of 400 cities has hundreds of visits. A scheme's
# events, or a small programme's, are shown one by one.
EVENTS_ONE_BY_ONE = 60
_EVENT_FIELDS = (
    "pk",
    "title",
    "starts_at",
    "ends_at",
    "timezone",
    "status",
    "scheme__theme__code",
    "host_city__name",
    "host_city__timezone",
)


@dataclass
class _EventGroups:
    groups: list[Group]
    count: int
    by_month: bool


@dataclass(frozen=True)
class _Host:
    name: str
    timezone: str


@dataclass(frozen=True)
class _EventShown:
    """What visits.times reads of an event to say when it is (read as plain values)."""

    starts_at: datetime
    ends_at: datetime
    timezone: str
    host_city: _Host | None


def _event_groups(
    programme: Programme, themes: list[Theme], filters: TimelineFilters
) -> _EventGroups:
    """The events, one row per scheme and one for the programme-wide events, or, when there
    are more than EVENTS_ONE_BY_ONE, one row counting them by month (one query either way)."""
    events = Event.objects.filter(programme=programme)
    if filters.scheme:
        events = events.filter(scheme__theme__code=filters.scheme)
    found = list(events.order_by("starts_at", "pk").values_list(*_EVENT_FIELDS))
    if len(found) > EVENTS_ONE_BY_ONE:
        return _EventGroups(_events_by_month(programme, found), len(found), True)
    start = programme.start_date
    by_row: dict[str, list[Item]] = {}
    for pk, title, starts_at, ends_at, zone, status, code, host, host_zone in found:
        event = _EventShown(
            starts_at, ends_at, zone, _Host(host, host_zone) if host is not None else None
        )
        first, last = event_first_day(event), event_last_day(event)
        code = code or ""
        by_row.setdefault(code, []).append(
            Item(
                kind=Kind.EVENT,
                code="",
                title=title,
                starts=first,
                ends=last,
                first_month=month_of(start, first),
                last_month=month_of(start, last),
                state=EVENT_SHOWN.get(EventStatus(status), "planned"),
                state_label=str(EventStatus(status).label),
                url=reverse("visits:event", args=[programme.slug, pk]),
                when=event_when(event),
                scheme=code,
            )
        )
    rows = []
    if "" in by_row:
        rows.append(Row(_("Programme-wide events"), Kind.EVENT, by_row[""]))
    for theme in themes:
        if theme.code in by_row:
            label = _("Scheme %(code)s: %(title)s") % {
                "code": theme.code,
                "title": theme.short_title or theme.title,
            }
            rows.append(Row(label, Kind.EVENT, by_row[theme.code]))
    groups = [Group("events", _("Events"), rows)] if rows else []
    return _EventGroups(groups, len(found), False)


def _events_by_month(programme: Programme, found: list[tuple[Any, ...]]) -> list[Group]:
    """One mark a month for the events starting in it (on its host city's clocks): how many,
    and how many held, planned and cancelled; it opens the calendar."""
    start = programme.start_date
    months: dict[int, dict[str, Any]] = {}
    for _pk, _title, starts_at, _ends, zone, status, *_rest in found:
        day = local(starts_at, zone).date()
        month = months.setdefault(
            month_of(start, day), {"first": day, "held": 0, "planned": 0, "cancelled": 0}
        )
        month["first"] = min(month["first"], day)
        month[EVENT_SHOWN.get(EventStatus(status), "planned")] += 1
    calendar = reverse("visits:calendar", args=[programme.slug])
    items = []
    for number, month in sorted(months.items()):
        total = month["held"] + month["planned"] + month["cancelled"]
        state = next((s for s in ("held", "cancelled") if month[s] == total), "planned")
        first_day = month_start(start, number)
        items.append(
            Item(
                kind=Kind.EVENT,
                code="",
                title=ngettext("%(n)s event", "%(n)s events", total) % {"n": total},
                starts=month["first"],
                ends=month_end(start, number),
                first_month=number,
                last_month=number,
                state=state,
                state_label=_("%(held)s held, %(planned)s planned, %(cancelled)s cancelled")
                % {k: month[k] for k in ("held", "planned", "cancelled")},
                url=calendar,
                when=date_format(first_day, "YEAR_MONTH_FORMAT"),
            )
        )
    return [Group("events", _("Events"), [Row(_("Events counted by month"), Kind.EVENT, items)])]
