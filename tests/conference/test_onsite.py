"""On site: the badges (four A6 to an A4 sheet, confirmed delegates only, every European
alphabet, a signed QR address), check-in on a phone by name or by the badge's code (once a day,
confirmed delegates only, undone on request), presence in a session, and the funder's
participants' lists of a day, which name only the delegates who agreed to be listed. Only the
organisers work on site; the auditors read the lists; everyone else gets a 404."""

import io
from datetime import UTC, date, datetime

import pytest
from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from conference.choices import PlaceStatus
from conference.models import Attendance, Registration
from conference.selectors.onsite import checkin_code, checkin_url
from conference.services import delegation_register, register, registration_cancel
from conference.services.onsite import checkin_record, session_attendance_save
from core.errors import DomainError
from programmes.models import City
from tests.conference.builders import delegate, icc, workshop
from tests.html_checks import accessibility_problems
from tests.tagged_pdf import assert_accessible_pdf, read_tagged_pdf

pytestmark = pytest.mark.django_db

FIRST_DAY, SECOND_DAY = date(2018, 11, 7), date(2018, 11, 8)


def _url(name, *args):
    return reverse(f"conference:{name}", args=["icc-viii", *args])


def _pdf_text(content):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _xlsx_rows(content):
    sheet = load_workbook(io.BytesIO(content)).active
    return [[c for c in row if c not in (None, "")] for row in sheet.iter_rows(values_only=True)]


def _freeze(monkeypatch, moment):
    monkeypatch.setattr("django.utils.timezone.now", lambda: moment)


@pytest.fixture
def coordinator(user_of):
    return user_of("coordinator-1")


@pytest.fixture
def organiser(client_of):
    return client_of("coordinator-1")


def _people(conference, *names, **overrides):
    """Registrations, in order, for (first, last, organisation) triples."""
    placed = []
    for n, (first, last, organisation) in enumerate(names):
        data = delegate(n, first_name=first, last_name=last, organisation=organisation)
        if overrides:
            data = delegate(
                n, first_name=first, last_name=last, organisation=organisation, **overrides
            )
        placed.append(register(conference=conference, data=data))
    return placed


# ---------------------------------------------------------------- badges


