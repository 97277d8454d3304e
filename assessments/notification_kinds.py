"""The self-assessments' notifications: each workflow step that hands the assessment to someone.
Registered from AssessmentsConfig.ready(); raised by assessments.workflow inside the step's
transaction.

Params: `city` (the city's name), `theme` (the theme's code and title, as stored), `phase_label`
(the phase's English label, translated when shown)."""

from django.utils.translation import gettext_lazy as _

from notifications.choices import Channel
from notifications.kinds import Kind, register

SUBMITTED = "assessments.submitted"
RETURNED = "assessments.returned"
ACCEPTED = "assessments.accepted"

KINDS = (
    Kind(
        key=SUBMITTED,
        label=_("A self-assessment is submitted and waits for your review"),
        title=_(
            "%(city)s submitted its self-assessment of %(theme)s (%(phase_label)s): "
            "please review it"
        ),
        default=Channel.IMMEDIATE,
    ),
    Kind(
        key=RETURNED,
        label=_("Your city's self-assessment is returned for changes"),
        title=_(
            "The self-assessment of %(theme)s (%(phase_label)s) is returned: please revise "
            "and submit it again"
        ),
        default=Channel.IMMEDIATE,
    ),
    Kind(
        key=ACCEPTED,
        label=_("Your city's self-assessment is accepted"),
        title=_("The self-assessment of %(theme)s (%(phase_label)s) is accepted"),
        default=Channel.IMMEDIATE,
    ),
)


def register_kinds() -> None:
    register(*KINDS)
