"""Delegations and attendance: who is invited, who answers, who came."""

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import attribute_to
from core.errors import DomainError
from core.roles import Role
from programmes.models import Membership
from programmes.permissions import require_coordinator

from .. import notices
from ..choices import EventStatus, Invitation
from ..models import Event, Participant
from ..permissions import can_record_attendance
from ..workflow import EventTransition, event_transition
from .events import require_open_for_invitations


def delegation_invite(*, actor: Any, event: Event) -> list[Participant]:
    """Invite the usual delegation of a visit: both cities' officers and the theme's
    facilitators; people already invited are left as they are (and are not told again)."""
    require_coordinator(
        actor, event.programme_id, _("Only the programme's coordinators invite participants.")
    )
    if event.pair is None:
        raise DomainError(_("Only a visit has a usual delegation; invite people one by one."))
    require_open_for_invitations(event)
    cities = [event.pair.mentor.city_id, event.pair.implementing.city_id]
    people = {
        m.person_id
        for m in Membership.objects.current()
        .filter(programme_id=event.programme_id)
        .filter(role=Role.CITY_OFFICER, city_id__in=cities)
    } | {
        m.person_id
        for m in Membership.objects.current().filter(
            programme_id=event.programme_id, role=Role.FACILITATOR, scheme_id=event.scheme_id
        )
    }
    already = set(event.participants.values_list("person_id", flat=True))
    created: list[Participant] = []
    with transaction.atomic():
        for person_id in sorted(people - already):
            if event.capacity is not None and len(already) + len(created) >= event.capacity:
                break
            participant = Participant(event=event, person_id=person_id)
            attribute_to(participant, actor, "invited with the delegation")
            participant.save()
            created.append(participant)
        notices.participants_invited(event, [p.person_id for p in created], actor)
    return created


def participant_respond(*, actor: Any, participant: Participant, accept: bool) -> Participant:
    """The invited person answers for themself."""
    if participant.person.user_id != getattr(actor, "pk", None):
        raise DomainError(_("Only the person invited can answer the invitation."))
    participant.invitation = Invitation.ACCEPTED if accept else Invitation.DECLINED
    participant.responded_at = timezone.now()
    attribute_to(participant, actor, "answered")
    participant.save()
    return participant


def attendance_record(*, actor: Any, event: Event, present: set[int]) -> int:
    """Once a confirmed event has begun: mark who attended (participant ids in `present`),
    everyone else absent, and the event becomes held in the same step. A held event's attendance
    may still be corrected; a planned one is confirmed first, a reported one is a record.
    Returns how many attended."""
    if not can_record_attendance(actor, event):
        raise DomainError(_("Only the coordinators and the scheme's facilitator record it."))
    if event.starts_at > timezone.now():
        raise DomainError(_("Attendance is recorded once the event has started."))
    refusal = {
        EventStatus.PLANNED: _("Confirm the event first: attendance is recorded once it is."),
        EventStatus.REPORTED: _("The event is reported: its attendance is part of the record."),
        EventStatus.CANCELLED: _("The event is cancelled: no one attended."),
    }.get(EventStatus(event.status))
    if refusal:
        raise DomainError(refusal)
    if not present:
        raise DomainError(
            _("Tick the people who attended: an event is held only if someone was there.")
        )
    with transaction.atomic():
        participants = list(event.participants.select_for_update())
        if present - {p.pk for p in participants}:
            raise DomainError(_("Some people ticked are not participants of this event."))
        for participant in participants:
            attended = participant.pk in present
            if participant.attended != attended:
                participant.attended = attended
                attribute_to(participant, actor, "attendance")
                participant.save()
        # The attendance is the record that the event took place.
        if event.status == EventStatus.CONFIRMED:
            event_transition(actor=actor, event=event, transition=EventTransition.HOLD)
    return len(present)