def test_badges_print_four_to_a_sheet_confirmed_only_in_every_alphabet(organiser):
    conference = icc(capacity=6)
    placed = _people(
        conference,
        ("Anna", "Kowalska", "Miasto Gdańsk"),
        ("Eleni", "Αθανασίου", "Δήμος Αθηναίων"),
        ("Līga", "Bērziņa", "Rīgas dome"),
        ("Gone", "Cancelled", "Nowhere"),
        ("Marco", "Rossi", "Comune di Milano"),
        ("Eva", "Novak", "Mesto Ljubljana"),
        ("Waiting", "Listed", "Queue"),  # the seventh: no place left
    )
    registration_cancel(raw_token=placed[3].token)  # moves the waiting one up
    waiting = register(
        conference=conference,
        data=delegate(9, first_name="Still", last_name="Waiting", organisation="Queue"),
    )
    assert waiting.registration.status == PlaceStatus.WAITING
    response = organiser.get(_url("onsite_badges_pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    content = response.content
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) == 2  # six confirmed: four on the first sheet, two on the second
    text = _pdf_text(content)
    for name in ("Anna Kowalska", "Miasto Gdańsk", "Αθανασίου", "Δήμος Αθηναίων", "Bērziņa"):
        assert name in text
    assert "Rīgas dome" in text
    assert "Cancelled" not in text and "Still" not in text
    # By last name: Bērziņa, Kowalska, Listed, Novak | Rossi, Αθανασίου.
    first_sheet = reader.pages[0].extract_text()
    assert "Bērziņa" in first_sheet and "Novak" in first_sheet and "Rossi" not in first_sheet
    # Tagged PDF/UA-1 (MarkInfo/Marked, a structure tree), with its language and title, and
    # alternative text on every figure (the QR codes).
    tagged = read_tagged_pdf(content)
    assert tagged.marked and tagged.tags and tagged.language == "en"
    assert tagged.title.startswith("Badges")
    assert tagged.figures_with_alt == tagged.tags["Figure"]


def test_badges_of_five_take_two_sheets_and_filter_by_city_or_numbers(organiser, user_of):
    conference = icc(capacity=20)
    placed = _people(conference, *((f"P{n}", f"Person{n}", "Org") for n in range(5)))
    response = organiser.get(_url("onsite_badges_pdf"))
    assert len(PdfReader(io.BytesIO(response.content)).pages) == 2
    athens = City.objects.get(slug="athens")
    delegation_register(
        actor=user_of("athens-officer-1"),
        conference=conference,
        city=athens,
        delegates=[delegate(50, first_name="Nikos", last_name="Athenian", delegate_kind="officer")],
    )
    page = organiser.get(_url("onsite_badges"))
    assert "Athens" in page.content.decode() and accessibility_problems(page.content.decode()) == []
    by_city = organiser.get(_url("onsite_badges_pdf"), {"city": athens.pk})
    text = _pdf_text(by_city.content)
    assert "Nikos Athenian" in text and "Person0" not in text
    ids = f"{placed[1].registration.pk}, {placed[3].registration.pk}"
    text = _pdf_text(organiser.get(_url("onsite_badges_pdf"), {"ids": ids}).content)
    assert "Person1" in text and "Person3" in text and "Person0" not in text
    nobody = organiser.get(_url("onsite_badges_pdf"), {"ids": "999999"})
    assert nobody["Content-Type"].startswith("text/html")
    assert "no badge to print" in nobody.content.decode()
    refused = organiser.get(_url("onsite_badges_pdf"), {"ids": "12, twelve"})
    assert refused.status_code == 400
    assert "Write registration numbers separated by commas." in refused.content.decode()
    assert "12, twelve" in refused.content.decode()  # what was typed stays


def test_the_qr_address_is_absolute_and_signed(organiser):
    conference = icc()
    (placed,) = _people(conference, ("Anna", "Kowalska", "Gdańsk"))
    registration = placed.registration
    url = checkin_url(registration, conference.slug)
    assert url.startswith(settings.PLATFORM_BASE_URL + "/")
    path = url.removeprefix(settings.PLATFORM_BASE_URL)
    assert path == _url("onsite_checkin_code", checkin_code(registration))
    page = organiser.get(path)
    assert page.status_code == 200
    assert "Anna Kowalska" in page.content.decode()
    assert accessibility_problems(page.content.decode()) == []
    code = checkin_code(registration)
    tampered = code[:-1] + ("A" if code[-1] != "A" else "B")
    assert organiser.get(_url("onsite_checkin_code", tampered)).status_code == 404
    assert organiser.get(_url("onsite_checkin_code", str(registration.pk))).status_code == 404


# ---------------------------------------------------------------- check-in


def test_check_in_by_search_is_idempotent_and_undone(organiser, coordinator, monkeypatch):
    conference = icc()
    anna, _marco = _people(
        conference, ("Anna", "Kowalska", "Miasto Gdańsk"), ("Marco", "Rossi", "Milano")
    )
    _freeze(monkeypatch, datetime(2018, 11, 7, 9, 15, tzinfo=UTC))  # 10:15 in Milan
    page = organiser.get(_url("onsite_checkin"), {"q": "gdańsk"})
    html = page.content.decode()
    assert page.status_code == 200 and accessibility_problems(html) == []
    assert "Anna Kowalska" in html and "Marco Rossi" not in html
    assert "Not checked in yet" in html and "The conference is not on today" not in html
    record = _url("onsite_checkin_record", anna.registration.pk)
    back = _url("onsite_checkin") + "?q=gda%C5%84sk"
    response = organiser.post(record, {"day": "2018-11-07", "next": back}, follow=True)
    assert response.redirect_chain[-1][0] == back
    assert "Anna Kowalska is checked in at 10:15." in response.content.decode()
    assert "Checked in at 10:15" in response.content.decode()
    _freeze(monkeypatch, datetime(2018, 11, 7, 9, 40, tzinfo=UTC))
    again = organiser.post(record, {"day": "2018-11-07", "next": back}, follow=True)
    assert "Anna Kowalska was already checked in at 10:15." in again.content.decode()
    attendance = Attendance.objects.get(registration=anna.registration)
    assert attendance.day == FIRST_DAY and attendance.session is None
    assert attendance.recorded_by == coordinator
    reasons = list(anna.registration.history.values_list("history_change_reason", flat=True))
    assert "Checked in for 2018-11-07" in reasons
    undo = organiser.post(
        _url("onsite_checkin_undo", anna.registration.pk), {"day": "2018-11-07"}, follow=True
    )
    assert "The check-in of Anna Kowalska is undone." in undo.content.decode()
    assert not Attendance.objects.filter(registration=anna.registration).exists()
    # An address elsewhere is not followed back.
    elsewhere = organiser.post(record, {"day": "2018-11-07", "next": "https://evil.example/"})
    assert elsewhere.url == _url("onsite_checkin")


def test_a_waiting_delegate_is_not_checked_in(organiser, coordinator):
    conference = icc(capacity=1)
    _first, waiting = _people(conference, ("Anna", "Kowalska", "X"), ("Wait", "Ing", "Y"))
    assert waiting.registration.status == PlaceStatus.WAITING
    page = organiser.get(_url("onsite_checkin"), {"q": "Ing"}).content.decode()
    assert "On the waiting list: no place, cannot be checked in" in page
    response = organiser.post(
        _url("onsite_checkin_record", waiting.registration.pk), {"day": "2018-11-07"}, follow=True
    )
    assert "Wait Ing is on the waiting list" in response.content.decode()
    assert not Attendance.objects.exists()
    with pytest.raises(DomainError, match="waiting list"):
        checkin_record(actor=coordinator, registration=waiting.registration, day=FIRST_DAY)


def test_out_of_the_conference_the_organiser_chooses_the_day(organiser, monkeypatch):
    conference = icc()
    (anna,) = _people(conference, ("Anna", "Kowalska", "X"))
    _freeze(monkeypatch, datetime(2018, 12, 1, 10, tzinfo=UTC))
    page = organiser.get(_url("onsite_checkin"), {"q": "Anna"}).content.decode()
    assert "The conference is not on today." in page
    assert 'name="day" value="2018-11-07"' in page  # the first day by default
    second = organiser.get(_url("onsite_checkin"), {"q": "Anna", "day": "2018-11-08"})
    assert 'name="day" value="2018-11-08"' in second.content.decode()
    record = _url("onsite_checkin_record", anna.registration.pk)
    refused = organiser.post(record, {"day": "2018-12-01"}, follow=True)
    assert "Choose one of the conference&#x27;s days." in refused.content.decode()
    organiser.post(record, {"day": "2018-11-08"})
    assert Attendance.objects.get(registration=anna.registration).day == SECOND_DAY


def test_check_in_counts_for_the_day_on_the_conference_clocks(organiser, client_of, monkeypatch):
    """23:30 UTC on 7 November is already 8 November in Milan: the check-in counts for the
    8th, and the lists of each day say so."""
    conference = icc()
    anna, marco = _people(
        conference, ("Anna", "Kowalska", "X"), ("Marco", "Rossi", "Y"), consent_listed=True
    )
    _freeze(monkeypatch, datetime(2018, 11, 7, 23, 30, tzinfo=UTC))
    page = organiser.get(_url("onsite_checkin"), {"q": "Anna"}).content.decode()
    assert 'name="day" value="2018-11-08"' in page
    assert '<option value="2018-11-08" selected>' in page  # the search keeps that day
    organiser.post(_url("onsite_checkin_record", anna.registration.pk), {"day": "2018-11-08"})
    _freeze(monkeypatch, datetime(2018, 11, 7, 22, 50, tzinfo=UTC))  # 23:50 on the 7th in Milan
    page = organiser.get(_url("onsite_checkin"), {"q": "Marco"}).content.decode()
    assert 'name="day" value="2018-11-07"' in page
    organiser.post(_url("onsite_checkin_record", marco.registration.pk), {"day": "2018-11-07"})
    auditor = client_of("auditor-1")
    lists = _url("onsite_participants")
    first = auditor.get(
        lists, {"day": "2018-11-07", "variant": "checked-in", "file_format": "xlsx"}
    )
    rows = _xlsx_rows(first.content)
    assert [1, "Marco Rossi", "Y", "Local", "23:50"] in rows
    assert not any("Anna Kowalska" in row for row in rows)
    second = auditor.get(
        lists, {"day": "2018-11-08", "variant": "checked-in", "file_format": "pdf"}
    )
    text = _pdf_text(second.content)
    assert "Anna Kowalska" in text and "00:30" in text and "Marco Rossi" not in text


def test_check_in_search_and_session_pages_keep_their_query_count(
    organiser, django_assert_max_num_queries
):
    conference = icc(capacity=100)
    for n in range(60):
        register(
            conference=conference,
            data=delegate(n, first_name=f"Name{n}", last_name=f"Test{n:02}", consent_listed=True),
        )
    for registration in Registration.objects.all()[:30]:
        Attendance.objects.create(
            registration=registration, day=FIRST_DAY, recorded_at=datetime(2018, 11, 7, tzinfo=UTC)
        )
    plenary = conference.sessions.get(kind="plenary")
    with django_assert_max_num_queries(10):
        page = organiser.get(_url("onsite_checkin"), {"q": "Test"})
    html = page.content.decode()
    assert "60 delegates found" in html and html.count('class="delegate-card"') == 20
    with django_assert_max_num_queries(12):
        page = organiser.get(_url("onsite_session", plenary.pk))
    assert page.content.decode().count('name="present"') == 50
    with django_assert_max_num_queries(11):
        page = organiser.get(_url("onsite_home"))
    assert "30 of 60 checked in" in page.content.decode()


# ---------------------------------------------------------------- sessions


def test_presence_in_a_workshop_is_saved_for_its_delegates(organiser, coordinator):
    conference = icc(workshop_places=2)
    jobs = workshop(conference)
    placed = [
        register(conference=conference, data=delegate(n, session_ids=(jobs.pk,))) for n in range(3)
    ]
    holders = [p.registration for p in placed[:2]]
    waiting = placed[2].registration  # waiting for a place in the workshop
    outsider = register(conference=conference, data=delegate(7)).registration
    page = organiser.get(_url("onsite_session", jobs.pk))
    html = page.content.decode()
    assert accessibility_problems(html) == []
    assert f'value="{holders[0].pk}"' in html and f'value="{waiting.pk}"' not in html
    assert "0 present out of 2" in html
    a, b = holders
    response = organiser.post(
        _url("onsite_session", jobs.pk), {"shown": [a.pk, b.pk], "present": [a.pk]}, follow=True
    )
    assert "1 present out of 2" in response.content.decode()
    assert set(Attendance.objects.filter(session=jobs).values_list("registration", flat=True)) == {
        a.pk
    }
    organiser.post(_url("onsite_session", jobs.pk), {"shown": [a.pk, b.pk], "present": [b.pk]})
    present = Attendance.objects.get(session=jobs)
    assert present.registration == b and present.day == FIRST_DAY
    assert "Attendance: 1 marked present, 1 removed" in jobs.history.values_list(
        "history_change_reason", flat=True
    )
    refused = organiser.post(
        _url("onsite_session", jobs.pk),
        {"shown": [a.pk, outsider.pk], "present": [outsider.pk]},
        follow=True,
    )
    assert "no longer hold a place" in refused.content.decode()
    assert not Attendance.objects.filter(registration=outsider).exists()
    with pytest.raises(DomainError):
        session_attendance_save(
            actor=coordinator, session=jobs, shown_ids=[a.pk], present_ids=[b.pk]
        )


# ---------------------------------------------------------------- the participants' lists


def test_the_lists_name_only_the_delegates_who_agreed(client_of, coordinator):
    conference = icc()
    listed = register(
        conference=conference,
        data=delegate(1, first_name="Līga", last_name="Bērziņa", consent_listed=True),
    ).registration
    register(
        conference=conference,
        data=delegate(2, first_name="Private", last_name="Person", consent_listed=False),
    )
    register(
        conference=conference,
        data=delegate(3, first_name="Another", last_name="Secret", consent_listed=False),
    )
    auditor = client_of("auditor-1")
    lists = _url("onsite_participants")
    form = auditor.get(lists)
    assert form.status_code == 200 and accessibility_problems(form.content.decode()) == []
    sheet = auditor.get(lists, {"day": "2018-11-07", "variant": "sign-in", "file_format": "pdf"})
    assert sheet["Content-Type"] == "application/pdf"
    text = _pdf_text(sheet.content)
    assert "Līga Bērziņa" in text and "Signature" in text
    assert "Private" not in text and "Secret" not in text
    assert "+ 2 participants who did not agree to be listed" in text
    assert "Co-funded by the European Union" in text
    title = PdfReader(io.BytesIO(sheet.content)).metadata.title
    assert_accessible_pdf(sheet.content, title=title, language="en")  # with its table's headers
    book = auditor.get(lists, {"day": "2018-11-07", "variant": "sign-in", "file_format": "xlsx"})
    rows = _xlsx_rows(book.content)
    flat = " ".join(str(c) for row in rows for c in row)
    assert [1, "Līga Bērziņa", "Somewhere", "Local"] in rows
    assert "Private" not in flat and "Secret" not in flat
    assert ["+ 2 participants who did not agree to be listed"] in rows
    # Checked in: nobody yet, and only who was checked in that day afterwards.
    checkin_record(actor=coordinator, registration=listed, day=SECOND_DAY)
    empty = auditor.get(
        lists, {"day": "2018-11-07", "variant": "checked-in", "file_format": "xlsx"}
    )
    assert not any("Līga Bērziņa" in row for row in _xlsx_rows(empty.content))
    bad = auditor.get(lists, {"day": "2019-01-01", "variant": "sign-in", "file_format": "pdf"})
    assert bad.status_code == 400 and "Select a valid choice" in bad.content.decode()


# ---------------------------------------------------------------- who may


def _pages(conference, registration, session):
    code = checkin_code(registration)
    return {
        "home": (_url("onsite_home"), "get"),
        "checkin": (_url("onsite_checkin"), "get"),
        "code": (_url("onsite_checkin_code", code), "get"),
        "record": (_url("onsite_checkin_record", registration.pk), "post"),
        "undo": (_url("onsite_checkin_undo", registration.pk), "post"),
        "session": (_url("onsite_session", session.pk), "get"),
        "badges": (_url("onsite_badges"), "get"),
        "badges_pdf": (_url("onsite_badges_pdf"), "get"),
        "participants": (_url("onsite_participants"), "get"),
    }


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (
            "coordinator-1",
            {
                "home",
                "checkin",
                "code",
                "session",
                "badges",
                "badges_pdf",
                "participants",
                "record",
                "undo",
            },
        ),
        ("auditor-1", {"home", "participants"}),
        ("athens-officer-1", set()),
        ("facilitator-b", set()),
    ],
)
def test_only_the_organisers_work_on_site(client, user_of, role, allowed):
    conference = icc()
    registration = register(conference=conference, data=delegate(1)).registration
    session = conference.sessions.first()
    client.force_login(user_of(role))
    for name, (url, method) in _pages(conference, registration, session).items():
        response = getattr(client, method)(url, {"day": "2018-11-07"} if method == "post" else {})
        expected = (302 if method == "post" else 200) if name in allowed else 404
        assert response.status_code == expected, (role, name)
    if role != "coordinator-1":
        assert not Attendance.objects.exists()


def test_anonymous_people_go_to_the_log_in_page(client):
    conference = icc()
    registration = register(conference=conference, data=delegate(1)).registration
    for url, method in _pages(conference, registration, conference.sessions.first()).values():
        response = getattr(client, method)(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login") + "?next=")
    assert not Attendance.objects.exists()
