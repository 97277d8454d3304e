"""Reads of action plans, always through the viewer's reach: a plan outside it is a 404."""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q
from django.http import Http404, QueryDict
from django.urls import reverse
from django.utils.translation import ngettext

from core.aggregates import ExactSum
from core.roles import Role
from core.rules import Action
from core.work import WorkItem
from knowledge.choices import PracticeState
from knowledge.models import GoodPractice
from programmes.access import viewer_for
from programmes.models import MentoringPair
from programmes.selectors import programme_get

from .choices import ActionState, CommentStatus, PlanStatus, Section
from .models import (
    ActionPlan,
    CheckIn,
    PlanAction,
    PlanComment,
    PlanTransition,
    PlanVersion,
    ProgressUpdate,
)
from .permissions import can_comment_plan, can_edit_plan, can_monitor_plan
from .services.comments import suggestion_applicable
from .workflow import DECISION_STEPS, STEPS, Step, steps_for


def _visible(user: Any, programme_id: int) -> Any:
    viewer = viewer_for(user)
    return ActionPlan.objects.filter(
        viewer.q(
            Action.VIEW_PLAN,
            programme="programme_id",
            scheme="pair__scheme_id",
            city="city_id",
            programme_id=programme_id,
        ),
        programme_id=programme_id,
    ).select_related(
        "programme", "city", "pair__scheme__theme", "pair__mentor__city", "pair__implementing__city"
    )


def action_plan_get(user: Any, programme_slug: str, city_slug: str) -> ActionPlan:
    """The plan of a city that the viewer may read (404 otherwise)."""
    programme = programme_get(user, programme_slug)
    plan = _visible(user, programme.pk).filter(city__slug=city_slug).first()
    if plan is None:
        raise Http404("No such plan")
    return plan


def action_plans_for_programme(user: Any, programme_slug: str) -> tuple[Any, list[ActionPlan]]:
    programme = programme_get(user, programme_slug)
    return programme, list(_visible(user, programme.pk).order_by("city__name"))


def plan_action_get(plan: ActionPlan, pk: int) -> PlanAction:
    action = plan.actions.filter(pk=pk).first()
    if action is None:
        raise Http404("No such action")
    return action


def progress_updates(action: PlanAction) -> list[ProgressUpdate]:
    return list(action.updates.select_related("author__person").order_by("-on", "-pk"))


def milestones(action: PlanAction) -> list[Any]:
    return list(action.milestones.order_by("due_on"))


def milestone_get(action: PlanAction, pk: str) -> Any:
    found = action.milestones.filter(pk=int(pk)).first() if pk.isdigit() else None
    if found is None:
        raise Http404("No such milestone")
    return found


def evidence_get(plan: ActionPlan, pk: int) -> ProgressUpdate:
    """A progress update of the plan that carries evidence (404 otherwise)."""
    found = ProgressUpdate.objects.filter(action__plan=plan, pk=pk).exclude(evidence="").first()
    if found is None:
        raise Http404("No such evidence")
    return found


def check_in_get(plan: ActionPlan, pk: int) -> CheckIn:
    found = plan.check_ins.filter(pk=pk).first()
    if found is None:
        raise Http404("No such check-in")
    return found


def plan_comment_get(plan: ActionPlan, pk: int) -> PlanComment:
    comment = plan.comments.select_related("plan").filter(pk=pk).first()
    if comment is None:
        raise Http404("No such comment")
    return comment


@dataclass
class SavedPlan:
    """The plan as it is saved now, and who saved it last (shown after a refused save)."""

    plan: ActionPlan
    risks: list[Any]
    saved_by: str


def plan_as_saved(plan: ActionPlan) -> SavedPlan:
    """Read again the plan that `plan` is a stale copy of (three queries)."""
    current = ActionPlan.objects.get(pk=plan.pk)
    last = (
        current.versions.filter(conflict=False)
        .select_related("saved_by__person")
        .order_by("-number")
        .first()
    )
    who = ""
    if last is not None and last.saved_by is not None:
        person = getattr(last.saved_by, "person", None)
        who = person.full_name if person is not None else str(last.saved_by)
    return SavedPlan(current, list(current.risks.order_by("order")), who)


def plan_version_get(plan: ActionPlan, number: int) -> PlanVersion:
    version = plan.versions.filter(number=number).first()
    if version is None:
        raise Http404("No such version")
    return version


# ---------------------------------------------------------------- the plan page


@dataclass
class Thread:
    first: PlanComment
    replies: list[PlanComment]
    can_apply: bool = False  # the viewer may apply its suggested text now
    outdated: bool = False  # its suggested text is based on a section text changed since


