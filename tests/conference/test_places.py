"""Places at the conference: confirmed while there is room, then a waiting list in the order
people registered; a cancellation through the private link moves the first waiting person up
and e-mails them; session choices fill up the same way; a city's delegation stays within its
quota, all or none; the private link and the delegates' data reach nobody else."""

import pytest
from django.core import mail
from django.urls import reverse

from conference.choices import PlaceStatus
from conference.models import Registration
from conference.services import (
    delegation_register,
    register,
    registration_cancel,
    session_choices_change,
)
from core.errors import DomainError
from programmes.models import City
from tests.conference.builders import delegate, icc, workshop
from tests.html_checks import accessibility_problems

pytestmark = pytest.mark.django_db


def _status(placed):
    return Registration.objects.get(pk=placed.registration.pk).status


def test_the_conference_fills_up_then_waits_and_a_cancellation_moves_the_first_up(
    django_capture_on_commit_callbacks,
):
    conference = icc(capacity=2)
    with django_capture_on_commit_callbacks(execute=True):
        first, second, third, fourth = (
            register(conference=conference, data=delegate(n)) for n in range(4)
        )
    assert [_status(p) for p in (first, second, third, fourth)] == [
        "confirmed",
        "confirmed",
        "waiting",
        "waiting",
    ]
    assert len(mail.outbox) == 4
    assert "you are on the waiting list" in mail.outbox[2].body
    link = reverse("conference:registration", args=["icc-viii", third.token])
    assert link in mail.outbox[2].body  # the private link, e-mailed once
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = registration_cancel(raw_token=second.token)
    assert [r.pk for r in cancelled.moved_up] == [third.registration.pk]  # the longest waiting
    assert (_status(second), _status(third), _status(fourth)) == (
        "cancelled",
        "confirmed",
        "waiting",
    )
    moved = next(m for m in mail.outbox if m.to == ["delegate2@example.org"])
    assert "you now have a confirmed place" in moved.body
    calendar = moved.attachments[0]
    assert calendar[0] == "invite.ics" and "BEGIN:VEVENT" in calendar[1]
    assert "SUMMARY:Opening (Integrating Cities Conference VIII)" in calendar[1]
    with pytest.raises(DomainError, match="already cancelled"):
        registration_cancel(raw_token=second.token)


def test_a_full_workshop_waits_and_moves_up_when_a_place_is_given_up():
    conference = icc(capacity=10, workshop_places=2)
    jobs = workshop(conference)
    placed = [
        register(conference=conference, data=delegate(n, session_ids=(jobs.pk,))) for n in range(3)
    ]
    choices = [p.registration.choices.get().status for p in placed]
    assert choices == ["confirmed", "confirmed", "waiting"]
    # The first changes to the other workshop: their place goes to the third.
    housing = workshop(conference, "Housing first")
    changed = session_choices_change(raw_token=placed[0].token, session_ids=[housing.pk])
    assert [r.pk for r in changed.moved_up] == [placed[2].registration.pk]
    assert placed[2].registration.choices.get().status == PlaceStatus.CONFIRMED
    assert jobs.choices.filter(status="confirmed").count() == 2


def test_two_workshops_at_the_same_time_are_refused_by_name():
    conference = icc()
    both = tuple(conference.sessions.filter(kind="workshop").values_list("pk", flat=True))
    with pytest.raises(DomainError) as refused:
        register(conference=conference, data=delegate(1, session_ids=both))
    assert "take place at the same time" in refused.value.field_errors["sessions"]
    assert not Registration.objects.exists()


def test_one_live_registration_per_address():
    conference = icc()
    register(conference=conference, data=delegate(1))
    with pytest.raises(DomainError) as refused:
        register(conference=conference, data=delegate(1, email="Delegate1@Example.org"))
    assert "registered already" in refused.value.field_errors["email"]


def test_a_closed_registration_refuses():
    conference = icc()
    conference.registration_open = False
    conference.save()
    with pytest.raises(DomainError, match="not open"):
        register(conference=conference, data=delegate(1))


def test_a_delegation_of_three_within_its_quota_and_a_fourth_refused(user_of):
    conference = icc()
    athens = City.objects.get(slug="athens")
    officer = user_of("athens-officer-1")
    team = [
        delegate(1, delegate_kind="officer"),
        delegate(2, delegate_kind="politician"),
        delegate(3, delegate_kind="stakeholder"),
    ]
    placed = delegation_register(actor=officer, conference=conference, city=athens, delegates=team)
    assert [p.registration.status for p in placed] == ["confirmed"] * 3
    assert all(p.registration.travel_eligible for p in placed)
    assert {p.registration.delegation.city.slug for p in placed} == {"athens"}
    with pytest.raises(DomainError) as refused:
        delegation_register(
            actor=officer,
            conference=conference,
            city=athens,
            delegates=[delegate(4, delegate_kind="officer")],
        )
    assert str(refused.value.message) == (
        "Athens may send 3 delegates; 3 registered already, so 1 more cannot be added."
    )
    assert Registration.objects.count() == 3
    # Another city's officer cannot register Athens' delegation; the coordinator can.
    with pytest.raises(DomainError, match="city's officers"):
        delegation_register(
            actor=user_of("rotterdam-officer-1"),
            conference=conference,
            city=athens,
            delegates=[delegate(5, delegate_kind="officer")],
        )


def test_the_private_page_cancels_and_an_unknown_link_is_a_404(client):
    conference = icc(capacity=1)
    first = register(conference=conference, data=delegate(1))
    waiting = register(conference=conference, data=delegate(2))
    page = reverse("conference:registration", args=["icc-viii", first.token])
    html = client.get(page).content.decode()
    assert accessibility_problems(html) == []
    assert "Delegate1 Test" in html and "Delegate2" not in html
    assert client.post(page).status_code == 302
    assert _status(first) == "cancelled" and _status(waiting) == "confirmed"
    bogus = reverse("conference:registration", args=["icc-viii", "not-a-token"])
    assert client.get(bogus).status_code == 404
    assert client.post(bogus).status_code == 404


def test_the_public_programme_shows_places_not_people(client):
    conference = icc()
    register(conference=conference, data=delegate(1, session_ids=(workshop(conference).pk,)))
    html = client.get(reverse("conference:public", args=["icc-viii"])).content.decode()
    assert accessibility_problems(html) == []
    assert "Jobs for newcomers" in html and "1 of 2 places taken" in html
    assert "Delegate1" not in html and "delegate1@example.org" not in html
    assert "CET (Rome time)" in html  # the host city's clocks, named
    ics = client.get(reverse("conference:session_ics", args=["icc-viii", workshop(conference).pk]))
    assert ics["Content-Type"].startswith("text/calendar")
    assert b"DTSTART:20181107T100000Z" in ics.content  # 11:00 in Milan, CET
