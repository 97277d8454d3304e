"""The People page's coordinator tools: invite, pending invitations, end a role."""

import pytest
from django.urls import reverse

from programmes.models import City, Invitation, Membership
from tests.conftest import email_of

pytestmark = pytest.mark.django_db
PEOPLE = reverse("programmes:people", args=["cities-grow"])
INVITE = reverse("programmes:invitation_new", args=["cities-grow"])


def test_coordinator_sees_the_tools_and_an_officer_does_not(client_of):
    page = client_of("coordinator-1").get(PEOPLE).content.decode()
    assert INVITE in page and "End this role" in page
    page = client_of("athens-officer-1").get(PEOPLE).content.decode()
    assert INVITE not in page and "End this role" not in page


def test_invitation_form_keeps_what_was_typed_and_shows_the_error_at_the_field(client_of):
    client = client_of("coordinator-1")
    response = client.post(
        INVITE,
        {
            "email": "eleni@test.invalid",
            "first_name": "Eleni",
            "last_name": "Papadaki",
            "role": "city_officer",
            "language": "fr",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="eleni@test.invalid"' in html and 'value="Papadaki"' in html
    assert 'id="id_city_error"' in html  # next to the city field
    assert "Choose one of the programme&#x27;s cities" in html
    assert not Invitation.objects.exists()


def test_invite_then_revoke_from_the_page(client_of):
    client = client_of("coordinator-1")
    athens = City.objects.get(slug="athens")
    data = {
        "email": "eleni@test.invalid",
        "first_name": "Eleni",
        "last_name": "Papadaki",
        "role": "city_officer",
        "city": athens.pk,
        "language": "fr",
    }
    assert client.post(INVITE, data).status_code == 302
    invitation = Invitation.objects.get(email="eleni@test.invalid")
    assert "eleni@test.invalid" in client.get(PEOPLE).content.decode()
    revoke = reverse("programmes:invitation_revoke", args=["cities-grow", invitation.pk])
    assert client.post(revoke).status_code == 302
    assert revoke not in client.get(PEOPLE).content.decode()


def test_end_role_page_defaults_to_today_and_ends_it(client_of):
    client = client_of("coordinator-1")
    membership = Membership.objects.get(
        person__email=email_of("athens-officer-1"), city__slug="athens"
    )
    url = reverse("programmes:membership_end", args=["cities-grow", membership.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"ended_on": "2020-01-01", "reason": "Left the city"})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert str(membership.ended_on) == "2020-01-01" and membership.end_reason == "Left the city"
    assert client.get(url).status_code == 404  # an ended role is no longer offered


def test_deactivated_person_is_signed_out_at_once(client, client_of, django_user_model):
    officer = client_of("athens-officer-1")
    athens = reverse("programmes:city", kwargs={"slug": "cities-grow", "city": "athens"})
    assert officer.get(athens).status_code == 200
    person = Membership.objects.get(
        person__email=email_of("athens-officer-1"), city__slug="athens"
    ).person
    coordinator = client_of("coordinator-1")  # the same test client, now the coordinator's
    url = reverse("programmes:person_deactivate", args=["cities-grow", person.pk])
    assert coordinator.post(url).status_code == 302
    assert django_user_model.objects.get(pk=person.user_id).is_active is False
    client.force_login(django_user_model.objects.get(pk=person.user_id))
    assert client.get(athens).status_code == 302  # an inactive account is no one: log in


def test_change_role_page_shows_errors_at_the_field_then_changes_it(client_of):
    client = client_of("coordinator-1")
    membership = Membership.objects.get(
        person__email=email_of("athens-officer-1"), city__slug="athens"
    )
    url = reverse("programmes:membership_change", args=["cities-grow", membership.pk])
    athens = City.objects.get(slug="athens")
    refused = client.post(url, {"role": "city_approver", "city": athens.pk})
    assert refused.status_code == 200
    assert 'id="id_approval_level_error"' in refused.content.decode()
    changed = client.post(
        url, {"role": "city_approver", "city": athens.pk, "approval_level": "political"}
    )
    assert changed.status_code == 302
    assert (
        Membership.objects.current()
        .filter(person=membership.person, role="city_approver", city=athens)
        .exists()
    )
