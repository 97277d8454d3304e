"""The conference's writes, by subdomain: places (registration, delegations, waiting lists),
organising (the conference, its sessions and speakers), on site (badges, check-in, attendance)
and after (feedback, certificates, the retention erase)."""

from .places import (
    DelegateInput,
    Placed,
    delegation_for,
    delegation_register,
    register,
    registration_cancel,
    registration_consents_change,
    registration_for_token,
    registration_open_problem,
    session_choices_change,
)

__all__ = [
    "DelegateInput",
    "Placed",
    "delegation_for",
    "delegation_register",
    "register",
    "registration_cancel",
    "registration_consents_change",
    "registration_for_token",
    "registration_open_problem",
    "session_choices_change",
]
