"""Reads of the knowledge base: practices within the viewer's reach (published ones for
everyone), their pages, the editorial queue, similar practices, where a practice was taken up,
recommendations for a city's gaps, and toolkits."""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, IntegerField, Prefetch, Q, Sum, Value, When
from django.http import Http404
from django.utils.translation import gettext as _
from django_countries import countries

from action_plans.models import PlanAction
from assessments.models import KeyFactor, Rating
from assessments.selectors import city_gaps, visible_assessments_q
from core.rules import RULES, Action
from programmes.access import viewer_for
from programmes.models import CharterCommitment, CharterRole, City, EuropeanModule, Programme

from .choices import PracticeState, PracticeStatus, TargetGroup, ToolkitState
from .models import (
    GoodPractice,
    PracticeFacet,
    PracticeTheme,
    PracticeTransition,
    Toolkit,
    ToolkitFeedback,
    ToolkitPractice,
)
from .permissions import (
    can_edit_practice,
    can_edit_toolkit,
    feedback_city_ids,
    is_practice_editor,
    officer_city_ids,
    practices_visible_q,
    toolkits_visible_q,
)
from .search.engine import SearchResult
from .services.indexing import Facet
from .services.references import References
from .workflow import practice_steps_for, toolkit_steps_for


def _practice_queryset() -> Any:
    return GoodPractice.objects.select_related("city", "european_module").prefetch_related(
        "themes",
        Prefetch("key_factors", queryset=KeyFactor.objects.select_related("benchmark__theme")),
        Prefetch("commitments", queryset=CharterCommitment.objects.select_related("role")),
        "links",
    )


def practice_get(user: Any, reference: str) -> GoodPractice:
    """A practice the viewer may read: published, or a draft of theirs (404 otherwise)."""
    practice = _practice_queryset().filter(practices_visible_q(user), reference=reference).first()
    if practice is None:
        raise Http404("No such practice")
    return practice


@dataclass
class PracticePage:
    practice: GoodPractice
    can_edit: bool
    steps: list[Any]
    transitions: list[PracticeTransition]
    similar: list[GoodPractice]
    uptake: list[PlanAction]
    show_contact: bool
    target_groups: list[str]


def practice_page(user: Any, reference: str) -> PracticePage:
    practice = practice_get(user, reference)
    insider = can_edit_practice(user, practice) or is_practice_editor(user)
    labels = dict(TargetGroup.choices)
    return PracticePage(
        practice=practice,
        can_edit=can_edit_practice(user, practice),
        steps=practice_steps_for(user, practice),
        transitions=list(practice.transitions.select_related("actor")) if insider else [],
        similar=similar_practices(practice),
        uptake=practice_uptake(user, practice),
        # Personal data: the public sees the contact only with the person's consent.
        show_contact=bool(practice.contact_name or practice.contact_email)
        and (practice.contact_consent or insider),
        target_groups=[str(labels.get(code, code)) for code in practice.target_groups],
    )


SIMILARITY_WEIGHTS = {
    Facet.KEY_FACTOR: 3,
    Facet.THEME: 2,
    Facet.TARGET_GROUP: 1,
    Facet.CHARTER_ROLE: 1,
    Facet.MODULE: 1,
}


def similar_practices(practice: GoodPractice, limit: int = 5) -> list[GoodPractice]:
    """Published practices sharing most with this one: key factors weigh most, then themes,
    then target groups, charter roles and module."""
    own = list(practice.facets.filter(facet__in=SIMILARITY_WEIGHTS).values_list("facet", "value"))
    if not own:
        return []
    shared = Q()
    for facet, value in own:
        shared |= Q(facet=facet, value=value)
    weight = Case(
        *[When(facet=f, then=Value(w)) for f, w in SIMILARITY_WEIGHTS.items()],
        output_field=IntegerField(),
    )
    ranked = list(
        PracticeFacet.objects.filter(shared, practice__state=PracticeState.PUBLISHED)
        .exclude(practice_id=practice.pk)
        .values("practice_id")
        .annotate(score=Sum(weight))
        .order_by("-score", "practice_id")[:limit]
        .values_list("practice_id", flat=True)
    )
    found = GoodPractice.objects.in_bulk(ranked)
    return [found[pk] for pk in ranked if pk in found]


