"""The life of an event: one table of status changes, one function that performs them.

planned → confirmed → held → reported, and planned or confirmed → cancelled → planned again.
Nothing else assigns `Event.status`; every change is audited with its comment.
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

from .choices import EventStatus
from .models import Event
from .permissions import can_record_attendance, can_write_report


class EventTransition(StrEnum):
    CONFIRM = "confirm"
    HOLD = "hold"
    REPORT = "report"
    CANCEL = "cancel"
    REOPEN = "reopen"


def _coordinator(user: Any, event: Event) -> bool:
    return can_manage_programme(user, event.programme_id)


@dataclass(frozen=True)
class TransitionRule:
    sources: tuple[EventStatus, ...]
    target: EventStatus
    allowed: Callable[[Any, Event], bool]
    refusal: Any
    label: Any  # the button
    needs_comment: bool = False
    after_start: bool = False  # an event is held once it has begun, not before


TRANSITIONS: dict[EventTransition, TransitionRule] = {
    EventTransition.CONFIRM: TransitionRule(
        sources=(EventStatus.PLANNED,),
        target=EventStatus.CONFIRMED,
        allowed=_coordinator,
        refusal=gettext_lazy("Only the programme's coordinators confirm events."),
        label=gettext_lazy("Confirm the dates"),
    ),
    EventTransition.HOLD: TransitionRule(
        sources=(EventStatus.PLANNED, EventStatus.CONFIRMED),
        target=EventStatus.HELD,
        allowed=can_record_attendance,
        refusal=gettext_lazy("Only the coordinators and the scheme's facilitator record it."),
        label=gettext_lazy("Mark as held"),
        after_start=True,
    ),
    # Submitting the visit report performs it (see services.reports); that the event was held
    # follows from its report, so it need not have been marked first.
    EventTransition.REPORT: TransitionRule(
        sources=(EventStatus.PLANNED, EventStatus.CONFIRMED, EventStatus.HELD),
        target=EventStatus.REPORTED,
        allowed=can_write_report,
        refusal=gettext_lazy("Only the facilitator and the pair's officers write this report."),
        label=gettext_lazy("Mark as reported"),
        after_start=True,
    ),
    EventTransition.CANCEL: TransitionRule(
        sources=(EventStatus.PLANNED, EventStatus.CONFIRMED),
        target=EventStatus.CANCELLED,
        allowed=_coordinator,
        refusal=gettext_lazy("Only the programme's coordinators cancel events."),
        label=gettext_lazy("Cancel the event"),
        needs_comment=True,
    ),
    EventTransition.REOPEN: TransitionRule(
        sources=(EventStatus.CANCELLED,),
        target=EventStatus.PLANNED,
        allowed=_coordinator,
        refusal=gettext_lazy("Only the programme's coordinators plan events."),
        label=gettext_lazy("Plan it again"),
    ),
}

# Offered as buttons on the event page; REPORT happens through the report editor.
MANUAL = (
    EventTransition.CONFIRM,
    EventTransition.HOLD,
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
        locked.status, locked.status_comment = rule.target, comment
        locked.revision += 1
        attribute_to(locked, actor, reason=transition.value)
        locked.save(update_fields=["status", "status_comment", "revision"])
    event.status, event.status_comment, event.revision = (
        locked.status,
        locked.status_comment,
        locked.revision,
    )
    return event
