"""The good practices' and toolkits' notifications: a practice sent for review tells its
reviewers, a review decision its author; a toolkit published for piloting asks the piloting
cities for their feedback. Registered from KnowledgeConfig.ready(); raised by knowledge.workflow
inside the step's transaction.

Params: `practice` or `toolkit` (the title), `city` (the practice's city), as stored. The
reviewer's reasons are the notification's message."""

from django.utils.translation import gettext_lazy as _

from notifications.choices import Channel
from notifications.kinds import Kind, register

PRACTICE_IN_REVIEW = "knowledge.practice_in_review"
PRACTICE_PUBLISHED = "knowledge.practice_published"
PRACTICE_RETURNED = "knowledge.practice_returned"
PRACTICE_WITHDRAWN = "knowledge.practice_withdrawn"
TOOLKIT_PILOTING = "knowledge.toolkit_piloting"

KINDS = (
    Kind(
        key=PRACTICE_IN_REVIEW,
        label=_("A good practice is sent for review"),
        title=_("A good practice waits for your review: %(practice)s (%(city)s)"),
        default=Channel.IMMEDIATE,
    ),
    Kind(
        key=PRACTICE_PUBLISHED,
        label=_("Your good practice is published"),
        title=_("Your good practice is published: %(practice)s"),
        default=Channel.IMMEDIATE,
    ),
    Kind(
        key=PRACTICE_RETURNED,
        label=_("Your good practice is returned for changes"),
        title=_("Your good practice is returned with reasons: %(practice)s"),
        default=Channel.IMMEDIATE,
    ),
    Kind(
        key=PRACTICE_WITHDRAWN,
        label=_("Your good practice is withdrawn from publication"),
        title=_("Your good practice is withdrawn from publication: %(practice)s"),
        default=Channel.IMMEDIATE,
    ),
    Kind(
        key=TOOLKIT_PILOTING,
        label=_("A toolkit is published for piloting and asks for your city's feedback"),
        title=_("Toolkit published for piloting: %(toolkit)s. Please give your feedback"),
        default=Channel.IMMEDIATE,
    ),
)


def register_kinds() -> None:
    register(*KINDS)
