"""Delegations, answers, attendance and the signed participant list."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from core.errors import DomainError
from programmes.models import MentoringPair, Programme
from tests.tagged_pdf import assert_accessible_pdf
from tests.visits.lifecycle import confirm
from visits.choices import EventFormat, EventStatus, Invitation
from visits.models import Participant
from visits.pdf import participant_list_pdf
from visits.services import EventInput, event_create
from visits.services.attendance import (
    attendance_record,
    delegation_invite,
    participant_respond,
)

pytestmark = pytest.mark.django_db


def _study_visit(user_of):
    pair = MentoringPair.objects.get(implementing__city__slug="athens")
    zone = ZoneInfo("Europe/Berlin")
    return event_create(
        actor=user_of("coordinator-1"),
        programme=Programme.objects.get(slug="cities-grow"),
        data=EventInput(
            format=EventFormat.STUDY_VISIT,
            title="Study visit of Athens to Munich",
            starts_at=datetime(2017, 9, 12, 9, tzinfo=zone),
            ends_at=datetime(2017, 9, 14, 17, tzinfo=zone),
            host_city=pair.mentor.city,
            pair=pair,
        ),
    )


def test_the_usual_delegation_is_both_cities_officers_and_the_facilitator(user_of):
    event = _study_visit(user_of)
    created = delegation_invite(actor=user_of("coordinator-1"), event=event)
    people = {p.person.user.username for p in created}
    expected = {
        user_of(k).username
        for k in ("athens-officer-1", "athens-officer-2", "munich-officer-1", "munich-officer-2")
    } | {user_of("facilitator-b").username}
    assert people == expected
    assert delegation_invite(actor=user_of("coordinator-1"), event=event) == []  # no duplicates
    with pytest.raises(DomainError):
        delegation_invite(actor=user_of("athens-officer-1"), event=event)


def test_only_the_invited_person_answers(user_of):
    event = _study_visit(user_of)
    delegation_invite(actor=user_of("coordinator-1"), event=event)
    hers = Participant.objects.get(event=event, person__user=user_of("athens-officer-1"))
    with pytest.raises(DomainError):
        participant_respond(actor=user_of("athens-officer-2"), participant=hers, accept=True)
    participant_respond(actor=user_of("athens-officer-1"), participant=hers, accept=False)
    hers.refresh_from_db()
    assert hers.invitation == Invitation.DECLINED and hers.responded_at


def test_attendance_is_recorded_by_coordinators_and_the_schemes_facilitator(user_of):
    event = _study_visit(user_of)
    participants = delegation_invite(actor=user_of("coordinator-1"), event=event)
    present = {participants[0].pk, participants[1].pk}
    with pytest.raises(DomainError, match="Confirm the event first"):
        attendance_record(actor=user_of("facilitator-b"), event=event, present=present)
    confirm(event)
    for key in ("facilitator-a", "athens-officer-1", "auditor-1"):
        with pytest.raises(DomainError):
            attendance_record(actor=user_of(key), event=event, present=present)
    assert attendance_record(actor=user_of("facilitator-b"), event=event, present=present) == 2
    marks = dict(Participant.objects.filter(event=event).values_list("pk", "attended"))
    assert {pk for pk, attended in marks.items() if attended} == present
    assert sum(1 for attended in marks.values() if attended is False) == len(participants) - 2
    event.refresh_from_db()
    assert event.status == EventStatus.HELD  # recorded and held in one step
    with pytest.raises(DomainError, match="not participants"):
        attendance_record(actor=user_of("coordinator-1"), event=event, present={999_999})
    with pytest.raises(DomainError, match="someone was there"):
        attendance_record(actor=user_of("coordinator-1"), event=event, present=set())
    # A held event's attendance may be corrected.
    assert attendance_record(actor=user_of("coordinator-1"), event=event, present=present) == 2


def test_the_participant_list_prints_every_name(user_of, client_of):
    event = _study_visit(user_of)
    delegation_invite(actor=user_of("coordinator-1"), event=event)
    Participant.objects.filter(event=event).first().person.__class__.objects.filter(
        pk=Participant.objects.filter(event=event).first().person_id
    ).update(first_name="Ελένη", last_name="Wiśniewska")
    pdf = assert_accessible_pdf(
        participant_list_pdf(event), title=f"Participant list: {event.title}", language="en"
    )
    assert "Ελένη Wiśniewska" in pdf.text
    response = client_of("coordinator-1").get(
        reverse("visits:participants_pdf", args=["cities-grow", event.pk])
    )
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")


def test_attendance_form_on_the_event_page(user_of, client_of):
    event = _study_visit(user_of)
    participants = delegation_invite(actor=user_of("coordinator-1"), event=event)
    client = client_of("facilitator-b")
    page = client.get(reverse("visits:event", args=["cities-grow", event.pk])).content.decode()
    assert 'name="present"' not in page and "Confirm the event to record" in page
    confirm(event)
    page = client.get(reverse("visits:event", args=["cities-grow", event.pk])).content.decode()
    assert 'name="present"' in page
    url = reverse("visits:attendance", args=["cities-grow", event.pk])
    response = client.post(url, {"present": [str(participants[0].pk), "x"]})
    assert response.status_code == 302
    assert Participant.objects.get(pk=participants[0].pk).attended is True
    officer = client_of("athens-officer-1")
    assert (
        'name="present"'
        not in officer.get(reverse("visits:event", args=["cities-grow", event.pk])).content.decode()
    )


def test_a_person_whose_role_ended_is_not_in_the_usual_delegation_nor_invitable(user_of):
    from django.utils import timezone

    from programmes.models import Membership
    from programmes.services.people import membership_end
    from visits.selectors import InvitableLookup

    event = _study_visit(user_of)
    leaving = Membership.objects.get(person__user=user_of("athens-officer-2"), city__slug="athens")
    membership_end(
        actor=user_of("coordinator-1"),
        membership=leaving,
        ended_on=timezone.localdate(),
        reason="Moved to another department",
    )
    invited = {p.person_id for p in delegation_invite(actor=user_of("coordinator-1"), event=event)}
    assert leaving.person_id not in invited
    assert user_of("athens-officer-1").person.pk in invited
    # The coordinators' search for someone to invite neither finds nor accepts them.
    lookup = InvitableLookup(event)
    found, _more = lookup.search(leaving.person.last_name)
    assert leaving.person_id not in {p.pk for p in found}
    assert lookup.get(leaving.person_id) is None
    staying = user_of("athens-officer-1").person
    assert lookup.get(staying.pk) is None  # invited with the delegation just now
