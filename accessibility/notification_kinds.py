"""The coordinators are told of each accessibility problem someone reports (params: `page`, the
address the person names) and of each wrong translation (params: `language`, its own name)."""

from django.utils.translation import gettext_lazy as _

from notifications.choices import Channel
from notifications.kinds import Kind

FEEDBACK_RECEIVED = "accessibility.feedback_received"
TRANSLATION_REPORTED = "accessibility.translation_reported"

KINDS = (
    Kind(
        key=FEEDBACK_RECEIVED,
        label=_("Someone reported an accessibility problem"),
        title=_("An accessibility problem was reported on %(page)s: answer it"),
        default=Channel.IMMEDIATE,
    ),
    Kind(
        key=TRANSLATION_REPORTED,
        label=_("Someone reported a wrong translation"),
        title=_("A wrong translation was reported in %(language)s: answer it"),
        default=Channel.IMMEDIATE,
    ),
)
