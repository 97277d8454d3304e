"""The timesheet screens: the weekly grid saves what is typed (7.5, 7,5 or 7:30), puts every
refusal next to its cell keeping the typed text, signs the month, and the supervisor's inbox
approves or reopens it with a reason; lists and pages run a bounded number of queries."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from finance.models import TimeEntry, Timesheet
from finance.selectors import cell_name
from finance.services.timesheets import EntryInput, timesheet_open, timesheet_save, timesheet_sign
from programmes.models import Person, Programme
from tests.finance.test_timesheets import approvable
from visits.models import Event, Participant

pytestmark = pytest.mark.django_db
WEEK = "2017-03-06"  # a Monday


def _url(name="finance:week", *args):
    return reverse(name, args=["cities-grow", *args])


def _week_url():
    return _url("finance:week", 2017, 3) + f"?week={WEEK}"


def _post(client, cells, revision="0"):
    return client.post(_week_url(), {"revision": revision, **cells})


def test_the_grid_saves_hours_typed_in_every_usual_way(client_of, user_of):
    client = client_of("athens-officer-1")
    page = client.get(_week_url())
    assert page.status_code == 200
    html = page.content.decode()
    name = cell_name("action_planning", None, date(2017, 3, 6))
    assert f'name="{name}"' in html and 'inputmode="decimal"' in html
    response = _post(
        client,
        {
            name: "7.5",
            cell_name("action_planning", None, date(2017, 3, 7)): "7,25",
            cell_name("management", None, date(2017, 3, 8)): "1:30",
        },
    )
    assert response.status_code == 302
    sheet = Timesheet.objects.get(person__user=user_of("athens-officer-1"), month="2017-03-01")
    assert sorted(sheet.entries.values_list("hours", flat=True)) == [
        Decimal("1.5"),
        Decimal("7.25"),
        Decimal("7.5"),
    ]
    again = client.get(_week_url()).content.decode()
    assert 'value="7.5"' in again and "16.25" in again  # the week's total
    assert _post(client, {name: "10"}, revision=str(sheet.revision)).status_code == 302
    assert 'value="10"' in client.get(_week_url()).content.decode()


def test_bad_hours_are_refused_next_to_their_cell_keeping_every_typed_value(client_of):
    client = client_of("athens-officer-1")
    monday = cell_name("action_planning", None, date(2017, 3, 6))
    tuesday = cell_name("action_planning", None, date(2017, 3, 7))
    wednesday = cell_name("webinar", None, date(2017, 3, 8))
    response = _post(client, {monday: "seven", tuesday: "7.1", wednesday: "6"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Give hours such as 7.5 or 7:30." in html
    assert 'value="seven"' in html and 'value="7.1"' in html and 'value="6"' in html
    # The form is valid as text; the service then refuses the quarter-hour rule on Tuesday.
    response = _post(client, {tuesday: "7.1", wednesday: "6"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Record hours in quarters of an hour." in html and 'value="7.1"' in html
    assert not TimeEntry.objects.exists()


def test_a_stale_week_is_refused_without_losing_the_typed_hours(client_of):
    client = client_of("athens-officer-1")
    monday = cell_name("action_planning", None, date(2017, 3, 6))
    assert _post(client, {monday: "2"}).status_code == 302
    stale = _post(client, {monday: "3"}, revision="0")  # drawn before the first save
    assert stale.status_code == 409
    assert 'value="3"' in stale.content.decode()
    assert TimeEntry.objects.get().hours == Decimal("2")


def test_an_event_of_the_week_has_its_own_row_counted_as_its_activity(client_of, user_of):
    event = Event.objects.create(
        programme=Programme.objects.get(slug="cities-grow"),
        format="conference",
        title="Annual conference in Ghent",
        starts_at=datetime(2017, 3, 8, 9, tzinfo=UTC),
        ends_at=datetime(2017, 3, 9, 17, tzinfo=UTC),
    )
    # Offered to the people who take part in it (tests/finance/test_timesheet_controls.py).
    Participant.objects.create(
        event=event, person=Person.objects.get(user=user_of("athens-officer-1"))
    )
    client = client_of("athens-officer-1")
    assert "Annual conference in Ghent" in client.get(_week_url()).content.decode()
    name = cell_name("conference", event.pk, date(2017, 3, 8))
    assert _post(client, {name: "8"}).status_code == 302
    entry = TimeEntry.objects.get()
    assert (entry.activity, entry.event_id) == ("conference", event.pk)


def test_days_of_the_neighbouring_month_are_not_editable_here(client_of):
    client = client_of("athens-officer-1")
    html = client.get(_url("finance:week", 2017, 3) + "?week=2017-02-27").content.decode()
    assert f'name="{cell_name("management", None, date(2017, 2, 28))}"' not in html
    assert f'name="{cell_name("management", None, date(2017, 3, 1))}"' in html


def test_the_month_is_signed_then_locked_on_screen(client_of, user_of):
    client = client_of("athens-officer-1")
    monday = cell_name("action_planning", None, date(2017, 3, 6))
    _post(client, {monday: "7.5"})
    sign_url = _url("finance:sign", 2017, 3)
    unticked = client.post(sign_url, {})
    assert unticked.status_code == 400
    assert "Tick the box to confirm your hours." in unticked.content.decode()
    assert client.post(sign_url, {"confirm": "on"}).status_code == 302
    sheet = Timesheet.objects.get()
    assert sheet.status == "signed"
    html = client.get(_week_url()).content.decode()
    assert f'name="{monday}"' not in html and "its hours are locked" in html
    refused = _post(client, {monday: "1"}, revision=str(sheet.revision))
    assert refused.status_code == 400 and "ask for it to be reopened" in refused.content.decode()
    assert TimeEntry.objects.get().hours == Decimal("7.5")


def _signed_march(user_of, key="athens-officer-1"):
    officer = user_of(key)
    sheet = timesheet_open(
        actor=officer, programme=Programme.objects.get(slug="cities-grow"), month=date(2017, 3, 1)
    )
    sheet = timesheet_save(
        actor=officer,
        timesheet=sheet,
        entries=[EntryInput(date(2017, 3, 6), "webinar", Decimal("3"))],
        days=[date(2017, 3, 6)],
        revision=sheet.revision,
    )
    return timesheet_sign(actor=officer, timesheet=sheet)


def test_the_supervisor_approves_from_the_inbox(client_of, user_of):
    sheet = _signed_march(user_of)
    approvable(user_of)
    for key in ("athens-approver-political", "munich-approver-admin", "athens-officer-2"):
        html = client_of(key).get(_url("finance:approvals")).content.decode()
        assert "No month waits for your approval." in html, key
    supervisor = client_of("athens-approver-admin")
    inbox = supervisor.get(_url("finance:approvals")).content.decode()
    assert _url("finance:timesheet", sheet.pk) in inbox
    assert (
        "Approve March 2017" in supervisor.get(_url("finance:timesheet", sheet.pk)).content.decode()
    )
    response = supervisor.post(_url("finance:timesheet_approve", sheet.pk))
    assert response.status_code == 302
    sheet.refresh_from_db()
    assert sheet.status == "approved" and sheet.approved_by == user_of("athens-approver-admin")
    assert (
        "No month waits for your approval."
        in supervisor.get(_url("finance:approvals")).content.decode()
    )


def test_a_reopening_needs_its_reason_next_to_the_field_and_shows_in_the_trail(client_of, user_of):
    sheet = _signed_march(user_of)
    supervisor = client_of("athens-approver-admin")
    url = _url("finance:timesheet_reopen", sheet.pk)
    refused = supervisor.post(url, {"reason": ""})
    assert refused.status_code == 400 and "This field is required." in refused.content.decode()
    assert supervisor.post(url, {"reason": "The 6th was a holiday"}).status_code == 302
    sheet.refresh_from_db()
    assert sheet.is_open
    page = client_of("athens-officer-1").get(_url("finance:timesheet", sheet.pk)).content.decode()
    assert "reopened: The 6th was a holiday" in page and "signed" in page


def test_a_month_is_a_404_to_people_outside_its_scope(client_of, user_of):
    sheet = _signed_march(user_of)
    url = _url("finance:timesheet", sheet.pk)
    for key in ("athens-officer-1", "athens-approver-admin", "finance-1", "auditor-1"):
        assert client_of(key).get(url).status_code == 200, key
    for key in ("athens-officer-2", "munich-approver-admin", "athens-approver-political"):
        assert client_of(key).get(url).status_code == 404, key
        assert client_of(key).post(_url("finance:timesheet_approve", sheet.pk)).status_code == 404


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_timesheet_pages_run_a_bounded_number_of_queries(client_of, user_of):
    officer = user_of("athens-officer-1")
    programme = Programme.objects.get(slug="cities-grow")
    client = client_of("athens-officer-1")
    supervisor = client_of("athens-approver-admin")
    sheet = _signed_march(user_of)
    counts = []
    for month in (4, 5, 6):
        counts.append(
            (
                _count(client, _week_url()),
                _count(supervisor, _url("finance:approvals")),
                _count(supervisor, _url("finance:timesheet", sheet.pk)),
            )
        )
        extra = timesheet_open(actor=officer, programme=programme, month=date(2017, month, 1))
        days = [date(2017, month, d) for d in range(3, 8)]
        extra = timesheet_save(
            actor=officer,
            timesheet=extra,
            entries=[EntryInput(d, a, Decimal("1")) for d in days for a in ("webinar", "visit")],
            days=days,
            revision=extra.revision,
        )
        timesheet_sign(actor=officer, timesheet=extra)
    assert counts[0] == counts[1] == counts[2], counts
