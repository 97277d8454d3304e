"""Ending a city officer's role hands their events still ahead to another current officer of the
same city: in one transaction with the role's end, audited (who, when, to whom), the new officer
notified once. Refused with nothing changed for a successor outside the city or a stale list;
without a successor the role still ends and the events keep the leaver."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError
from core.roles import Role
from notifications.models import Notification
from programmes import notification_kinds as kinds
from programmes.handover import handover_items
from programmes.models import City, Membership, Person, Programme
from programmes.services.people import membership_end
from programmes.services.team import handover_successors, membership_hand_over
from tests.conftest import email_of
from tests.notification_checks import (
    assert_french_email,
    exactly_once,
    last_notification_pk,
    notified_since,
    set_language,
)
from tests.rendered_forms import form_data
from visits.choices import EventFormat, EventStatus, Invitation
from visits.models import Event, Participant

pytestmark = pytest.mark.django_db
LEAVER, SUCCESSOR, OTHER_CITY = "athens-officer-1", "athens-officer-2", "barcelona-officer-1"


def _programme():
    return Programme.objects.get(slug="cities-grow")


def _person(key):
    return Person.objects.get(email=email_of(key))


def _role(key):
    return Membership.objects.current().get(
        person__email=email_of(key), role=Role.CITY_OFFICER, programme__slug="cities-grow"
    )


def _event(title, *, days, status=EventStatus.PLANNED, people=(LEAVER,)):
    """An Athens webinar `days` from now, with these demo people invited (and accepted)."""
    start = timezone.now() + timedelta(days=days)
    event = Event.objects.create(
        programme=_programme(),
        format=EventFormat.WEBINAR,
        title=title,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        host_city=City.objects.get(slug="athens"),
        status=status,
    )
    for key in people:
        Participant.objects.create(
            event=event,
            person=_person(key),
            invitation=Invitation.ACCEPTED,
            responded_at=timezone.now(),
        )
    return event


@pytest.fixture
def work():
    """Two events ahead for the leaver, and what must never move: a held event, a cancelled
    one, an event under way, and another officer's place."""
    events = {
        "ahead": _event("Launch webinar", days=10),
        "confirmed": _event("Study visit prep", days=20, status=EventStatus.CONFIRMED),
        "held": _event("Past visit", days=-10, status=EventStatus.HELD),
        "cancelled": _event("Cancelled call", days=5, status=EventStatus.CANCELLED),
        "under_way": _event("Started an hour ago", days=0),
        "others": _event("Barcelona call", days=15, people=(OTHER_CITY,)),
    }
    Event.objects.filter(pk=events["under_way"].pk).update(
        starts_at=timezone.now() - timedelta(hours=1)
    )
    return events


def _places():
    """Every participation as (event title, person e-mail, answer)."""
    return set(Participant.objects.values_list("event__title", "person__email", "invitation"))


def _keys():
    return {item.key for item in handover_items(_role(LEAVER))}


def _hand_over(actor, *, successor=SUCCESSOR, keys=None, reason="Left the city administration"):
    return membership_hand_over(
        actor=actor,
        membership=_role(LEAVER),
        successor=_role(successor) if successor else None,
        ended_on=timezone.localdate(),
        reason=reason,
        expected_keys=_keys() if keys is None else keys,
    )


# ---------------------------------------------------------------- service


def test_items_are_the_leavers_events_still_ahead_and_successors_their_citys_officers(work):
    items = handover_items(_role(LEAVER))
    assert [item.title for item in items] == ["Launch webinar", "Study visit prep"]
    assert [item.state for item in items] == ["Planned", "Confirmed"]
    assert items[0].url == reverse("visits:event", args=["cities-grow", work["ahead"].pk])
    successors = handover_successors(_role(LEAVER))
    assert [m.person.email for m in successors] == [email_of(SUCCESSOR)]
    # Only a city officer's role hands anything over.
    approver = Membership.objects.get(person__email=email_of("athens-approver-admin"))
    assert handover_items(approver) == [] and handover_successors(approver) == []


