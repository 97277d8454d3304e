"""Reads of matching runs (coordinators and auditors of the programme; 404 for everyone else)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.utils.translation import gettext as _

from assessments.choices import BenchmarkStatus
from assessments.models import KeyFactor
from core.choosers import SHOWN, Choice, ChooserMessages, NameChooser
from core.errors import DomainError
from core.rules import Action
from programmes.access import viewer_for
from programmes.models import City, MentoringPair, Programme, Theme
from programmes.pair_ending import PairReference, references_to
from programmes.selectors import programme_get
from programmes.services import pairs_replace_preview

from . import wording
from .models import MatchRun
from .services import city_levels, factor_codes_for, run_pair_specs
from .solver import pair_value


def programme_for_matching(user: Any, slug: str) -> Programme:
    programme = programme_get(user, slug)
    if not viewer_for(user).can(Action.VIEW_MATCHING, programme_id=programme.pk):
        raise Http404("No matching here")
    return programme


@dataclass
class FactorShare:
    code: str
    mentor: int
    implementer: int
    value: int
    title: str = ""


@dataclass
class ScoredPair:
    theme: str
    mentor: str  # slugs
    implementer: str
    mentor_name: str
    implementer_name: str
    value: int | None
    factors: list[FactorShare] = field(default_factory=list)
    # On the matching home: the mentors of the theme today, those the mentor can be changed to.
    mentor_options: list[tuple[str, str]] = field(default_factory=list)  # [(slug, name)]


def _score(
    theme: str,
    mentor: str,
    implementer: str,
    names: dict[str, str],
    scores: dict[str, dict[str, list[int]]],
    codes: dict[str, list[str]],
    titles: dict[tuple[str, str], str],
) -> ScoredPair:
    """A pair's value, factor by factor: what the mentor has beyond the implementer."""
    m, i = scores.get(mentor, {}).get(theme), scores.get(implementer, {}).get(theme)
    pair = ScoredPair(
        theme,
        mentor,
        implementer,
        names.get(mentor, mentor),
        names.get(implementer, implementer),
        None,
    )
    if m is None or i is None or len(m) != len(i):
        return pair
    pair.value, by_factor = pair_value(m, i)
    pair.factors = [
        FactorShare(code, mv, iv, v, titles.get((theme, code), ""))
        for code, mv, iv, v in zip(codes.get(theme, []), m, i, by_factor, strict=False)
    ]
    return pair


def factor_titles(
    programme: Programme, *, themes: set[str] | None = None
) -> dict[tuple[str, str], str]:
    """(theme code, key factor code) -> title, from the latest published benchmark versions
    (of the `themes`, codes, when given)."""
    factors = KeyFactor.objects.filter(
        benchmark__theme__programme=programme, benchmark__status=BenchmarkStatus.PUBLISHED
    )
    if themes is not None:
        factors = factors.filter(benchmark__theme__code__in=themes)
    rows = factors.order_by("benchmark__version").values_list(
        "benchmark__theme__code", "code", "title"
    )
    return {(theme, code): title for theme, code, title in rows}  # the latest version wins


@dataclass
class RunReport:
    run: MatchRun
    pairs: list[ScoredPair]
    left_out: list[dict[str, str]]
    details: list[str]
    summary: str = ""

    @property
    def by_theme(self) -> dict[str, list[ScoredPair]]:
        grouped: dict[str, list[ScoredPair]] = {}
        for pair in self.pairs:
            grouped.setdefault(pair.theme, []).append(pair)
        return grouped


def _report(
    run: MatchRun, codes: dict[str, list[str]], titles: dict[tuple[str, str], str]
) -> RunReport:
    names = {slug: info["name"] for slug, info in run.cities.items()}
    scores = {c["id"]: c["scores"] for c in run.problem["cities"]}
    result = run.result or {}
    pairs = [
        _score(p["theme"], p["mentor"], p["implementer"], names, scores, codes, titles)
        for p in result.get("pairs", [])
    ]
    named = _namer(names)
    explanation = result.get("explanation") or {}
    items = explanation.get("details", [])
    left_out = [
        {
            "city": names.get(item["params"]["city"], item["params"]["city"]),
            "reason": wording.detail(item, names, named),
        }
        for item in items
        if item.get("code") == "city_left_out"
    ]
    details = [wording.detail(d, names, named) for d in items if d.get("code") != "city_left_out"]
    summary = wording.summary(explanation, named(explanation.get("summary", "")))
    return RunReport(run, pairs, left_out, details, summary)


