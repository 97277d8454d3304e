"""The public registration form, the delegate's private page (workshops, consents) and a city's
delegation form, posted as the rendered page would post them: a wrong field keeps everything
typed, the workshops come one per time slot, full ones are marked, a delegation's blank rows are
ignored and its quota holds."""

import pytest
from django.core import mail
from django.urls import reverse

from conference.models import Registration
from conference.services import register
from tests.conference.builders import delegate, icc, workshop
from tests.html_checks import accessibility_problems
from tests.rendered_forms import form_data

pytestmark = pytest.mark.django_db

REGISTER = reverse("conference:register", args=["icc-viii"])


def _typed(html: str) -> dict[str, list[str]]:
    data = form_data(html, REGISTER)
    data.update(
        first_name=["Eleni"],
        last_name=["Papadopoulou"],
        email=["eleni@example.gr"],
        organisation=["Δήμος Αθηναίων"],
        level=["local"],
        dietary_needs=["vegetarian"],
        consent_listed=["on"],
    )
    return data


def test_a_wrong_field_keeps_everything_typed_then_the_registration_goes_through(
    client, django_capture_on_commit_callbacks
):
    conference = icc()
    page = client.get(REGISTER)
    html = page.content.decode()
    assert page.status_code == 200 and accessibility_problems(html) == []
    # The organiser asked for organisation, level and dietary needs: not for role or country.
    assert 'name="organisation"' in html and 'name="dietary_needs"' in html
    assert 'name="role"' not in html and 'name="country"' not in html
    assert "erased on 8 May 2019" in html  # the retention end, stated
    data = _typed(html)
    data["email"] = ["not an address"]
    data["slot_1"] = [str(workshop(conference, "Housing first").pk)]
    refused = client.post(REGISTER, data)
    again = refused.content.decode()
    assert refused.status_code == 400 and Registration.objects.count() == 0
    assert accessibility_problems(again) == []
    assert "Enter a valid email address." in again
    kept = form_data(again, REGISTER)
    assert kept["first_name"] == ["Eleni"] and kept["organisation"] == ["Δήμος Αθηναίων"]
    assert kept["dietary_needs"] == ["vegetarian"] and kept["consent_listed"] == ["on"]
    assert kept["slot_1"] == [str(workshop(conference, "Housing first").pk)]
    kept["email"] = ["eleni@example.gr"]
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(REGISTER, kept)
    registration = Registration.objects.get()
    assert done.status_code == 302 and "/registration/" in done["Location"]
    assert (registration.status, registration.organisation) == ("confirmed", "Δήμος Αθηναίων")
    assert registration.consent_listed and not registration.consent_photos
    assert [c.session.title for c in registration.choices.all()] == ["Housing first"]
    assert mail.outbox[0].to == ["eleni@example.gr"]
    assert done["Location"] in mail.outbox[0].body  # the private link the page redirected to


def test_a_full_workshop_is_marked_and_choosing_it_puts_the_delegate_on_its_waiting_list(client):
    conference = icc(workshop_places=1)
    jobs = workshop(conference)
    register(conference=conference, data=delegate(1, session_ids=(jobs.pk,)))
    html = client.get(REGISTER).content.decode()
    assert "Jobs for newcomers (Room A) – full: you join the waiting list" in html  # noqa: RUF001
    assert "Housing first (Room B)</label>" in html or "Housing first (Room B)\n" in html
    data = _typed(html)
    data["slot_1"] = [str(jobs.pk)]
    assert client.post(REGISTER, data).status_code == 302
    eleni = Registration.objects.get(email="eleni@example.gr")
    assert eleni.status == "confirmed"
    assert eleni.choices.get().status == "waiting"


def test_a_closed_registration_shows_why_and_takes_nobody(client):
    conference = icc()
    conference.registration_open = False
    conference.save()
    html = client.get(REGISTER).content.decode()
    assert "Registration is not open." in html and 'name="first_name"' not in html
    client.post(REGISTER, {"first_name": "X", "last_name": "Y", "email": "x@example.org"})
    assert Registration.objects.count() == 0


