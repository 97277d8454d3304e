"""Walking an event through its life as the people would: confirmed by a coordinator, the
delegation invited, attendance recorded (which makes it held)."""

from accounts.models import User
from tests.conftest import email_of
from visits.models import Event, Participant
from visits.services import participant_invite
from visits.services.attendance import attendance_record, delegation_invite
from visits.workflow import EventTransition, event_transition


def _user(key: str) -> User:
    return User.objects.get(username=email_of(key))


def confirm(event: Event) -> Event:
    return event_transition(
        actor=_user("coordinator-1"), event=event, transition=EventTransition.CONFIRM
    )


def hold(event: Event, recorder: str = "coordinator-1") -> Event:
    """Confirm the event, invite people (the delegation of a visit, else a coordinator) and
    record that the first of them attended: the event is then held."""
    coordinator = _user("coordinator-1")
    confirm(event)
    if event.pair_id:
        delegation_invite(actor=coordinator, event=event)
    else:
        participant_invite(actor=coordinator, event=event, person=coordinator.person)
    first = Participant.objects.filter(event=event).order_by("pk").first()
    assert first is not None
    attendance_record(actor=_user(recorder), event=event, present={first.pk})
    event.refresh_from_db()
    return event