@dataclass
class SectionView:
    key: str
    label: Any
    text: str
    threads: list[Thread]


@dataclass
class ActionView:
    action: PlanAction
    threads: list[Thread]


@dataclass
class PlanPage:
    plan: ActionPlan
    sections: list[SectionView]
    actions: list[ActionView]
    risks: list[Any]
    risk_threads: list[Thread]
    transitions: list[PlanTransition]
    open_threads: int
    can_edit: bool
    can_comment: bool
    steps: list[Any]
    total_budget: Decimal
    total_days: Decimal
    check_ins: list[Any]
    can_monitor: bool
    can_publish: bool


def plan_page(user: Any, programme_slug: str, city_slug: str) -> PlanPage:
    """Everything the plan page shows (a fixed number of queries)."""
    plan = action_plan_get(user, programme_slug, city_slug)
    actions = list(
        plan.actions.select_related("adapts_practice")
        .prefetch_related("indicators", "key_factors", "findings")
        .order_by("order", "pk")
    )
    comments = list(
        plan.comments.filter(edition=plan.edition)
        .select_related("author__person", "resolved_by", "applied_by__person")
        .order_by("created_at", "pk")
    )
    can_edit = can_edit_plan(user, plan) and plan.status == PlanStatus.DRAFT
    threads: dict[str, list[Thread]] = {}
    by_id: dict[int, Thread] = {}
    for comment in comments:
        if comment.parent_id is None:
            applicable = suggestion_applicable(comment)
            outdated = applicable and comment.suggestion_base != getattr(plan, comment.section)
            thread = Thread(comment, [], can_edit and applicable and not outdated, outdated)
            by_id[comment.pk] = thread
            key = f"action-{comment.action_id}" if comment.action_id else comment.section
            threads.setdefault(key, []).append(thread)
    for comment in comments:
        if comment.parent_id in by_id:
            by_id[comment.parent_id].replies.append(comment)
    return PlanPage(
        plan=plan,
        sections=[
            SectionView(key, Section(key).label, getattr(plan, key), threads.get(key, []))
            for key in (Section.CONTEXT, Section.VISION, Section.OBJECTIVES)
        ],
        actions=[ActionView(a, threads.get(f"action-{a.pk}", [])) for a in actions],
        risks=list(plan.risks.order_by("order")),
        risk_threads=threads.get(Section.RISKS, []),
        transitions=list(plan.transitions.select_related("actor__person").order_by("at", "pk")),
        open_threads=sum(1 for t in by_id.values() if t.first.status == CommentStatus.OPEN),
        can_edit=can_edit,
        can_comment=can_comment_plan(user, plan) or can_edit_plan(user, plan),
        steps=steps_for(user, plan),
        total_budget=sum((a.budget_eur for a in actions), Decimal("0")),
        total_days=sum((a.staff_days for a in actions), Decimal("0")),
        check_ins=list(plan.check_ins.order_by("due_on")),
        can_monitor=can_monitor_plan(user, plan) and plan.adopted_at is not None,
        can_publish=can_edit_plan(user, plan),
    )


def plan_versions(plan: ActionPlan) -> list[PlanVersion]:
    return list(plan.versions.select_related("saved_by__person").order_by("-number"))


def decision_get(plan: ActionPlan, pk: int) -> PlanTransition:
    decision = plan.transitions.filter(pk=pk).exclude(document="").first()
    if decision is None:
        raise Http404("No such document")
    return decision


@dataclass
class PlanRow:
    plan: ActionPlan
    actions: int
    budget: Decimal
    waiting_for_me: bool


# The plans list shows this many plans a page; a programme may have hundreds.
PLANS_PER_PAGE = 25
# The sections' texts, which no list shows: left unread by the lists.
_LONG_TEXTS = ("context", "vision", "objectives")


@dataclass
class PlansFilters:
    """The plans list's GET form: a status, part of a city's name or of the plan's title, a
    page."""

    status: str = ""
    search: str = ""
    page: str = "1"

    @classmethod
    def from_query(cls, query: Any) -> "PlansFilters":
        status = query.get("status", "")
        return cls(
            status=status if status in PlanStatus.values else "",
            search=query.get("q", "").strip()[:100],
            page=query.get("page", "1"),
        )

    @property
    def active(self) -> bool:
        return bool(self.status or self.search)

    def query(self) -> str:
        """The filters as a query string for the pagination's links (without the page)."""
        q = QueryDict(mutable=True)
        if self.status:
            q["status"] = self.status
        if self.search:
            q["q"] = self.search
        return q.urlencode()


