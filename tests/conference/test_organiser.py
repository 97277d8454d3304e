"""The organisers' screens: the coordinators create and set up the conference, its sessions,
speakers and the cities' quotas; a capacity never falls below the confirmed places and a raised
one moves the waiting list up (with an e-mail); a stale save is refused and keeps what was
typed; moving a session bumps its calendar sequence and tells those who hold it; the auditors
read the registrations but change nothing; everyone else gets a 404."""

from datetime import date

import pytest
from django.urls import reverse

from conference.choices import PlaceStatus
from conference.models import Conference, Delegation, Registration, Session, Speaker
from conference.services import delegation_register, register
from conference.services.organising import (
    ConferenceInput,
    SessionInput,
    conference_update,
    delegation_quota_set,
    session_delete,
    session_save,
)
from core.errors import ConcurrentEditError, DomainError
from notifications.models import OutgoingEmail
from programmes.models import City, Person, Programme
from tests.conference.builders import delegate, icc, milan, workshop
from tests.conftest import email_of
from tests.factories import account_for, build_programme
from tests.html_checks import accessibility_problems
from visits.models import Event

pytestmark = pytest.mark.django_db


def _settings(conference: Conference, **changes) -> ConferenceInput:
    values = {
        "slug": conference.slug,
        "capacity": conference.capacity,
        "retention_until": conference.retention_until,
        "introduction": conference.introduction,
        "registration_open": conference.registration_open,
        "asked_fields": tuple(conference.asked_fields),
        "delegation_quota": conference.delegation_quota,
        "revision": conference.revision,
    }
    values.update(changes)
    return ConferenceInput(**values)


def _coordinator(user_of):
    return user_of("coordinator-1")


def _slot(session: Session, **changes) -> SessionInput:
    values = {
        "kind": session.kind,
        "title": session.title,
        "starts_at": session.starts_at,
        "ends_at": session.ends_at,
        "room": session.room,
        "capacity": session.capacity,
    }
    values.update(changes)
    return SessionInput(**values)


# ---------------------------------------------------------------- services


def test_capacity_below_the_confirmed_places_is_refused(user_of):
    conference = icc(capacity=3)
    for n in range(3):
        register(conference=conference, data=delegate(n))
    with pytest.raises(DomainError, match="3 places are confirmed") as refusal:
        conference_update(
            actor=_coordinator(user_of),
            conference=conference,
            data=_settings(conference, capacity=2),
        )
    assert "capacity" in refusal.value.field_errors
    assert Conference.objects.get(pk=conference.pk).capacity == 3


def test_raising_capacity_moves_the_waiting_list_up_and_emails_them(
    user_of, django_capture_on_commit_callbacks
):
    conference = icc(capacity=1)
    placed = [register(conference=conference, data=delegate(n)) for n in range(4)]
    OutgoingEmail.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        changed = conference_update(
            actor=_coordinator(user_of),
            conference=conference,
            data=_settings(conference, capacity=3),
        )
    statuses = [Registration.objects.get(pk=p.registration.pk).status for p in placed]
    assert statuses == ["confirmed", "confirmed", "confirmed", "waiting"]  # the longest waiting
    sent = OutgoingEmail.objects.all()
    assert sorted(e.to_address for e in sent) == ["delegate1@example.org", "delegate2@example.org"]
    assert all("A place is yours" in e.subject for e in sent)
    assert changed.revision == 2
    assert changed.history.first().history_user == _coordinator(user_of)


def test_a_stale_revision_is_refused(user_of):
    conference = icc()
    coordinator = _coordinator(user_of)
    conference_update(
        actor=coordinator, conference=conference, data=_settings(conference, capacity=20)
    )
    with pytest.raises(ConcurrentEditError):
        conference_update(
            actor=coordinator, conference=conference, data=_settings(conference, capacity=30)
        )
    assert Conference.objects.get(pk=conference.pk).capacity == 20


