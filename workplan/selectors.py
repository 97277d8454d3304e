"""Reads of the work plan, scoped to the viewer: a programme outside their reach is a 404.

Every deliverable's state is computed here from its steps and, for one the platform holds, from
its records (workplan.sources, workplan.workflow.standing), never read from a stored column, so
it cannot drift from them. The work plan page runs a fixed number of queries whatever the
number of cities: the records are read once per source for the whole programme and only their
counts are shown; a deliverable's page lists its records a page at a time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from conference.selectors.after import ConferenceFigures, figures_for_events
from core.history import CHANGE_TYPES, HistoryEntry, history_entries
from programmes.access import viewer_for
from programmes.models import Programme, ProgrammePartner
from programmes.selectors import programme_get

from .choices import CLASSIFIED, DeliverableKind, DeliverableState, Dissemination, Source, Step
from .models import Deliverable, DeliverableStep, Milestone, Task, WorkPackage
from .months import month_end, month_of, month_start
from .permissions import (
    can_edit_workplan,
    can_record_deliverable,
    can_view_history,
    can_view_workplan,
)
from .sources import Record, records_for, tally
from .workflow import Standing, standing, steps_open

RECORDS_PER_PAGE = 25


def _programme(user: Any, slug: str) -> Programme:
    programme = programme_get(user, slug)
    if not can_view_workplan(user, programme.pk):
        raise Http404("No work plan here")
    return programme


def _today(today: date | None) -> date:
    return today or timezone.localdate()


@dataclass(frozen=True)
class Month:
    """A programme month as people read it: "M14 · February 2018", due by its last day."""

    number: int
    starts: date
    ends: date


def month(programme: Programme, number: int) -> Month:
    start = programme.start_date
    return Month(number, month_start(start, number), month_end(start, number))


@dataclass
class DeliverableRow:
    deliverable: Deliverable
    standing: Standing
    due: Month


@dataclass
class MilestoneRow:
    milestone: Milestone
    due: Month
    overdue: bool


@dataclass
class PackageView:
    work_package: WorkPackage
    starts: Month
    ends: Month
    tasks: list[Task]
    deliverables: list[DeliverableRow]
    milestones: list[MilestoneRow]


@dataclass(frozen=True)
class Filters:
    wp: int | None = None
    state: str = ""
    kind: str = ""
    lead: int | None = None
    overdue: bool = False

    @classmethod
    def from_query(cls, query: Any) -> Filters:
        def number(name: str) -> int | None:
            text = (query.get(name) or "").strip()
            return int(text) if text.isdigit() else None

        state = query.get("state") or ""
        kind = query.get("kind") or ""
        return cls(
            wp=number("wp"),
            state=state if state in DeliverableState.values else "",
            kind=kind if kind in DeliverableKind.values else "",
            lead=number("lead"),
            overdue=query.get("overdue") == "1",
        )

    @property
    def active(self) -> bool:
        return bool(self.wp or self.state or self.kind or self.lead or self.overdue)


@dataclass
class ChangeLine:
    when: datetime
    who: str
    kind: str
    what: str
    reason: str


@dataclass
class WorkPlanPage:
    programme: Programme
    today: date
    current_month: int
    packages: list[PackageView]
    filters: Filters
    partners: list[ProgrammePartner]
    all_packages: list[WorkPackage]
    by_state: list[tuple[DeliverableState, int]]
    overdue_deliverables: int
    overdue_milestones: int
    total_deliverables: int
    can_edit: bool
    can_record: bool
    changes: list[ChangeLine] = field(default_factory=list)


def _standings(
    programme: Programme, deliverables: list[Deliverable], today: date
) -> dict[int, Standing]:
    """Every deliverable's standing: its steps in one query, each source's records in one."""
    steps: dict[int, list[DeliverableStep]] = {d.pk: [] for d in deliverables}
    for step in DeliverableStep.objects.filter(deliverable__in=deliverables).order_by("at", "pk"):
        steps[step.deliverable_id].append(step)
    records = records_for(programme, {d.source for d in deliverables if d.from_records})
    return {
        d.pk: standing(
            d,
            programme_start=programme.start_date,
            steps=steps[d.pk],
            found=tally(records[Source(d.source)], d.theme_id) if d.from_records else None,
            today=today,
        )
        for d in deliverables
    }


def _milestone_overdue(programme: Programme, milestone: Milestone, today: date) -> bool:
    return milestone.reached_on is None and today > month_end(
        programme.start_date, milestone.due_month
    )


def _packages(programme: Programme, *, plan: bool = True) -> list[WorkPackage]:
    """The work packages with their deliverables, and with their tasks and milestones unless
    only the deliverables are wanted (`plan` False)."""
    deliverables = Prefetch(
        "deliverables", Deliverable.objects.select_related("lead__organisation", "task", "theme")
    )
    if not plan:
        return list(
            WorkPackage.objects.filter(programme=programme)
            .prefetch_related(deliverables)
            .order_by("number")
        )
    return list(
        WorkPackage.objects.filter(programme=programme)
        .select_related("lead__organisation")
        .prefetch_related(
            Prefetch("tasks", Task.objects.select_related("lead__organisation", "theme")),
            deliverables,
            Prefetch("milestones", Milestone.objects.select_related("lead__organisation")),
        )
        .order_by("number")
    )


@dataclass
class Deadlines:
    """The deliverables with their standing, for the dashboard: those due soon and how many
    are overdue."""

    rows: list[DeliverableRow]
    overdue: int


def deliverable_deadlines(user: Any, slug: str, *, today: date | None = None) -> Deadlines:
    """Every deliverable's standing, without the rest of the work plan (a fixed number of
    queries)."""
    programme = _programme(user, slug)
    today = _today(today)
    deliverables = [d for wp in _packages(programme, plan=False) for d in wp.deliverables.all()]
    standings = _standings(programme, deliverables, today)
    return Deadlines(
        [DeliverableRow(d, standings[d.pk], month(programme, d.due_month)) for d in deliverables],
        sum(1 for s in standings.values() if s.overdue),
    )


def _leads(packages: list[WorkPackage]) -> list[ProgrammePartner]:
    """The partners that lead a package, task, deliverable or milestone (the lead filter's
    choices), by name: from the records read, without a query."""
    leads: dict[int, ProgrammePartner] = {}
    for wp in packages:
        items: list[Any] = [wp, *wp.tasks.all(), *wp.deliverables.all(), *wp.milestones.all()]
        for item in items:
            if item.lead_id is not None:
                leads[item.lead_id] = item.lead
    return sorted(leads.values(), key=lambda p: (str(p.organisation.name), p.pk))


def workplan_page(
    user: Any, slug: str, filters: Filters | None = None, *, today: date | None = None
) -> WorkPlanPage:
    """The programme's work plan with every deliverable's state (a fixed number of queries)."""
    programme = _programme(user, slug)
    today = _today(today)
    filters = filters or Filters()
    packages = _packages(programme)
    deliverables = [d for wp in packages for d in wp.deliverables.all()]
    standings = _standings(programme, deliverables, today)
    counts = dict.fromkeys(DeliverableState, 0)
    for found in standings.values():
        counts[found.state] += 1
    views = []
    overdue_milestones = 0
    for wp in packages:
        rows = [
            DeliverableRow(d, standings[d.pk], month(programme, d.due_month))
            for d in wp.deliverables.all()
        ]
        milestones = [
            MilestoneRow(m, month(programme, m.due_month), _milestone_overdue(programme, m, today))
            for m in wp.milestones.all()
        ]
        overdue_milestones += sum(1 for m in milestones if m.overdue)
        if filters.wp and wp.number != filters.wp:
            continue
        rows = [r for r in rows if _shown(r, filters)]
        milestones = [
            m
            for m in milestones
            if (not filters.lead or m.milestone.lead_id == filters.lead)
            and (not filters.overdue or m.overdue)
            and not filters.state
            and not filters.kind
        ]
        tasks = [
            t
            for t in wp.tasks.all()
            if (not filters.lead or t.lead_id == filters.lead)
            and not (filters.state or filters.kind or filters.overdue)
        ]
        views.append(
            PackageView(
                wp,
                month(programme, wp.start_month),
                month(programme, wp.end_month),
                tasks,
                rows,
                milestones,
            )
        )
    page = WorkPlanPage(
        programme=programme,
        today=today,
        current_month=month_of(programme.start_date, today),
        packages=views,
        filters=filters,
        partners=_leads(packages),
        all_packages=packages,
        by_state=[(state, counts[state]) for state in DeliverableState],
        overdue_deliverables=sum(1 for s in standings.values() if s.overdue),
        overdue_milestones=overdue_milestones,
        total_deliverables=len(deliverables),
        can_edit=bool(can_edit_workplan(user, programme.pk)),
        can_record=bool(can_record_deliverable(user, programme.pk)),
    )
    if can_view_history(user, programme.pk):
        page.changes = recent_changes(programme)
    return page


def _shown(row: DeliverableRow, filters: Filters) -> bool:
    d = row.deliverable
    return (
        (not filters.state or row.standing.state == filters.state)
        and (not filters.kind or d.kind == filters.kind)
        and (not filters.lead or d.lead_id == filters.lead)
        and (not filters.overdue or row.standing.overdue)
    )


def recent_changes(programme: Programme, limit: int = 15) -> list[ChangeLine]:
    """The latest changes to the work plan, newest first (one query per kind of item)."""
    sources: list[tuple[Any, str]] = [
        (WorkPackage.history.filter(programme_id=programme.pk), "WP{number}"),
        (Task.history.filter(work_package__programme_id=programme.pk), "T"),
        (Deliverable.history.filter(work_package__programme_id=programme.pk), "D"),
        (Milestone.history.filter(work_package__programme_id=programme.pk), "MS"),
        (
            DeliverableStep.history.filter(deliverable__work_package__programme_id=programme.pk),
            "step",
        ),
    ]
    wp_numbers = dict(WorkPackage.objects.filter(programme=programme).values_list("pk", "number"))
    steps = {
        pk: (wp, number)
        for pk, wp, number in Deliverable.objects.filter(
            work_package__programme=programme
        ).values_list("pk", "work_package_id", "number")
    }
    lines: list[ChangeLine] = []
    for queryset, prefix in sources:
        for record in queryset.select_related("history_user").order_by("-history_date")[:limit]:
            if prefix.startswith("WP"):
                what = f"WP{record.number} {record.title}"
            elif prefix == "step":
                wp, number = steps.get(record.deliverable_id, (0, 0))
                code = f"D{wp_numbers.get(wp, '?')}.{number}"
                what = f"{code}: {Step(record.step).label}"
            else:
                what = f"{prefix}{wp_numbers.get(record.work_package_id, '?')}.{record.number} "
                what += record.title
            user = record.history_user
            lines.append(
                ChangeLine(
                    when=record.history_date,
                    who=(user.get_full_name() or user.email) if user else str(_("System")),
                    kind=str(CHANGE_TYPES.get(record.history_type, record.history_type)),
                    what=what,
                    reason=record.history_change_reason or "",
                )
            )
    lines.sort(key=lambda line: line.when, reverse=True)
    return lines[:limit]


# ---------------------------------------------------------------- one deliverable


def _deliverables(programme: Programme) -> Any:
    return Deliverable.objects.filter(work_package__programme=programme).select_related(
        "work_package__programme", "lead__organisation", "task", "theme"
    )


def deliverable_get(user: Any, slug: str, pk: int) -> Deliverable:
    """A deliverable of a programme whose work plan the viewer reads (404 otherwise)."""
    programme = _programme(user, slug)
    found = _deliverables(programme).filter(pk=pk).first()
    if found is None:
        raise Http404("No such deliverable")
    return found


@dataclass
class RecordLine:
    record: Record
    url: str
    participants_url: str
    # A held conference with registration: its figures (registrations, attendance, sessions,
    # feedback), computed from its records; None otherwise.
    figures: ConferenceFigures | None = None


@dataclass
class DeliverablePage:
    programme: Programme
    deliverable: Deliverable
    standing: Standing
    due: Month
    steps: list[DeliverableStep]
    records: Page | None  # the records counted, a page at a time (for its navigation)
    record_lines: list[RecordLine]  # that page's records, linked where they open
    open_steps: list[Step]
    can_edit: bool
    can_record: bool
    classified: bool
    history: list[HistoryEntry]


def deliverable_page(
    user: Any, slug: str, pk: int, *, page_number: Any = 1, today: date | None = None
) -> DeliverablePage:
    deliverable = deliverable_get(user, slug, pk)
    programme = deliverable.work_package.programme
    today = _today(today)
    steps = list(deliverable.steps.select_related("actor").order_by("at", "pk"))
    found = None
    page: Page | None = None
    lines: list[RecordLine] = []
    if deliverable.from_records:
        records = records_for(programme, [deliverable.source])[Source(deliverable.source)]
        found = tally(records, deliverable.theme_id)
        viewer = viewer_for(user)
        page = Paginator(found.done, RECORDS_PER_PAGE).get_page(page_number)
        lines = [
            RecordLine(r, r.url(viewer, programme), r.participants_url(viewer, programme))
            for r in page.object_list
        ]
        # The figures go where the participant list does (a held conference, programme members).
        figures = figures_for_events([line.record.pk for line in lines if line.participants_url])
        for line in lines:
            line.figures = figures.get(line.record.pk) if line.participants_url else None
    current = standing(
        deliverable, programme_start=programme.start_date, steps=steps, found=found, today=today
    )
    can_record = bool(can_record_deliverable(user, programme.pk))
    return DeliverablePage(
        programme=programme,
        deliverable=deliverable,
        standing=current,
        due=month(programme, deliverable.due_month),
        steps=list(reversed(steps)),
        records=page,
        record_lines=lines,
        open_steps=steps_open(deliverable, current) if can_record else [],
        can_edit=bool(can_edit_workplan(user, programme.pk)),
        can_record=can_record,
        classified=deliverable.dissemination in CLASSIFIED,
        history=history_entries(deliverable) if can_view_history(user, programme.pk) else [],
    )


def step_file_get(user: Any, slug: str, pk: int, step_pk: int) -> DeliverableStep:
    """A step's file, for those who read the work plan; a step of another deliverable is a 404."""
    deliverable = deliverable_get(user, slug, pk)
    step = deliverable.steps.filter(pk=step_pk).exclude(file="").first()
    if step is None:
        raise Http404("No such file")
    return step


