"""Reads of benchmarks, self-assessments and gaps, always through the viewer's reach.

A draft self-assessment is visible to its own city only; once submitted, to its reviewers, the
coordinators and auditors, and the city's mentoring partner (core.rules). Outside reach: a 404.
Every selector runs a fixed number of queries, whatever the number of cities.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404, QueryDict
from django.urls import reverse
from django.utils.translation import ngettext

from core.rules import Action
from core.work import WorkItem
from programmes.access import Viewer, viewer_for
from programmes.models import City, Programme, RatingLevel, SchemeMember, Theme
from programmes.selectors import city_get, programme_get

from .choices import PHASE_ORDER, AssessmentStatus, BenchmarkStatus, Phase, Priority
from .models import (
    Attachment,
    Benchmark,
    GuidingQuestion,
    KeyFactor,
    Rating,
    SelfAssessment,
    ThemeWishes,
)

# States whose ratings the city stands by: compared across cities and used for matching.
SETTLED = (AssessmentStatus.SUBMITTED, AssessmentStatus.ACCEPTED)


def visible_assessments_q(viewer: Viewer, programme: Programme) -> Q:
    """Submitted and accepted: the VIEW_ASSESSMENT reach. Returned (the city is reworking it):
    its reviewers too. Draft: the city alone."""

    def reach(action: Action) -> Q:
        return viewer.q(
            action,
            programme="programme_id",
            scheme="theme__scheme",
            city="city_id",
            programme_id=programme.pk,
        )

    settled = Q(status__in=SETTLED) & reach(Action.VIEW_ASSESSMENT)
    returned = Q(status=AssessmentStatus.RETURNED) & reach(Action.REVIEW_ASSESSMENT)
    own = viewer.q(Action.VIEW_ASSESSMENT_DRAFT, city="city_id", programme_id=programme.pk)
    return Q(programme=programme) & (settled | returned | own)


def rating_scale(programme: Programme) -> list[RatingLevel]:
    return list(RatingLevel.objects.filter(programme=programme).order_by("level"))


# ---------------------------------------------------------------- benchmarks


def _benchmark_content() -> list[Any]:
    return [
        Prefetch(
            "key_factors",
            queryset=KeyFactor.objects.order_by("order").prefetch_related(
                Prefetch("questions", queryset=GuidingQuestion.objects.order_by("order"))
            ),
        ),
        "additional_factors",
    ]


def theme_get(user: Any, programme: Programme, code: str) -> Theme:
    theme = (
        Theme.objects.filter(programme=programme, code__iexact=code)
        .select_related("scheme", "facilitator")
        .first()
    )
    if theme is None:
        raise Http404("No such theme")
    return theme


@dataclass
class BenchmarkPage:
    programme: Programme
    theme: Theme
    benchmark: Benchmark | None  # None: nothing published yet
    versions: list[Benchmark]
    draft: Benchmark | None  # only for those who may edit it


def benchmark_page(
    user: Any, programme_slug: str, code: str, version: int | None = None
) -> BenchmarkPage:
    """A published benchmark of a theme (the latest, or `version`); drafts are for editors."""
    programme = programme_get(user, programme_slug)
    viewer = viewer_for(user)
    theme = theme_get(user, programme, code)
    scheme_id = theme.scheme.pk if hasattr(theme, "scheme") else None
    can_edit = viewer.reaches(Action.EDIT_BENCHMARK, programme_id=programme.pk, scheme_id=scheme_id)
    versions = list(Benchmark.objects.filter(theme=theme).order_by("-version"))
    draft = next((b for b in versions if b.status == BenchmarkStatus.DRAFT), None)
    published = [b for b in versions if b.status == BenchmarkStatus.PUBLISHED]
    if version is None:
        chosen = published[0] if published else None
    else:
        chosen = next((b for b in published if b.version == version), None)
        if chosen is None and draft is not None and draft.version == version and can_edit:
            chosen = draft
        if chosen is None:
            raise Http404("No such version")
    if chosen is not None:
        chosen = Benchmark.objects.prefetch_related(*_benchmark_content()).get(pk=chosen.pk)
    return BenchmarkPage(
        programme=programme,
        theme=theme,
        benchmark=chosen,
        versions=published,
        draft=draft if can_edit else None,
    )


def benchmark_draft_get(user: Any, programme_slug: str, code: str) -> Benchmark | None:
    """The theme's draft with its content, for its editors only (404 for everyone else);
    None when the theme has no draft."""
    programme = programme_get(user, programme_slug)
    theme = theme_get(user, programme, code)
    scheme_id = theme.scheme.pk if hasattr(theme, "scheme") else None
    if not viewer_for(user).reaches(
        Action.EDIT_BENCHMARK, programme_id=programme.pk, scheme_id=scheme_id
    ):
        raise Http404("No draft here")
    draft = (
        Benchmark.objects.filter(theme=theme, status=BenchmarkStatus.DRAFT)
        .select_related("theme__programme")
        .prefetch_related(*_benchmark_content())
        .first()
    )
    return draft


# ---------------------------------------------------------------- self-assessments


def _assessment_queryset(viewer: Viewer, programme: Programme) -> QuerySet[SelfAssessment]:
    return SelfAssessment.objects.filter(visible_assessments_q(viewer, programme)).select_related(
        "city", "theme__scheme", "benchmark"
    )


@dataclass
class CityAssessments:
    """One of the viewer's own cities: its assessments by (theme code, phase), and its wishes."""

    city: City
    # one row per theme: (theme, [(phase, its assessment or None) for each phase])
    grid: list[tuple[Theme, list[tuple[Phase, SelfAssessment | None]]]]
    wishes: ThemeWishes | None
    can_edit: bool


