"""The people and roles notifications: a city's proposal for its team (to the coordinators), the
coordinator's answer (to the officer who proposed), and a handover (to the new officer).
Registered from ProgrammesConfig.ready(); raised by programmes.services.team inside each change's
transaction. `role_label` holds a role's English label, translated when shown."""

from django.utils.translation import gettext_lazy as _

from notifications.choices import Channel
from notifications.kinds import Kind, register

TEAM_PROPOSAL = "programmes.team_proposal"
TEAM_PROPOSAL_CONFIRMED = "programmes.team_proposal_confirmed"
TEAM_PROPOSAL_DECLINED = "programmes.team_proposal_declined"
HANDOVER = "programmes.handover"

KINDS = (
    Kind(
        key=TEAM_PROPOSAL,
        label=_("A city's officer proposes someone for the city's team"),
        title=_("%(city)s proposes %(person)s as %(role_label)s: please confirm or decline"),
        default=Channel.IMMEDIATE,
    ),
    Kind(
        key=TEAM_PROPOSAL_CONFIRMED,
        label=_("Your proposal for your city's team is confirmed"),
        title=_("Your proposal of %(person)s for %(city)s is confirmed: the invitation is sent"),
        default=Channel.IMMEDIATE,
    ),
    Kind(
        key=TEAM_PROPOSAL_DECLINED,
        label=_("Your proposal for your city's team is declined"),
        title=_("Your proposal of %(person)s for %(city)s is declined"),
        default=Channel.IMMEDIATE,
    ),
    Kind(
        key=HANDOVER,
        label=_("A leaving officer's work is handed over to you"),
        title=_("%(leaver)s's work for %(city)s is handed over to you"),
        default=Channel.IMMEDIATE,
    ),
)


def register_kinds() -> None:
    register(*KINDS)
