"""The retention erase: the day after a conference's `retention_until` (on the conference's own
clocks) its delegates' personal data is erased, as the registration form promised.

What goes: names (replaced by "Erased"), the e-mail address (a unique placeholder under
erased.invalid, so the one-registration-per-address rule still holds), organisation, role,
dietary and access needs, the link to a programme Person, the consents (false); the earlier
versions of those registrations (their history rows); and the conference's e-mails kept in the
outbox for those addresses (they hold the names and the private links).

What stays, so the conference's figures still count: the place (status, dates), level of
government, country, language, delegation and delegate kind, travel eligibility, attendance,
feedback given, certificate requests. The erase is idempotent (a registration erased once is
left alone) and recorded on the conference's audit trail with the number of registrations.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import CharField, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from core.audit import attribute_to
from notifications.models import OutgoingEmail
from visits.times import local

from ..models import Conference, Registration

ERASED_NAME = "Erased"
ERASED_DOMAIN = "erased.invalid"


def erased_email(registration_id: int) -> str:
    """The placeholder address of an erased registration (unique: it carries the key)."""
    return f"erased-{registration_id}@{ERASED_DOMAIN}"


@dataclass(frozen=True)
class Erased:
    """What one run erased for one conference."""

    conference: Conference
    registrations: int
    history_rows: int
    emails: int


def retention_over(conference: Conference, now: datetime | None = None) -> bool:
    """Whether the day after `retention_until` has begun in the conference's zone."""
    today = local(now or timezone.now(), conference.event.timezone).date()
    return today > conference.retention_until


def _not_erased(conference: Conference) -> QuerySet[Registration]:
    return conference.registrations.exclude(email__endswith=f"@{ERASED_DOMAIN}")


def conference_data_erase(
    *, conference: Conference, actor: object = None, now: datetime | None = None
) -> Erased:
    """Erase the personal data of the conference's registrations once its retention period is
    over; before that, nothing changes (returns zero counts). Safe to run again."""
    if not retention_over(conference, now):
        return Erased(conference, 0, 0, 0)
    with transaction.atomic():
        # The places' lock: no registration is written while its conference is erased.
        locked = (
            Conference.objects.select_for_update(of=("self",))
            .select_related("event")
            .get(pk=conference.pk)
        )
        pending = _not_erased(locked)
        addresses = list(pending.values_list("email", flat=True))
        erased = pending.update(
            first_name=ERASED_NAME,
            last_name=ERASED_NAME,
            email=Concat(Value("erased-"), Cast("pk", CharField()), Value(f"@{ERASED_DOMAIN}")),
            organisation="",
            role="",
            dietary_needs="",
            access_needs="",
            person=None,
            consent_listed=False,
            consent_photos=False,
        )
        # Every earlier version of every registration of the conference (also one written
        # after an earlier run), so no copy of the data outlives the registration's.
        history_rows, _by_model = Registration.history.model._base_manager.filter(
            conference_id=locked.pk
        ).delete()
        emails = 0
        if addresses:
            emails, _by_model = OutgoingEmail.objects.filter(
                to_address__in=addresses,
                programme_id=locked.event.programme_id,
                subject__startswith=f"{locked.event.title}:",
            ).delete()
        if erased:
            attribute_to(
                locked, actor, f"retention: personal data of {erased} registrations erased"
            )
            # Saving an unchanged column writes the conference's history row: the audit record.
            locked.save(update_fields=["retention_until"])
    return Erased(locked, erased, history_rows, emails)


def expired_conferences_erase(*, now: datetime | None = None) -> list[Erased]:
    """Erase every conference whose retention period is over and that still holds personal
    data (the daily task and the management command)."""
    now = now or timezone.now()
    # A day of margin for the zones ahead of UTC; retention_over decides exactly.
    candidates = (
        Conference.objects.filter(retention_until__lt=now.date() + timedelta(days=1))
        .select_related("event")
        .order_by("retention_until", "pk")
    )
    done = []
    for conference in candidates:
        if not retention_over(conference, now):
            continue
        result = conference_data_erase(conference=conference, now=now)
        if result.registrations or result.history_rows:
            done.append(result)
    return done
