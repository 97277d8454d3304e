"""The admin's delete of a person or an account never answers 500: it explains what blocks the
deletion (records that must be kept) and offers pseudonymisation instead."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from action_plans.models import PlanVersion
from programmes.models import Person

pytestmark = pytest.mark.django_db


def _admin(client_of):
    return client_of("platform-admin")


def test_deleting_an_account_with_records_explains_and_offers_pseudonymisation(built, client_of):
    assert PlanVersion.objects.filter(saved_by=built.user).exists()  # the trigger's refusal
    url = reverse("admin:accounts_user_delete", args=[built.user.pk])
    page = _admin(client_of).get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "cannot be deleted" in text and "saved versions never change" in text
    assert reverse("privacy:request_new", args=[built.person.pk]) in text
    response = _admin(client_of).post(url, {"post": "yes"})
    assert response.status_code == 200
    assert get_user_model().objects.filter(pk=built.user.pk).exists()


def test_deleting_a_person_with_records_explains(built, client_of):
    url = reverse("admin:programmes_person_delete", args=[built.person.pk])
    for response in (_admin(client_of).get(url), _admin(client_of).post(url, {"post": "yes"})):
        assert response.status_code == 200
        assert "finance records" in response.content.decode()
    assert Person.objects.filter(pk=built.person.pk).exists()


def test_deleting_selected_accounts_explains_too(built, client_of):
    response = _admin(client_of).post(
        reverse("admin:accounts_user_changelist"),
        {"action": "delete_selected", "_selected_action": [built.user.pk]},
    )
    assert response.status_code == 200
    assert "cannot be deleted" in response.content.decode()
    assert get_user_model().objects.filter(pk=built.user.pk).exists()


def test_an_account_with_no_records_is_deleted(client_of):
    user = get_user_model().objects.create_user("mistake@test.invalid", "mistake@test.invalid")
    url = reverse("admin:accounts_user_delete", args=[user.pk])
    assert _admin(client_of).post(url, {"post": "yes"}).status_code == 302
    assert not get_user_model().objects.filter(pk=user.pk).exists()


def test_a_refusal_by_the_database_is_a_message_not_a_500(built, client_of, monkeypatch):
    """Should a kept record be missing from the registry, the trigger's refusal is caught."""
    monkeypatch.setattr("privacy.admin.deletion_blockers", lambda obj: [])
    url = reverse("admin:accounts_user_delete", args=[built.user.pk])
    response = _admin(client_of).post(url, {"post": "yes"}, follow=True)
    assert response.status_code == 200
    assert "The database refused the deletion" in response.content.decode()
    assert get_user_model().objects.filter(pk=built.user.pk).exists()