@dataclass
class PlansHome:
    programme: Any
    filters: PlansFilters
    page: Page[Any]  # its object_list: the page's PlanRows
    counts: dict[str, int]  # every plan the viewer reads, by status (not only the page's)
    matching: int  # the plans the search keeps, whatever their status
    waiting: list[ActionPlan]  # every plan waiting for a step of the viewer, on any page
    startable: list[Any]  # implementing cities of the viewer without a plan yet

    @property
    def rows(self) -> list[PlanRow]:
        return list(self.page.object_list)

    @property
    def plan_count(self) -> int:
        return sum(self.counts.values())

    @property
    def statuses(self) -> list[tuple[str, Any, int]]:
        """Each status with its label and count, in the workflow's order."""
        return [(value, label, self.counts.get(value, 0)) for value, label in PlanStatus.choices]


def plans_home(user: Any, programme_slug: str, filters: PlansFilters | None = None) -> PlansHome:
    """The list of the plans the viewer may read, a page at a time with the count of each
    status, and the inbox: every plan awaiting a step the viewer may take. However many plans
    there are, the same queries: the counts by status, the search's count, the page's rows,
    the plans waiting, the pairs without a plan."""
    filters = filters or PlansFilters()
    programme = programme_get(user, programme_slug)
    visible = _visible(user, programme.pk)
    counts = dict(visible.values_list("status").annotate(n=Count("pk")).order_by())
    if filters.search:
        visible = visible.filter(
            Q(city__name__icontains=filters.search) | Q(title__icontains=filters.search)
        )
    # With a search, the count of what it keeps (one query); the page's length follows.
    matching = (
        dict(visible.values_list("status").annotate(n=Count("pk")).order_by())
        if filters.search
        else counts
    )
    listed = (visible.filter(status=filters.status) if filters.status else visible).order_by(
        "city__name", "pk"
    )
    paginator: Paginator[Any] = Paginator(listed, PLANS_PER_PAGE)
    # The counts give the list's length (no COUNT query of its own), and the page is read with
    # one query even when empty: the same queries for no plan as for many.
    paginator.count = matching.get(filters.status, 0) if filters.status else sum(matching.values())
    page = paginator.get_page(filters.page)
    offset = (page.number - 1) * PLANS_PER_PAGE
    plans = list(listed.defer(*_LONG_TEXTS)[offset : offset + PLANS_PER_PAGE])
    # The page's actions counted and summed apart: one light query on the page's plans, not a
    # join of every plan's actions.
    totals = {
        row["plan_id"]: row
        # ([0] when the page is empty: the query runs all the same, so that the count of
        # queries never depends on the data.)
        for row in PlanAction.objects.filter(plan_id__in=[p.pk for p in plans] or [0])
        .values("plan_id")
        .annotate(n=Count("pk"), budget=ExactSum("budget_eur"))
        .order_by()
    }
    waiting = plans_waiting_for(user, programme)
    waiting_ids = {p.pk for p in waiting}
    page.object_list = [
        PlanRow(
            plan=p,
            actions=totals[p.pk]["n"] if p.pk in totals else 0,
            budget=(totals[p.pk]["budget"] if p.pk in totals else None) or Decimal("0"),
            waiting_for_me=p.pk in waiting_ids,
        )
        for p in plans
    ]
    return PlansHome(
        programme=programme,
        filters=filters,
        page=page,
        counts=counts,
        matching=sum(matching.values()),
        waiting=waiting,
        startable=_startable_cities(user, programme),
    )


def _startable_cities(user: Any, programme: Any) -> list[Any]:
    """The implementing cities whose plan the viewer may start and that have none yet (one
    query, over the viewer's own cities only)."""
    viewer = viewer_for(user)
    reach = viewer.reach(Action.EDIT_PLAN, programme_id=programme.pk)
    pairs = MentoringPair.objects.current().filter(scheme__programme=programme)
    if not (reach.everything or programme.pk in reach.programme_ids):
        pairs = pairs.filter(implementing__city_id__in=reach.city_ids)
    return [
        pair.implementing.city
        for pair in pairs.exclude(implementing__city__action_plans__programme=programme)
        .select_related("implementing__city")
        .order_by("implementing__city__name", "pk")
        if viewer.reaches(
            Action.EDIT_PLAN, programme_id=programme.pk, city_id=pair.implementing.city_id
        )
    ]


# ---------------------------------------------------------------- progress and the public page