def test_retention_must_come_after_the_conference(user_of):
    conference = icc()
    with pytest.raises(DomainError) as refusal:
        conference_update(
            actor=_coordinator(user_of),
            conference=conference,
            data=_settings(conference, retention_until=date(2018, 11, 8)),
        )
    assert "retention_until" in refusal.value.field_errors


def test_an_auditor_cannot_organise(user_of):
    conference = icc()
    with pytest.raises(DomainError, match="coordinators"):
        conference_update(
            actor=user_of("auditor-1"), conference=conference, data=_settings(conference)
        )


def test_moving_a_session_bumps_its_sequence_and_emails_those_who_hold_it(
    user_of, django_capture_on_commit_callbacks
):
    conference = icc(capacity=10, workshop_places=2)
    jobs = workshop(conference)
    for n in range(3):
        register(conference=conference, data=delegate(n, session_ids=(jobs.pk,)))
    other = register(conference=conference, data=delegate(9))
    OutgoingEmail.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        moved = session_save(
            actor=_coordinator(user_of),
            conference=conference,
            session=jobs,
            data=_slot(jobs, room="Room C"),
        )
    assert moved.ical_sequence == 1
    # The two with a confirmed place are told; the one waiting and the one elsewhere are not.
    sent = OutgoingEmail.objects.all()
    assert sorted(e.to_address for e in sent) == ["delegate0@example.org", "delegate1@example.org"]
    assert all("Your sessions have changed" in e.subject for e in sent)
    assert "SEQUENCE:1" in sent[0].calendar and "Room C" in sent[0].calendar
    assert other.registration.email not in {e.to_address for e in sent}

    # A plenary (not chosen) moved: every confirmed delegate is told.
    opening = conference.sessions.get(title="Opening")
    OutgoingEmail.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        session_save(
            actor=_coordinator(user_of),
            conference=conference,
            session=opening,
            data=_slot(opening, starts_at=milan(9, minute=15)),
        )
    assert OutgoingEmail.objects.count() == 4
    # A change of title only does not move it.
    OutgoingEmail.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        again = session_save(
            actor=_coordinator(user_of),
            conference=conference,
            session=opening,
            data=_slot(Session.objects.get(pk=opening.pk), title="Welcome"),
        )
    assert again.ical_sequence == 1 and OutgoingEmail.objects.count() == 0


def test_session_rules(user_of):
    conference = icc()
    coordinator = _coordinator(user_of)
    base = SessionInput(
        kind="plenary", title="Closing", starts_at=milan(16, day=8), ends_at=milan(17, day=8)
    )
    outside = SessionInput(
        kind="plenary", title="Closing", starts_at=milan(16, day=9), ends_at=milan(17, day=9)
    )
    with pytest.raises(DomainError, match="during the conference"):
        session_save(actor=coordinator, conference=conference, data=outside)
    with pytest.raises(DomainError, match="Only workshops and site visits"):
        session_save(
            actor=coordinator,
            conference=conference,
            data=SessionInput(**{**base.__dict__, "capacity": 30}),
        )
    speaker = Speaker.objects.create(conference=conference, name="A. Mayor", level="local")
    closing = session_save(
        actor=coordinator,
        conference=conference,
        data=SessionInput(**{**base.__dict__, "chair_ids": (speaker.pk,)}),
    )
    assert [(r.speaker.name, r.role) for r in closing.roles.all()] == [("A. Mayor", "chair")]
    assert closing.history.first().history_user == coordinator


