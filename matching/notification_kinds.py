"""The matching's notifications: a background run that finished or failed tells the coordinator
who started it; an accepted run tells the other coordinators and the officers of every city
whose pair changed. Registered from MatchingConfig.ready(); raised by matching.services inside
the transaction that records the outcome.

Params: `number` (the run's number) and `programme` (its name), as stored; the e-mail's subject
names the programme already."""

from django.utils.translation import gettext_lazy as _

from notifications.choices import Channel
from notifications.kinds import Kind, register

RUN_FINISHED = "matching.run_finished"
RUN_FAILED = "matching.run_failed"
RUN_ACCEPTED = "matching.run_accepted"

KINDS = (
    Kind(
        key=RUN_FINISHED,
        label=_("A matching run you started in the background has finished"),
        title=_("Matching run #%(number)s has finished: read its result"),
        default=Channel.IMMEDIATE,
    ),
    Kind(
        key=RUN_FAILED,
        label=_("A matching run you started in the background has failed"),
        title=_("Matching run #%(number)s has failed: see why and start it again"),
        default=Channel.IMMEDIATE,
    ),
    Kind(
        key=RUN_ACCEPTED,
        label=_("A matching is accepted and the mentoring pairs change"),
        title=_("Matching run #%(number)s is accepted: the mentoring pairs change"),
        default=Channel.IMMEDIATE,
    ),
)


def register_kinds() -> None:
    register(*KINDS)