def practice_uptake(user: Any, practice: GoodPractice) -> list[PlanAction]:
    """Actions of local action plans that adapt this practice: those of published adopted plans
    for everyone, and those of plans the viewer may read."""
    viewer = viewer_for(user)
    public = Q(plan__published=True, plan__versions__adopted=True, public=True)
    reach = viewer.q(
        Action.VIEW_PLAN,
        programme="plan__programme_id",
        scheme="plan__pair__scheme_id",
        city="plan__city_id",
    )
    return list(
        PlanAction.objects.filter(public | reach, adapts_practice=practice)
        .select_related("plan__city", "plan__programme")
        .distinct()
        .order_by("plan__city__name", "title")
    )


def editorial_queue(user: Any) -> dict[str, list[GoodPractice]]:
    """For editors, the practices waiting for review; for everyone, their own unpublished ones."""
    viewer = viewer_for(user)
    queue: dict[str, list[GoodPractice]] = {"review": [], "own": []}
    base = GoodPractice.objects.select_related("city").order_by("-updated_at")
    if is_practice_editor(user):
        queue["review"] = list(base.filter(state=PracticeState.IN_REVIEW)[:200])
    if viewer.is_authenticated:
        mine = practices_visible_q(user) & ~Q(state=PracticeState.PUBLISHED)
        own_cities = officer_city_ids(viewer)
        own = Q(created_by_id=viewer.user_id) | Q(city__isnull=False, city_id__in=own_cities)
        queue["own"] = list(base.filter(mine & own)[:200])
    return queue


def practice_form_choices() -> dict[str, list[Any]]:
    """The codes a practice form offers, from the same reference data the importer checks."""
    refs = References.load()
    return {
        "themes": [(t.code, f"{t.title} ({t.source_name})") for t in refs.themes.values()],
        "key_factors": sorted(
            (code, f"{code.upper()}. {factor.title}") for code, factor in refs.key_factors.items()
        ),
        "commitments": [(c.code, f"{c.code}: {c.text}") for c in refs.commitments.values()],
        "modules": [(m.number, str(m)) for m in refs.modules.values()],
    }


# ---------------------------------------------------------------- facet labels


def facet_labels(result: SearchResult) -> None:
    """Give each facet value its readable label (a handful of small lookups)."""
    values = {facet: [c.value for c in counts] for facet, counts in result.facets.items()}
    labels: dict[str, dict[str, str]] = {
        Facet.THEME: dict(
            PracticeTheme.objects.filter(code__in=values.get(Facet.THEME, [])).values_list(
                "code", "title"
            )
        ),
        Facet.KEY_FACTOR: {
            f.code: f"{f.code.upper()}. {f.title}"
            for f in KeyFactor.objects.filter(code__in=values.get(Facet.KEY_FACTOR, [])).order_by(
                "benchmark__version"
            )
        },
        Facet.CHARTER_ROLE: dict(
            CharterRole.objects.filter(code__in=values.get(Facet.CHARTER_ROLE, [])).values_list(
                "code", "title"
            )
        ),
        Facet.MODULE: {str(m.number): str(m) for m in EuropeanModule.objects.all()}
        if values.get(Facet.MODULE)
        else {},
        Facet.COUNTRY: {v: str(countries.name(v)) or v for v in values.get(Facet.COUNTRY, [])},
        Facet.TARGET_GROUP: {k: str(v) for k, v in TargetGroup.choices},
        Facet.STATUS: {k: str(v) for k, v in PracticeStatus.choices},
    }
    for facet, counts in result.facets.items():
        for count in counts:
            count.label = labels.get(facet, {}).get(count.value, count.value)


# ---------------------------------------------------------------- recommendations


@dataclass
class Recommendation:
    practice: GoodPractice
    key_factor_code: str
    reason: str
    from_strong_city: bool


@dataclass
class CityRecommendations:
    programme: Any
    city: Any
    gaps: list[Any]  # FactorLine, weakest and most needed first
    recommendations: list[Recommendation] = field(default_factory=list)