def test_a_full_session_raised_moves_its_waiting_list_up(user_of):
    conference = icc(capacity=10, workshop_places=2)
    jobs = workshop(conference)
    coordinator = _coordinator(user_of)
    placed = [
        register(conference=conference, data=delegate(n, session_ids=(jobs.pk,))) for n in range(3)
    ]
    with pytest.raises(DomainError, match="2 places are confirmed already"):
        session_save(
            actor=coordinator, conference=conference, session=jobs, data=_slot(jobs, capacity=1)
        )
    with pytest.raises(DomainError, match="it stays a workshop"):
        session_save(
            actor=coordinator,
            conference=conference,
            session=jobs,
            data=_slot(jobs, kind="panel", capacity=None),
        )
    assert placed[2].registration.choices.get().status == PlaceStatus.WAITING
    session_save(
        actor=coordinator, conference=conference, session=jobs, data=_slot(jobs, capacity=3)
    )
    assert placed[2].registration.choices.get().status == PlaceStatus.CONFIRMED


def test_a_chosen_session_cannot_be_removed(user_of):
    conference = icc()
    jobs = workshop(conference)
    register(conference=conference, data=delegate(1, session_ids=(jobs.pk,)))
    with pytest.raises(DomainError, match="Delegates have chosen"):
        session_delete(actor=_coordinator(user_of), session=jobs)
    housing = workshop(conference, "Housing first")
    session_delete(actor=_coordinator(user_of), session=housing)
    assert not Session.objects.filter(pk=housing.pk).exists()


def test_a_city_quota_cannot_fall_below_its_registered_delegates(user_of):
    conference = icc()
    athens = City.objects.get(slug="athens")
    delegation_register(
        actor=_coordinator(user_of),
        conference=conference,
        city=athens,
        delegates=[delegate(n, delegate_kind="officer") for n in range(2)],
    )
    with pytest.raises(DomainError, match="registered 2 delegates already"):
        delegation_quota_set(
            actor=_coordinator(user_of), conference=conference, city=athens, quota=1
        )
    delegation_quota_set(actor=_coordinator(user_of), conference=conference, city=athens, quota=5)
    assert Delegation.objects.get(conference=conference, city=athens).quota == 5


# ---------------------------------------------------------------- views


def _url(name, conference, *args):
    return reverse(f"conference:{name}", args=[conference.slug, *args])


def test_organiser_pages_open_to_the_coordinator(client_of):
    conference = icc()
    speaker = Speaker.objects.create(conference=conference, name="A. Mayor", level="local")
    placed = register(
        conference=conference, data=delegate(1, session_ids=(workshop(conference).pk,))
    )
    client = client_of("coordinator-1")
    for name, args in (
        ("organise_speaker_edit", (speaker.pk,)),
        ("organise_registration", (placed.registration.pk,)),
        ("organise", ()),
        ("organise_settings", ()),
        ("organise_sessions", ()),
        ("organise_session_new", ()),
        ("organise_session_edit", (workshop(conference).pk,)),
        ("organise_session_delete", (workshop(conference).pk,)),
        ("organise_speakers", ()),
        ("organise_speaker_new", ()),
        ("organise_delegations", ()),
        ("organise_registrations", ()),
    ):
        response = client.get(_url(name, conference, *args))
        assert response.status_code == 200, name
        assert not accessibility_problems(response.content.decode()), name


def test_city_officers_and_other_programmes_get_404_and_anonymous_logs_in(
    client, client_of, django_user_model
):
    conference = icc()
    placed = register(conference=conference, data=delegate(1))
    urls = [
        _url("organise", conference),
        _url("organise_settings", conference),
        _url("organise_sessions", conference),
        _url("organise_delegations", conference),
        _url("organise_registrations", conference),
        _url("organise_registration", conference, placed.registration.pk),
        reverse("conference:organise_new", args=["cities-grow"]),
    ]
    assert all(client.get(u).status_code == 302 for u in urls)
    build_programme(schemes=1, slug="elsewhere")
    other_coordinator = account_for(Person.objects.get(email="coord0@elsewhere.test.invalid"))
    for user in (
        django_user_model.objects.get(username=email_of("athens-officer-1")),
        other_coordinator,
    ):
        client.force_login(user)
        assert [client.get(u).status_code for u in urls] == [404] * len(urls)