# The list of the self-assessments one may open shows this many a page.
ASSESSMENTS_PER_PAGE = 25
# The review queue names this many assessments, those waiting longest; the list shows the rest.
REVIEWS_SHOWN = 10


@dataclass
class AssessmentFilters:
    """The assessments list's GET form: a theme (code), a phase, a status, part of a city's
    name, a page."""

    theme: str = ""
    phase: str = ""
    status: str = ""
    search: str = ""
    page: str = "1"

    @classmethod
    def from_query(cls, query: Any) -> AssessmentFilters:
        phase, status = query.get("phase", ""), query.get("status", "")
        return cls(
            theme=query.get("theme", "").strip()[:10],
            phase=phase if phase in Phase.values else "",
            status=status if status in AssessmentStatus.values else "",
            search=query.get("q", "").strip()[:100],
            page=query.get("page", "1"),
        )

    @property
    def active(self) -> bool:
        return bool(self.theme or self.phase or self.status or self.search)

    def query(self) -> str:
        """The filters as a query string for the pagination's links (without the page)."""
        q = QueryDict(mutable=True)
        for key, value in (
            ("theme", self.theme),
            ("phase", self.phase),
            ("status", self.status),
            ("q", self.search),
        ):
            if value:
                q[key] = value
        return q.urlencode()


@dataclass
class AssessmentsHome:
    programme: Programme
    themes: list[Theme]
    phases: list[Phase]
    own: list[CityAssessments]
    to_review: list[SelfAssessment]  # the REVIEWS_SHOWN waiting longest
    to_review_count: int  # every assessment waiting for the viewer's review
    filters: AssessmentFilters
    page: Page[Any]  # a page of the assessments the viewer may open, filtered
    counts: dict[str, int]  # every assessment the viewer may open, by status
    can_review: bool

    @property
    def visible(self) -> list[SelfAssessment]:
        return list(self.page.object_list)

    @property
    def assessment_count(self) -> int:
        return sum(self.counts.values())

    @property
    def statuses(self) -> list[tuple[str, Any, int]]:
        return [(v, label, self.counts.get(v, 0)) for v, label in AssessmentStatus.choices]

    @property
    def statuses_found(self) -> list[tuple[str, Any, int]]:
        """The statuses that some assessment has, with their counts."""
        return [(v, label, n) for v, label, n in self.statuses if n]


