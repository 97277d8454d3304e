"""The video catalogue's notifications: a video taken off the portal because a consent was
withdrawn or expired (to the coordinators and the theme's facilitator). Registered from
VideosConfig.ready(); raised by videos.services.video_take_off.

Params: `video` (its title), `reason` (why, with the names of the people concerned)."""

from django.utils.translation import gettext_lazy as _

from notifications.choices import Channel
from notifications.kinds import Kind, register

VIDEO_UNPUBLISHED = "videos.video_unpublished"

KINDS = (
    Kind(
        key=VIDEO_UNPUBLISHED,
        label=_("A video is taken off the portal (a consent withdrawn or expired)"),
        title=_("A video is taken off the portal: %(video)s"),
        default=Channel.IMMEDIATE,
    ),
)


def register_kinds() -> None:
    register(*KINDS)
