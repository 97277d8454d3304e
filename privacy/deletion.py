"""What stops a person or an account from being deleted: the records that must outlive them
(privacy.registry's kinds with a retention) and, for an account, the audit trail's changes
attributed to it. The admin shows these instead of deleting (and offers pseudonymisation)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from programmes.models import Person

from .registry import HISTORY_USER, KINDS, RETENTION_REASONS, history_models


def _label(kind_model: Any, count: int) -> str:
    meta = kind_model._meta
    name = meta.verbose_name if count == 1 else meta.verbose_name_plural
    return f"{count} {name}"


def deletion_blockers(obj: Any) -> list[str]:
    """Why `obj` (a Person or a user) may not be deleted; empty when nothing stands in the way.
    A person's records hang on the Person row, an account's acts on the user row: each is
    asked about its own keys only."""
    if isinstance(obj, Person):
        person, user = obj, None
    elif isinstance(obj, get_user_model()):
        person, user = None, obj
    else:
        return []
    blockers = []
    for kind in KINDS:
        if kind.retention is None:
            continue
        count = kind.rows(person, user).count()
        if count:
            model = kind.model_class()
            blockers.append(
                _("%(what)s: %(why)s")
                % {"what": _label(model, count), "why": RETENTION_REASONS[kind.retention]}
            )
    if user is not None:
        changes = sum(
            m._base_manager.filter(**{HISTORY_USER: user}).count() for m in history_models()
        )
        if changes:
            blockers.append(
                _("%(n)d changes in the audit trail are attributed to this account")
                % {"n": changes}
            )
    return blockers


def person_of(obj: Any) -> Person | None:
    if isinstance(obj, Person):
        return obj
    return Person.objects.filter(user=obj).first() if obj is not None else None
