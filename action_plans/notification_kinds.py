"""The local action plans' notifications: each workflow step that hands the plan to someone, a
comment that suggests a new text, and the check-in reminders. Registered from
ActionPlansConfig.ready(); raised by action_plans.workflow, action_plans.services.comments and
action_plans.services.reminders inside their transactions.

Params: `plan` (its title) and `city` (the implementing city's name), as stored; `person` (who
suggested), `section_label` (the part of the plan, translated when shown), `due_on` (ISO date,
shown in the reader's format). A reason typed by the actor is the notification's message."""

from django.utils.translation import gettext_lazy as _

from notifications.choices import Channel
from notifications.kinds import Kind, register

IN_REVIEW = "action_plans.in_review"
CHANGES_REQUESTED = "action_plans.changes_requested"
SUBMITTED = "action_plans.submitted"
APPROVED = "action_plans.approved"
RETURNED = "action_plans.returned"
ADOPTED = "action_plans.adopted"
DECLINED = "action_plans.declined"
SUGGESTION = "action_plans.suggestion"
CHECK_IN_DUE = "action_plans.check_in_due"

KINDS = (
    Kind(
        key=IN_REVIEW,
        label=_("An action plan is sent for review"),
        title=_("%(city)s sent its action plan for review: %(plan)s"),
        default=Channel.IMMEDIATE,
    ),
    Kind(
        key=CHANGES_REQUESTED,
        label=_("Changes are requested to your city's action plan"),
        title=_("Changes are requested to your action plan: %(plan)s"),
        default=Channel.IMMEDIATE,
    ),
    Kind(
        key=SUBMITTED,
        label=_("An action plan is submitted for your administrative approval"),
        title=_("The action plan of %(city)s waits for your approval: %(plan)s"),
        default=Channel.IMMEDIATE,
    ),
    Kind(
        key=APPROVED,
        label=_("An action plan is approved and waits for the political decision"),
        title=_("The action plan of %(city)s is approved and waits for your decision: %(plan)s"),
        default=Channel.IMMEDIATE,
    ),
    Kind(
        key=RETURNED,
        label=_("Your city's action plan is returned by the administration"),
        title=_("Your action plan is returned with reasons: %(plan)s"),
        default=Channel.IMMEDIATE,
    ),
    Kind(
        key=ADOPTED,
        label=_("An action plan is adopted"),
        title=_("The action plan of %(city)s is adopted: %(plan)s"),
        default=Channel.IMMEDIATE,
    ),
    Kind(
        key=DECLINED,
        label=_("An action plan is declined by the political approver"),
        title=_("The action plan of %(city)s is declined with reasons: %(plan)s"),
        default=Channel.IMMEDIATE,
    ),
    Kind(
        key=SUGGESTION,
        label=_("A new text is suggested for your city's action plan"),
        title=_("%(person)s suggests a new text for “%(section_label)s”: %(plan)s"),
        default=Channel.IMMEDIATE,
    ),
    Kind(
        key=CHECK_IN_DUE,
        label=_("A follow-up check-in of an adopted plan is due soon"),
        title=_("Check-in due on %(due_on)s: %(plan)s"),
        default=Channel.IMMEDIATE,
        reminder=True,
    ),
)


def register_kinds() -> None:
    register(*KINDS)