def assessments_home(
    user: Any, programme_slug: str, filters: AssessmentFilters | None = None
) -> AssessmentsHome:
    """The assessments tab: a city's own assessments and wishes; a reviewer's queue; a page of
    the assessments the viewer may open (filtered), with each status's count over all of them.
    The same queries however many cities there are."""
    filters = filters or AssessmentFilters()
    programme = programme_get(user, programme_slug)
    viewer = viewer_for(user)
    themes = list(Theme.objects.filter(programme=programme).select_related("scheme"))
    visible = _assessment_queryset(viewer, programme)
    counts = dict(visible.values_list("status").annotate(n=Count("pk")).order_by())
    listed = visible
    if filters.theme:
        listed = listed.filter(theme__code__iexact=filters.theme)
    if filters.phase:
        listed = listed.filter(phase=filters.phase)
    if filters.status:
        listed = listed.filter(status=filters.status)
    if filters.search:
        listed = listed.filter(city__name__icontains=filters.search)
    listed = listed.order_by("city__name", "theme__code", "phase", "pk")
    paginator: Paginator[Any] = Paginator(listed, ASSESSMENTS_PER_PAGE)
    # Without filters the counts give the list's length; with them, one COUNT. The page is
    # read with one query even when empty.
    paginator.count = listed.count() if filters.active else sum(counts.values())
    page = paginator.get_page(filters.page)
    offset = (page.number - 1) * ASSESSMENTS_PER_PAGE
    page.object_list = list(listed[offset : offset + ASSESSMENTS_PER_PAGE])

    own_reach = viewer.reach(Action.VIEW_ASSESSMENT_DRAFT, programme_id=programme.pk)
    edit_reach = viewer.reach(Action.EDIT_ASSESSMENT, programme_id=programme.pk)
    own_cities = list(City.objects.filter(pk__in=own_reach.city_ids).order_by("name"))
    own_ids = [c.pk for c in own_cities]
    wishes = {
        w.city_id: w
        for w in ThemeWishes.objects.filter(programme=programme, city__in=own_ids).prefetch_related(
            "mentor_themes", "implement_themes"
        )
    }
    mine = list(visible.filter(city__in=own_ids))
    # A city's grid shows the themes it has to do with (its schemes, its wishes, its
    # assessments); a city with none yet sees every theme.
    related: dict[int, set[int]] = {c: set() for c in own_ids}
    for city_id, theme_id in (
        SchemeMember.objects.current()
        .filter(programme=programme, city__in=own_ids)
        .values_list("city_id", "scheme__theme_id")
    ):
        related[city_id].add(theme_id)
    for city_id, wish in wishes.items():
        related[city_id] |= {t.pk for t in wish.mentor_themes.all()}
        related[city_id] |= {t.pk for t in wish.implement_themes.all()}
    for a in mine:
        related[a.city_id].add(a.theme_id)
    own = [
        CityAssessments(
            city=city,
            grid=_grid(
                [t for t in themes if t.pk in related[city.pk]] or themes,
                [a for a in mine if a.city_id == city.pk],
            ),
            wishes=wishes.get(city.pk),
            can_edit=city.pk in edit_reach.city_ids,
        )
        for city in own_cities
    ]
    review_reach = viewer.reach(Action.REVIEW_ASSESSMENT, programme_id=programme.pk)
    reviewable_everywhere = review_reach.everything or programme.pk in review_reach.programme_ids
    waiting = visible.filter(status=AssessmentStatus.SUBMITTED)
    if not reviewable_everywhere:
        waiting = waiting.filter(theme__scheme__in=review_reach.scheme_ids)
    # The queue shows the longest-waiting first, a bounded number of them; the count is over
    # every one (the list below, filtered by status, shows them all).
    to_review = list(waiting.order_by("submitted_at", "pk")[:REVIEWS_SHOWN])
    to_review_count = waiting.count()
    return AssessmentsHome(
        programme=programme,
        themes=themes,
        phases=list(Phase),
        own=own,
        to_review=to_review,
        to_review_count=to_review_count,
        filters=filters,
        page=page,
        counts=counts,
        can_review=reviewable_everywhere or bool(review_reach.scheme_ids),
    )


def _grid(
    themes: list[Theme], assessments: list[SelfAssessment]
) -> list[tuple[Theme, list[tuple[Phase, SelfAssessment | None]]]]:
    found = {(a.theme_id, a.phase): a for a in assessments}
    return [(t, [(p, found.get((t.pk, p))) for p in Phase]) for t in themes]