def _namer(names: dict[str, str]) -> Callable[[str], str]:
    """The solver speaks of cities by id (their slug); people read their names."""
    if not names:
        return lambda text: text
    pattern = re.compile(
        r"(?<![\w-])("
        + "|".join(re.escape(s) for s in sorted(names, key=len, reverse=True))
        + r")(?![\w-])"
    )
    return lambda text: pattern.sub(lambda m: names[m.group(1)], text)


PAIRS_PER_PAGE = 50


@dataclass
class MatchingHome:
    programme: Programme
    runs: list[MatchRun]
    current: Page  # of ScoredPair: today's pairs matching `query`, a page at a time
    pairs_today: int  # today's pairs, whatever the query
    query: str

    @property
    def query_string(self) -> str:
        """The search, URL-encoded, for the page links."""
        return urlencode({"q": self.query}) if self.query else ""


def matching_home(user: Any, slug: str, *, query: str = "", page: str | int = 1) -> MatchingHome:
    """The runs of the programme and a page of its current pairs (those of a city or theme
    when `query` names one), re-scored on today's assessments."""
    programme = programme_for_matching(user, slug)
    runs = list(
        MatchRun.objects.filter(programme=programme).select_related("created_by", "accepted_by")
    )
    current = MentoringPair.objects.current().filter(scheme__programme=programme)
    total = current.count()
    query = query.strip()
    if query:
        current = current.filter(
            Q(mentor__city__name__icontains=query)
            | Q(implementing__city__name__icontains=query)
            | Q(scheme__theme__code__iexact=query)
        )
    current = current.select_related(
        "scheme__theme", "mentor__city", "implementing__city"
    ).order_by("scheme__theme__code", "implementing__city__name", "pk")
    paginator = Paginator(current, PAIRS_PER_PAGE)
    paged = paginator.get_page(page)
    pairs = list(paged.object_list)
    paged.object_list = _scored_pairs(programme, pairs)  # type: ignore[assignment]
    return MatchingHome(programme, runs, paged, total, query)


def _scored_pairs(programme: Programme, pairs: list[MentoringPair]) -> list[ScoredPair]:
    """The pairs scored on today's assessments, each with the mentors of its theme today (those
    its mentor can be changed to)."""
    themes = {p.scheme.theme.code for p in pairs}
    codes = factor_codes_for(programme, themes=themes)
    titles = factor_titles(programme, themes=themes)
    slugs = {m.city.slug for p in pairs for m in (p.mentor, p.implementing)}
    levels = city_levels(programme, cities=slugs)
    names: dict[str, str] = {}
    scores: dict[str, dict[str, list[int]]] = {}
    for pair in pairs:
        theme = pair.scheme.theme.code
        for member in (pair.mentor, pair.implementing):
            city = member.city
            names[city.slug] = city.name
            rated = levels.get((city.slug, theme))
            if rated is not None and theme in codes:
                scores.setdefault(city.slug, {})[theme] = [rated.get(c, 0) for c in codes[theme]]
    mentors: dict[str, list[tuple[str, str]]] = {}
    rows = (
        MentoringPair.objects.current()
        .filter(scheme__programme=programme, scheme__theme__code__in=themes)
        .order_by("mentor__city__name")
        .values_list("scheme__theme__code", "mentor__city__slug", "mentor__city__name")
        .distinct()
    )
    for theme, mentor_slug, mentor_name in rows:
        mentors.setdefault(theme, []).append((mentor_slug, mentor_name))
    scored = [
        _score(
            pair.scheme.theme.code,
            pair.mentor.city.slug,
            pair.implementing.city.slug,
            names,
            scores,
            codes,
            titles,
        )
        for pair in pairs
    ]
    for row in scored:
        row.mentor_options = mentors.get(row.theme, [])
    return scored


def match_run_report(user: Any, slug: str, pk: int) -> RunReport:
    programme = programme_for_matching(user, slug)
    run = (
        MatchRun.objects.filter(programme=programme, pk=pk)
        .select_related("programme", "created_by", "accepted_by")
        .first()
    )
    if run is None:
        raise Http404("No such run")
    themes = {t["id"] for t in run.problem.get("themes", [])}
    return _report(
        run,
        factor_codes_for(programme, themes=themes),
        factor_titles(programme, themes=themes),
    )


