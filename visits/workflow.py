"""The life of an event: one table of status changes, one function that performs them.

    planned ──confirm──► confirmed ──hold──► held ──report──► reported
       │                    │
       └──────cancel────────┴──► cancelled ──reopen──► planned

- confirm: the host city's officers or the programme's coordinators agree the dates.
- hold: only a confirmed event, once it has begun, and only with its attendance recorded (every
  participant marked present or absent, someone present). Recording attendance on a confirmed
  event performs it in the same step (services.attendance).
- report: only a held event, and only when its visit report is submitted; submitting the report
  performs it (services.reports).
- cancel: a planned or confirmed event, with the reason.

There is no shortcut: a planned event is never held or reported without being confirmed, even
once its dates are past. A past event that was never confirmed on the platform is confirmed
first (one click for a coordinator), which records that it took place on those dates; only then
is its attendance recorded. Nothing else assigns `Event.status`; every change is audited with
its comment, and tells who acts next (STEP_NOTICES, visits.notices) in the same transaction.
"""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import attribute_to
from core.errors import DomainError
from programmes.permissions import can_manage_programme

from . import notices
from .choices import EventStatus
from .models import Event, VisitReport
from .permissions import can_confirm_event, can_record_attendance, can_write_report


class EventTransition(StrEnum):
    CONFIRM = "confirm"
    HOLD = "hold"
    REPORT = "report"
    CANCEL = "cancel"
    REOPEN = "reopen"


def _coordinator(user: Any, event: Event) -> bool:
    return can_manage_programme(user, event.programme_id)


def _attendance_missing(event: Event) -> str:
    """Why the event cannot be held yet (empty: it can)."""
    marks = list(event.participants.values_list("attended", flat=True))
    if not marks:
        return _("Invite the participants and record who attended before the event is held.")
    if any(mark is None for mark in marks):
        return _("Record the attendance of every participant before the event is held.")
    if not any(marks):
        return _("No one attended: an event is held only if someone was there.")
    return ""


def _report_missing(event: Event) -> str:
    report = VisitReport.objects.filter(event_id=event.pk).only("submitted_at").first()
    if report is None or report.submitted_at is None:
        return _("Submit the visit report: the event becomes reported with it.")
    return ""


@dataclass(frozen=True)
class TransitionRule:
    sources: tuple[EventStatus, ...]
    target: EventStatus
    allowed: Callable[[Any, Event], bool]
    refusal: Any
    label: Any  # the button
    needs_comment: bool = False
    after_start: bool = False  # an event is held once it has begun, not before
    # What must be on record first: returns why not (empty when it is), read under the lock.
    requires: Callable[[Event], str] | None = None
    bumps_sequence: bool = False  # calendars must replace the entry (cancelled, planned again)


TRANSITIONS: dict[EventTransition, TransitionRule] = {
    EventTransition.CONFIRM: TransitionRule(
        sources=(EventStatus.PLANNED,),
        target=EventStatus.CONFIRMED,
        allowed=can_confirm_event,
        refusal=gettext_lazy("Only the host city's officers and the coordinators confirm it."),
        label=gettext_lazy("Confirm the dates"),
    ),
    # Recording the attendance of a confirmed event performs it (see services.attendance).
    EventTransition.HOLD: TransitionRule(
        sources=(EventStatus.CONFIRMED,),
        target=EventStatus.HELD,
        allowed=can_record_attendance,
        refusal=gettext_lazy("Only the coordinators and the scheme's facilitator record it."),
        label=gettext_lazy("Mark as held"),
        after_start=True,
        requires=_attendance_missing,
    ),
    # Submitting the visit report performs it (see services.reports).
    EventTransition.REPORT: TransitionRule(
        sources=(EventStatus.HELD,),
        target=EventStatus.REPORTED,
        allowed=can_write_report,
        refusal=gettext_lazy("Only the facilitator and the pair's officers write this report."),
        label=gettext_lazy("Mark as reported"),
        after_start=True,
        requires=_report_missing,
    ),
    EventTransition.CANCEL: TransitionRule(
        sources=(EventStatus.PLANNED, EventStatus.CONFIRMED),
        target=EventStatus.CANCELLED,
        allowed=_coordinator,
        refusal=gettext_lazy("Only the programme's coordinators cancel events."),
        label=gettext_lazy("Cancel the event"),
        needs_comment=True,
        bumps_sequence=True,
    ),
    EventTransition.REOPEN: TransitionRule(
        sources=(EventStatus.CANCELLED,),
        target=EventStatus.PLANNED,
        allowed=_coordinator,
        refusal=gettext_lazy("Only the programme's coordinators plan events."),
        label=gettext_lazy("Plan it again"),
        bumps_sequence=True,
    ),
}

# Who is told of each change (visits.notices), inside its transaction: confirmed, cancelled and
# planned again the participants who have not declined (planned again also the host's officers,
# who confirm); held the scheme's facilitators, who write the report; reported the officers of
# the cities its findings are about.
STEP_NOTICES: dict[EventTransition, Callable[..., None]] = {
    EventTransition.CONFIRM: notices.event_confirmed,
    EventTransition.HOLD: notices.event_held,
    EventTransition.REPORT: notices.event_reported,
    EventTransition.CANCEL: notices.event_cancelled,
    EventTransition.REOPEN: notices.event_reopened,
}

# Offered as buttons on the event page; HOLD happens through the attendance form and REPORT
# through the report editor.
MANUAL = (
    EventTransition.CONFIRM,
    EventTransition.CANCEL,
    EventTransition.REOPEN,
)


def transitions_for(user: Any, event: Event) -> list[tuple[EventTransition, TransitionRule]]:
    """The status changes this person may make now (for the buttons on the event page)."""
    return [
        (name, rule)
        for name, rule in ((n, TRANSITIONS[n]) for n in MANUAL)
        if event.status in rule.sources
        and (not rule.after_start or event.starts_at <= timezone.now())
        and rule.allowed(user, event)
    ]


def event_transition(
    *, actor: Any, event: Event, transition: EventTransition, comment: str = ""
) -> Event:
    """Move the event to the transition's target, with the comment, audited."""
    rule = TRANSITIONS[transition]
    if not rule.allowed(actor, event):
        raise DomainError(str(rule.refusal))
    comment = comment.strip()
    if rule.needs_comment and not comment:
        raise DomainError(
            _("Say why, for the participants and the audit file."),
            field_errors={"comment": _("Say why, for the participants and the audit file.")},
        )
    with transaction.atomic():
        # Read the status under a lock: two people pressing at once change it once.
        locked = Event.objects.select_for_update().get(pk=event.pk)
        if locked.status not in rule.sources:
            raise DomainError(
                _("This event is “%(status)s”: it cannot be changed to “%(target)s”.")
                % {"status": locked.get_status_display(), "target": rule.target.label}
            )
        if rule.after_start and locked.starts_at > timezone.now():
            raise DomainError(
                _("The event has not begun yet: it becomes “%(target)s” once it has.")
                % {"target": rule.target.label}
            )
        missing = rule.requires(locked) if rule.requires else ""
        if missing:
            raise DomainError(missing)
        locked.status, locked.status_comment = rule.target, comment
        locked.revision += 1
        locked.ical_sequence += 1 if rule.bumps_sequence else 0
        attribute_to(locked, actor, reason=transition.value)
        locked.save(
            update_fields=["status", "status_comment", "revision", "ical_sequence", "updated_at"]
        )
        STEP_NOTICES[transition](locked, actor, comment)
    for name in ("status", "status_comment", "revision", "ical_sequence", "updated_at"):
        setattr(event, name, getattr(locked, name))
    return event