def _scheme_id(theme: Theme) -> int | None:
    scheme = getattr(theme, "scheme", None)
    return scheme.pk if scheme else None


def self_assessment_get(
    user: Any, programme: Programme, city_slug: str, theme_code: str, phase: str
) -> SelfAssessment:
    """One self-assessment with its ratings, questions and attachments; 404 outside reach."""
    assessment = (
        _assessment_queryset(viewer_for(user), programme)
        .filter(city__slug=city_slug, theme__code__iexact=theme_code, phase=phase)
        .select_related("programme", "submitted_by", "reviewed_by")
        .prefetch_related(
            Prefetch(
                "ratings",
                queryset=Rating.objects.select_related("key_factor")
                .prefetch_related(
                    Prefetch("key_factor__questions", queryset=GuidingQuestion.objects.all()),
                    Prefetch("attachments", queryset=Attachment.objects.order_by("uploaded_at")),
                )
                .order_by("key_factor__order"),
            ),
            "benchmark__additional_factors",
        )
        .first()
    )
    if assessment is None:
        raise Http404("No such self-assessment")
    return assessment


def previous_levels(user: Any, assessment: SelfAssessment) -> dict[str, int | None]:
    """The levels the city gave in the phase before this one, by key factor code (a hint)."""
    order = PHASE_ORDER[Phase(assessment.phase)]
    if order == 0:
        return {}
    earlier = [p for p in Phase if PHASE_ORDER[p] < order]
    previous = _assessment_queryset(viewer_for(user), assessment.programme).filter(
        city=assessment.city_id, theme=assessment.theme_id, phase__in=earlier
    )
    chosen = max(previous, key=lambda a: PHASE_ORDER[Phase(a.phase)], default=None)
    if chosen is None:
        return {}
    return dict(Rating.objects.filter(assessment=chosen).values_list("key_factor__code", "level"))


def assessment_revision(assessment: SelfAssessment) -> int:
    """The revision saved now (after a refused save: someone else saved in between)."""
    return SelfAssessment.objects.values_list("revision", flat=True).get(pk=assessment.pk)


def saved_ratings(assessment: SelfAssessment) -> dict[str, Rating]:
    """The ratings as saved now, by key factor code, to set beside what the person typed."""
    return {
        r.key_factor.code: r
        for r in Rating.objects.filter(assessment=assessment).select_related("key_factor")
    }


def benchmark_revision(benchmark: Benchmark) -> int:
    return Benchmark.objects.values_list("revision", flat=True).get(pk=benchmark.pk)


def attachment_get(
    user: Any, programme: Programme, city_slug: str, theme_code: str, phase: str, pk: int
) -> Attachment:
    """An evidence file of one visible self-assessment, addressed by its full path."""
    visible = SelfAssessment.objects.filter(
        visible_assessments_q(viewer_for(user), programme),
        city__slug=city_slug,
        theme__code__iexact=theme_code,
        phase=phase,
    )
    attachment = (
        Attachment.objects.filter(pk=pk, rating__assessment__in=visible)
        .select_related(
            "rating__assessment__theme__scheme",
            "rating__assessment__city",
            "rating__assessment__programme",
        )
        .first()
    )
    if attachment is None:
        raise Http404("No such attachment")
    return attachment


def theme_wishes_get(user: Any, programme: Programme, city: City) -> ThemeWishes | None:
    return (
        ThemeWishes.objects.filter(programme=programme, city=city)
        .prefetch_related("mentor_themes", "implement_themes")
        .first()
    )


# ---------------------------------------------------------------- gap analysis


@dataclass
class FactorLine:
    code: str
    title: str
    levels: dict[str, int | None]  # by phase
    priority: int | None  # in the latest phase rated
    latest: int | None
    need: int  # (top level - latest level) x priority: how much the city needs this factor
    is_gap: bool

    @property
    def priority_label(self) -> str:
        return str(Priority(self.priority).label) if self.priority else ""

    @property
    def change(self) -> int | None:
        rated = [level for level in self.levels.values() if level is not None]
        return rated[-1] - rated[0] if len(rated) > 1 else None


