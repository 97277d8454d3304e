"""The coordinators' settings screens: the programme's period and its key dates. Each is saved
through its form (every field the form renders is posted), audited with the actor, closed to
the other roles, refuses bad input next to the field with the typed values kept, and refuses a
stale save (409) while showing what the colleague saved."""

from datetime import date

import pytest
from django import forms
from django.urls import reverse

from finance.grant_rules import programme_rules
from finance.models import Statement, TimeEntry, Timesheet
from programmes.models import KeyDate, Person, Programme
from tests.conftest import email_of

pytestmark = pytest.mark.django_db
SETTINGS = reverse("programmes:settings", args=["cities-grow"])
KEY_DATE_NEW = reverse("programmes:key_date_new", args=["cities-grow"])


def _programme():
    return Programme.objects.get(slug="cities-grow")


def _key_date(title="Launch meeting"):
    return KeyDate.objects.get(programme__slug="cities-grow", title=title)


def _edit_url(key_date):
    return reverse("programmes:key_date_edit", args=["cities-grow", key_date.pk])


def _remove_url(key_date):
    return reverse("programmes:key_date_remove", args=["cities-grow", key_date.pk])


def rendered(response, **changes):
    """Every field the page's form renders, with its shown value, then `changes`."""
    form, html = response.context["form"], response.content.decode()
    data = {}
    for field in form:
        assert f'name="{field.html_name}"' in html, f"{field.html_name} is not rendered"
        value = field.value()
        if isinstance(field.field, forms.BooleanField):
            if value:
                data[field.html_name] = "on"
        else:
            data[field.html_name] = "" if value is None else str(value)
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data


# ---------------------------------------------------------------- who opens the screens


def test_the_settings_tab_is_shown_to_coordinators_only(client_of):
    overview = reverse("programmes:overview", args=["cities-grow"])
    assert SETTINGS in client_of("coordinator-1").get(overview).content.decode()
    for key in ("athens-officer-1", "finance-1", "auditor-1", "facilitator-b"):
        assert SETTINGS not in client_of(key).get(overview).content.decode()


@pytest.mark.parametrize("key", ["athens-officer-1", "finance-1", "auditor-1", "facilitator-b"])
def test_other_roles_cannot_post_any_setting(client_of, key):
    programme, key_date = _programme(), _key_date()
    client = client_of(key)
    period = {"start_date": "2016-01-01", "end_date": "2019-12-31", "version": programme.version}
    assert client.post(SETTINGS, period).status_code == 404
    data = {"title": "Hijack", "start_date": "2017-06-01", "revision": "0"}
    assert client.post(KEY_DATE_NEW, data).status_code == 404
    assert client.post(_edit_url(key_date), data).status_code == 404
    assert client.post(_remove_url(key_date), {"revision": "0"}).status_code == 404
    after = _programme()
    assert (after.start_date, after.end_date) == (programme.start_date, programme.end_date)
    assert _key_date().title == "Launch meeting"
    assert not KeyDate.objects.filter(title="Hijack").exists()


# ---------------------------------------------------------------- the period


def test_coordinator_changes_the_period_and_it_is_audited(client_of, user_of):
    client = client_of("coordinator-1")
    before = _programme()
    page = client.get(SETTINGS)
    assert page.status_code == 200
    response = client.post(SETTINGS, rendered(page, start_date="2017-02-01", end_date="2019-03-31"))
    assert response.status_code == 302
    after = _programme()
    assert (after.start_date, after.end_date) == (date(2017, 2, 1), date(2019, 3, 31))
    assert after.version == before.version + 1
    record = after.history.latest()
    assert record.history_user == user_of("coordinator-1")
    assert record.history_change_reason == "period changed"


def test_period_ending_before_it_starts_is_refused_at_the_field(client_of):
    client = client_of("coordinator-1")
    page = client.get(SETTINGS)
    response = client.post(SETTINGS, rendered(page, start_date="2018-01-01", end_date="2017-06-30"))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_end_date_error"' in html
    assert "The programme must end after it starts." in html
    assert 'value="2018-01-01"' in html and 'value="2017-06-30"' in html  # nothing lost
    assert _programme().start_date == date(2017, 1, 1)


def test_stale_period_save_is_refused_with_both_values_shown(client_of):
    client = client_of("coordinator-1")
    page = client.get(SETTINGS)
    stale = rendered(page, end_date="2019-06-30")
    assert client.post(SETTINGS, rendered(page, end_date="2019-01-31")).status_code == 302
    response = client.post(SETTINGS, stale)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else saved the programme" in html
    assert response.context["form"]["end_date"].value() == "2019-06-30"  # what they typed
    assert response.context["saved"].end_date == date(2019, 1, 31)  # what the colleague saved
    assert _programme().end_date == date(2019, 1, 31)
    # having compared, saving again goes through
    assert client.post(SETTINGS, response.context["form"].data).status_code == 302
    assert _programme().end_date == date(2019, 6, 30)


