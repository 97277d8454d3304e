"""`notify`: the one way an app tells people that something waits for them.

Call it inside the transaction of the change it reports, so the notification exists exactly when
the change does. Each recipient gets one inbox entry; by their preference for the kind, an e-mail
at once (rendered now in their language, sent by the queue after commit), a line in the daily
digest, or nothing more.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from programmes.models import Person, Programme

from ..choices import Channel
from ..kinds import kind_for, title_of
from ..models import Notification, OutgoingEmail, Preference


def _plain(value: Any) -> Any:
    """A param as stored: lazy texts become their English message id (translated when shown)."""
    if isinstance(value, (int, float, bool)) or value is None:
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    with translation.override(None):
        return str(value)


def _person_of(actor: Any) -> Person | None:
    if actor is None or isinstance(actor, Person):
        return actor
    try:
        return actor.person
    except (AttributeError, Person.DoesNotExist):
        return None


def _reachable(people: Iterable[Person]) -> list[Person]:
    """Distinct people with an active account: only they can act on what waits for them."""
    unique = {person.pk: person for person in people}
    ids = Person.objects.filter(
        pk__in=unique, user__isnull=False, user__is_active=True
    ).values_list("pk", flat=True)
    return [unique[pk] for pk in sorted(set(ids))]


def email_render(notification: Notification) -> OutgoingEmail:
    """The e-mail of one notification, in its recipient's language (not yet saved)."""
    person = notification.recipient
    programme = notification.programme
    with translation.override(person.language):
        title = title_of(notification.kind, notification.params)
        context = {
            "person": person,
            "title": title,
            "message": notification.message,
            "programme": programme.name if programme else "",
            "link": settings.PLATFORM_BASE_URL
            + reverse("notifications:open", args=[notification.pk]),
            "settings_link": settings.PLATFORM_BASE_URL + reverse("notifications:settings"),
        }
        text = render_to_string("notifications/email/notification.txt", context)
        html = render_to_string("notifications/email/notification.html", context)
    subject = f"[{programme.name}] {title}" if programme else title
    return OutgoingEmail(
        recipient=person,
        programme=programme,
        to_address=person.email,
        subject=subject[:300],
        text=text,
        html=html,
    )


def email_enqueue(email: OutgoingEmail) -> None:
    """Send it through the queue once the transaction commits (a periodic task retries)."""
    from ..tasks import email_send

    email_id = email.pk
    transaction.on_commit(lambda: email_send(email_id))


def email_queue(**fields: Any) -> OutgoingEmail:
    """An e-mail that is no notification (an invitation, a conference place): kept in the outbox
    with these fields, then sent through the queue like the others."""
    email = OutgoingEmail.objects.create(**fields)
    email_enqueue(email)
    return email


def notify(
    *,
    kind: str,
    recipients: Iterable[Person],
    url: str,
    programme: Programme | None = None,
    actor: Any = None,
    params: Mapping[str, Any] | None = None,
    message: str = "",
    once_key: str = "",
) -> list[Notification]:
    """Notify each recipient (not the actor themself) once; returns the notifications made.

    `url` is the path of the object to open; `once_key`, when given, makes the call idempotent
    per recipient (a reminder raised twice is one notification).
    """
    registered = kind_for(kind)
    if registered is None:
        raise ValueError(f"Unknown notification kind {kind!r}: register it in its app's ready()")
    acting = _person_of(actor)
    people = [p for p in _reachable(recipients) if acting is None or p.pk != acting.pk]
    if not people:
        return []
    stored = {key: _plain(value) for key, value in (params or {}).items()}
    chosen = dict(
        Preference.objects.filter(person__in=people, kind=kind).values_list("person_id", "channel")
    )
    made: list[Notification] = []
    with transaction.atomic():
        for person in people:
            notification = Notification(
                recipient=person,
                programme=programme,
                kind=kind,
                params=stored,
                message=message,
                url=url,
                actor=acting,
                channel=chosen.get(person.pk, registered.default),
                once_key=once_key,
            )
            if once_key:
                try:
                    with transaction.atomic():
                        notification.save()
                except IntegrityError:  # already raised for this person: exactly once
                    continue
            else:
                notification.save()
            if notification.channel == Channel.IMMEDIATE:
                email = email_render(notification)
                email.save()
                notification.email = email
                notification.save(update_fields=["email"])
                email_enqueue(email)
            made.append(notification)
    return made