@dataclass
class ThemeGaps:
    theme: Theme
    assessments: list[SelfAssessment]  # by phase order
    lines: list[FactorLine]

    @property
    def gaps(self) -> list[FactorLine]:
        return sorted((line for line in self.lines if line.is_gap), key=lambda x: -x.need)

    @property
    def phases(self) -> list[str]:
        return [a.phase for a in self.assessments]


@dataclass
class CityGaps:
    programme: Programme
    city: City
    scale: list[RatingLevel]
    themes: list[ThemeGaps] = field(default_factory=list)

    @property
    def top(self) -> int:
        return max((r.level for r in self.scale), default=0)


def gap_threshold(top_level: int) -> int:
    """Levels at or below this are low: the lower half of the scale (0 and 1 on 0-3)."""
    return top_level // 2


def _factor_lines(assessments: list[SelfAssessment], top: int) -> list[FactorLine]:
    """One line per key factor of the latest assessment; earlier phases matched by code."""
    latest = assessments[-1]
    by_phase = {a.phase: {r.key_factor.code: r for r in a.ratings.all()} for a in assessments}
    lines = []
    for rating in latest.ratings.all():
        code = rating.key_factor.code
        levels = {
            a.phase: (r.level if (r := by_phase[a.phase].get(code)) else None) for a in assessments
        }
        level, priority = rating.level, rating.priority
        need = (top - level) * (priority or 0) if level is not None else 0
        lines.append(
            FactorLine(
                code=code,
                title=rating.key_factor.title,
                levels=levels,
                priority=priority,
                latest=level,
                need=need,
                is_gap=level is not None
                and level <= gap_threshold(top)
                and priority == Priority.HIGH,
            )
        )
    return lines


def city_gaps(user: Any, programme_slug: str, city_slug: str) -> CityGaps:
    """A city's ratings per theme and key factor, its gaps and its change between phases."""
    programme = programme_get(user, programme_slug)
    city = city_get(user, programme_slug, city_slug)
    assessments = list(
        _assessment_queryset(viewer_for(user), programme)
        .filter(city=city)
        .prefetch_related(
            Prefetch(
                "ratings",
                queryset=Rating.objects.select_related("key_factor").order_by("key_factor__order"),
            )
        )
    )
    result = CityGaps(programme=programme, city=city, scale=rating_scale(programme))
    by_theme: dict[int, list[SelfAssessment]] = {}
    for assessment in assessments:
        by_theme.setdefault(assessment.theme_id, []).append(assessment)
    for theme_assessments in sorted(by_theme.values(), key=lambda group: group[0].theme.code):
        theme_assessments.sort(key=lambda a: PHASE_ORDER[Phase(a.phase)])
        result.themes.append(
            ThemeGaps(
                theme=theme_assessments[0].theme,
                assessments=theme_assessments,
                lines=_factor_lines(theme_assessments, result.top),
            )
        )
    return result


@dataclass
class HeatRow:
    city: City
    assessment: SelfAssessment
    cells: list[Rating | None]  # one per key factor of the benchmark, in order

    @property
    def mean(self) -> float | None:
        levels = [c.level for c in self.cells if c is not None and c.level is not None]
        return sum(levels) / len(levels) if levels else None


@dataclass
class ThemeComparison:
    programme: Programme
    theme: Theme
    phase: Phase
    benchmark: Benchmark | None
    key_factors: list[KeyFactor]
    rows: list[HeatRow]
    scale: list[RatingLevel]

    @property
    def column_means(self) -> list[float | None]:
        means = []
        for index in range(len(self.key_factors)):
            levels = [
                cell.level
                for row in self.rows
                if (cell := row.cells[index]) is not None and cell.level is not None
            ]
            means.append(sum(levels) / len(levels) if levels else None)
        return means


