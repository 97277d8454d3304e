"""Who made a change: django-simple-history reads `_history_user` before the request's user."""

from typing import Any


def attribute_to(instance: Any, actor: Any, reason: str = "") -> Any:
    """Mark the next save of `instance` as made by `actor`, for the audit trail."""
    if actor is not None and getattr(actor, "is_authenticated", False):
        instance._history_user = actor
    if reason:
        instance._change_reason = reason
    return instance
