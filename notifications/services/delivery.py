"""Sending the outgoing e-mails: claimed once, retried with back-off, failures kept in view.

`email_deliver` is what the queue's task runs for one e-mail; `emails_due` is what the periodic
task sweeps (retries whose time has come, and e-mails whose task was lost); `digests_send`
gathers each person's digest notifications into one e-mail a day.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.errors import DomainError
from programmes.models import Person

from ..choices import Channel, EmailStatus
from ..kinds import title_of
from ..models import Notification, OutgoingEmail

logger = logging.getLogger(__name__)


def _retry_delays() -> list[int]:
    return [int(s) for s in settings.NOTIFICATIONS_RETRY_DELAYS]


def email_deliver(email_id: int, *, now: datetime | None = None) -> bool:
    """Send one due e-mail if nobody else is sending it; True when it was sent now."""
    now = now or timezone.now()
    claimed = OutgoingEmail.objects.filter(
        pk=email_id, status=EmailStatus.PENDING, next_attempt_at__lte=now
    ).update(status=EmailStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    if not claimed:
        return False  # sent already, being sent, or not yet due
    email = OutgoingEmail.objects.get(pk=email_id)
    message = EmailMultiAlternatives(
        email.subject, email.text, settings.DEFAULT_FROM_EMAIL, [email.to_address]
    )
    if email.html:
        message.attach_alternative(email.html, "text/html")
    if email.calendar:
        message.attach("invite.ics", email.calendar, "text/calendar")
    try:
        message.send()
    except Exception as error:  # the server refused or was unreachable: keep it, try later
        delays = _retry_delays()
        failed_for_good = email.attempts >= len(delays) + 1
        OutgoingEmail.objects.filter(pk=email_id).update(
            status=EmailStatus.FAILED if failed_for_good else EmailStatus.PENDING,
            next_attempt_at=now
            + timedelta(seconds=delays[min(email.attempts - 1, len(delays) - 1)]),
            last_error=f"{type(error).__name__}: {error}"[:2000],
            claimed_at=None,
        )
        logger.warning("E-mail %s not sent (attempt %s): %s", email_id, email.attempts, error)
        return False
    sent = {"status": EmailStatus.SENT, "sent_at": timezone.now(), "last_error": ""}
    if email.holds_link:
        sent.update(text="", html="")
    OutgoingEmail.objects.filter(pk=email_id).update(claimed_at=None, **sent)
    return True


def emails_due(*, now: datetime | None = None) -> list[int]:
    """The ids of pending e-mails whose (next) attempt is due."""
    now = now or timezone.now()
    return list(
        OutgoingEmail.objects.filter(status=EmailStatus.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:500]
    )


def emails_recover_stale(*, now: datetime | None = None) -> int:
    """A worker that died while sending leaves a row "being sent": after a while it is marked
    failed (it may or may not have left), for a coordinator to look at and retry. Never resent
    on its own: a second copy is worse than a visible failure."""
    now = now or timezone.now()
    limit = now - timedelta(minutes=settings.NOTIFICATIONS_SENDING_STALE_MINUTES)
    return OutgoingEmail.objects.filter(status=EmailStatus.SENDING, claimed_at__lt=limit).update(
        status=EmailStatus.FAILED,
        last_error="Interrupted while sending: it may not have been delivered.",
        claimed_at=None,
    )


def email_retry(*, actor: object, email: OutgoingEmail) -> None:
    """A coordinator sends a failed e-mail again (the selector scoped it to their programme)."""
    with transaction.atomic():
        updated = OutgoingEmail.objects.filter(pk=email.pk, status=EmailStatus.FAILED).update(
            status=EmailStatus.PENDING, next_attempt_at=timezone.now(), claimed_at=None
        )
        if not updated:
            raise DomainError(_("This e-mail is no longer failed: reload the page."))
        from .notify import email_enqueue

        email_enqueue(email)


@contextmanager
def emails_withheld() -> Iterator[None]:
    """For the demo loaders: the notifications they cause are made (the inboxes hold them),
    the e-mails are not kept, so nothing written about the demo's past leaves at the first run
    (a send already queued finds nothing to send)."""
    before = OutgoingEmail.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    yield
    OutgoingEmail.objects.filter(pk__gt=before).delete()


def _digest_render(person: Person, notifications: list[Notification]) -> OutgoingEmail:
    with translation.override(person.language):
        items = [
            {
                "title": title_of(n.kind, n.params),
                "message": n.message,
                "programme": n.programme.name if n.programme else "",
                "link": settings.PLATFORM_BASE_URL + reverse("notifications:open", args=[n.pk]),
            }
            for n in notifications
        ]
        context = {
            "person": person,
            "items": items,
            "inbox_link": settings.PLATFORM_BASE_URL + reverse("notifications:inbox"),
            "settings_link": settings.PLATFORM_BASE_URL + reverse("notifications:settings"),
        }

        subject = ngettext(
            "Your daily digest: %(count)d notification",
            "Your daily digest: %(count)d notifications",
            len(items),
        ) % {"count": len(items)}
        text = render_to_string("notifications/email/digest.txt", context)
        html = render_to_string("notifications/email/digest.html", context)
    return OutgoingEmail(
        recipient=person,
        to_address=person.email,
        subject=subject,
        text=text,
        html=html,
        is_digest=True,
    )


def digests_send(*, now: datetime | None = None) -> int:
    """One digest e-mail per person with digest notifications not yet in a digest."""
    now = now or timezone.now()
    waiting = (
        Notification.objects.filter(channel=Channel.DIGEST, email__isnull=True, created_at__lte=now)
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    made = 0
    for person_id in sorted(set(waiting)):
        with transaction.atomic():
            person = Person.objects.select_for_update().get(pk=person_id)
            notifications = list(
                Notification.objects.select_related("programme")
                .filter(
                    recipient=person,
                    channel=Channel.DIGEST,
                    email__isnull=True,
                    created_at__lte=now,
                )
                .order_by("created_at", "pk")
            )
            if not notifications:
                continue  # another worker made this digest
            email = _digest_render(person, notifications)
            email.save()
            Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(email=email)
            from .notify import email_enqueue

            email_enqueue(email)
            made += 1
    return made
