"""Hours on other grants: declared by the person or their city's finance contact with a reference
and evidence, read like a salary (a 404 outside), audited; the productive-hours cap counts them
with the platform's hours, and re-checks when a declaration, a rate's productive hours or the
programme's default would pass it.

By hand (athens-officer-1, 2017, no rate: the programme's 1,720 productive hours by default):
10 hours recorded + 1,700 declared = 1,710; one more declaration of 11 hours gives 1,721 > 1,720.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.errors import ConcurrentEditError, DomainError
from finance.models import OtherGrantHours, StaffRate
from finance.services.hours_cap import cap_problems
from finance.services.other_grants import (
    OtherGrantInput,
    other_grant_change,
    other_grant_declare,
    other_grant_remove,
)
from finance.services.rates import staff_rate_save
from finance.services.timesheets import EntryInput, timesheet_open, timesheet_save
from programmes.models import Person, Programme
from tests import upload_samples

pytestmark = pytest.mark.django_db
D = Decimal


def _programme():
    return Programme.objects.get(slug="cities-grow")


def _person(user_of, key):
    return Person.objects.get(user=user_of(key))


def _evidence(name="esf-timesheet-2017.pdf"):
    return SimpleUploadedFile(name, upload_samples.pdf("ESF timesheet 2017"), "application/pdf")


def _declare(user_of, actor_key, person_key, hours, grant="ESF Inclusion", year=2017, month=None):
    return other_grant_declare(
        actor=user_of(actor_key),
        programme=_programme(),
        person=_person(user_of, person_key),
        data=OtherGrantInput(
            year=year, grant=grant, reference="ESF-2016-GR-0042", hours=D(hours), month=month
        ),
        evidence=_evidence(),
    )


def _hours(user_of, key, hours_a_day, days=range(6, 8)):
    officer = user_of(key)
    sheet = timesheet_open(actor=officer, programme=_programme(), month=date(2017, 3, 1))
    entries = [EntryInput(date(2017, 3, d), "action_planning", D(hours_a_day)) for d in days]
    return timesheet_save(
        actor=officer,
        timesheet=sheet,
        entries=entries,
        days=[e.day for e in entries],
        revision=sheet.revision,
    )


def test_a_declaration_that_passes_the_productive_hours_is_refused(user_of):
    _hours(user_of, "athens-officer-1", "5")  # 10 hours on the platform
    first = _declare(user_of, "athens-officer-1", "athens-officer-1", "1700")
    assert first.declared_by == user_of("athens-officer-1") and first.evidence_name
    with pytest.raises(DomainError) as refused:
        _declare(user_of, "athens-officer-1", "athens-officer-1", "11", grant="Horizon")
    message = refused.value.message
    assert "2017 total across all grants to 1,721 hours, above their 1,720 productive" in message
    assert refused.value.field_errors == {"hours": "Above the productive hours of the year."}
    assert list(OtherGrantHours.objects.values_list("grant", flat=True)) == ["ESF Inclusion"]
    assert _declare(user_of, "athens-officer-1", "athens-officer-1", "10", grant="Horizon")


def test_a_timesheet_is_refused_when_other_grant_hours_fill_the_year(user_of):
    _declare(user_of, "athens-officer-1", "athens-officer-1", "1700")
    _declare(user_of, "athens-officer-1", "athens-officer-1", "15", month=date(2017, 2, 9))
    declared = OtherGrantHours.objects.get(hours=15)
    assert declared.month == date(2017, 2, 1)  # kept as the month's first day
    with pytest.raises(DomainError) as refused:
        _hours(user_of, "athens-officer-1", "3")  # 6 hours: 1,721
    assert "to 1,721, above your 1,720 productive hours" in refused.value.message
    assert _hours(user_of, "athens-officer-1", "2.5").entries.count() == 2  # 1,720 exactly


def test_a_change_rechecks_the_cap_and_a_stale_or_outside_change_is_refused(user_of):
    declaration = _declare(user_of, "athens-officer-1", "athens-officer-1", "1000")
    change = OtherGrantInput(year=2017, grant="ESF", reference="ESF-1", hours=D("1721"))
    with pytest.raises(DomainError) as refused:
        other_grant_change(
            actor=user_of("athens-officer-1"),
            programme=_programme(),
            declaration=declaration,
            data=change,
            evidence=None,
            revision=declaration.revision,
        )
    assert "1,721 hours, above their 1,720" in refused.value.message  # its own 1,000 not counted
    lower = OtherGrantInput(year=2017, grant="ESF", reference="ESF-1", hours=D("1200"))
    changed = other_grant_change(
        actor=user_of("athens-approver-admin"),  # the city's finance contact
        programme=_programme(),
        declaration=declaration,
        data=lower,
        evidence=None,
        revision=declaration.revision,
    )
    assert changed.hours == D("1200") and changed.revision == 2 and changed.evidence_name
    with pytest.raises(ConcurrentEditError):
        other_grant_change(
            actor=user_of("athens-officer-1"),
            programme=_programme(),
            declaration=changed,
            data=lower,
            evidence=None,
            revision=1,
        )
    for outsider in ("athens-officer-2", "riga-approver-admin", "auditor-1", "coordinator-1"):
        with pytest.raises(DomainError):
            other_grant_remove(
                actor=user_of(outsider),
                programme=_programme(),
                declaration=changed,
                revision=changed.revision,
            )
    other_grant_remove(
        actor=user_of("finance-1"),
        programme=_programme(),
        declaration=changed,
        revision=changed.revision,
    )
    assert not OtherGrantHours.objects.exists()
    trail = list(
        OtherGrantHours.history.order_by("history_date").values_list(
            "history_user__username", "history_change_reason", "hours"
        )
    )
    assert [(who, why) for who, why, _h in trail] == [
        (user_of("athens-officer-1").username, "declared"),
        (user_of("athens-approver-admin").username, "changed"),
        (user_of("finance-1").username, "removed"),
    ]


def test_a_declaration_needs_its_reference_evidence_and_a_year_of_the_programme(user_of):
    with pytest.raises(DomainError) as refused:
        other_grant_declare(
            actor=user_of("athens-officer-1"),
            programme=_programme(),
            person=_person(user_of, "athens-officer-1"),
            data=OtherGrantInput(
                year=2025, grant=" ", reference="", hours=D("10"), month=date(2017, 3, 1)
            ),
            evidence=None,
        )
    assert set(refused.value.field_errors) == {"year", "month", "grant", "reference", "evidence"}
    with pytest.raises(DomainError) as refused:
        _declare(user_of, "athens-officer-1", "athens-officer-1", "745", month=date(2017, 3, 1))
    assert refused.value.field_errors == {"hours": "Give between 0.01 and 744 hours."}


def test_lowering_productive_hours_below_the_recorded_and_declared_is_refused(user_of):
    _hours(user_of, "athens-officer-1", "5")  # 10 hours
    _declare(user_of, "athens-officer-1", "athens-officer-1", "1500")
    person = _person(user_of, "athens-officer-1")

    def save(hours):
        return staff_rate_save(
            actor=user_of("athens-approver-admin"),
            programme=_programme(),
            person=person,
            year=2017,
            currency="EUR",
            annual_cost=D("30000"),
            productive_hours=D(hours),
            justification="Part-time contract (87%).",
        )

    with pytest.raises(DomainError) as refused:
        save("1509")
    assert refused.value.field_errors == {
        "productive_hours": f"{person.full_name} already has 1,510 hours recorded and declared "
        "in 2017, across all grants: the productive hours cannot be fewer."
    }
    assert not StaffRate.objects.exists()
    assert save("1510").productive_hours == D("1510")


def test_cap_problems_name_who_would_pass_a_lowered_default(user_of):
    programme = _programme()
    _declare(user_of, "athens-officer-1", "athens-officer-1", "1640")
    _hours(user_of, "athens-officer-1", "5")  # 1,650 hours in 2017
    _declare(user_of, "riga-officer-1", "riga-officer-1", "1700")
    staff_rate_save(  # Riga's officer has their own productive hours: the default is not theirs
        actor=user_of("finance-1"),
        programme=programme,
        person=_person(user_of, "riga-officer-1"),
        year=2017,
        currency="EUR",
        annual_cost=D("21300"),
    )
    athens = _person(user_of, "athens-officer-1")
    assert cap_problems(programme, D("1600")) == [
        f"{athens.full_name}, 2017: 1,650 hours recorded, above 1,600 productive hours"
    ]
    assert cap_problems(programme, D("1650")) == []
    assert cap_problems(programme, programme.default_productive_hours) == []


# ---------------------------------------------------------------- screens


def _own_url():
    return reverse("finance:other_grants", args=["cities-grow"])


def _person_url(person):
    return reverse("finance:person_other_grants", args=["cities-grow", person.pk])


def _form(**values):
    return {
        "year": "2017",
        "month": "",
        "grant": "ESF Inclusion",
        "reference": "ESF-2016-GR-0042",
        "hours": "120",
        "evidence": _evidence(),
        **values,
    }


def test_a_person_declares_from_their_timesheet_with_the_evidence_file(client_of, user_of):
    client = client_of("athens-officer-1")
    week = client.get(reverse("finance:week", args=["cities-grow", 2017, 3])).content.decode()
    assert _own_url() in week
    page = client.get(_own_url())
    assert page.status_code == 200 and 'enctype="multipart/form-data"' in page.content.decode()
    refused = client.post(_own_url(), _form(hours="1721", reference="ESF-typed"))
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "Above the productive hours of the year." in html and 'value="ESF-typed"' in html
    assert client.post(_own_url(), _form()).status_code == 302
    declaration = OtherGrantHours.objects.get()
    assert declaration.evidence_name == "esf-timesheet-2017.pdf"
    assert declaration.declared_by == user_of("athens-officer-1")
    html = client.get(_own_url()).content.decode()
    evidence_url = reverse("finance:other_grant_evidence", args=["cities-grow", declaration.pk])
    assert evidence_url in html and "ESF-2016-GR-0042" in html
    served = client.get(evidence_url)
    assert served.status_code == 200 and served["Content-Type"] == "application/pdf"
    assert b"".join(served.streaming_content) == upload_samples.pdf("ESF timesheet 2017")
    detail = reverse("finance:other_grant", args=["cities-grow", declaration.pk])
    assert "declared" in client.get(detail).content.decode()  # the audit trail
    changed = client.post(detail, {**_form(hours="100"), "evidence": "", "revision": "1"})
    assert changed.status_code == 302
    declaration.refresh_from_db()
    assert declaration.hours == D("100") and declaration.evidence_name  # the evidence kept
    stale = client.post(detail, {**_form(hours="90"), "evidence": "", "revision": "1"})
    assert stale.status_code == 409 and 'value="90"' in stale.content.decode()


def test_declarations_are_read_like_salaries(client_of, user_of):
    riga = _person(user_of, "riga-officer-1")
    declaration = _declare(user_of, "riga-officer-1", "riga-officer-1", "300")
    urls = [
        _person_url(riga),
        reverse("finance:other_grant", args=["cities-grow", declaration.pk]),
        reverse("finance:other_grant_evidence", args=["cities-grow", declaration.pk]),
    ]
    for key in ("athens-officer-1", "athens-approver-admin", "riga-officer-2", "coordinator-1"):
        client = client_of(key)
        for url in urls:
            assert client.get(url).status_code == 404, (key, url)
        assert client.post(urls[0], _form()).status_code == 404, key
        remove = reverse("finance:other_grant_remove", args=["cities-grow", declaration.pk])
        assert client.post(remove, {"revision": "1"}).status_code == 404, key
    for key in ("riga-officer-1", "riga-approver-admin", "finance-1", "auditor-1"):
        client = client_of(key)
        for url in urls:
            response = client.get(url)
            if response.streaming:  # the evidence file: read to the end, which closes it
                b"".join(response.streaming_content)  # (a bare close() would end the database
                # connection on PostgreSQL, as the end of a request does)
            assert response.status_code == 200, (key, url)
    # The auditor reads but declares nothing: no form, and a post is refused.
    auditor = client_of("auditor-1")
    assert "Declare the hours" not in auditor.get(urls[0]).content.decode()
    assert auditor.post(urls[0], _form()).status_code == 400
    assert OtherGrantHours.objects.count() == 1


def test_the_city_finance_contact_declares_for_their_people_from_the_rates_page(client_of, user_of):
    riga = _person(user_of, "riga-officer-1")
    contact = client_of("riga-approver-admin")
    rates = contact.get(reverse("finance:salaries", args=["cities-grow"])).content.decode()
    assert _person_url(riga) in rates
    assert contact.post(_person_url(riga), _form(hours="80")).status_code == 302
    declaration = OtherGrantHours.objects.get()
    assert declaration.person == riga and declaration.declared_by == user_of("riga-approver-admin")
    assert declaration.history.get().history_user == user_of("riga-approver-admin")
