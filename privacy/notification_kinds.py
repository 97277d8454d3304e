"""The privacy notifications: a pseudonymisation request waits for a second coordinator (to the
coordinators of the person's programmes), and the requester learns it was carried out.
Registered from PrivacyConfig.ready(); raised by privacy.services.pseudonymisation."""

from django.utils.translation import gettext_lazy as _

from notifications.choices import Channel
from notifications.kinds import Kind, register

PSEUDONYMISATION_REQUESTED = "privacy.pseudonymisation_requested"
PSEUDONYMISATION_DONE = "privacy.pseudonymisation_done"

KINDS = (
    Kind(
        key=PSEUDONYMISATION_REQUESTED,
        label=_("A pseudonymisation waits for a second coordinator's confirmation"),
        title=_("Please confirm or withdraw the request to pseudonymise %(person)s"),
        default=Channel.IMMEDIATE,
    ),
    Kind(
        key=PSEUDONYMISATION_DONE,
        label=_("A pseudonymisation you asked for was carried out"),
        title=_("The person you asked to pseudonymise is now %(pseudonym)s"),
        default=Channel.IMMEDIATE,
    ),
)


def register_kinds() -> None:
    register(*KINDS)
