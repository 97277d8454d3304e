"""Who may do what with videos (the roles come from core.rules): coordinators and the theme's
facilitator manage videos and consents; a city's officers add and edit their city's drafts;
auditors read. Every predicate answers a Decision with its reason."""

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from core.rules import Action, Decision
from programmes.access import viewer_for

from .choices import VideoState
from .models import Video


def _scheme_id(video: Video) -> int | None:
    theme = video.theme
    scheme = getattr(theme, "scheme", None) if theme is not None else None
    return scheme.pk if scheme is not None else None


def _reaches(user: Any, action: Action, video: Video) -> bool:
    return viewer_for(user).reaches(
        action,
        programme_id=video.programme_id,
        scheme_id=_scheme_id(video),
        city_id=video.city_id,
    )


def videos_visible_q(user: Any, action: Action = Action.VIEW_VIDEOS) -> Q:
    """The videos this member's role reaches (its programme, scheme or city)."""
    return viewer_for(user).q(action, programme="programme", scheme="theme__scheme", city="city")


def can_manage_videos(user: Any, video: Video) -> Decision:
    if _reaches(user, Action.MANAGE_VIDEOS, video):
        return Decision(True)
    return Decision(False, _("Only the coordinators and the theme's facilitator manage videos."))


def can_view_consent_forms(user: Any, video: Video) -> Decision:
    if _reaches(user, Action.VIEW_CONSENT_FORMS, video):
        return Decision(True)
    return Decision(False, _("Only the video's managers and the auditors open consent forms."))


def can_edit_video(user: Any, video: Video) -> Decision:
    """A manager edits any video; a city officer their city's drafts."""
    if can_manage_videos(user, video):
        return Decision(True)
    if video.state == VideoState.DRAFT and _reaches(user, Action.EDIT_VIDEO_DRAFT, video):
        return Decision(True)
    return Decision(False, _("Only a draft of your own city's videos can be changed by you."))


def can_add_video(user: Any, programme_id: int, city_id: int | None) -> Decision:
    viewer = viewer_for(user)
    if viewer.can(Action.MANAGE_VIDEOS, programme_id=programme_id):
        return Decision(True)
    if city_id is not None and viewer.reaches(
        Action.EDIT_VIDEO_DRAFT, programme_id=programme_id, city_id=city_id
    ):
        return Decision(True)
    return Decision(False, _("You may add videos of your own city only."))


def may_add_videos(user: Any, programme_id: int) -> bool:
    return viewer_for(user).can(Action.EDIT_VIDEO_DRAFT, programme_id=programme_id)


def can_view_people(user: Any, video: Video) -> Decision:
    """The people filmed and their consents: the roles that read videos (not every member)."""
    if _reaches(user, Action.VIEW_VIDEOS, video) or can_edit_video(user, video):
        return Decision(True)
    return Decision(False, _("The people filmed are shown to the video's managers only."))