def test_period_cannot_leave_recorded_hours_or_a_statement_outside(client_of):
    programme = _programme()
    person = Person.objects.get(email=email_of("athens-officer-1"))
    sheet = Timesheet.objects.create(person=person, programme=programme, month=date(2017, 3, 1))
    TimeEntry.objects.create(timesheet=sheet, day=date(2017, 3, 6), activity="management", hours=4)
    client = client_of("coordinator-1")
    page = client.get(SETTINGS)
    response = client.post(SETTINGS, rendered(page, start_date="2017-06-01"))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_start_date_error"' in html and "Hours are recorded in 1 month" in html
    assert _programme().start_date == date(2017, 1, 1)

    # An empty month opened but never filled does not hold the period back.
    sheet.entries.all().delete()
    Statement.objects.create(
        programme=programme,
        kind="interim",
        period_end=date(2018, 6, 30),
        **programme_rules(programme).as_statement_fields(),
    )
    response = client.post(SETTINGS, rendered(page, end_date="2018-03-31"))
    assert response.status_code == 400
    assert "A statement to the funder covers up to" in response.content.decode()
    assert client.post(SETTINGS, rendered(page, start_date="2017-06-01")).status_code == 302
    assert _programme().start_date == date(2017, 6, 1)
    assert _programme().end_date == date(2018, 12, 31)


# ---------------------------------------------------------------- key dates


def test_coordinator_adds_changes_and_removes_a_key_date(client_of, user_of):
    coordinator = user_of("coordinator-1")
    client = client_of("coordinator-1")
    page = client.get(KEY_DATE_NEW)
    assert page.status_code == 200
    response = client.post(
        KEY_DATE_NEW,
        rendered(
            page,
            title="Steering group",
            start_date="2017-09-12",
            end_date="2017-09-13",
            place="Ghent",
            illustrative="on",
        ),
    )
    assert response.status_code == 302
    added = _key_date("Steering group")
    assert (added.start_date, added.end_date, added.place, added.illustrative) == (
        date(2017, 9, 12),
        date(2017, 9, 13),
        "Ghent",
        True,
    )
    assert added.history.latest().history_user == coordinator
    assert "Steering group" in client.get(SETTINGS).content.decode()

    page = client.get(_edit_url(added))
    response = client.post(
        _edit_url(added),
        rendered(page, title="Steering group meeting", end_date="", illustrative=None),
    )
    assert response.status_code == 302
    changed = KeyDate.objects.get(pk=added.pk)
    assert (changed.title, changed.end_date, changed.illustrative) == (
        "Steering group meeting",
        date(2017, 9, 12),  # an empty end is a single day
        False,
    )
    record = changed.history.latest()
    assert (record.history_user, record.history_change_reason) == (
        coordinator,
        "key date changed",
    )

    page = client.get(_remove_url(changed))
    assert page.status_code == 200
    assert client.post(_remove_url(changed), rendered(page)).status_code == 302
    assert not KeyDate.objects.filter(pk=added.pk).exists()
    removed = KeyDate.history.filter(id=added.pk).latest()
    assert (removed.history_type, removed.history_user) == ("-", coordinator)


def test_key_date_bad_input_is_shown_at_the_field_and_kept(client_of):
    client = client_of("coordinator-1")
    key_date = _key_date()
    page = client.get(_edit_url(key_date))
    response = client.post(
        _edit_url(key_date),
        rendered(page, title="Project start", place="Leuven", end_date="2017-05-01"),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_end_date_error"' in html  # before the start (15 May)
    assert 'value="Leuven"' in html and 'value="Project start"' in html
    # with the dates right, the title taken by another key date is refused at the title
    response = client.post(
        _edit_url(key_date), rendered(page, title="Project start", place="Leuven")
    )
    assert response.status_code == 400
    assert 'id="id_title_error"' in response.content.decode()
    assert _key_date().place == "Brussels"


def test_stale_key_date_edit_and_removal_are_refused(client_of):
    client = client_of("coordinator-1")
    key_date = _key_date()
    page = client.get(_edit_url(key_date))
    removal_page = client.get(_remove_url(key_date))
    stale = rendered(page, place="Antwerp")
    assert client.post(_edit_url(key_date), rendered(page, place="Liège")).status_code == 302

    response = client.post(_edit_url(key_date), stale)
    assert response.status_code == 409
    assert "Someone else changed or removed this key date" in response.content.decode()
    assert response.context["form"]["place"].value() == "Antwerp"
    assert response.context["saved"].place == "Liège"
    assert client.post(_remove_url(key_date), rendered(removal_page)).status_code == 409
    assert _key_date().place == "Liège"

    # having compared, saving again goes through
    assert client.post(_edit_url(key_date), response.context["form"].data).status_code == 302
    assert _key_date().place == "Antwerp"


def test_a_save_in_the_admin_makes_an_open_settings_form_stale(client_of):
    page = client_of("coordinator-1").get(SETTINGS)
    stale = rendered(page, end_date="2019-06-30")
    admin = client_of("platform-admin")
    url = reverse("admin:programmes_programme_change", args=[_programme().pk])
    form = admin.get(url).context["adminform"].form
    data = {
        name: "" if form[name].value() is None else str(form[name].value())
        for name in form.fields
        if not isinstance(form.fields[name], forms.BooleanField)
    }
    data["description"] = "Changed by the platform admin."
    assert admin.post(url, data).status_code == 302
    response = client_of("coordinator-1").post(SETTINGS, stale)
    assert response.status_code == 409
    assert _programme().end_date == date(2018, 12, 31)
