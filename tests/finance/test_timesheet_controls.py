"""The controls on a month of hours: the weekly grid offers only the events the person took part
in or their city's (plus the general activities), and the service refuses any other posted by
hand; hours outside the programme's eligible dates are refused or flagged; a month is approved
only with the person's staff-cost rate for the year, never by its own person, and within the
staff line of their organisation (warned at the programme's share, refused beyond).

The month's cost by hand: 40,000.00 EUR / 1,720 h = 23.2558... -> 23.26 EUR/h; 3 hours ->
69.78 EUR. Against a plan of 75.00 EUR that is 93% (warned at 90%); against 50.00, refused."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.errors import DomainError
from finance.models import BudgetLine, BudgetOverride
from finance.selectors import cell_name, own_timesheet, week_grid
from finance.services.timesheets import (
    EntryInput,
    timesheet_approve,
    timesheet_open,
    timesheet_save,
    timesheet_sign,
)
from programmes.models import City, MentoringPair, Person, Programme
from tests.finance.test_timesheets import approvable
from visits.models import Event, Participant

pytestmark = pytest.mark.django_db
D = Decimal
MARCH = date(2017, 3, 1)
WEEK = "2017-03-06"


def _programme():
    return Programme.objects.get(slug="cities-grow")


def _event(title, day=8, **fields):
    return Event.objects.create(
        programme=_programme(),
        title=title,
        starts_at=datetime(2017, 3, day, 9, tzinfo=UTC),
        ends_at=datetime(2017, 3, day, 17, tzinfo=UTC),
        **{"format": "webinar", **fields},
    )


def _visit(mentor, implementing, title, day=8):
    pair = MentoringPair.objects.current().get(
        mentor__city__slug=mentor, implementing__city__slug=implementing
    )
    return _event(title, day=day, format="study_visit", pair=pair)


def _athens_officer(user_of):
    return Person.objects.get(user=user_of("athens-officer-1"))


def _events_offered(user_of, key="athens-officer-1"):
    user = user_of(key)
    sheet = own_timesheet(user, _programme(), MARCH)
    grid = week_grid(sheet, date(2017, 3, 6), Person.objects.get(user=user))
    return {row.event.title for row in grid.rows if row.event}


def test_the_grid_offers_only_the_events_the_person_took_part_in_or_their_citys(user_of):
    officer = _athens_officer(user_of)
    _visit("nantes", "helsinki", "Nantes mentors Helsinki")
    _visit("munich", "athens", "Munich mentors Athens")  # Athens' own pair
    _event("Webinar in Athens", host_city=City.objects.get(slug="athens"))
    attended = _event("Webinar on housing")
    Participant.objects.create(event=attended, person=officer, invitation="accepted")
    invited = _event("Webinar on jobs")
    Participant.objects.create(event=invited, person=officer)  # invited, not answered yet
    declined = _event("Webinar on schools")
    Participant.objects.create(event=declined, person=officer, invitation="declined")
    cancelled = _event("Webinar called off", status="cancelled")
    Participant.objects.create(event=cancelled, person=officer, invitation="accepted")
    _event("Webinar in Riga", host_city=City.objects.get(slug="riga"))
    assert _events_offered(user_of) == {
        "Munich mentors Athens",
        "Webinar in Athens",
        "Webinar on housing",
        "Webinar on jobs",
    }
    # Munich mentors Athens: its officers are offered the visit too; Riga's see only theirs.
    assert "Munich mentors Athens" in _events_offered(user_of, "munich-officer-1")
    assert _events_offered(user_of, "riga-officer-1") == {"Webinar in Riga"}


def test_the_screen_shows_an_attended_visit_and_not_one_between_two_other_cities(
    client_of, user_of
):
    other = _visit("nantes", "helsinki", "Nantes mentors Helsinki")
    attended = _visit("barcelona", "riga", "Barcelona mentors Riga")
    Participant.objects.create(
        event=attended, person=_athens_officer(user_of), invitation="accepted"
    )
    client = client_of("athens-officer-1")
    url = reverse("finance:week", args=["cities-grow", 2017, 3]) + f"?week={WEEK}"
    html = client.get(url).content.decode()
    assert "Barcelona mentors Riga" in html and "Nantes mentors Helsinki" not in html
    # A cell of the other visit typed by hand is not a field of the form: nothing is saved.
    posted = {
        "revision": "0",
        cell_name("visit", other.pk, date(2017, 3, 8)): "4",
        cell_name("visit", attended.pk, date(2017, 3, 8)): "6",
    }
    assert client.post(url, posted).status_code == 302
    sheet = own_timesheet(user_of("athens-officer-1"), _programme(), MARCH)
    assert list(sheet.entries.values_list("event_id", "hours")) == [(attended.pk, D("6"))]


def test_the_service_refuses_an_event_the_person_may_not_book_in_bounded_queries(user_of):
    officer = user_of("athens-officer-1")
    other = _visit("nantes", "helsinki", "Nantes mentors Helsinki")
    sheet = timesheet_open(actor=officer, programme=_programme(), month=MARCH)
    with pytest.raises(DomainError) as refused:
        timesheet_save(
            actor=officer,
            timesheet=sheet,
            entries=[
                EntryInput(date(2017, 3, 6), "management", D("2")),
                EntryInput(date(2017, 3, 8), "visit", D("4"), event_id=other.pk),
            ],
            days=[date(2017, 3, 6), date(2017, 3, 8)],
            revision=sheet.revision,
        )
    assert refused.value.field_errors == {"entries-1-event": "Choose an event you took part in."}
    assert not sheet.entries.exists()

    def queries(count):
        events = [_event(f"Webinar {n}", day=6 + n % 5) for n in range(count)]
        for event in events:
            Participant.objects.create(event=event, person=_athens_officer(user_of))
        entries = [
            EntryInput(date(2017, 3, 6 + n % 5), "webinar", D("0.5"), event_id=e.pk)
            for n, e in enumerate(events)
        ]
        current = sheet.__class__.objects.get(pk=sheet.pk)
        with CaptureQueriesContext(connection) as captured:
            timesheet_save(
                actor=officer,
                timesheet=current,
                entries=entries,
                days=[date(2017, 3, d) for d in range(6, 11)],
                revision=current.revision,
            )
        return len(captured)

    assert queries(2) == queries(6)


def test_hours_already_booked_on_an_event_stay_shown_and_savable(user_of):
    officer = user_of("athens-officer-1")
    webinar = _event("Webinar on housing")
    taking_part = Participant.objects.create(
        event=webinar, person=_athens_officer(user_of), invitation="accepted"
    )
    sheet = timesheet_open(actor=officer, programme=_programme(), month=MARCH)
    entry = EntryInput(date(2017, 3, 8), "webinar", D("2"), event_id=webinar.pk)
    sheet = timesheet_save(
        actor=officer, timesheet=sheet, entries=[entry], days=[entry.day], revision=1
    )
    taking_part.invitation = "declined"  # declined afterwards: the hours booked stay
    taking_part.save()
    assert "Webinar on housing" in _events_offered(user_of)
    sheet = timesheet_save(
        actor=officer, timesheet=sheet, entries=[entry], days=[entry.day], revision=sheet.revision
    )
    assert sheet.entries.get().event_id == webinar.pk


def _signed(user_of, key="athens-officer-1", days=(6,), hours="3"):
    officer = user_of(key)
    sheet = timesheet_open(actor=officer, programme=_programme(), month=MARCH)
    entries = [EntryInput(date(2017, 3, d), "management", D(hours)) for d in days]
    sheet = timesheet_save(
        actor=officer,
        timesheet=sheet,
        entries=entries,
        days=[e.day for e in entries],
        revision=sheet.revision,
    )
    return timesheet_sign(actor=officer, timesheet=sheet)


def test_a_month_without_the_persons_rate_is_not_approved(user_of):
    sheet = _signed(user_of)
    officer = _athens_officer(user_of)
    with pytest.raises(DomainError) as refused:
        timesheet_approve(actor=user_of("athens-approver-admin"), timesheet=sheet)
    assert refused.value.message == (
        f"Record {officer.full_name}'s staff-cost rate for 2017 first: without it the month's "
        "cost is unknown."
    )
    sheet.refresh_from_db()
    assert sheet.status == "signed"
    approvable(user_of)
    approved = timesheet_approve(actor=user_of("athens-approver-admin"), timesheet=sheet)
    assert approved.status == "approved"
    assert approved.history.first().history_user == user_of("athens-approver-admin")


def test_nobody_approves_their_own_month(user_of):
    sheet = _signed(user_of, key="athens-approver-admin")
    approvable(user_of, key="athens-approver-admin")
    with pytest.raises(DomainError) as refused:
        timesheet_approve(actor=user_of("athens-approver-admin"), timesheet=sheet)
    assert refused.value.message == "Only the person's supervisor approves their hours."


def test_hours_outside_the_eligible_dates_are_refused_when_the_programme_says_so(user_of):
    programme = _programme()
    programme.eligible_until = date(2017, 3, 7)
    programme.ineligible_costs = "refuse"
    programme.save()
    officer = user_of("athens-officer-1")
    sheet = timesheet_open(actor=officer, programme=programme, month=MARCH)
    entries = [EntryInput(date(2017, 3, d), "management", D("2")) for d in (7, 8)]
    with pytest.raises(DomainError) as refused:
        timesheet_save(
            actor=officer,
            timesheet=sheet,
            entries=entries,
            days=[e.day for e in entries],
            revision=1,
        )
    assert refused.value.field_errors == {
        "entries-1-day": "Hours count only from 1 January 2017 to 7 March 2017, the programme's "
        "eligible dates."
    }
    assert not sheet.entries.exists()


def test_hours_outside_the_eligible_dates_are_flagged_for_the_approver(client_of, user_of):
    programme = _programme()
    sheet = _signed(user_of, days=(6, 8), hours="1.5")
    programme.eligible_until = date(2017, 3, 7)  # narrowed after the month was signed
    programme.ineligible_costs = "flag"
    programme.save()
    approvable(user_of)
    url = reverse("finance:timesheet", args=["cities-grow", sheet.pk])
    html = client_of("athens-approver-admin").get(url).content.decode()
    assert "Outside the eligible dates" in html and "08/03/2017" in html
    assert "06/03/2017" not in html.split('id="ineligible-hours"')[1].split("</p>")[0]
    timesheet_approve(actor=user_of("athens-approver-admin"), timesheet=sheet)
    sheet.refresh_from_db()
    assert sheet.status == "approved"


def test_a_month_outside_the_eligible_dates_is_not_approved_when_refused(user_of):
    programme = _programme()
    sheet = _signed(user_of, days=(6, 8))
    programme.eligible_until = date(2017, 3, 7)
    programme.ineligible_costs = "refuse"
    programme.save()
    approvable(user_of)
    with pytest.raises(DomainError) as refused:
        timesheet_approve(actor=user_of("athens-approver-admin"), timesheet=sheet)
    assert "Hours on 08/03/2017 are outside the programme's eligible dates" in (
        refused.value.message
    )


def _staff_line(user_of, planned):
    person = approvable(user_of, planned=planned)
    return BudgetLine.objects.get(partner__organisation=person.organisation, category="staff")


def test_an_approval_beyond_the_staff_line_is_refused_until_another_allows_it(client_of, user_of):
    line = _staff_line(user_of, "50.00")
    sheet = _signed(user_of)  # 69.78 EUR
    approver = client_of("athens-approver-admin")
    response = approver.post(reverse("finance:timesheet_approve", args=["cities-grow", sheet.pk]))
    assert response.status_code == 302
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("above its plan of 50.00" in m and "69.78" in m for m in shown), shown
    sheet.refresh_from_db()
    assert sheet.status == "signed"
    BudgetOverride.objects.create(
        line=line, amount_eur=D("20"), reason="Extra month", granted_by=user_of("finance-2")
    )
    timesheet_approve(actor=user_of("athens-approver-admin"), timesheet=sheet)
    sheet.refresh_from_db()
    assert sheet.status == "approved"


def test_an_approval_near_the_plan_warns_the_approver(client_of, user_of):
    _staff_line(user_of, "75.00")
    sheet = _signed(user_of)  # 69.78 of 75.00: 93%
    approver = client_of("athens-approver-admin")
    response = approver.post(
        reverse("finance:timesheet_approve", args=["cities-grow", sheet.pk]), follow=True
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "The month is approved." in html
    assert "has now used 93% of its plan (69.78 EUR of 75.00 EUR)" in html.replace("\u00a0", " ")
