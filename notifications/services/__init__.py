"""Writes of the notifications app. Every app raises a notification through `notify`."""

from .delivery import (
    digests_send,
    email_deliver,
    email_retry,
    emails_due,
    emails_recover_stale,
    emails_withheld,
)
from .notify import notify
from .reading import (
    language_choose,
    notification_mark_read,
    notifications_mark_all_read,
    settings_save,
)

__all__ = [
    "digests_send",
    "email_deliver",
    "email_retry",
    "emails_due",
    "emails_recover_stale",
    "emails_withheld",
    "language_choose",
    "notification_mark_read",
    "notifications_mark_all_read",
    "notify",
    "settings_save",
]