def recommendations_for_city(
    user: Any, programme_slug: str, city_slug: str, *, gaps_considered: int = 3, per_gap: int = 3
) -> CityRecommendations:
    """Practices for a city's weakest, highest-priority key factors: first those of cities that
    rate themselves strong on the factor (among the assessments the viewer may read), then
    other practices that illustrate it; each with the reason."""
    gaps = city_gaps(user, programme_slug, city_slug)
    top = gaps.top
    labels = {r.level: r.label for r in gaps.scale}
    lines = sorted(
        (line for theme in gaps.themes for line in theme.lines if line.need > 0),
        key=lambda line: (-line.need, line.latest if line.latest is not None else 0, line.code),
    )[:gaps_considered]
    result = CityRecommendations(programme=gaps.programme, city=gaps.city, gaps=lines)
    if not lines:
        return result
    strong = _strong_cities(user, gaps, [line.code for line in lines], top)
    candidates = list(
        GoodPractice.objects.filter(
            state=PracticeState.PUBLISHED, key_factors__code__in=[line.code for line in lines]
        )
        .exclude(city=gaps.city)
        .select_related("city")
        .prefetch_related(Prefetch("key_factors", to_attr="factor_list"))
        .distinct()
        .order_by("title")
    )
    seen: set[int] = set()
    for line in lines:
        own = _("you rate yourself “%(level)s” with %(priority)s priority") % {
            "level": labels.get(line.latest, "") if line.latest is not None else "",
            "priority": line.priority_label.lower() or _("no"),
        }
        matching = [p for p in candidates if line.code in {f.code for f in p.factor_list}]
        matching.sort(key=lambda p: ((p.city_id or 0) not in strong.get(line.code, {}), p.title))
        for practice in [p for p in matching if p.pk not in seen][:per_gap]:
            seen.add(practice.pk)
            strong_level = strong.get(line.code, {}).get(practice.city_id or 0)
            if strong_level is not None:
                reason = _("%(city)s rates itself “%(strong)s” on %(code)s, where %(own)s.") % {
                    "city": practice.city_name,
                    "strong": labels.get(strong_level, strong_level),
                    "code": line.code.upper(),
                    "own": own,
                }
            else:
                reason = _("It illustrates %(code)s (%(title)s), where %(own)s.") % {
                    "code": line.code.upper(),
                    "title": line.title,
                    "own": own,
                }
            result.recommendations.append(
                Recommendation(practice, line.code, reason, strong_level is not None)
            )
    return result


def _strong_cities(user: Any, gaps: Any, codes: list[str], top: int) -> dict[str, dict[int, int]]:
    """key factor code -> {city id: level} of cities rating themselves in the upper part of
    the scale, from the latest assessments the viewer may read."""
    visible = visible_assessments_q(viewer_for(user), gaps.programme)
    ratings = (
        Rating.objects.filter(
            key_factor__code__in=codes,
            level__gte=max(1, top - 1),
            assessment__in=gaps.programme.self_assessments.filter(visible),
        )
        .exclude(assessment__city=gaps.city)
        .values_list("key_factor__code", "assessment__city_id", "level")
    )
    strong: dict[str, dict[int, int]] = {}
    for code, city_id, level in ratings:
        best = strong.setdefault(code, {})
        best[city_id] = max(int(level or 0), best.get(city_id, 0))
    return strong


# ---------------------------------------------------------------- toolkits


def _toolkit_queryset(user: Any) -> Any:
    return Toolkit.objects.filter(toolkits_visible_q(user)).select_related(
        "programme", "theme__programme_theme__scheme", "benchmark"
    )


def toolkit_get(user: Any, slug: str) -> Toolkit:
    toolkit = _toolkit_queryset(user).filter(slug=slug).first()
    if toolkit is None:
        raise Http404("No such toolkit")
    return toolkit


def toolkits_list(user: Any) -> list[Toolkit]:
    return list(_toolkit_queryset(user).order_by("theme__order", "title"))