def match_runs_compare(user: Any, slug: str, pks: list[int]) -> tuple[Programme, list[RunReport]]:
    programme = programme_for_matching(user, slug)
    runs = list(MatchRun.objects.filter(programme=programme, pk__in=pks[:4]).order_by("number"))
    codes, titles = factor_codes_for(programme), factor_titles(programme)
    return programme, [_report(run, codes, titles) for run in runs]


def run_progress(run: MatchRun) -> dict[str, Any]:
    """The latest progress of a run, as its solver last wrote it to the run's row, with the
    gap to the bound in percent (`gap_percent`, None until there is a matching)."""
    if not run.progress:
        return {}
    progress = dict(run.progress)
    objective, bound = progress.get("objective"), progress.get("bound")
    progress["gap_percent"] = (
        None
        if objective is None or bound is None
        else round(100 * max(0, bound - objective) / max(1, bound), 2)
    )
    return progress


@dataclass
class RunFormContext:
    themes: list[Theme]
    pairs: dict[str, int]  # theme code -> pairs today (the default)
    has_current: bool  # the programme has pairs today (they can be kept)


def run_form_context(programme: Programme) -> RunFormContext:
    current = Count("scheme__pairs", filter=Q(scheme__pairs__ended_on__isnull=True))
    rows: list[Theme] = list(programme.themes.annotate(n=current).order_by("code"))
    today = {t.code: t.n for t in rows}  # type: ignore[attr-defined]
    return RunFormContext(rows, {code: n or 1 for code, n in today.items()}, any(today.values()))


CITIES_SHOWN = SHOWN


def city_chooser(programme: Programme) -> NameChooser:
    """The cities a matching run can name (those that stated wishes in the programme), found
    by what a coordinator types (core.choosers); a choice's key is the city's slug, its label
    the name with its country, which tells two cities of the same name apart."""

    def load() -> list[Choice]:
        rows = (
            City.objects.filter(theme_wishes__programme=programme)
            .order_by("name", "country")
            .values_list("slug", "name", "country")
            .distinct()
        )
        return [Choice(slug, name, str(country)) for slug, name, country in rows]

    return NameChooser(
        load,
        ChooserMessages(
            several=_("Several cities are called “%(text)s”: choose one, e.g. “%(example)s”."),
            did_you_mean=_("No city of the matching is called “%(text)s”. Did you mean %(names)s?"),
            unknown=_(
                "No city of the matching is called “%(text)s”: only cities that stated their "
                "theme wishes can be named."
            ),
        ),
    )


# ---------------------------------------------------------------- what accepting a run changes


@dataclass
class EndingPair:
    """A current pair the run does not keep, what takes over, and what refers to it."""

    pair: MentoringPair
    successor: str  # the implementing city's new mentor in the run ("" if it has none)
    open: list[PairReference]  # not yet held: the coordinator decides
    held: list[PairReference]  # held or reported: stays with the ended pair


@dataclass
class AcceptancePreview:
    kept: list[MentoringPair]
    ending: list[EndingPair]
    starting: int

    @property
    def open_count(self) -> int:
        return sum(len(e.open) for e in self.ending)

    @property
    def quiet(self) -> list[EndingPair]:
        """Ending pairs that nothing refers to (listed, no choice to make)."""
        return [e for e in self.ending if not e.open and not e.held]


def acceptance_preview(run: MatchRun) -> AcceptancePreview | None:
    """What accepting the run would do to the current pairs and their events (None when the run
    cannot be accepted); a fixed number of queries, plus one per registered provider."""
    if run.accepted_at is not None:
        return None
    try:
        specs = run_pair_specs(run)
    except DomainError:
        return None
    change = pairs_replace_preview(programme=run.programme, pairs=specs)
    names = {slug: info["name"] for slug, info in run.cities.items()}
    new_mentor = {spec.implementing: names.get(spec.mentor, spec.mentor) for spec in specs}
    refs = references_to(change.ending)
    ending = [
        EndingPair(
            pair=pair,
            successor=new_mentor.get(pair.implementing.city.slug, ""),
            open=[r for r in refs if r.pair_id == pair.pk and r.open],
            held=[r for r in refs if r.pair_id == pair.pk and not r.open],
        )
        for pair in change.ending
    ]
    return AcceptancePreview(kept=change.kept, ending=ending, starting=len(change.starting))