def test_the_auditor_reads_registrations_but_changes_nothing(client_of):
    conference = icc()
    placed = register(conference=conference, data=delegate(1, dietary_needs="Vegetarian"))
    client = client_of("auditor-1")
    assert client.get(_url("organise", conference)).status_code == 200
    detail = client.get(_url("organise_registration", conference, placed.registration.pk))
    assert detail.status_code == 200 and "Vegetarian" in detail.content.decode()
    assert "organise/settings" not in detail.content.decode()
    for name in ("organise_settings", "organise_sessions", "organise_delegations"):
        assert client.get(_url(name, conference)).status_code == 404
    for name in ("organise_settings", "organise_session_new", "organise_delegations"):
        assert client.post(_url(name, conference), {"capacity": "1"}).status_code == 404
    assert Conference.objects.get(pk=conference.pk).capacity == 10


def _settings_post(conference, **changes):
    data = {
        "revision": str(conference.revision),
        "slug": conference.slug,
        "introduction": "Welcome to Milan",
        "capacity": "12",
        "registration_open": "on",
        "closes_day": "2018-11-01",
        "closes_time": "18:00",
        "asked_fields": ["organisation", "access"],
        "delegation_quota": "4",
        "retention_until": "2019-05-08",
    }
    data.update(changes)
    return data


def test_settings_form_saves_in_the_conference_zone(client_of):
    conference = icc()
    client = client_of("coordinator-1")
    response = client.post(_url("organise_settings", conference), _settings_post(conference))
    assert response.status_code == 302
    saved = Conference.objects.get(pk=conference.pk)
    assert saved.capacity == 12 and saved.asked_fields == ["organisation", "access"]
    assert saved.registration_closes_at.isoformat() == "2018-11-01T17:00:00+00:00"  # 18:00 CET