def test_handover_moves_the_events_ahead_and_nothing_else(work, user_of):
    before = _places()
    result = _hand_over(user_of("coordinator-1"))
    assert [item.title for item in result.handed_over] == ["Launch webinar", "Study visit prep"]
    assert result.successor == _person(SUCCESSOR) and result.kept == []
    leaver, successor = email_of(LEAVER), email_of(SUCCESSOR)
    moved = {
        ("Launch webinar", leaver, Invitation.ACCEPTED),
        ("Study visit prep", leaver, Invitation.ACCEPTED),
    }
    # The new officer is invited afresh: their own answer is to come.
    arrived = {
        ("Launch webinar", successor, Invitation.INVITED),
        ("Study visit prep", successor, Invitation.INVITED),
    }
    assert _places() == (before - moved) | arrived
    # The role has ended, from the chosen day.
    ended = Membership.objects.get(pk=result.membership.pk)
    assert ended.ended_on == timezone.localdate()
    assert ended.end_reason == "Left the city administration"
    assert not Membership.objects.current().filter(pk=ended.pk).exists()


def test_handover_is_audited_with_who_when_and_to_whom(work, user_of):
    coordinator = user_of("coordinator-1")
    started = timezone.now()
    result = _hand_over(coordinator)
    finished = timezone.now()
    role = Membership.objects.get(pk=result.membership.pk).history.latest()
    assert role.history_user == coordinator
    assert started <= role.history_date <= finished
    assert role.ended_on == timezone.localdate()
    successor = _person(SUCCESSOR)
    assert role.history_change_reason == (
        f"role ended, work handed over to {successor.full_name} (person #{successor.pk})"
    )
    place = Participant.objects.get(event=work["ahead"], person=successor).history.latest()
    assert place.history_user == coordinator
    assert started <= place.history_date <= finished
    assert _person(LEAVER).full_name in place.history_change_reason
    assert successor.full_name in place.history_change_reason
    # The record before the change still names the leaver.
    assert place.prev_record.person_id == _person(LEAVER).pk


def test_the_new_officer_is_notified_exactly_once_in_their_language(
    work, user_of, mailoutbox, django_capture_on_commit_callbacks
):
    set_language(SUCCESSOR, "fr")
    since = last_notification_pk()
    with django_capture_on_commit_callbacks(execute=True):
        _hand_over(user_of("coordinator-1"))
    assert notified_since(since, kinds.HANDOVER) == exactly_once(SUCCESSOR)
    notification = Notification.objects.get(pk__gt=since, kind=kinds.HANDOVER)
    assert notification.message == "Launch webinar\nStudy visit prep"
    assert notification.params == {"leaver": _person(LEAVER).full_name, "city": "Athens"}
    assert_french_email(mailoutbox, SUCCESSOR, kinds.HANDOVER, since)


def test_a_place_the_successor_already_holds_is_not_doubled(work, user_of):
    both = _event("Both invited", days=30, people=(LEAVER, SUCCESSOR))
    _hand_over(user_of("coordinator-1"))
    assert list(
        Participant.objects.filter(event=both).values_list("person__email", "invitation")
    ) == [(email_of(SUCCESSOR), Invitation.ACCEPTED)]


def test_a_successor_from_another_city_is_refused_and_nothing_changes(work, user_of):
    before, since = _places(), last_notification_pk()
    with pytest.raises(DomainError) as refused:
        _hand_over(user_of("coordinator-1"), successor=OTHER_CITY)
    assert refused.value.field_errors == {
        "successor": "Choose another current officer of the same city."
    }
    assert _places() == before
    assert _role(LEAVER).ended_on is None
    assert not Notification.objects.filter(pk__gt=since).exists()


def test_a_successor_whose_role_ended_is_refused(work, user_of):
    coordinator = user_of("coordinator-1")
    successor = _role(SUCCESSOR)
    membership_end(
        actor=coordinator, membership=successor, ended_on=timezone.localdate(), reason="Left"
    )
    before = _places()
    with pytest.raises(DomainError) as refused:
        membership_hand_over(
            actor=coordinator,
            membership=_role(LEAVER),
            successor=successor,
            ended_on=timezone.localdate(),
            reason="Left",
            expected_keys=_keys(),
        )
    assert "successor" in refused.value.field_errors
    assert _places() == before and _role(LEAVER).ended_on is None


