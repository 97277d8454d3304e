"""People and roles: invitations, ending a role, deactivating an account (services)."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError
from core.roles import Role
from programmes.models import City, Invitation, Membership, Person, Programme
from programmes.services.people import (
    invitation_accept,
    invitation_create,
    invitation_for_token,
    invitation_resend,
    invitation_revoke,
    membership_change,
    membership_end,
    user_deactivate,
)
from tests.conftest import email_of

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-and-unusual-passphrase-42"


def _programme():
    return Programme.objects.get(slug="cities-grow")


def _invite(actor, *, email="new.officer@athens.test.invalid", city="athens", language="fr"):
    athens = City.objects.get(slug=city)
    return invitation_create(
        actor=actor,
        programme=_programme(),
        email=email,
        first_name="Eleni",
        last_name="Papadaki",
        organisation=athens.organisation,
        role=Role.CITY_OFFICER,
        city=athens,
        language=language,
    )


def _token_from(message) -> str:
    match = re.search(r"/accounts/invitation/([\w-]+)/", message.body)
    assert match, message.body
    return match.group(1)


def test_coordinator_invites_and_the_email_is_in_french_with_the_link(
    user_of, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = _invite(user_of("coordinator-1"))
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.officer@athens.test.invalid"]
    assert "Agent de la ville" in message.body  # the role, in the invitee's language
    assert "CITIES" in message.subject or _programme().name in message.subject
    token = _token_from(message)
    assert "http" in message.body and token in message.alternatives[0][0]
    assert invitation.token_hash != token  # only the hash is stored
    assert invitation_for_token(token) == invitation


def test_officer_cannot_invite(user_of):
    with pytest.raises(DomainError):
        _invite(user_of("athens-officer-1"))
    with pytest.raises(DomainError):
        _invite(user_of("athens-officer-1"), city="rotterdam")
    assert not Invitation.objects.exists()


def test_officer_cannot_give_themselves_a_role(user_of):
    officer = user_of("athens-officer-1")
    with pytest.raises(DomainError):
        _invite(officer, email=officer.email, city="rotterdam")


def test_coordinator_cannot_give_themselves_a_role(user_of):
    coordinator = user_of("coordinator-1")
    with pytest.raises(DomainError):
        _invite(coordinator, email=coordinator.email)


def test_city_role_needs_a_city_of_the_programme(user_of):
    with pytest.raises(DomainError) as error:
        invitation_create(
            actor=user_of("coordinator-1"),
            programme=_programme(),
            email="x@test.invalid",
            first_name="X",
            last_name="Y",
            organisation=City.objects.get(slug="athens").organisation,
            role=Role.CITY_OFFICER,
            language="en",
        )
    assert "city" in error.value.field_errors


def test_accept_creates_the_account_person_and_membership(
    user_of, django_user_model, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(user_of("coordinator-1"))
    user = invitation_accept(raw_token=_token_from(mail.outbox[0]), password=PASSWORD)
    assert user.username == "new.officer@athens.test.invalid" and user.is_active
    assert user.check_password(PASSWORD)
    person = Person.objects.get(user=user)
    membership = Membership.objects.current().get(person=person)
    assert (membership.role, membership.city.slug) == (Role.CITY_OFFICER, "athens")
    # The link works once.
    with pytest.raises(DomainError):
        invitation_accept(raw_token=_token_from(mail.outbox[0]), password=PASSWORD)


def test_accept_refuses_a_weak_password(user_of, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(user_of("coordinator-1"))
    with pytest.raises(DomainError) as error:
        invitation_accept(raw_token=_token_from(mail.outbox[0]), password="123")
    assert "password1" in error.value.field_errors
    assert not Person.objects.filter(email="new.officer@athens.test.invalid").exists()


def test_expired_invitation_cannot_be_accepted(user_of, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = _invite(user_of("coordinator-1"))
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    with pytest.raises(DomainError):
        invitation_accept(raw_token=_token_from(mail.outbox[0]), password=PASSWORD)


def test_revoked_invitation_cannot_be_accepted(user_of, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = _invite(user_of("coordinator-1"))
    with pytest.raises(DomainError):
        invitation_revoke(actor=user_of("athens-officer-1"), invitation=invitation)
    invitation_revoke(actor=user_of("coordinator-1"), invitation=invitation)
    assert invitation_for_token(_token_from(mail.outbox[0])) is None
    with pytest.raises(DomainError):
        invitation_accept(raw_token=_token_from(mail.outbox[0]), password=PASSWORD)


def test_resend_invalidates_the_old_link(user_of, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = _invite(user_of("coordinator-1"))
    with django_capture_on_commit_callbacks(execute=True):
        invitation_resend(actor=user_of("coordinator-1"), invitation=invitation)
    old, new = _token_from(mail.outbox[0]), _token_from(mail.outbox[1])
    assert old != new
    assert invitation_for_token(old) is None
    assert invitation_for_token(new) is not None


def test_ending_a_role_removes_access_at_once(client_of, user_of):
    client = client_of("athens-officer-1")
    url = reverse("programmes:city", kwargs={"slug": "cities-grow", "city": "athens"})
    assert client.get(url).status_code == 200
    officer = Person.objects.get(email=email_of("athens-officer-1"))
    memberships = list(Membership.objects.filter(person=officer))
    with pytest.raises(DomainError):
        membership_end(
            actor=user_of("athens-officer-1"),
            membership=memberships[0],
            ended_on=timezone.localdate(),
            reason="Left",
        )
    for membership in memberships:
        membership_end(
            actor=user_of("coordinator-1"),
            membership=membership,
            ended_on=timezone.localdate(),
            reason="Left the city administration",
        )
    assert client.get(url).status_code == 404
    # History is kept: the rows stay, with the end and why.
    assert Membership.objects.filter(person=officer, ended_on__isnull=False).count() == len(
        memberships
    )
    assert memberships[0].history.first().history_change_reason == "role ended"


def test_a_role_ending_tomorrow_still_counts_today(client_of, user_of):
    client = client_of("athens-officer-1")
    url = reverse("programmes:city", kwargs={"slug": "cities-grow", "city": "athens"})
    for membership in Membership.objects.filter(person__email=email_of("athens-officer-1")):
        membership_end(
            actor=user_of("coordinator-1"),
            membership=membership,
            ended_on=timezone.localdate() + timedelta(days=1),
            reason="Leaving",
        )
    assert client.get(url).status_code == 200


def test_deactivated_user_cannot_log_in(client, user_of):
    officer = Person.objects.get(email=email_of("athens-officer-1"))
    with pytest.raises(DomainError):
        user_deactivate(
            actor=user_of("rotterdam-officer-1"), programme=_programme(), person=officer
        )
    user_deactivate(actor=user_of("coordinator-1"), programme=_programme(), person=officer)
    officer.user.refresh_from_db()
    assert officer.user.is_active is False


def test_changing_a_role_ends_the_old_one_and_keeps_it(user_of, client_of):
    officer = Person.objects.get(email=email_of("athens-officer-1"))
    old = Membership.objects.get(person=officer, city__slug="athens", role=Role.CITY_OFFICER)
    with pytest.raises(DomainError):
        membership_change(actor=user_of("athens-officer-1"), membership=old, role=Role.COORDINATOR)
    new = membership_change(
        actor=user_of("coordinator-1"),
        membership=old,
        role=Role.CITY_APPROVER,
        city=old.city,
        approval_level="administrative",
    )
    old.refresh_from_db()
    assert old.ended_on == timezone.localdate() and old.end_reason
    assert Membership.objects.current().filter(pk=new.pk, role=Role.CITY_APPROVER).exists()
    assert not Membership.objects.current().filter(pk=old.pk).exists()


def test_coordinator_cannot_change_their_own_role(user_of):
    coordinator = user_of("coordinator-1")
    own = Membership.objects.get(person__user=coordinator, role=Role.COORDINATOR)
    with pytest.raises(DomainError):
        membership_change(actor=coordinator, membership=own, role=Role.AUDITOR)