def theme_comparison(user: Any, programme_slug: str, code: str, phase: str) -> ThemeComparison:
    """All cities' submitted ratings of one theme in one phase, side by side (a heat map)."""
    programme = programme_get(user, programme_slug)
    theme = theme_get(user, programme, code)
    if phase not in Phase.values:
        raise Http404("No such phase")
    assessments = list(
        _assessment_queryset(viewer_for(user), programme)
        .filter(theme=theme, phase=phase, status__in=SETTLED)
        .prefetch_related(Prefetch("ratings", queryset=Rating.objects.select_related("key_factor")))
        .order_by("city__name")
    )
    benchmark = (
        Benchmark.objects.filter(theme=theme, status=BenchmarkStatus.PUBLISHED)
        .prefetch_related(Prefetch("key_factors", queryset=KeyFactor.objects.order_by("order")))
        .order_by("-version")
        .first()
    )
    factors = list(benchmark.key_factors.all()) if benchmark else []
    rows = []
    for assessment in assessments:
        by_code = {r.key_factor.code: r for r in assessment.ratings.all()}
        rows.append(
            HeatRow(
                city=assessment.city,
                assessment=assessment,
                cells=[by_code.get(f.code) for f in factors],
            )
        )
    return ThemeComparison(
        programme=programme,
        theme=theme,
        phase=Phase(phase),
        benchmark=benchmark,
        key_factors=factors,
        rows=rows,
        scale=rating_scale(programme),
    )


def pair_assessments(
    user: Any, programme: Programme, theme_id: int, city_ids: list[int]
) -> list[SelfAssessment]:
    """A pair's self-assessments in its theme that the viewer may see (for its timeline)."""
    return list(
        _assessment_queryset(viewer_for(user), programme)
        .filter(theme_id=theme_id, city_id__in=city_ids)
        .order_by("submitted_at")
    )


# ---------------------------------------------------------------- the first screen's work


@dataclass
class AssessmentsWaiting:
    to_review: list[SelfAssessment]  # submitted, in the reviewer's reach (the home's queue)
    to_finish: list[SelfAssessment]  # drafts and returned ones of the cities the user edits for


def assessments_waiting(user: Any, programme: Programme) -> AssessmentsWaiting:
    """What waits for the user among the self-assessments they may open: the review queue of
    assessments_home, and their own cities' unfinished ones (one query)."""
    viewer = viewer_for(user)
    visible = list(
        _assessment_queryset(viewer, programme)
        .filter(
            status__in=(
                AssessmentStatus.SUBMITTED,
                AssessmentStatus.DRAFT,
                AssessmentStatus.RETURNED,
            )
        )
        .order_by("city__name", "theme__code")
    )
    review_reach = viewer.reach(Action.REVIEW_ASSESSMENT, programme_id=programme.pk)
    everywhere = review_reach.everything or programme.pk in review_reach.programme_ids
    edit_reach = viewer.reach(Action.EDIT_ASSESSMENT, programme_id=programme.pk)
    return AssessmentsWaiting(
        to_review=[
            a
            for a in visible
            if a.status == AssessmentStatus.SUBMITTED
            and (everywhere or _scheme_id(a.theme) in review_reach.scheme_ids)
        ],
        to_finish=[
            a
            for a in visible
            if a.status in (AssessmentStatus.DRAFT, AssessmentStatus.RETURNED)
            and a.city_id in edit_reach.city_ids
        ],
    )


def _assessments_url(programme: Programme, found: list[SelfAssessment]) -> str:
    """One assessment: its page; several: the assessments tab that lists them."""
    if len(found) == 1:
        a = found[0]
        return reverse(
            "assessments:assessment", args=[programme.slug, a.city.slug, a.theme.code, a.phase]
        )
    return reverse("assessments:home", args=[programme.slug])


def assessments_work(user: Any, programme: Programme) -> list[WorkItem]:
    """The self-assessments waiting for the user (core.work provider)."""
    waiting = assessments_waiting(user, programme)
    items = []
    if n := len(waiting.to_review):
        label = ngettext(
            "%(count)d self-assessment to review", "%(count)d self-assessments to review", n
        ) % {"count": n}
        items.append(WorkItem(label, n, _assessments_url(programme, waiting.to_review)))
    if n := len(waiting.to_finish):
        label = ngettext(
            "%(count)d self-assessment of your city to finish",
            "%(count)d self-assessments of your city to finish",
            n,
        ) % {"count": n}
        items.append(WorkItem(label, n, _assessments_url(programme, waiting.to_finish)))
    return items
