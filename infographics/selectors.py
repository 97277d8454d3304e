"""Reads of infographics: the editors' working copies (scoped: outside scope a 404) and the
published versions, which anyone may read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
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


@dataclass
class EditorHome:
    programme: Programme
    subjects: list[Subject]


def infographics_home(user: Any, programme_slug: str) -> EditorHome:
    """The schemes and pairs whose infographics the viewer edits, with the existing ones."""
    programme = programme_get(user, programme_slug)
    viewer = viewer_for(user)
    reach = viewer.reach(Action.EDIT_INFOGRAPHIC, programme_id=programme.pk)
    if not (reach.everything or reach.programme_ids or reach.scheme_ids):
        raise Http404("No infographics to edit")
    themes = Theme.objects.filter(programme=programme, scheme__isnull=False).select_related(
        "scheme"
    )
    if not (reach.everything or programme.pk in reach.programme_ids):
        themes = themes.filter(scheme__in=reach.scheme_ids)
    themes = themes.order_by("code")
    pairs = list(
        MentoringPair.objects.filter(scheme__theme__in=themes)
        .select_related("mentor__city", "implementing__city", "scheme")
        .order_by("scheme__theme__code", "ended_on", "implementing__city__name")
    )
    existing = list(
        _editable(user, programme).prefetch_related(
            Prefetch(
                "versions",
                queryset=InfographicVersion.objects.only("pk", "number", "infographic_id"),
            )
        )
    )
    subjects = []
    for theme in themes:
        subjects.append(
            Subject(theme, None, [i for i in existing if i.theme_id == theme.pk and not i.pair_id])
        )
        for pair in pairs:
            if pair.scheme_id == theme.scheme.pk:
                subjects.append(Subject(theme, pair, [i for i in existing if i.pair_id == pair.pk]))
    return EditorHome(programme=programme, subjects=subjects)


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
