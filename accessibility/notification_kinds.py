"""The coordinators are told of each accessibility problem someone reports. Params: `page` (the
address the person names)."""

from django.utils.translation import gettext_lazy as _

from notifications.choices import Channel
from notifications.kinds import Kind

FEEDBACK_RECEIVED = "accessibility.feedback_received"

KINDS = (
    Kind(
        key=FEEDBACK_RECEIVED,
        label=_("Someone reported an accessibility problem"),
        title=_("An accessibility problem was reported on %(page)s: answer it"),
        default=Channel.IMMEDIATE,
    ),
)