@dataclass
class ToolkitSection:
    """One key factor of the toolkit: its why and how, questions, advice and practices."""

    key_factor: KeyFactor | None
    recommendations: list[Any]
    entries: list[ToolkitPractice]
    feedback: list[ToolkitFeedback] = field(default_factory=list)


@dataclass
class ToolkitPage:
    toolkit: Toolkit
    sections: list[ToolkitSection]
    general: ToolkitSection  # advice and practices not tied to a key factor
    can_edit: bool
    steps: list[Any]
    feedback_cities: list[Any]
    feedback_count: int

    @property
    def empty_factors(self) -> list[KeyFactor]:
        """Key factors with neither advice nor a practice: a gap the composer should see."""
        return [
            s.key_factor
            for s in self.sections
            if s.key_factor and not s.recommendations and not s.entries
        ]


def toolkit_page(user: Any, slug: str) -> ToolkitPage:
    """The toolkit in reading order: its benchmark's key factors, each with the advice and
    the (published) practices chosen for it; feedback for those who may read it."""
    toolkit = toolkit_get(user, slug)
    factors = (
        list(toolkit.benchmark.key_factors.prefetch_related("questions"))
        if toolkit.benchmark
        else []
    )
    recommendations = list(toolkit.recommendations.all())
    entries = list(
        toolkit.entries.filter(practice__state=PracticeState.PUBLISHED)
        .select_related("practice")
        .order_by("order", "pk")
    )
    editing = can_edit_toolkit(user, toolkit)
    cities = feedback_city_ids(user, toolkit)
    feedback = []
    if editing or cities:
        feedback = list(
            toolkit.feedback.filter(Q() if editing else Q(city_id__in=cities)).select_related(
                "city", "author"
            )
        )

    def section(factor: KeyFactor | None) -> ToolkitSection:
        factor_id = factor.pk if factor else None
        return ToolkitSection(
            key_factor=factor,
            recommendations=[r for r in recommendations if r.key_factor_id == factor_id],
            entries=[e for e in entries if e.key_factor_id == factor_id],
            feedback=[f for f in feedback if f.key_factor_id == factor_id],
        )

    known = {f.pk for f in factors}
    general = section(None)
    # Advice or practices tied to a factor of another benchmark version count as general.
    general.recommendations += [
        r for r in recommendations if r.key_factor_id and r.key_factor_id not in known
    ]
    general.entries += [e for e in entries if e.key_factor_id and e.key_factor_id not in known]
    return ToolkitPage(
        toolkit=toolkit,
        sections=[section(f) for f in factors],
        general=general,
        can_edit=editing and toolkit.state != ToolkitState.FINAL,
        steps=toolkit_steps_for(user, toolkit),
        feedback_cities=list(City.objects.filter(pk__in=cities)) if cities else [],
        feedback_count=len(feedback),
    )


def programmes_composable(user: Any) -> list[Any]:
    """The programmes in which this person composes toolkits."""
    viewer = viewer_for(user)
    if viewer.is_platform_admin:
        return list(Programme.objects.order_by("name"))
    ids = {g.programme_id for g in viewer.grants if g.role in RULES[Action.EDIT_TOOLKIT]}
    return list(Programme.objects.filter(pk__in=ids).order_by("name")) if ids else []


def toolkit_suggestions(page: ToolkitPage, per_factor: int = 5) -> list[tuple[Any, list[Any]]]:
    """For each key factor of the toolkit, published practices that illustrate it and are not
    in the toolkit yet: what the composer picks from."""
    codes = [s.key_factor.code for s in page.sections if s.key_factor]
    if not codes:
        return []
    chosen = page.toolkit.entries.values("practice_id")
    candidates = list(
        GoodPractice.objects.filter(state=PracticeState.PUBLISHED, key_factors__code__in=codes)
        .exclude(pk__in=chosen)
        .prefetch_related(Prefetch("key_factors", to_attr="factor_list"))
        .distinct()
        .order_by("title")
    )
    suggestions = []
    for section in page.sections:
        factor = section.key_factor
        if factor is None:
            continue
        matching = [p for p in candidates if factor.code in {f.code for f in p.factor_list}]
        suggestions.append((factor, matching[:per_factor]))
    return suggestions