def latest_progress(action_ids: list[int]) -> dict[int, ProgressUpdate]:
    """Each action's latest progress update (one query)."""
    latest: dict[int, ProgressUpdate] = {}
    for update in ProgressUpdate.objects.filter(action_id__in=action_ids).order_by("on", "pk"):
        latest[update.action_id] = update
    return latest


@dataclass
class ProgressRow:
    plan: ActionPlan
    percent: Decimal
    by_state: dict[str, int]
    next_check_in: Any


def rolled_up_percent(latest: dict[int, int], action_ids: list[int]) -> Decimal:
    """A plan's progress: the mean of its actions' latest %, an action without a report counting
    0, rounded half-up to one decimal (dropped actions are left out)."""
    if not action_ids:
        return Decimal("0")
    total = sum((Decimal(latest.get(pk, 0)) for pk in action_ids), Decimal("0"))
    return (total / len(action_ids)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def progress_dashboard(user: Any, programme_slug: str) -> tuple[Any, list[ProgressRow]]:
    """Every adopted plan the viewer reads, with its rolled-up progress (fixed queries)."""
    programme = programme_get(user, programme_slug)
    plans = list(_visible(user, programme.pk).filter(adopted_at__isnull=False).order_by("city"))
    actions = list(
        PlanAction.objects.filter(plan__in=plans).values_list("pk", "plan_id").order_by("pk")
    )
    latest = latest_progress([pk for pk, _plan in actions])
    check_ins: dict[int, Any] = {}
    for check_in in CheckIn.objects.filter(plan__in=plans, done_at__isnull=True).order_by("due_on"):
        check_ins.setdefault(check_in.plan_id, check_in)
    rows = []
    for plan in plans:
        ids = [
            pk
            for pk, plan_id in actions
            if plan_id == plan.pk and (pk not in latest or latest[pk].state != ActionState.DROPPED)
        ]
        states: dict[str, int] = {}
        for pk in ids:
            state = latest[pk].state if pk in latest else ActionState.NOT_STARTED
            states[state] = states.get(state, 0) + 1
        rows.append(
            ProgressRow(
                plan=plan,
                percent=rolled_up_percent({k: v.percent for k, v in latest.items()}, ids),
                by_state=states,
                next_check_in=check_ins.get(plan.pk),
            )
        )
    return programme, rows


@dataclass
class PublicAction:
    content: dict[str, Any]  # the action as adopted
    progress: ProgressUpdate | None  # its latest report
    practice: Any  # the good practice it adapts, or None
    practice_public: bool  # that practice's page is public (linked), else only its title shows

    # A frozen version keeps dates as ISO text: the page formats them in the reader's language.
    @property
    def start(self) -> date | None:
        return _snapshot_date(self.content.get("start"))

    @property
    def end(self) -> date | None:
        return _snapshot_date(self.content.get("end"))


def _snapshot_date(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


@dataclass
class PublicPlan:
    plan: ActionPlan
    content: dict[str, Any]  # the adopted text (a frozen version)
    actions: list[PublicAction]
    decided_on: Any  # the date of the political decision that adopted it (not of the click)
    decided_by: str  # the body that decided


def _decisions(plans: list[ActionPlan], editions: dict[int, int]) -> dict[int, PlanTransition]:
    """Each plan's political endorsement of the given edition (one query)."""
    found: dict[int, PlanTransition] = {}
    endorsements = PlanTransition.objects.filter(
        plan__in=plans, transition=Step.ENDORSE.value
    ).order_by("at", "pk")
    for endorsement in endorsements.only("plan_id", "edition", "decided_on", "body"):
        if editions.get(endorsement.plan_id) == endorsement.edition:
            found[endorsement.plan_id] = endorsement
    return found


def public_plan(programme_slug: str, city_slug: str) -> PublicPlan:
    """An adopted plan its city chose to publish, as adopted, with only the actions it chose to
    show, their progress and the good practice each adapts; anything else is a 404 (drafts
    included). A fixed number of queries, whatever the number of actions."""
    plan = (
        ActionPlan.objects.filter(
            programme__slug=programme_slug, city__slug=city_slug, published=True
        )
        .select_related("programme", "city", "pair__scheme__theme", "pair__mentor__city")
        .first()
    )
    adopted = plan.versions.filter(adopted=True).order_by("-number").first() if plan else None
    if plan is None or adopted is None:
        raise Http404("No such plan")
    public_ids = set(plan.actions.filter(public=True).values_list("pk", flat=True))
    shown = [a for a in adopted.content.get("actions", []) if a.get("id") in public_ids]
    latest = latest_progress([a["id"] for a in shown])
    references = {a["adapts_practice"] for a in shown if a.get("adapts_practice")}
    practices = (
        {
            p.reference: p
            for p in GoodPractice.objects.filter(reference__in=references).only(
                "reference", "title", "city_name", "state"
            )
        }
        if references
        else {}
    )
    actions = []
    for action in shown:
        practice = practices.get(action.get("adapts_practice") or "")
        public = practice is not None and practice.state == PracticeState.PUBLISHED
        actions.append(PublicAction(action, latest.get(action["id"]), practice, public))
    decision = _decisions([plan], {plan.pk: adopted.edition}).get(plan.pk)
    return PublicPlan(
        plan=plan,
        content=adopted.content,
        actions=actions,
        decided_on=decision.decided_on if decision else None,
        decided_by=decision.body if decision else "",
    )


@dataclass
class PublicPlanRow:
    plan: ActionPlan
    title: str  # as adopted
    decided_on: Any


def public_plans() -> list[PublicPlanRow]:
    """Adopted plans their cities chose to publish, with the date of the decision that adopted
    each (three queries, whatever their number)."""
    plans = list(
        ActionPlan.objects.filter(published=True, versions__adopted=True)
        .select_related("programme", "city")
        .distinct()
        .order_by("programme__name", "city__name")
    )
    adopted: dict[int, PlanVersion] = {}
    for version in PlanVersion.objects.filter(plan__in=plans, adopted=True).order_by("number"):
        adopted[version.plan_id] = version  # the latest adopted text wins
    decisions = _decisions(plans, {pk: v.edition for pk, v in adopted.items()})
    return [
        PublicPlanRow(
            plan=p,
            title=str(adopted[p.pk].content.get("title") or p.title),
            decided_on=decisions[p.pk].decided_on if p.pk in decisions else None,
        )
        for p in plans
        if p.pk in adopted
    ]


def public_plans_count() -> int:
    """How many adopted plans are published (for the portal's front page)."""
    return ActionPlan.objects.filter(published=True, versions__adopted=True).distinct().count()


# ---------------------------------------------------------------- the first screen's work


def _may_wait_for(user: Any, programme_id: int) -> Q:
    """A filter keeping at least every plan that may wait for the user's decision step, so
    that the plans no step of theirs can leave are not read (the workflow's own predicates
    then decide): a plan in review for its reviewers and its mentor city's officers, a plan
    submitted or approved for its city's approvers."""
    viewer = viewer_for(user)
    grants = [g for g in viewer.grants if g.programme_id == programme_id and g.city_id]
    officer_cities = {g.city_id for g in grants if g.role == Role.CITY_OFFICER}
    approver_cities = {g.city_id for g in grants if g.role == Role.CITY_APPROVER}
    reviewed = viewer.q(
        Action.REVIEW_PLAN,
        programme="programme_id",
        scheme="pair__scheme_id",
        city="city_id",
        programme_id=programme_id,
    ) | Q(pair__mentor__city_id__in=officer_cities)
    review_steps = {Step.SUBMIT, Step.REQUEST_CHANGES}
    in_review = Q(status__in={source for step in review_steps for source in STEPS[step].sources})
    # The other decision steps are the approvers' (tests check the filter keeps every plan
    # that the predicates find waiting).
    decided = {source for step in DECISION_STEPS - review_steps for source in STEPS[step].sources}
    return (in_review & reviewed) | Q(status__in=decided, city_id__in=approver_cities)


def plans_waiting_for(user: Any, programme: Any) -> list[ActionPlan]:
    """The plans awaiting a review or decision step the user may take: the dashboard's
    `waiting_for_me`, one query whatever the number of plans."""
    return [
        p
        for p in _visible(user, programme.pk)
        .filter(_may_wait_for(user, programme.pk))
        .defer(*_LONG_TEXTS)
        .order_by("city__name", "pk")
        if any(step in DECISION_STEPS for step, _rule in steps_for(user, p))
    ]


def plans_work(user: Any, programme: Any) -> list[WorkItem]:
    """The plans waiting for the user (core.work provider): one plan links to its page, several
    to the dashboard that lists them under "Waiting for you"."""
    plans = plans_waiting_for(user, programme)
    if not plans:
        return []
    if len(plans) == 1:
        url = reverse("action_plans:plan", args=[programme.slug, plans[0].city.slug])
    else:
        url = reverse("action_plans:index", args=[programme.slug])
    label = ngettext(
        "%(count)d action plan waits for your review or decision",
        "%(count)d action plans wait for your review or decision",
        len(plans),
    ) % {"count": len(plans)}
    return [WorkItem(label=label, count=len(plans), url=url)]
