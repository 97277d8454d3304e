"""Writing the video catalogue: videos and their files or links, subtitles, the people filmed
and their consents, and the publication rule.

A video is published only when every appearance has a valid consent (signed form, not expired,
not withdrawn, covering publication on the portal); a refusal names each person and what is
missing. A withdrawal takes a published video off the portal in the same transaction; an
expiry is caught by the daily task (videos.tasks.consents_check) and by every public read
(videos.selectors.published_videos). The coordinators and the theme's facilitator are notified
when a video is taken off.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import attribute_to
from core.errors import ConcurrentEditError, DomainError
from core.roles import Role
from core.uploads import CONSENTS, SUBTITLES, VIDEOS, UploadRefused, upload_check, upload_store
from knowledge.models import GoodPractice
from notifications.recipients import holders
from notifications.services import notify
from programmes.models import City, Programme, Theme

from .choices import VideoState
from .embed import external_player
from .models import Appearance, Subtitle, Video
from .permissions import can_add_video, can_edit_video, can_manage_videos
from .selectors import lapsed_consents_q

# ---------------------------------------------------------------- videos


@dataclass(frozen=True)
class VideoInput:
    title: str
    summary: str
    language: str
    city_id: int | None = None
    theme_id: int | None = None
    practice_ids: tuple[int, ...] = ()
    duration_seconds: int = 0
    external_url: str = ""
    file: Any = None  # an upload; None keeps the stored file
    transcript: str = ""
    revision: int | None = None  # the video's revision when the form was drawn


def _refused(message: str, field_name: str) -> DomainError:
    return DomainError(message, field_errors={field_name: message})


def _checked(upload: Any, policy: Any, field_name: str) -> Any:
    try:
        return upload_check(upload, policy)
    except UploadRefused as refusal:
        raise _refused(refusal.message, field_name) from None


def _city_and_theme(programme: Programme, data: VideoInput) -> tuple[City | None, Theme | None]:
    """The city and theme named by the form, refused unless they belong to the programme (the
    form offers only those; a crafted post must not file a video under another programme's)."""
    city = theme = None
    if data.city_id:
        city = (
            City.objects.filter(pk=data.city_id, scheme_memberships__programme=programme)
            .distinct()
            .first()
        )
        if city is None:
            raise _refused(_("Choose one of the programme's cities."), "city_id")
    if data.theme_id:
        theme = Theme.objects.filter(pk=data.theme_id, programme=programme).first()
        if theme is None:
            raise _refused(_("Choose one of the programme's themes."), "theme_id")
    return city, theme


def _practices(data: VideoInput) -> list[GoodPractice]:
    """The practices shown, refused unless each is published (a draft practice is not public,
    and a public video would link to it)."""
    wanted = set(data.practice_ids)
    practices = list(GoodPractice.objects.filter(pk__in=wanted, state="published"))
    if len(practices) != len(wanted):
        raise _refused(_("Choose only published good practices."), "practice_ids")
    return practices


def video_save(
    *, actor: Any, programme: Programme, data: VideoInput, video: Video | None = None
) -> Video:
    """Create a draft video, or change one: exactly one of a checked file or a YouTube/Vimeo
    link. A city officer works on their own city's drafts only. A change drawn from an older
    revision than the stored one is refused (ConcurrentEditError), so nobody's save is lost."""
    if video is None:
        decision = can_add_video(actor, programme.pk, data.city_id)
        video = Video(programme=programme)
    else:
        decision = can_edit_video(actor, video)
    if not decision:
        raise DomainError(decision.reason)
    city, theme = _city_and_theme(programme, data)
    practices = _practices(data)
    checked = _checked(data.file, VIDEOS, "file") if data.file else None
    link = (data.external_url or "").strip()
    with transaction.atomic():
        if video.pk is not None:
            video = Video.objects.select_for_update(of=("self",)).get(pk=video.pk)
            if data.revision is not None and video.revision != data.revision:
                raise ConcurrentEditError(
                    _(
                        "Someone else saved this video after you opened it. Their version is "
                        "shown below; your text is kept in the form: check it and save again."
                    )
                )
            video.revision += 1
        has_file = bool(checked) or (bool(video.file) and not link)
        if link and checked:
            raise _refused(_("Give either a video file or an external link, not both."), "file")
        if not link and not has_file:
            raise _refused(_("Give a video file or an external link."), "file")
        if link and external_player(link) is None:
            raise _refused(
                _("Give the address of a YouTube or Vimeo video (https://…)."), "external_url"
            )
        video.title, video.summary, video.language = data.title, data.summary, data.language
        video.city, video.theme = city, theme
        video.duration_seconds, video.transcript = data.duration_seconds, data.transcript
        moved = can_edit_video(actor, video)  # within reach with its new city and theme too
        if not moved:
            raise DomainError(moved.reason)
        if checked is not None:
            upload_store(video.file, checked)
            video.file_name, video.external_url = checked.name, ""
        elif link:
            video.file, video.file_name, video.external_url = "", "", link
        attribute_to(video, actor)
        video.save()
        video.practices.set(practices)
    return video


def subtitle_add(*, actor: Any, video: Video, language: str, file: Any) -> Subtitle:
    """Add (or replace) the captions of one language: a checked WebVTT file."""
    decision = can_edit_video(actor, video)
    if not decision:
        raise DomainError(decision.reason)
    checked = _checked(file, SUBTITLES, "file")
    with transaction.atomic():
        subtitle = Subtitle.objects.filter(video=video, language=language).first() or Subtitle(
            video=video, language=language
        )
        upload_store(subtitle.file, checked)
        subtitle.file_name = checked.name
        attribute_to(subtitle, actor)
        subtitle.save()
    return subtitle


# ---------------------------------------------------------------- consents


@dataclass(frozen=True)
class AppearanceInput:
    name: str
    show_name_publicly: bool = False
    scope_recording: bool = False
    scope_portal: bool = False
    scope_social: bool = False
    scope_toolkits: bool = False
    signed_on: date | None = None
    expires_on: date | None = None
    consent_form: Any = None


def appearance_add(*, actor: Any, video: Video, data: AppearanceInput) -> Appearance:
    """Record a person filmed and their consent (managers only: the form is personal data)."""
    decision = can_manage_videos(actor, video)
    if not decision:
        raise DomainError(decision.reason)
    if data.expires_on and data.signed_on and data.expires_on < data.signed_on:
        raise _refused(_("A consent cannot expire before it is signed."), "expires_on")
    checked = _checked(data.consent_form, CONSENTS, "consent_form") if data.consent_form else None
    appearance = Appearance(
        video=video,
        name=data.name,
        show_name_publicly=data.show_name_publicly,
        scope_recording=data.scope_recording,
        scope_portal=data.scope_portal,
        scope_social=data.scope_social,
        scope_toolkits=data.scope_toolkits,
        signed_on=data.signed_on,
        expires_on=data.expires_on,
    )
    with transaction.atomic():
        if checked is not None:
            upload_store(appearance.consent_form, checked)
            appearance.consent_form_name = checked.name
        attribute_to(appearance, actor)
        appearance.save()
    return appearance


def appearance_withdraw(*, actor: Any, appearance: Appearance, reason: str) -> Appearance:
    """Record that a person withdrew their consent: their video leaves the portal in the same
    transaction, and its managers are told."""
    video = appearance.video
    decision = can_manage_videos(actor, video)
    if not decision:
        raise DomainError(decision.reason)
    if appearance.withdrawn_at is not None:
        raise DomainError(_("This consent is already withdrawn."))
    if not reason.strip():
        raise _refused(_("Say how and when the person withdrew their consent."), "reason")
    with transaction.atomic():
        # The video as stored now, locked: a publication racing this withdrawal waits for it.
        video = (
            Video.objects.select_for_update(of=("self",))
            .select_related("programme", "theme")
            .get(pk=appearance.video_id)
        )
        appearance.withdrawn_at = timezone.now()
        appearance.withdrawal_reason = reason.strip()
        attribute_to(appearance, actor)
        appearance.save()
        if video.state == VideoState.PUBLISHED:
            video_take_off(
                video=video,
                actor=actor,
                reason=_("%(person)s withdrew their consent.") % {"person": appearance.name},
            )
    return appearance


# ---------------------------------------------------------------- publication


def publication_problems(video: Video, today: date) -> list[str]:
    """Why the video cannot be published today: one sentence per person whose consent does not
    allow it (empty when it can)."""
    problems = []
    for appearance in video.appearances.order_by("name", "pk"):
        problem = appearance.consent_problem(today)
        if problem:
            problems.append(
                _("%(person)s: %(problem)s") % {"person": appearance.name, "problem": problem}
            )
    return problems


def video_publish(*, actor: Any, video: Video, today: date | None = None) -> Video:
    """Publish the video on the portal, refused while anyone in it lacks a valid consent."""
    decision = can_manage_videos(actor, video)
    if not decision:
        raise DomainError(decision.reason)
    if video.state == VideoState.PUBLISHED:
        raise DomainError(_("This video is already published."))
    with transaction.atomic():
        video = Video.objects.select_for_update().get(pk=video.pk)
        problems = publication_problems(video, today or timezone.localdate())
        if problems:
            raise DomainError(
                _("The video cannot be published without everyone's valid consent: %(list)s")
                % {"list": "; ".join(problems)}
            )
        video.state = VideoState.PUBLISHED
        video.published_at = timezone.now()
        video.unpublished_reason = ""
        attribute_to(video, actor, "published")
        video.save()
    return video


def video_unpublish(*, actor: Any, video: Video, reason: str) -> Video:
    """A manager takes the video off the portal, saying why."""
    decision = can_manage_videos(actor, video)
    if not decision:
        raise DomainError(decision.reason)
    if video.state != VideoState.PUBLISHED:
        raise DomainError(_("This video is not published."))
    if not reason.strip():
        raise _refused(_("Say why the video is taken off the portal."), "reason")
    with transaction.atomic():
        video_take_off(video=video, actor=actor, reason=reason.strip())
    return video


def video_take_off(*, video: Video, actor: Any, reason: str) -> None:
    """Unpublish a video (inside the caller's transaction) and tell its managers."""
    video.state = VideoState.UNPUBLISHED
    video.unpublished_reason = reason
    attribute_to(video, actor, reason)
    video.save()
    recipients = holders(video.programme_id, Role.COORDINATOR)
    scheme = getattr(video.theme, "scheme", None) if video.theme_id else None
    if scheme is not None:
        recipients += holders(video.programme_id, Role.FACILITATOR, scheme_id=scheme.pk)
    notify(
        kind="videos.video_unpublished",
        recipients=recipients,
        url=reverse("videos:detail", args=[video.programme.slug, video.pk]),
        programme=video.programme,
        actor=actor,
        params={"video": video.title, "reason": reason},
        message=reason,
    )


def _lapsed_ids(today: date) -> list[int]:
    return list(
        Video.objects.filter(
            state=VideoState.PUBLISHED,
            pk__in=Appearance.objects.filter(lapsed_consents_q(today)).values("video_id"),
        ).values_list("pk", flat=True)
    )


def consents_check(*, today: date | None = None) -> list[Video]:
    """Take off the portal every published video with a consent that lapsed (expired) by
    `today`; run daily by the queue (videos.tasks). Each video is locked and read again before
    it is taken off: a second check running at the same time (or a coordinator acting) finds
    it off already, and nobody is told twice."""
    today = today or timezone.localdate()
    taken_off = []
    for pk in _lapsed_ids(today):
        with transaction.atomic():
            video = (
                Video.objects.select_for_update(of=("self",))
                .select_related("programme", "theme")
                .filter(pk=pk, state=VideoState.PUBLISHED)
                .first()
            )
            if video is None:
                continue
            names = [
                a.name for a in video.appearances.order_by("name", "pk") if a.consent_problem(today)
            ]
            reason = _("The consent of %(people)s lapsed.") % {"people": ", ".join(names)}
            video_take_off(video=video, actor=None, reason=reason)
        taken_off.append(video)
    return taken_off