# ---------------------------------------------------------------- items to edit


def workplan_programme(user: Any, slug: str) -> Programme:
    """The programme, for those who read its work plan (404 otherwise)."""
    return _programme(user, slug)


def work_package_get(programme: Programme, number: int) -> WorkPackage:
    """A work package of a programme the caller already fetched within the viewer's reach."""
    found = (
        WorkPackage.objects.filter(programme=programme, number=number)
        .select_related("programme")
        .first()
    )
    if found is None:
        raise Http404("No such work package")
    return found


def item_get(programme: Programme, model: Any, pk: int) -> Any:
    """A task, deliverable or milestone of a programme fetched within the viewer's reach."""
    found = (
        model.objects.filter(work_package__programme=programme, pk=pk)
        .select_related("work_package__programme")
        .first()
    )
    if found is None:
        raise Http404("No such item")
    return found


def partner_choices(programme: Programme) -> list[tuple[int, str]]:
    return [
        (p.pk, p.organisation.name)
        for p in ProgrammePartner.objects.filter(programme=programme)
        .select_related("organisation")
        .order_by("organisation__name")
    ]


def theme_choices(programme: Programme) -> list[tuple[int, str]]:
    return [
        (t.pk, f"{t.code}. {t.short_title or t.title}") for t in programme.themes.order_by("code")
    ]


