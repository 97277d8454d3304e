"""Planning and changing events on screen, inviting one person, and the event's status machine."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from core.errors import DomainError
from programmes.models import MentoringPair, Person, Programme
from tests.conftest import email_of
from tests.html_checks import accessibility_problems
from tests.visits.lifecycle import confirm, hold
from visits.choices import EventStatus
from visits.models import Event
from visits.services import EventInput, event_create, participant_invite
from visits.workflow import EventTransition, event_transition

pytestmark = pytest.mark.django_db
NEW = reverse("visits:event_new", args=["cities-grow"])


def _form(**changes):
    data = {
        "format": "webinar",
        "title": "Webinar on one-stop shops",
        "host_city": "helsinki",
        "timezone": "",
        "start_day": "2017-10-29",  # the day Helsinki leaves summer time
        "start_time": "10:00",
        "end_day": "2017-10-29",
        "end_time": "11:30",
        "pair": "",
        "scheme": "",
        "venue": "",
        "online_url": "https://meet.example.org/one-stop",
        "objectives": "Compare the one-stop shops of Helsinki and Ghent.",
        "capacity": "",
    }
    data.update(changes)
    return data


def _athens_visit(user_of, **changes):
    pair = MentoringPair.objects.get(implementing__city__slug="athens")
    zone = ZoneInfo("Europe/Athens")
    data = {
        "format": "mentoring_visit",
        "title": "Mentoring visit of Munich to Athens",
        "starts_at": datetime(2017, 11, 14, 9, tzinfo=zone),
        "ends_at": datetime(2017, 11, 16, 17, tzinfo=zone),
        "host_city": pair.implementing.city,
        "pair": pair,
        **changes,
    }
    return event_create(
        actor=user_of("coordinator-1"),
        programme=Programme.objects.get(slug="cities-grow"),
        data=EventInput(**data),
    )


def test_coordinator_plans_an_event_in_the_host_city_time(client_of):
    client = client_of("coordinator-1")
    page = client.get(NEW)
    assert page.status_code == 200
    assert accessibility_problems(page.content.decode()) == []
    response = client.post(NEW, _form())
    assert response.status_code == 302
    event = Event.objects.get(title="Webinar on one-stop shops")
    # 10:00 in Helsinki on 29 October 2017 is already winter time (UTC+2).
    assert event.starts_at == datetime(2017, 10, 29, 8, 0, tzinfo=UTC)
    assert (event.timezone, event.host_city.slug) == ("Europe/Helsinki", "helsinki")
    assert event.history.get().history_user.username == email_of("coordinator-1")
    assert response["Location"] == reverse("visits:event", args=["cities-grow", event.pk])


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"end_day": "2017-10-28"}, "end_day", "The end must come after the start."),
        (
            {"start_day": "2019-03-01", "end_day": "2019-03-01"},
            "start_day",
            "The event must take place within the programme",
        ),
        ({"format": "study_visit"}, "pair", "A visit serves one pair: choose it."),
        ({"pair": "999999"}, "pair", "Select a valid choice."),
        ({"host_city": "paris"}, "host_city", "Select a valid choice."),
        ({"timezone": "Mars/Olympus"}, "timezone", "Select a valid choice."),
        ({"start_time": "25:00"}, "start_time", "Enter a valid time."),
        ({"capacity": "0"}, "capacity", "greater than or equal to 1"),
        ({"online_url": "not a link"}, "online_url", "Enter a valid URL."),
    ],
)
def test_bad_input_is_explained_next_to_its_field(client_of, changes, field, message):
    response = client_of("coordinator-1").post(NEW, _form(**changes))
    assert response.status_code == 400
    form = response.context["form"]
    assert any(message in error for error in form.errors[field]), form.errors
    html = response.content.decode()
    assert 'value="Webinar on one-stop shops"' in html  # nothing typed is lost
    assert "Compare the one-stop shops of Helsinki and Ghent." in html
    assert not Event.objects.filter(title="Webinar on one-stop shops").exists()


def test_only_coordinators_plan_and_change_events(client_of, user_of):
    event = _athens_visit(user_of)
    edit = reverse("visits:event_edit", args=["cities-grow", event.pk])
    for key in ("athens-officer-1", "facilitator-b", "auditor-1", "finance-1"):
        client = client_of(key)
        assert client.get(NEW).status_code == 404
        assert client.post(NEW, _form()).status_code == 404
        assert client.get(edit).status_code == 404
        assert client.post(edit, _form(revision=event.revision)).status_code == 404
    assert Event.objects.count() == 1
    with pytest.raises(DomainError):
        event_create(
            actor=user_of("athens-officer-1"),
            programme=event.programme,
            data=EventInput(
                format="webinar",
                title="x",
                starts_at=event.starts_at,
                ends_at=event.ends_at,
            ),
        )


def test_two_stale_edits_the_second_is_refused_and_keeps_its_text(client_of, user_of):
    event = _athens_visit(user_of)
    url = reverse("visits:event_edit", args=["cities-grow", event.pk])
    first, second = client_of("coordinator-1"), client_of("coordinator-2")
    initial = first.get(url).context["form"].initial
    stale = {k: ("" if v is None else str(v)) for k, v in initial.items()}
    stale["start_time"], stale["end_time"] = "09:00", "17:00"
    assert first.post(url, {**stale, "venue": "City Hall, Athens"}).status_code == 302
    refused = second.post(url, {**stale, "venue": "Technopolis, Gazi"})
    assert refused.status_code == 409
    html = refused.content.decode()
    assert "Someone else changed this event" in html and "Technopolis, Gazi" in html
    event.refresh_from_db()
    assert event.venue == "City Hall, Athens"


def test_a_held_event_is_a_record(client_of, user_of):
    event = hold(_athens_visit(user_of))
    client = client_of("coordinator-1")
    url = reverse("visits:event_edit", args=["cities-grow", event.pk])
    data = {
        k: ("" if v is None else str(v)) for k, v in client.get(url).context["form"].initial.items()
    }
    data.update(start_time="09:00", end_time="17:00", title="Renamed")
    response = client.post(url, data)
    assert response.status_code == 400
    assert "its details are a record" in response.content.decode()
    event.refresh_from_db()
    assert event.title == "Mentoring visit of Munich to Athens"
    page = client.get(reverse("visits:event", args=["cities-grow", event.pk])).content.decode()
    assert "Change the event" not in page and "Invite one person" not in page
    invite = reverse("visits:participant_add", args=["cities-grow", event.pk])
    nicosia = Person.objects.get(email=email_of("nicosia-officer-1"))
    refused = client.post(invite, {"person": nicosia.pk}, follow=True)
    assert "no one can be invited any more" in refused.content.decode()
    invited = event.participants.count()
    delegation = client.post(reverse("visits:delegation", args=["cities-grow", event.pk]))
    assert delegation.status_code == 302 and event.participants.count() == invited


def test_inviting_one_person_and_an_unknown_one(client_of, user_of):
    event = _athens_visit(user_of)
    url = reverse("visits:participant_add", args=["cities-grow", event.pk])
    client = client_of("coordinator-1")
    nicosia = Person.objects.get(email=email_of("nicosia-officer-1"))
    assert client.post(url, {"person": nicosia.pk}).status_code == 302
    assert event.participants.filter(person=nicosia).exists()
    for unknown in ("999999", "abc", str(nicosia.pk)):  # the last: already invited
        response = client.post(url, {"person": unknown})
        assert response.status_code == 400
        errors = response.context["invite_form"].errors["who"]
        assert errors == [
            "This person cannot be invited: choose a member of the programme who is not "
            "invited yet."
        ]
    response = client.post(url, {"person": "", "who": ""})
    assert response.status_code == 400
    assert response.context["invite_form"].errors["who"] == [
        "Type a name, an e-mail address or an organisation."
    ]
    outsider = Person.objects.create(
        first_name="Out",
        last_name="Sider",
        email="o@example.org",
        organisation=nicosia.organisation,
    )
    response = client.post(url, {"person": outsider.pk})
    assert response.status_code == 400
    assert event.participants.count() == 1


# ---------------------------------------------------------------- the status machine

# transition -> roles that may perform it on a past visit of pair B (Munich mentors Athens),
# hosted by Athens: its officers confirm the dates with the coordinators.
ALLOWED = {
    EventTransition.CONFIRM: {"coordinator-1", "athens-officer-1"},
    EventTransition.CANCEL: {"coordinator-1"},
}
PEOPLE = ["coordinator-1", "facilitator-b", "athens-officer-1", "munich-officer-1", "auditor-1"]


@pytest.mark.parametrize("transition", list(ALLOWED))
@pytest.mark.parametrize("key", PEOPLE)
def test_each_status_change_by_each_role(client_of, user_of, transition, key):
    event = _athens_visit(user_of)
    url = reverse("visits:status", args=["cities-grow", event.pk])
    response = client_of(key).post(url, {"transition": transition.value, "comment": "Strike"})
    event.refresh_from_db()
    if key in ALLOWED[transition]:
        assert response.status_code == 302
        target = {"confirm": "confirmed", "cancel": "cancelled"}[transition]
        assert event.status == target
        record = event.history.first()
        assert (record.history_user.username, record.history_change_reason) == (
            email_of(key),
            transition.value,
        )
        assert record.prev_record.status == EventStatus.PLANNED
    else:
        assert response.status_code == 400
        assert event.status == EventStatus.PLANNED


def test_a_planned_event_is_neither_held_nor_reported_without_confirmation(user_of, client_of):
    coordinator = user_of("coordinator-1")
    event = _athens_visit(user_of)  # past: 2017
    for transition in (EventTransition.HOLD, EventTransition.REPORT):
        with pytest.raises(DomainError, match="cannot be changed"):
            event_transition(actor=coordinator, event=event, transition=transition)
    url = reverse("visits:status", args=["cities-grow", event.pk])
    assert client_of("coordinator-1").post(url, {"transition": "hold"}).status_code == 400
    event.refresh_from_db()
    assert event.status == EventStatus.PLANNED


def test_holding_needs_the_attendance_and_reporting_the_report(user_of):
    coordinator = user_of("coordinator-1")
    event = confirm(_athens_visit(user_of))
    with pytest.raises(DomainError, match="Invite the participants"):
        event_transition(actor=coordinator, event=event, transition=EventTransition.HOLD)
    participant_invite(actor=coordinator, event=event, person=coordinator.person)
    with pytest.raises(DomainError, match="attendance of every participant"):
        event_transition(actor=coordinator, event=event, transition=EventTransition.HOLD)
    event.participants.update(attended=False)
    with pytest.raises(DomainError, match="No one attended"):
        event_transition(actor=coordinator, event=event, transition=EventTransition.HOLD)
    event.participants.update(attended=True)
    event_transition(actor=coordinator, event=event, transition=EventTransition.HOLD)
    assert event.status == EventStatus.HELD
    with pytest.raises(DomainError, match="Submit the visit report"):
        event_transition(actor=coordinator, event=event, transition=EventTransition.REPORT)
    with pytest.raises(DomainError, match="cannot be changed"):
        event_transition(
            actor=coordinator, event=event, transition=EventTransition.CANCEL, comment="Late"
        )


def test_the_machine_refuses_what_does_not_follow(user_of, monkeypatch):
    coordinator = user_of("coordinator-1")
    future = _athens_visit(user_of)
    # Before the visit: it cannot have been held yet.
    monkeypatch.setattr("visits.workflow.timezone.now", lambda: datetime(2017, 6, 1, tzinfo=UTC))
    confirm(future)
    with pytest.raises(DomainError, match="has not begun"):
        event_transition(actor=coordinator, event=future, transition=EventTransition.HOLD)
    with pytest.raises(DomainError, match="Say why"):
        event_transition(actor=coordinator, event=future, transition=EventTransition.CANCEL)
    event_transition(
        actor=coordinator, event=future, transition=EventTransition.CANCEL, comment="Strike"
    )
    assert (future.status, future.status_comment) == ("cancelled", "Strike")
    for transition in (EventTransition.CONFIRM, EventTransition.CANCEL, EventTransition.REPORT):
        with pytest.raises(DomainError, match="cannot be changed"):
            event_transition(
                actor=coordinator, event=future, transition=transition, comment="again"
            )
    event_transition(actor=coordinator, event=future, transition=EventTransition.REOPEN)
    future.refresh_from_db()
    assert future.status == "planned"
    reasons = [h.history_change_reason for h in future.history.order_by("history_id")]
    assert reasons == ["planned", "confirm", "cancel", "reopen"]


def test_cancelling_needs_a_reason_on_screen_and_shows_it(client_of, user_of):
    event = _athens_visit(user_of)
    client = client_of("coordinator-1")
    url = reverse("visits:status", args=["cities-grow", event.pk])
    refused = client.post(url, {"transition": "cancel", "comment": "  "})
    assert refused.status_code == 400
    assert "Say why, for the participants and the audit file." in refused.content.decode()
    assert (
        client.post(url, {"transition": "cancel", "comment": "Air traffic strike"}).status_code
        == 302
    )
    page = client_of("athens-officer-1").get(
        reverse("visits:event", args=["cities-grow", event.pk])
    )
    html = page.content.decode()
    assert "Cancelled: Air traffic strike" in html
    assert accessibility_problems(html) == []
    assert client.post(url, {"transition": "nonsense"}).status_code == 400


def test_an_event_of_a_pair_a_matching_ended_can_still_be_changed(client_of, user_of):
    """The form offers the current pairs, and an event's own pair even after a re-match ended
    it (marked so): the visit keeps its pair and saves."""
    from programmes.services.pairs import PairSpec, pairs_replace

    event = _athens_visit(user_of)
    programme = event.programme
    current = MentoringPair.objects.current().filter(scheme__programme=programme)
    specs = [
        PairSpec(p.scheme.theme.code, p.mentor.city.slug, p.implementing.city.slug)
        for p in current.select_related("scheme__theme", "mentor__city", "implementing__city")
        if p.pk != event.pair_id
    ]
    pairs_replace(actor=user_of("coordinator-1"), programme=programme, pairs=specs, run_number=9)
    ended = MentoringPair.objects.get(pk=event.pair_id)
    assert ended.ended_on is not None
    client = client_of("coordinator-1")
    new_choices = dict(client.get(NEW).context["form"].fields["pair"].choices)
    assert str(ended.pk) not in new_choices and len(new_choices) == len(specs) + 1  # + "None"
    url = reverse("visits:event_edit", args=["cities-grow", event.pk])
    form = client.get(url).context["form"]
    assert "(ended)" in dict(form.fields["pair"].choices)[str(ended.pk)]
    data = {k: ("" if v is None else str(v)) for k, v in form.initial.items()}
    assert client.post(url, {**data, "venue": "City Hall, Athens"}).status_code == 302
    event.refresh_from_db()
    assert (event.pair_id, event.venue) == (ended.pk, "City Hall, Athens")


# ---------------------------------------------------------------- finding whom to invite


def _members(programme, n):
    """n more people of the programme, in one city, named Tester 000… (for the search)."""
    from programmes.models import City, Membership

    athens = City.objects.get(slug="athens")
    organisation = Person.objects.filter(memberships__city=athens).first().organisation
    people = Person.objects.bulk_create(
        Person(
            first_name=f"Tester{k:03d}",
            last_name="Scale",
            email=f"tester{k:03d}@example.org",
            organisation=organisation,
        )
        for k in range(n)
    )
    Membership.objects.bulk_create(
        Membership(person=p, programme=programme, city=athens, role="city_officer") for p in people
    )
    return people


def test_typing_a_name_invites_the_only_match_or_lists_the_matches(client_of, user_of):
    """Without JavaScript: the typed words find the person (name, e-mail or organisation);
    one match is invited, several are listed to choose from with what was typed kept."""
    event = _athens_visit(user_of)
    url = reverse("visits:participant_add", args=["cities-grow", event.pk])
    client = client_of("coordinator-1")
    nicosia = Person.objects.get(email=email_of("nicosia-officer-1"))
    assert client.post(url, {"who": f"  {nicosia.last_name.upper()} "}).status_code == 302
    assert event.participants.filter(person=nicosia).exists()
    # Already invited: not found again.
    again = client.post(url, {"who": nicosia.last_name})
    assert again.status_code == 400
    assert "Nobody who can still be invited matches" in again.content.decode()
    # Several: listed as radio buttons, the text kept; choosing one invites them.
    athens = list(
        Person.objects.filter(memberships__city__slug="athens")
        .exclude(participations__event=event)
        .distinct()
    )
    assert len(athens) >= 2
    several = client.post(url, {"who": "athens"})
    page = several.content.decode()
    assert several.status_code == 400 and "Several people match: choose one below." in page
    assert 'value="athens"' in page
    for person in athens:
        assert f'name="person" value="{person.pk}"' in page
    assert accessibility_problems(page) == []
    assert client.post(url, {"who": "athens", "person": athens[0].pk}).status_code == 302
    assert event.participants.filter(person=athens[0]).exists()


def test_the_search_endpoint_answers_coordinators_within_the_programme(client_of, user_of):
    event = _athens_visit(user_of)
    _members(event.programme, 30)
    url = reverse("visits:invitable", args=["cities-grow", event.pk])
    answer = client_of("coordinator-1").get(url, {"q": "tester scale"}).json()
    assert len(answer["results"]) == 20 and answer["more"] is True
    assert answer["results"][0]["label"].startswith("Tester000 Scale (")
    assert client_of("coordinator-1").get(url, {"q": "tester029"}).json() == {
        "results": [
            {
                "id": Person.objects.get(first_name="Tester029").pk,
                "label": answer["results"][0]["label"].replace("000", "029"),
            }
        ],
        "more": False,
    }
    assert client_of("coordinator-1").get(url).json() == {"results": [], "more": False}
    # Nobody else learns who is in the programme through it.
    assert client_of("athens-officer-1").get(url, {"q": "tester"}).status_code == 404


def test_the_event_page_does_not_grow_with_the_programmes_people(client_of, user_of):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    event = _athens_visit(user_of)
    url = reverse("visits:event", args=["cities-grow", event.pk])
    client = client_of("coordinator-1")

    def measure():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200 and "Invite one person" in response.content.decode()
        return len(queries), len(response.content)

    queries, size = measure()
    _members(event.programme, 400)
    assert measure() == (queries, size)
