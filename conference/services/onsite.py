"""On site: checking a delegate in for a day of the conference (by name or from their badge's
QR code), undoing it, and marking who was present in a session.

Only the organisers record attendance, and only for confirmed delegates on one of the
conference's days (in its own zone). Checking in twice is harmless: the second time answers
with the first check-in. Each change is written in one transaction with the delegate's (or the
session's) row locked, and leaves an entry in that row's history naming who did it and what
(`Attendance` keeps `recorded_by` as well)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import attribute_to
from core.errors import DomainError

from ..choices import PlaceStatus
from ..models import Attendance, Conference, Registration, Session
from ..permissions import can_organise
from ..selectors.onsite import conference_days, local_today, session_holders


def _allowed(actor: Any, conference: Conference) -> None:
    decision = can_organise(actor, conference)
    if not decision:
        raise DomainError(decision.reason)


def _conference_day(conference: Conference, day: date) -> None:
    if day not in conference_days(conference):
        if day == local_today(conference):
            message = _("The conference is not on today: choose one of its days.")
        else:
            message = _("Choose one of the conference's days.")
        raise DomainError(message, field_errors={"day": message})


def _history(instance: Registration | Session, actor: Any, reason: str) -> None:
    """An entry in the row's history (no field changes): who recorded what."""
    attribute_to(instance, actor, reason)
    fields = ["status"] if isinstance(instance, Registration) else ["kind"]
    instance.save(update_fields=fields)


@dataclass(frozen=True)
class CheckIn:
    attendance: Attendance
    created: bool  # False: the delegate was already checked in that day


def checkin_record(
    *, actor: Any, registration: Registration, day: date, now: datetime | None = None
) -> CheckIn:
    """Check a confirmed delegate in for a day of the conference (once: checking in again
    answers with the first check-in)."""
    conference = registration.conference
    _allowed(actor, conference)
    _conference_day(conference, day)
    with transaction.atomic():
        locked = Registration.objects.select_for_update().get(pk=registration.pk)
        if locked.status != PlaceStatus.CONFIRMED:
            if locked.status == PlaceStatus.WAITING:
                message = _(
                    "%(name)s is on the waiting list, without a place: only delegates with a "
                    "confirmed place are checked in."
                ) % {"name": locked.full_name}
            else:
                message = _("%(name)s cancelled their registration.") % {"name": locked.full_name}
            raise DomainError(message)
        found = Attendance.objects.filter(
            registration=locked, day=day, session__isnull=True
        ).first()
        if found is not None:
            return CheckIn(found, created=False)
        try:
            with transaction.atomic():
                attendance = Attendance.objects.create(
                    registration=locked,
                    day=day,
                    session=None,
                    recorded_at=now or timezone.now(),
                    recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
                )
        except IntegrityError:  # checked in at the same moment on another phone
            return CheckIn(
                Attendance.objects.get(registration=locked, day=day, session__isnull=True),
                created=False,
            )
        _history(locked, actor, f"Checked in for {day.isoformat()}")
    return CheckIn(attendance, created=True)


def checkin_undo(*, actor: Any, registration: Registration, day: date) -> bool:
    """Undo a delegate's check-in of a day (a mistaken tap); whether there was one."""
    _allowed(actor, registration.conference)
    with transaction.atomic():
        locked = Registration.objects.select_for_update().get(pk=registration.pk)
        deleted, _rows = Attendance.objects.filter(
            registration=locked, day=day, session__isnull=True
        ).delete()
        if deleted:
            _history(locked, actor, f"Check-in for {day.isoformat()} undone")
    return bool(deleted)


@dataclass(frozen=True)
class SessionMarked:
    added: int
    removed: int


def session_attendance_save(
    *,
    actor: Any,
    session: Session,
    shown_ids: Iterable[int],
    present_ids: Iterable[int],
    now: datetime | None = None,
) -> SessionMarked:
    """Mark who was present in a session among the delegates shown on the form (`shown_ids`,
    one page of a long list): those in `present_ids` are present, the other shown ones are
    not; delegates not shown keep their mark. Only the session's delegates are marked."""
    conference = session.conference
    _allowed(actor, conference)
    shown, present = set(shown_ids), set(present_ids)
    if not present <= shown:
        raise DomainError(_("Mark only the delegates listed on the page."))
    with transaction.atomic():
        locked = Session.objects.select_for_update().get(pk=session.pk)
        holders = set(session_holders(locked).filter(pk__in=shown).values_list("pk", flat=True))
        if shown - holders:
            raise DomainError(
                _("Some delegates on the page no longer hold a place in this session: reload it.")
            )
        marked = set(
            Attendance.objects.filter(session=locked, registration_id__in=shown).values_list(
                "registration_id", flat=True
            )
        )
        day = locked.starts_at.astimezone(ZoneInfo(conference.event.timezone)).date()
        moment = now or timezone.now()
        recorder = actor if getattr(actor, "is_authenticated", False) else None
        Attendance.objects.bulk_create(
            Attendance(
                registration_id=pk,
                day=day,
                session=locked,
                recorded_at=moment,
                recorded_by=recorder,
            )
            for pk in sorted(present - marked)
        )
        absent = (shown - present) & marked
        Attendance.objects.filter(session=locked, registration_id__in=absent).delete()
        added, removed = len(present - marked), len(absent)
        if added or removed:
            _history(locked, actor, f"Attendance: {added} marked present, {removed} removed")
    return SessionMarked(added, removed)