def task_choices(work_package: WorkPackage) -> list[tuple[int, str]]:
    return [(t.pk, f"{t.code} {t.title}") for t in work_package.tasks.order_by("number")]


# ---------------------------------------------------------------- the public portal


@dataclass
class PublicDeliverable:
    programme: Programme
    deliverable: Deliverable
    standing: Standing
    due: Month
    file_url: str
    link: str
    records_url: str  # the public list of the records it counts


_PUBLIC_LISTS = {
    Source.ADOPTED_PLANS: "action_plans:public_index",
    Source.PUBLISHED_TOOLKITS: "knowledge:toolkits",
}


def public_deliverables(*, today: date | None = None) -> list[PublicDeliverable]:
    """The public (PU) deliverables that have something to show: submitted or accepted with
    their file or link, or counted from records already public. A fixed number of queries per
    programme (one programme on a platform, a few at most)."""
    today = _today(today)
    shown: list[PublicDeliverable] = []
    deliverables = list(
        Deliverable.objects.filter(dissemination=Dissemination.PUBLIC)
        .select_related("work_package__programme")
        .order_by("work_package__programme__name", "work_package__number", "number")
    )
    by_programme: dict[int, list[Deliverable]] = {}
    for d in deliverables:
        by_programme.setdefault(d.work_package.programme_id, []).append(d)
    for items in by_programme.values():
        programme = items[0].work_package.programme
        standings = _standings(programme, items, today)
        for d in items:
            found = standings[d.pk]
            submission = found.submission if found.state in PUBLIC_STATES else None
            file_url = (
                reverse("workplan:public_file", args=[programme.slug, d.pk])
                if submission is not None and submission.file
                else ""
            )
            link = submission.link if submission is not None else ""
            records_url = (
                reverse(_PUBLIC_LISTS[Source(d.source)])
                if d.source in _PUBLIC_LISTS and found.count
                else ""
            )
            if file_url or link or records_url or (found.count and d.from_records):
                shown.append(
                    PublicDeliverable(
                        programme,
                        d,
                        found,
                        month(programme, d.due_month),
                        file_url,
                        link,
                        records_url,
                    )
                )
    return shown


PUBLIC_STATES = (DeliverableState.SUBMITTED, DeliverableState.ACCEPTED)


def public_file_get(slug: str, pk: int) -> DeliverableStep:
    """The file of a public deliverable as submitted (its latest submission, once submitted or
    accepted); anything else, a returned version or the funder's letters included, is a 404."""
    deliverable = (
        Deliverable.objects.filter(
            work_package__programme__slug=slug, pk=pk, dissemination=Dissemination.PUBLIC
        )
        .select_related("work_package__programme")
        .first()
    )
    if deliverable is None:
        raise Http404("No such deliverable")
    steps = list(deliverable.steps.order_by("at", "pk"))
    last = steps[-1] if steps else None
    if last is None or last.step not in (Step.SUBMIT, Step.ACCEPT):
        raise Http404("Not published")
    submission = next((s for s in reversed(steps) if s.step == Step.SUBMIT), None)
    if submission is None or not submission.file:
        raise Http404("No file")
    return submission