@pytest.mark.parametrize("change", ["added", "removed"])
def test_a_stale_list_is_refused_and_nothing_changes(work, user_of, change):
    shown = _keys()
    if change == "added":
        _event("Added meanwhile", days=40)
    else:
        Event.objects.filter(pk=work["ahead"].pk).update(status=EventStatus.CANCELLED)
    before, since = _places(), last_notification_pk()
    with pytest.raises(DomainError) as refused:
        _hand_over(user_of("coordinator-1"), keys=shown)
    assert "changed since the page was shown" in refused.value.field_errors["successor"]
    assert _places() == before
    assert _role(LEAVER).ended_on is None
    assert not Notification.objects.filter(pk__gt=since).exists()


def test_only_a_coordinator_hands_over(work, user_of):
    before = _places()
    with pytest.raises(DomainError):
        _hand_over(user_of(SUCCESSOR))
    assert _places() == before and _role(LEAVER).ended_on is None


def test_without_a_successor_the_role_ends_and_the_events_keep_the_leaver(work, user_of):
    coordinator = user_of("coordinator-1")
    membership_end(
        actor=coordinator, membership=_role(SUCCESSOR), ended_on=timezone.localdate(), reason="X"
    )
    assert handover_successors(_role(LEAVER)) == []
    before, since = _places(), last_notification_pk()
    leaver_role = _role(LEAVER)
    result = _hand_over(coordinator, successor=None, keys=set())
    assert result.successor is None and result.handed_over == []
    assert [item.title for item in result.kept] == ["Launch webinar", "Study visit prep"]
    assert _places() == before
    assert Membership.objects.get(pk=leaver_role.pk).ended_on == timezone.localdate()
    assert not Notification.objects.filter(pk__gt=since, kind=kinds.HANDOVER).exists()


# ---------------------------------------------------------------- the page


def _url():
    return reverse("programmes:membership_end", args=["cities-grow", _role(LEAVER).pk])


def _option(html, label):
    """The value of the successor select's option shown with this label."""
    select = re.search(r'<select name="successor".*?</select>', html, re.S).group(0)
    return re.search(rf'<option value="(\d+)"[^>]*>{re.escape(label)}</option>', select).group(1)


def _fill(html, *, successor_label=None):
    """The page's own form, filled as a coordinator would: a reason and a successor."""
    data = form_data(html, action="")
    data["reason"] = ["Left the city administration"]
    if successor_label:
        data["successor"] = [_option(html, successor_label)]
    return data


def test_page_lists_the_events_ahead_and_the_citys_other_officers(work, client_of):
    html = client_of("coordinator-1").get(_url()).content.decode()
    assert "Launch webinar" in html and "Study visit prep" in html
    for hidden in ("Past visit", "Cancelled call", "Started an hour ago", "Barcelona call"):
        assert hidden not in html
    select = re.search(r'<select name="successor".*?</select>', html, re.S).group(0)
    assert _person(SUCCESSOR).full_name in select
    assert _person(OTHER_CITY).full_name not in select
    assert _person(LEAVER).full_name not in select
    assert form_data(html, action="")["handover"] == [",".join(sorted(_keys()))]


def test_posting_the_rendered_form_hands_over_and_ends_the_role(work, client_of):
    client = client_of("coordinator-1")
    leaver_role = _role(LEAVER)
    html = client.get(_url()).content.decode()
    since = last_notification_pk()
    response = client.post(_url(), _fill(html, successor_label=_person(SUCCESSOR).full_name))
    assert response.status_code == 302
    assert Membership.objects.get(pk=leaver_role.pk).ended_on == timezone.localdate()
    assert set(
        Participant.objects.filter(event__in=[work["ahead"], work["confirmed"]]).values_list(
            "person__email", flat=True
        )
    ) == {email_of(SUCCESSOR)}
    assert notified_since(since, kinds.HANDOVER) == exactly_once(SUCCESSOR)
    page = client.get(response.url).content.decode()
    assert "2 events still ahead are handed over to Giorgos Karras" in page


