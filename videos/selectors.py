"""Reading videos: the members' catalogue (scoped by role, 404 outside it) and the public one,
where a video shows only while it is published and every consent in it is valid today."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from core.rules import Action
from programmes.access import viewer_for
from programmes.models import Programme

from .choices import VideoState
from .models import Appearance, Subtitle, Video
from .permissions import videos_visible_q


def lapsed_consents_q(today: date) -> Q:
    """Appearances whose consent does not allow publication on the portal today (the same rule
    as Appearance.consent_problem)."""
    return (
        Q(withdrawn_at__isnull=False)
        | Q(signed_on__isnull=True)
        | Q(consent_form="")
        | Q(expires_on__lt=today)
        | Q(scope_portal=False)
    )


def published_videos(today: date | None = None) -> QuerySet[Video]:
    """Published videos none of whose consents has lapsed: checked on every public read, so a
    consent that expires at midnight hides its video before the daily task takes it off."""
    today = today or timezone.localdate()
    lapsed = Appearance.objects.filter(video=OuterRef("pk")).filter(lapsed_consents_q(today))
    return (
        Video.objects.filter(state=VideoState.PUBLISHED)
        .exclude(Exists(lapsed))
        .select_related("city", "theme")
    )


def public_video_list() -> list[Video]:
    return list(published_videos().prefetch_related("practices"))


def public_video_get(pk: int) -> Video:
    """A published video with its captions and the people shown by name; 404 otherwise."""
    return get_object_or_404(
        published_videos().prefetch_related(
            "practices",
            Prefetch("subtitles", queryset=Subtitle.objects.order_by("language")),
            Prefetch(
                "appearances",
                queryset=Appearance.objects.filter(show_name_publicly=True),
                to_attr="named",
            ),
        ),
        pk=pk,
    )


def public_videos_for_practice(practice: Any) -> list[Video]:
    return list(published_videos().filter(practices=practice).distinct())


def public_videos_for_practices(practice_ids: list[int]) -> list[Video]:
    if not practice_ids:
        return []
    return list(published_videos().filter(practices__in=practice_ids).distinct())


# ---------------------------------------------------------------- members


def programme_for_videos(user: Any, slug: str) -> Programme:
    """The programme, when the viewer is one of its members; 404 otherwise. A member whose role
    reads no videos still finds the published ones there."""
    programme = get_object_or_404(Programme, slug=slug)
    if not viewer_for(user).can(Action.VIEW_PROGRAMME, programme_id=programme.pk):
        raise Http404("No such programme")
    return programme


def _members_q(user: Any) -> Q:
    visible = videos_visible_q(user)
    if not visible:  # Q(): everything (a platform admin); Q() | x would be x alone
        return visible
    return visible | Q(state=VideoState.PUBLISHED)


def video_list(user: Any, programme: Programme) -> list[Video]:
    return list(
        Video.objects.filter(programme=programme)
        .filter(_members_q(user))
        .select_related("city", "theme")
        .order_by("title")
    )


def video_get(user: Any, programme: Programme, pk: int) -> Video:
    """A video of the programme within the viewer's reach (404 outside it)."""
    return get_object_or_404(
        Video.objects.filter(programme=programme)
        .filter(_members_q(user))
        .select_related("programme", "city", "theme", "theme__scheme")
        .prefetch_related("practices", "subtitles", "appearances"),
        pk=pk,
    )