def test_the_private_page_changes_workshops_and_consents(
    client, django_capture_on_commit_callbacks
):
    conference = icc()
    placed = register(conference=conference, data=delegate(1))
    page = reverse("conference:registration", args=["icc-viii", placed.token])
    html = client.get(page).content.decode()
    assert accessibility_problems(html) == []
    assert "Personal data kept until" in html
    forms = html.split("<form")
    sessions_form = next(f for f in forms if 'value="sessions"' in f)
    consents_form = next(f for f in forms if 'value="consents"' in f)
    data = form_data("<form" + sessions_form)
    data["slot_1"] = [str(workshop(conference, "Housing first").pk)]
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(page, data).status_code == 302
    registration = Registration.objects.get()
    assert [c.session.title for c in registration.choices.all()] == ["Housing first"]
    assert any("Your sessions have changed" in m.subject for m in mail.outbox)
    data = form_data("<form" + consents_form)
    data["consent_photos"] = ["on"]
    assert client.post(page, data).status_code == 302
    registration.refresh_from_db()
    assert registration.consent_photos and not registration.consent_listed
    assert registration.status == "confirmed"  # neither form cancels


def _delegation_page(client, city="athens"):
    return reverse("conference:delegation", args=["icc-viii", city])


def test_a_city_registers_three_delegates_in_one_go_and_blank_rows_are_ignored(client_of, user_of):
    icc()
    client = client_of("athens-officer-1")
    url = _delegation_page(client)
    html = client.get(url).content.decode()
    assert accessibility_problems(html) == []
    data = form_data(html, url)
    assert data["delegates-TOTAL_FORMS"] == ["3"]  # the quota's rows, all blank
    officer = user_of("athens-officer-1").person
    data.update(
        {
            "delegates-0-person": [str(officer.pk)],
            "delegates-0-delegate_kind": ["officer"],
            "delegates-1-delegate_kind": ["politician"],
            "delegates-1-first_name": ["Kostas"],
            "delegates-1-last_name": ["Mayor"],
            "delegates-1-email": ["mayor@athens.example.gr"],
        }
    )
    done = client.post(url, data)
    assert done.status_code == 302
    registered = Registration.objects.order_by("pk")
    assert [r.email for r in registered] == [officer.email, "mayor@athens.example.gr"]
    assert all(r.travel_eligible and r.delegation.city.slug == "athens" for r in registered)
    assert registered[0].person == officer
    # One place left: one row offered; a row missing its e-mail is refused next to it.
    html = client.get(url).content.decode()
    data = form_data(html, url)
    assert data["delegates-TOTAL_FORMS"] == ["1"]
    data.update({"delegates-0-delegate_kind": ["stakeholder"], "delegates-0-first_name": ["A"]})
    refused = client.post(url, data)
    assert refused.status_code == 400
    assert "Enter the e-mail address." in refused.content.decode()
    assert form_data(refused.content.decode(), url)["delegates-0-first_name"] == ["A"]
    assert Registration.objects.count() == 2


def test_the_delegation_form_is_a_404_for_another_citys_officer_and_for_a_non_member(client_of):
    icc()
    assert client_of("rotterdam-officer-1").get(_delegation_page(None)).status_code == 404
    assert client_of("athens-officer-1").get(_delegation_page(None, "nowhere")).status_code == 404


def test_the_public_page_offers_registration_and_an_officer_their_delegation(client, client_of):
    icc()
    public = reverse("conference:public", args=["icc-viii"])
    html = client.get(public).content.decode()
    assert REGISTER in html and "/delegations/" not in html
    assert "Timetable" in html and "<caption>Wednesday 7 November 2018</caption>" in html
    officer_html = client_of("athens-officer-1").get(public).content.decode()
    assert _delegation_page(None) in officer_html


def test_a_fourth_delegate_added_by_the_page_script_is_refused_and_every_row_is_kept(client_of):
    icc()
    client = client_of("athens-officer-1")
    url = _delegation_page(client)
    data = form_data(client.get(url).content.decode(), url)
    data["delegates-TOTAL_FORMS"] = ["4"]  # what "Add a delegate" does in the browser
    for n in range(4):
        data.update(
            {
                f"delegates-{n}-delegate_kind": ["officer"],
                f"delegates-{n}-first_name": [f"Officer{n}"],
                f"delegates-{n}-last_name": ["Athens"],
                f"delegates-{n}-email": [f"officer{n}@athens.example.gr"],
            }
        )
    refused = client.post(url, data)
    html = refused.content.decode()
    assert refused.status_code == 400 and Registration.objects.count() == 0
    assert "Athens may send 3 delegates; 0 registered already, so 4 more cannot be added." in html
    assert form_data(html, url)["delegates-3-email"] == ["officer3@athens.example.gr"]
