"""The invitation link: choose a password and be signed in; a dead link says so, without a form."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from core.roles import Role
from programmes.models import City, Programme
from programmes.services.people import invitation_create, invitation_revoke

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-and-unusual-passphrase-42"


def _invited_link(coordinator, django_capture_on_commit_callbacks):
    athens = City.objects.get(slug="athens")
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitation_create(
            actor=coordinator,
            programme=Programme.objects.get(slug="cities-grow"),
            email="eleni@test.invalid",
            first_name="Eleni",
            last_name="P",
            organisation=athens.organisation,
            role=Role.CITY_OFFICER,
            city=athens,
            language="en",
        )
    path = re.search(r"https?://[^/]+(/accounts/invitation/[\w-]+/)", mail.outbox[-1].body)
    assert path
    return invitation, path.group(1)


def test_invited_person_sets_password_and_is_signed_in(
    client, user_of, django_capture_on_commit_callbacks
):
    _, path = _invited_link(user_of("coordinator-1"), django_capture_on_commit_callbacks)
    page = client.get(path)
    assert page.status_code == 200 and 'name="password1"' in page.content.decode()
    mismatch = client.post(path, {"password1": PASSWORD, "password2": "other"})
    assert mismatch.status_code == 200 and "differ" in mismatch.content.decode()
    response = client.post(path, {"password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302
    athens = reverse("programmes:city", kwargs={"slug": "cities-grow", "city": "athens"})
    rotterdam = reverse("programmes:city", kwargs={"slug": "cities-grow", "city": "rotterdam"})
    assert client.get(athens).status_code == 200
    assert client.get(rotterdam).status_code == 404
    # Used: the link now shows a message page, not a form.
    client.logout()
    used = client.get(path)
    assert used.status_code == 410 and 'name="password1"' not in used.content.decode()


def test_revoked_link_shows_a_message_not_a_form(
    client, user_of, django_capture_on_commit_callbacks
):
    invitation, path = _invited_link(user_of("coordinator-1"), django_capture_on_commit_callbacks)
    invitation_revoke(actor=user_of("coordinator-1"), invitation=invitation)
    for response in (
        client.get(path),
        client.post(path, {"password1": PASSWORD, "password2": PASSWORD}),
    ):
        assert response.status_code == 410
        assert "no longer works" in response.content.decode()