def test_posting_the_rendered_form_with_no_one_chosen_keeps_the_events(work, client_of):
    client = client_of("coordinator-1")
    leaver_role = _role(LEAVER)
    before = _places()
    html = client.get(_url()).content.decode()
    data = _fill(html)
    assert data["successor"] == [""]  # "No one" is the default
    response = client.post(_url(), data)
    assert response.status_code == 302
    assert Membership.objects.get(pk=leaver_role.pk).ended_on == timezone.localdate()
    assert _places() == before
    page = client.get(response.url).content.decode()
    assert "No one took over: Eleni Papadaki still takes part in 2 events ahead." in page


def test_a_stale_page_is_refused_at_the_field_then_the_new_list_can_be_confirmed(work, client_of):
    client = client_of("coordinator-1")
    leaver_role = _role(LEAVER)
    html = client.get(_url()).content.decode()
    _event("Added meanwhile", days=40)
    before = _places()
    response = client.post(_url(), _fill(html, successor_label=_person(SUCCESSOR).full_name))
    again = response.content.decode()
    assert response.status_code == 200
    error = re.search(r'<ul class="errorlist" id="id_successor_error">(.*?)</ul>', again, re.S)
    assert error and "changed since the page was shown" in error.group(1)
    assert _places() == before and _role(LEAVER).ended_on is None
    # The page now shows the new list; sending its form again is accepted.
    assert "Added meanwhile" in again
    data = form_data(again, action="")
    assert data["successor"] == [_option(again, _person(SUCCESSOR).full_name)]  # kept
    assert client.post(_url(), data).status_code == 302
    assert Membership.objects.get(pk=leaver_role.pk).ended_on == timezone.localdate()
    assert Participant.objects.get(event__title="Added meanwhile").person == _person(SUCCESSOR)


def test_a_successor_outside_the_city_is_refused_at_the_field(work, client_of):
    client = client_of("coordinator-1")
    html = client.get(_url()).content.decode()
    data = _fill(html)
    data["successor"] = [str(_role(OTHER_CITY).pk)]  # a value the page never offered
    before = _places()
    response = client.post(_url(), data)
    assert response.status_code == 200
    assert 'id="id_successor_error"' in response.content.decode()
    assert _places() == before and _role(LEAVER).ended_on is None


def test_page_without_a_successor_says_the_events_stay_and_still_ends_the_role(
    work, client_of, user_of
):
    membership_end(
        actor=user_of("coordinator-1"),
        membership=_role(SUCCESSOR),
        ended_on=timezone.localdate(),
        reason="Left",
    )
    client = client_of("coordinator-1")
    leaver_role = _role(LEAVER)
    html = client.get(_url()).content.decode()
    assert "Launch webinar" in html
    assert "Athens has no other current officer to take them over" in html
    assert 'name="successor"' not in html
    before = _places()
    response = client.post(_url(), _fill(html))
    assert response.status_code == 302
    assert Membership.objects.get(pk=leaver_role.pk).ended_on == timezone.localdate()
    assert _places() == before


def test_page_for_an_officer_with_nothing_ahead_offers_no_handover(client_of):
    html = client_of("coordinator-1").get(_url()).content.decode()
    assert "Handing the work over" not in html and 'name="successor"' not in html


def test_page_queries_do_not_grow_with_the_events(work, client_of):
    client = client_of("coordinator-1")
    client.get(_url())  # warm the session and caches
    with CaptureQueriesContext(connection) as few:
        client.get(_url())
    for day in range(41, 46):
        _event(f"More {day}", days=day)
    with CaptureQueriesContext(connection) as many:
        html = client.get(_url()).content.decode()
    assert "More 45" in html
    assert len(many.captured_queries) == len(few.captured_queries)
