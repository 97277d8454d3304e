"""Reads of infographics: the editors' working copies (scoped: outside scope a 404) and the
published versions, which anyone may read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from core.rules import Action
from programmes.access import viewer_for
from programmes.models import MentoringPair, Programme, Theme
from programmes.selectors import programme_get

from .models import Infographic, InfographicItem, InfographicVersion


def _editable(user: Any, programme: Programme) -> QuerySet[Infographic]:
    viewer = viewer_for(user)
    return Infographic.objects.filter(
        viewer.q(
            Action.EDIT_INFOGRAPHIC,
            programme="programme_id",
            scheme="theme__scheme",
            programme_id=programme.pk,
        ),
        programme=programme,
    )


@dataclass
class Subject:
    """Something that can have an infographic: a pair, or a scheme (pair None)."""

    theme: Theme
    pair: MentoringPair | None
    infographics: list[Infographic]

    @property
    def label(self) -> str:
        if self.pair is None:
            return f"{self.theme.code} \u2013 {self.theme.short_title or self.theme.title}"
        return f"{self.pair.mentor.city.name} \u2013 {self.pair.implementing.city.name}"


SCHEMES_PER_PAGE = 10


@dataclass
class EditorHome:
    programme: Programme
    subjects: list[Subject]  # the page's schemes, each followed by its pairs
    page: Page  # of the schemes (themes) the viewer edits that match `query`
    query: str

    @property
    def query_string(self) -> str:
        """The search, URL-encoded, for the page links."""
        return urlencode({"q": self.query}) if self.query else ""


def _editable_themes(user: Any, programme: Programme) -> QuerySet[Theme]:
    """The themes (with a scheme) whose infographics the viewer edits; 404 when none."""
    reach = viewer_for(user).reach(Action.EDIT_INFOGRAPHIC, programme_id=programme.pk)
    if not (reach.everything or reach.programme_ids or reach.scheme_ids):
        raise Http404("No infographics to edit")
    themes = Theme.objects.filter(programme=programme, scheme__isnull=False)
    if not (reach.everything or programme.pk in reach.programme_ids):
        themes = themes.filter(scheme__in=reach.scheme_ids)
    return themes.select_related("scheme")


def infographics_home(
    user: Any, programme_slug: str, *, query: str = "", page: str | int = 1
) -> EditorHome:
    """The schemes and pairs whose infographics the viewer edits, with the existing ones, ten
    schemes a page; `query` keeps the schemes of that code and the pairs of a city so named."""
    programme = programme_get(user, programme_slug)
    themes = _editable_themes(user, programme)
    query = query.strip()
    by_city = Q()
    if query:
        by_city = Q(mentor__city__name__icontains=query) | Q(
            implementing__city__name__icontains=query
        )
        named = MentoringPair.objects.filter(by_city, scheme__programme=programme)
        themes = themes.filter(Q(code__iexact=query) | Q(scheme__pairs__in=named)).distinct()
    shown = Paginator(themes.order_by("code"), SCHEMES_PER_PAGE).get_page(page)
    page_themes: list[Theme] = list(shown.object_list)
    pairs = MentoringPair.objects.filter(scheme__theme__in=page_themes)
    if query:  # a scheme found by its code shows all its pairs; otherwise the city's
        pairs = pairs.filter(Q(scheme__theme__code__iexact=query) | by_city)
    pairs_of: dict[int, list[MentoringPair]] = {}
    for pair in pairs.select_related("mentor__city", "implementing__city").order_by(
        "ended_on", "implementing__city__name"
    ):
        pairs_of.setdefault(pair.scheme_id, []).append(pair)
    existing: dict[tuple[int, int | None], list[Infographic]] = {}
    for infographic in (
        _editable(user, programme)
        .filter(theme__in=page_themes)
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=InfographicVersion.objects.only("pk", "number", "infographic_id"),
            )
        )
    ):
        existing.setdefault((infographic.theme_id, infographic.pair_id), []).append(infographic)
    subjects = []
    for theme in page_themes:
        subjects.append(Subject(theme, None, existing.get((theme.pk, None), [])))
        subjects += [
            Subject(theme, pair, existing.get((theme.pk, pair.pk), []))
            for pair in pairs_of.get(theme.scheme.pk, [])
        ]
    return EditorHome(programme, subjects, shown, query)


def infographic_subject_get(user: Any, programme_slug: str, key: str) -> Subject:
    """The scheme ("scheme-<theme pk>") or pair ("pair-<pair pk>") the viewer would start an
    infographic of; 404 outside what they edit."""
    programme = programme_get(user, programme_slug)
    themes = _editable_themes(user, programme)
    kind, _sep, number = key.partition("-")
    if not number.isascii() or not number.isdigit():
        raise Http404("No such pair or scheme")
    if kind == "scheme":
        theme = themes.filter(pk=int(number)).first()
        if theme is not None:
            return Subject(theme, None, [])
    elif kind == "pair":
        pair = (
            MentoringPair.objects.filter(pk=int(number), scheme__theme__in=themes)
            .select_related("scheme__theme", "mentor__city", "implementing__city")
            .first()
        )
        if pair is not None:
            return Subject(pair.scheme.theme, pair, [])
    raise Http404("No such pair or scheme")


def infographic_get(user: Any, programme_slug: str, pk: int) -> Infographic:
    """A working copy the viewer edits, with its items and versions; 404 outside scope."""
    programme = programme_get(user, programme_slug)
    infographic = (
        _editable(user, programme)
        .select_related(
            "programme", "theme__scheme", "pair__mentor__city", "pair__implementing__city"
        )
        .prefetch_related(
            Prefetch("items", queryset=InfographicItem.objects.order_by("order", "pk")),
            "versions",
        )
        .filter(pk=pk)
        .first()
    )
    if infographic is None:
        raise Http404("No such infographic")
    return infographic


def _published() -> QuerySet[InfographicVersion]:
    return InfographicVersion.objects.select_related("infographic__programme", "infographic__theme")


def published_latest() -> list[InfographicVersion]:
    """The latest published version of each infographic, for the public list."""
    versions = list(_published().order_by("infographic_id", "-number"))
    latest: dict[int, InfographicVersion] = {}
    for version in versions:
        latest.setdefault(version.infographic_id, version)
    return sorted(latest.values(), key=lambda v: (v.infographic.theme.code, v.snapshot["heading"]))


def published_versions(pk: int) -> list[InfographicVersion]:
    """An infographic's published versions, newest first; 404 when none is published."""
    versions = list(_published().filter(infographic_id=pk).order_by("-number"))
    if not versions:
        raise Http404("No such infographic")
    return versions


def published_version_get(pk: int, number: int) -> InfographicVersion:
    version = _published().filter(infographic_id=pk, number=number).first()
    if version is None:
        raise Http404("No such version")
    return version


def published_for_pairs(pair_ids: list[int]) -> dict[int, int]:
    """Pair id -> the pk of a published infographic of that pair (for links from other pages)."""
    rows = (
        InfographicVersion.objects.filter(infographic__pair_id__in=pair_ids)
        .values_list("infographic__pair_id", "infographic_id")
        .order_by("infographic_id")
    )
    result: dict[int, int] = {}
    for pair_id, infographic_id in rows:
        result.setdefault(pair_id, infographic_id)
    return result
