"""Accounts' notifications: a platform admin reset the person's second factor (they must enrol
again at their next log-in; if they did not ask for it, they should say so). Registered from
AccountsConfig.ready(); raised by accounts.services.second_factor_reset.

Params: `reason` (the admin's words)."""

from django.utils.translation import gettext_lazy as _

from notifications.choices import Channel
from notifications.kinds import Kind, register

SECOND_FACTOR_RESET = "accounts.second_factor_reset"

KINDS = (
    Kind(
        key=SECOND_FACTOR_RESET,
        label=_("A platform administrator reset your second factor"),
        title=_("Your second factor was reset: set it up again at your next log-in"),
        default=Channel.IMMEDIATE,
    ),
)


def register_kinds() -> None:
    register(*KINDS)
