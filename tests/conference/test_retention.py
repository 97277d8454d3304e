"""The retention erase: from the day after `retention_until` on the conference's clocks, the
delegates' names, addresses and needs are gone from the registrations, from their history and
from the outbox; the day before, nothing changes; the conference's figures count the same; a
second run changes nothing; the erase is on the conference's audit trail."""

from collections import Counter
from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from conference.models import Attendance, Conference, Registration
from conference.services import delegation_register, register, registration_cancel
from conference.services.retention import (
    conference_data_erase,
    erased_email,
    expired_conferences_erase,
)
from notifications.models import OutgoingEmail
from programmes.models import City, Person
from tests.conference.builders import delegate, icc, workshop
from tests.conftest import email_of

pytestmark = pytest.mark.django_db

ROME = ZoneInfo("Europe/Rome")
UTC = ZoneInfo("UTC")
# retention_until is 8 May 2019: 22:30 UTC that day is already the 9th in Milan (CEST).
LAST_KEPT_MOMENT = datetime(2019, 5, 8, 23, 59, tzinfo=ROME)
FIRST_ERASE_MOMENT = datetime(2019, 5, 8, 22, 30, tzinfo=UTC)
PERSONAL = ("first_name", "last_name", "email", "organisation", "role", "dietary_needs")


def _figures(conference: Conference) -> dict[str, Counter]:
    rows = list(
        conference.registrations.values_list(
            "status", "level", "country", "delegation_id", "travel_eligible", "delegate_kind"
        )
    )
    return {
        "status": Counter(r[0] for r in rows),
        "level": Counter(r[1] for r in rows),
        "country": Counter(r[2] for r in rows),
        "delegation": Counter(r[3] for r in rows),
        "travel": Counter(r[4] for r in rows),
        "kind": Counter(r[5] for r in rows),
        "attendance": Counter(
            Attendance.objects.filter(registration__conference=conference).values_list(
                "registration_id", flat=True
            )
        ),
    }


@pytest.fixture
def conference(user_of, django_capture_on_commit_callbacks):
    conference = icc(capacity=4)
    jobs = workshop(conference)
    athens = City.objects.get(slug="athens")
    officer = Person.objects.get(email=email_of("athens-officer-1"))
    with django_capture_on_commit_callbacks(execute=True):
        public = [
            register(
                conference=conference,
                data=delegate(
                    n,
                    country=country,
                    level=level,
                    role="Adviser",
                    dietary_needs="Vegetarian",
                    access_needs="Step-free access",
                    consent_listed=True,
                    consent_photos=True,
                    session_ids=(jobs.pk,),
                ),
            )
            for n, (country, level) in enumerate(
                [("IT", "local"), ("DE", "national"), ("FR", "civil_society")]
            )
        ]
        delegation_register(
            actor=user_of("athens-officer-1"),
            conference=conference,
            city=athens,
            delegates=[
                delegate(
                    10,
                    first_name=officer.first_name,
                    last_name=officer.last_name,
                    email=officer.email,
                    country="GR",
                    delegate_kind="officer",
                    person_id=officer.pk,
                ),
                delegate(11, country="GR", delegate_kind="politician"),
            ],
        )
        registration_cancel(raw_token=public[1].token)
    for registration in conference.registrations.filter(status="confirmed")[:2]:
        Attendance.objects.create(
            registration=registration,
            day=date(2018, 11, 7),
            recorded_at=datetime(2018, 11, 7, 9, tzinfo=ROME),
        )
    return conference


def _personal(conference: Conference) -> list[tuple]:
    return list(conference.registrations.order_by("pk").values_list(*PERSONAL))


def test_before_the_day_after_retention_nothing_is_erased(conference):
    before = _personal(conference)
    history = Registration.history.filter(conference_id=conference.pk).count()
    emails = OutgoingEmail.objects.count()

    result = conference_data_erase(conference=conference, now=LAST_KEPT_MOMENT)

    assert (result.registrations, result.history_rows, result.emails) == (0, 0, 0)
    assert _personal(conference) == before
    assert ("Delegate0", "Test", "delegate0@example.org") in [p[:3] for p in before]
    assert Registration.history.filter(conference_id=conference.pk).count() == history > 0
    assert OutgoingEmail.objects.count() == emails
    assert expired_conferences_erase(now=LAST_KEPT_MOMENT) == []


def test_after_retention_the_personal_data_is_gone_and_the_figures_stay(conference):
    figures = _figures(conference)
    addresses = set(conference.registrations.values_list("email", flat=True))
    names = {"Delegate0", "Delegate1", "Delegate2", "Delegate10", "Delegate11", "Eleni"}
    assert OutgoingEmail.objects.filter(to_address__in=addresses).exists()
    reasons_before = conference.history.count()

    [result] = expired_conferences_erase(now=FIRST_ERASE_MOMENT)

    assert result.conference.pk == conference.pk
    assert result.registrations == 5
    assert result.emails >= 5
    rows = list(conference.registrations.order_by("pk"))
    for registration in rows:
        assert registration.first_name == registration.last_name == "Erased"
        assert registration.email == erased_email(registration.pk)
        assert registration.organisation == registration.role == ""
        assert registration.dietary_needs == registration.access_needs == ""
        assert registration.person_id is None
        assert not registration.consent_listed and not registration.consent_photos
    # Nothing left of them in their history or in the outbox.
    assert not Registration.history.filter(id__in=[r.pk for r in rows]).exists()
    assert not OutgoingEmail.objects.filter(to_address__in=addresses).exists()
    assert not Registration.objects.filter(first_name__in=names).exists()
    # The figures count the same: places, levels, countries, delegations, travel, attendance.
    assert _figures(conference) == figures
    assert figures["status"] == Counter({"confirmed": 4, "cancelled": 1})
    assert figures["country"]["GR"] == 2
    # The person stays a programme member; only the link from the registration went.
    assert Person.objects.filter(email=email_of("athens-officer-1")).exists()
    # Audited on the conference: who (the queue: nobody), what and how many.
    assert conference.history.count() == reasons_before + 1
    audit = conference.history.order_by("-history_date", "-history_id").first()
    assert audit.history_change_reason == "retention: personal data of 5 registrations erased"


def test_a_second_run_changes_nothing(conference):
    conference_data_erase(conference=conference, now=FIRST_ERASE_MOMENT)
    erased = _personal(conference)
    audits = conference.history.count()

    again = conference_data_erase(conference=conference, now=FIRST_ERASE_MOMENT)

    assert (again.registrations, again.history_rows, again.emails) == (0, 0, 0)
    assert _personal(conference) == erased
    assert conference.history.count() == audits
    assert expired_conferences_erase(now=FIRST_ERASE_MOMENT) == []


def test_the_command_erases_the_conferences_past_their_retention(conference):
    out = StringIO()
    call_command("erase_conference_data", stdout=out)
    assert "icc-viii: 5 registrations erased" in out.getvalue()
    assert set(conference.registrations.values_list("first_name", flat=True)) == {"Erased"}