def test_settings_form_refusals_keep_what_was_typed(client_of):
    conference = icc(capacity=2)
    for n in range(2):
        register(conference=conference, data=delegate(n))
    client = client_of("coordinator-1")
    response = client.post(
        _url("organise_settings", conference),
        _settings_post(conference, capacity="1", introduction="Kept text"),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "2 places are confirmed already" in page and "Kept text" in page
    # A stale revision: 409, the other person's values shown, the typed text kept.
    stale = _settings_post(conference, introduction="My version", capacity="30")
    client.post(_url("organise_settings", conference), _settings_post(conference, capacity="20"))
    response = client.post(_url("organise_settings", conference), stale)
    assert response.status_code == 409
    page = response.content.decode()
    assert "My version" in page and "Someone else saved the conference" in page
    assert Conference.objects.get(pk=conference.pk).capacity == 20


def test_session_form_rerenders_with_errors_and_saves(client_of):
    conference = icc()
    client = client_of("coordinator-1")
    data = {
        "kind": "panel",
        "title": "Cities speak",
        "day": "2018-11-10",
        "start": "14:00",
        "end": "15:00",
        "room": "Hall B",
    }
    response = client.post(_url("organise_session_new", conference), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "during the conference" in page and "Cities speak" in page
    response = client.post(_url("organise_session_new", conference), {**data, "day": "2018-11-08"})
    assert response.status_code == 302
    session = conference.sessions.get(title="Cities speak")
    assert session.starts_at == milan(14, day=8)


def test_speaker_and_quota_forms(client_of):
    conference = icc()
    client = client_of("coordinator-1")
    response = client.post(_url("organise_speaker_new", conference), {"name": "", "level": "local"})
    assert response.status_code == 400
    response = client.post(
        _url("organise_speaker_new", conference),
        {
            "name": "Giuseppe Sala",
            "affiliation": "Comune di Milano",
            "level": "local",
            "country": "IT",
        },
    )
    assert response.status_code == 302
    assert Speaker.objects.get(conference=conference).country == "IT"
    athens = City.objects.get(slug="athens")
    response = client.post(
        _url("organise_delegations", conference), {"city": athens.pk, "quota": "-1"}
    )
    assert response.status_code == 400 and 'value="-1"' in response.content.decode()
    response = client.post(
        _url("organise_delegations", conference), {"city": athens.pk, "quota": "6"}
    )
    assert response.status_code == 302
    assert Delegation.objects.get(conference=conference, city=athens).quota == 6


def test_create_a_conference_for_a_conference_event(client_of):
    event = Event.objects.create(
        programme=Programme.objects.get(slug="cities-grow"),
        format="conference",
        title="Final conference",
        starts_at=milan(9),
        ends_at=milan(17, day=8),
        timezone="Europe/Rome",
    )
    client = client_of("coordinator-1")
    url = reverse("conference:organise_new", args=["cities-grow"])
    assert "Final conference" in client.get(url).content.decode()
    data = {
        "event": str(event.pk),
        "slug": "final",
        "capacity": "100",
        "delegation_quota": "3",
        "retention_until": "2018-11-08",
    }
    response = client.post(url, data)
    assert response.status_code == 400 and "Keep the personal data" in response.content.decode()
    response = client.post(url, {**data, "retention_until": "2019-06-01"})
    assert response.status_code == 302
    assert Conference.objects.get(slug="final").event == event
    # From the event's page: its conference opens.
    page = client.get(reverse("visits:event", args=["cities-grow", event.pk])).content.decode()
    link = url + f"?event={event.pk}"
    assert link in page
    response = client.get(link)
    assert response.status_code == 302 and response["Location"].endswith(
        "/conferences/final/organise/"
    )


def test_registrations_list_is_paginated_filtered_and_bounded(
    client_of, django_assert_max_num_queries
):
    conference = icc(capacity=40)
    for n in range(60):
        register(conference=conference, data=delegate(n, organisation=f"Org {n % 3}"))
    athens = City.objects.get(slug="athens")
    delegation_quota_set(
        actor=Person.objects.get(email=email_of("coordinator-1")).user,
        conference=conference,
        city=athens,
        quota=5,
    )
    delegation_register(
        actor=Person.objects.get(email=email_of("coordinator-1")).user,
        conference=conference,
        city=athens,
        delegates=[delegate(100 + n, delegate_kind="officer") for n in range(2)],
    )
    client = client_of("coordinator-1")
    url = _url("organise_registrations", conference)
    client.get(url)  # the session and the viewer warm up
    with django_assert_max_num_queries(14):
        response = client.get(url)
    page = response.content.decode()
    assert "62 registrations" in page and "Page 1 of 2" in page
    with django_assert_max_num_queries(14):
        response = client.get(url, {"status": "waiting"})
    assert "22 registrations" in response.content.decode()
    response = client.get(url, {"city": str(athens.pk)})
    assert "2 registrations" in response.content.decode()
    response = client.get(url, {"q": "delegate7@"})
    assert "1 registration" in response.content.decode()


def test_organiser_lists_are_bounded(client_of, django_assert_max_num_queries, user_of):
    conference = icc()
    coordinator = _coordinator(user_of)
    speakers = [
        Speaker.objects.create(conference=conference, name=f"Speaker {n}", level="local")
        for n in range(20)
    ]
    for n in range(20):
        session_save(
            actor=coordinator,
            conference=conference,
            data=SessionInput(
                kind="panel",
                title=f"Panel {n}",
                starts_at=milan(13, day=7 + n % 2),
                ends_at=milan(14, day=7 + n % 2),
                speaker_ids=(speakers[n].pk,),
            ),
        )
    client = client_of("coordinator-1")
    for name in ("organise_sessions", "organise_speakers", "organise_delegations", "organise"):
        client.get(_url(name, conference))
        with django_assert_max_num_queries(12):
            response = client.get(_url(name, conference))
        assert response.status_code == 200
