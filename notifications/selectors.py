"""Reads of the notifications app, scoped by construction: a person reads only their own
notifications; a coordinator sees the e-mails of their programmes that could not be sent."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from core.roles import Role
from programmes.models import Membership, Person

from .choices import Channel, EmailStatus
from .kinds import all_kinds, title_of
from .models import Notification, OutgoingEmail, Preference


def person_of_user(user: Any) -> Person | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Person.objects.filter(user=user).first()


def unread_count(user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient__user=user, read_at__isnull=True).count()


def inbox_for(user: Any, *, unread_only: bool = False) -> QuerySet[Notification]:
    notifications = Notification.objects.filter(recipient__user=user).select_related(
        "programme", "actor"
    )
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    return notifications


def with_titles(notifications: list[Notification]) -> list[Notification]:
    """Each notification's title in the active language (no query)."""
    for notification in notifications:
        notification.title = title_of(notification.kind, notification.params)  # type: ignore[attr-defined]
    return notifications


def notification_for(user: Any, pk: int) -> Notification:
    return get_object_or_404(Notification.objects.filter(recipient__user=user), pk=pk)


def channel_choices_for(person: Person) -> list[dict[str, Any]]:
    """Every registered kind with the person's channel for it (their choice or its default),
    with the area it belongs to (its app's name), areas in a stable order, reminders last."""
    chosen = dict(Preference.objects.filter(person=person).values_list("kind", "channel"))
    entries = [
        {
            "kind": kind,
            "channel": chosen.get(kind.key, kind.default),
            "area": _area_of(kind.key),
        }
        for kind in all_kinds()
    ]
    return sorted(entries, key=lambda e: (e["kind"].reminder, str(e["area"]), e["kind"].key))


def _area_of(kind_key: str) -> Any:
    label = kind_key.split(".", 1)[0]
    try:
        return apps.get_app_config(label).verbose_name
    except LookupError:
        return label


def _coordinated_programme_ids(user: Any) -> set[int]:
    return set(
        Membership.objects.current()
        .filter(person__user=user, role=Role.COORDINATOR)
        .values_list("programme_id", flat=True)
    )


def can_see_email_problems(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False) or _coordinated_programme_ids(user))


def _emails_in_scope(user: Any) -> QuerySet[OutgoingEmail]:
    """The e-mails of the programmes this person coordinates (every one for a platform admin;
    a digest belongs to no programme, so only admins see those)."""
    emails = OutgoingEmail.objects.select_related("recipient", "programme")
    if getattr(user, "is_superuser", False):
        return emails
    return emails.filter(programme_id__in=_coordinated_programme_ids(user))


def email_problems_for(user: Any) -> QuerySet[OutgoingEmail]:
    """E-mails failed or waiting for a retry, in this person's scope."""
    return _emails_in_scope(user).filter(
        Q(status=EmailStatus.FAILED) | Q(status=EmailStatus.PENDING, attempts__gt=0)
    )


def email_problem_for(user: Any, pk: int) -> OutgoingEmail:
    """One e-mail in scope, whatever its state (a retry of one sent since is told so)."""
    return get_object_or_404(_emails_in_scope(user), pk=pk)


def digest_waiting(person: Person) -> int:
    return Notification.objects.filter(
        recipient=person, channel=Channel.DIGEST, email__isnull=True
    ).count()
