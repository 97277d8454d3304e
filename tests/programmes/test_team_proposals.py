"""A city's officers propose people for their own city's team; the coordinators confirm (the
invitation e-mail then leaves, in the invitee's language) or decline with a reason (the officer
is told). Within the programme's rule, and never for another city, another kind of role or
themselves. Also: the coordinators' and auditors' records of past roles and invitations."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError
from core.roles import ApprovalLevel, Role
from notifications.models import Notification
from programmes import notification_kinds as kinds
from programmes.models import City, Invitation, InvitationState, Membership, Programme
from programmes.selectors import invitations_pending
from programmes.services.people import invitation_for_token, invitation_resend, membership_end
from programmes.services.team import (
    programme_team_rules_update,
    team_proposal_confirm,
    team_proposal_create,
    team_proposal_decline,
)
from tests.conftest import email_of
from tests.notification_checks import (
    assert_french_email,
    exactly_once,
    last_notification_pk,
    notified_since,
    set_language,
)
from tests.programmes.test_people import _token_from

pytestmark = pytest.mark.django_db
NEW_EMAIL = "new.officer@athens.test.invalid"


def _programme():
    return Programme.objects.get(slug="cities-grow")


def _propose(actor, *, city="athens", email=NEW_EMAIL, role=Role.CITY_OFFICER, **extra):
    return team_proposal_create(
        actor=actor,
        programme=_programme(),
        city=City.objects.get(slug=city),
        email=email,
        first_name="Sofia",
        last_name="Andreou",
        role=role,
        language=extra.pop("language", "fr"),
        **extra,
    )


def _url(name, *args):
    return reverse(f"programmes:{name}", args=["cities-grow", *args])


# ---------------------------------------------------------------- proposing


def test_officer_proposes_nothing_is_sent_and_the_coordinators_are_asked(
    user_of, django_capture_on_commit_callbacks
):
    since = last_notification_pk()
    with django_capture_on_commit_callbacks(execute=True):
        proposal = _propose(user_of("athens-officer-1"))
    assert proposal.state == InvitationState.PROPOSED
    assert proposal.proposed_by.email == email_of("athens-officer-1")
    assert not [m for m in mail.outbox if NEW_EMAIL in m.to]  # no invitation e-mail yet
    assert not proposal.is_pending
    assert notified_since(since, kinds.TEAM_PROPOSAL) == exactly_once(
        "coordinator-1", "coordinator-2"
    )
    # A proposal is not an invitation waiting for an answer: no "resend" can send it.
    assert proposal not in invitations_pending(user_of("coordinator-1"), _programme())
    with pytest.raises(DomainError):
        invitation_resend(actor=user_of("coordinator-1"), invitation=proposal)
    assert not [m for m in mail.outbox if NEW_EMAIL in m.to]
    # Audited as the officer.
    record = proposal.history.latest()
    assert record.history_user == user_of("athens-officer-1")


def test_coordinators_get_the_proposal_in_their_language(
    user_of, mailoutbox, django_capture_on_commit_callbacks
):
    set_language("coordinator-2", "fr")
    since = last_notification_pk()
    with django_capture_on_commit_callbacks(execute=True):
        _propose(user_of("athens-officer-1"))
    assert_french_email(mailoutbox, "coordinator-2", kinds.TEAM_PROPOSAL, since)


def test_officer_cannot_propose_for_another_city(user_of, client_of):
    with pytest.raises(DomainError):
        _propose(user_of("athens-officer-1"), city="rotterdam")
    with pytest.raises(DomainError):
        _propose(user_of("athens-officer-1"), city="munich")
    assert not Invitation.objects.exists()
    client = client_of("athens-officer-1")
    # Rotterdam is out of Athens' reach: the page does not exist for them.
    assert client.get(_url("team_propose", "rotterdam")).status_code == 404
    # Munich (Athens' mentor) is visible, but not theirs to staff.
    assert client.get(_url("team_propose", "munich")).status_code == 403
    response = client.post(
        _url("team_propose", "munich"),
        {"email": NEW_EMAIL, "first_name": "A", "last_name": "B", "role": "city_officer"},
    )
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_officer_cannot_propose_a_programme_or_scheme_role(user_of):
    officer = user_of("athens-officer-1")
    for role in (Role.COORDINATOR, Role.FACILITATOR, Role.AUDITOR, Role.FINANCE_OFFICER):
        with pytest.raises(DomainError) as refused:
            _propose(officer, role=role)
        assert "role" in refused.value.field_errors
    assert not Invitation.objects.exists()


def test_officer_cannot_give_themselves_a_role(user_of):
    officer = user_of("athens-officer-1")
    for email in (officer.email, officer.email.upper()):
        with pytest.raises(DomainError) as refused:
            _propose(
                officer,
                email=email,
                role=Role.CITY_APPROVER,
                approval_level=ApprovalLevel.POLITICAL,
            )
        assert "email" in refused.value.field_errors
    assert not Invitation.objects.exists()


@pytest.mark.parametrize(
    "key", ["athens-approver-political", "facilitator-b", "auditor-1", "coordinator-1"]
)
def test_only_the_citys_officers_propose(user_of, key):
    with pytest.raises(DomainError):
        _propose(user_of(key))
    assert not Invitation.objects.exists()


def test_an_ended_officer_cannot_propose(user_of):
    membership = Membership.objects.get(person__email=email_of("athens-officer-1"))
    membership_end(
        actor=user_of("coordinator-1"),
        membership=membership,
        ended_on=timezone.localdate(),
        reason="left",
    )
    with pytest.raises(DomainError):
        _propose(user_of("athens-officer-1"))


def test_the_programme_decides_whether_officers_propose(user_of, client_of):
    programme = _programme()
    programme_team_rules_update(
        actor=user_of("coordinator-1"),
        programme=programme,
        expected_version=programme.version,
        officers_propose_team=False,
    )
    programme.refresh_from_db()
    assert programme.officers_propose_team is False
    assert programme.history.latest().history_user == user_of("coordinator-1")
    with pytest.raises(DomainError):
        _propose(user_of("athens-officer-1"))
    client = client_of("athens-officer-1")
    assert client.get(_url("team_propose", "athens")).status_code == 403
    assert _url("team_propose", "athens") not in client.get(_url("people")).content.decode()


def test_only_coordinators_change_the_rule_and_a_stale_form_is_refused(user_of, client_of):
    programme = _programme()
    with pytest.raises(DomainError):
        programme_team_rules_update(
            actor=user_of("athens-officer-1"),
            programme=programme,
            expected_version=programme.version,
            officers_propose_team=False,
        )
    with pytest.raises(DomainError):
        programme_team_rules_update(
            actor=user_of("coordinator-1"),
            programme=programme,
            expected_version=programme.version - 1,
            officers_propose_team=False,
        )
    assert Programme.objects.get(pk=programme.pk).officers_propose_team is True
    # Through the settings screen.
    client = client_of("coordinator-1")
    settings_page = client.get(_url("settings")).content.decode()
    assert 'name="team-officers_propose_team"' in settings_page
    response = client.post(_url("team_rules"), {"team-version": programme.version})
    assert response.status_code == 302
    assert Programme.objects.get(pk=programme.pk).officers_propose_team is False


def test_duplicate_proposal_is_refused(user_of):
    _propose(user_of("athens-officer-1"))
    with pytest.raises(DomainError) as refused:
        _propose(user_of("athens-officer-2"))
    assert "email" in refused.value.field_errors


# ---------------------------------------------------------------- the coordinators' answer


def test_coordinator_confirms_and_the_email_leaves_in_the_invitees_language(
    user_of, mailoutbox, django_capture_on_commit_callbacks
):
    proposal = _propose(user_of("athens-officer-1"), language="fr")
    set_language("athens-officer-1", "fr")
    since = last_notification_pk()
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = team_proposal_confirm(actor=user_of("coordinator-1"), invitation=proposal)
    assert confirmed.state == InvitationState.PENDING
    (invitation_mail,) = [m for m in mailoutbox if m.to == [NEW_EMAIL]]
    assert "Agent de la ville" in invitation_mail.body  # the role, in French
    assert "Votre invitation" in invitation_mail.subject
    assert invitation_for_token(_token_from(invitation_mail)) == proposal
    # The officer who proposed is told, in their language; the coordinator is not.
    assert notified_since(since, kinds.TEAM_PROPOSAL_CONFIRMED) == exactly_once("athens-officer-1")
    assert_french_email(mailoutbox, "athens-officer-1", kinds.TEAM_PROPOSAL_CONFIRMED, since)
    assert confirmed.history.latest().history_user == user_of("coordinator-1")
    with pytest.raises(DomainError):  # once only
        team_proposal_confirm(actor=user_of("coordinator-2"), invitation=proposal)


def test_coordinator_declines_with_a_reason_and_the_officer_is_told(
    user_of, mailoutbox, django_capture_on_commit_callbacks
):
    proposal = _propose(user_of("athens-officer-1"))
    set_language("athens-officer-1", "fr")
    with pytest.raises(DomainError) as refused:
        team_proposal_decline(actor=user_of("coordinator-1"), invitation=proposal, reason=" ")
    assert "reason" in refused.value.field_errors
    since = last_notification_pk()
    with django_capture_on_commit_callbacks(execute=True):
        team_proposal_decline(
            actor=user_of("coordinator-1"), invitation=proposal, reason="Already in the team."
        )
    proposal.refresh_from_db()
    assert proposal.state == InvitationState.DECLINED
    assert notified_since(since, kinds.TEAM_PROPOSAL_DECLINED) == exactly_once("athens-officer-1")
    notice = Notification.objects.get(pk__gt=since, kind=kinds.TEAM_PROPOSAL_DECLINED)
    assert notice.message == "Already in the team."
    assert_french_email(mailoutbox, "athens-officer-1", kinds.TEAM_PROPOSAL_DECLINED, since)
    assert not [m for m in mailoutbox if m.to == [NEW_EMAIL]]
    with pytest.raises(DomainError):
        team_proposal_confirm(actor=user_of("coordinator-1"), invitation=proposal)


def test_officer_cannot_confirm_a_proposal(user_of, client_of):
    proposal = _propose(user_of("athens-officer-1"))
    with pytest.raises(DomainError):
        team_proposal_confirm(actor=user_of("athens-officer-2"), invitation=proposal)
    client = client_of("athens-officer-2")
    assert client.post(_url("proposal_confirm", proposal.pk)).status_code == 404
    assert client.get(_url("proposal_decline", proposal.pk)).status_code == 404
    assert Invitation.objects.get(pk=proposal.pk).state == InvitationState.PROPOSED


# ---------------------------------------------------------------- the screens


def test_officer_proposes_through_the_page_keeping_what_was_typed(client_of):
    client = client_of("athens-officer-1")
    people = client.get(_url("people")).content.decode()
    assert _url("team_propose", "athens") in people
    data = {
        "email": NEW_EMAIL,
        "first_name": "Sofia",
        "last_name": "Andreou",
        "role": "city_approver",
        "language": "fr",
    }
    response = client.post(_url("team_propose", "athens"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'value="{NEW_EMAIL}"' in html and 'value="Andreou"' in html
    assert 'id="id_approval_level_error"' in html
    assert not Invitation.objects.exists()
    data["approval_level"] = "administrative"
    assert client.post(_url("team_propose", "athens"), data).status_code == 302
    proposal = Invitation.objects.get(email=NEW_EMAIL)
    assert proposal.city.slug == "athens" and proposal.state == InvitationState.PROPOSED
    assert "Sofia Andreou" in client.get(_url("people")).content.decode()


def test_coordinator_confirms_and_declines_on_the_people_page(user_of, client_of):
    first = _propose(user_of("athens-officer-1"))
    second = _propose(user_of("athens-officer-1"), email="other@athens.test.invalid")
    client = client_of("coordinator-1")
    page = client.get(_url("people")).content.decode()
    assert _url("proposal_confirm", first.pk) in page
    assert _url("proposal_decline", second.pk) in page
    assert client.post(_url("proposal_confirm", first.pk)).status_code == 302
    assert Invitation.objects.get(pk=first.pk).state == InvitationState.PENDING
    response = client.post(_url("proposal_decline", second.pk), {"reason": ""})
    assert response.status_code == 200 and 'id="id_reason_error"' in response.content.decode()
    response = client.post(_url("proposal_decline", second.pk), {"reason": "Not now."})
    assert response.status_code == 302
    assert Invitation.objects.get(pk=second.pk).decline_reason == "Not now."
    # Decided proposals are no longer offered.
    assert client.post(_url("proposal_confirm", second.pk)).status_code == 404


def test_past_roles_and_invitations_for_coordinators_and_auditors(user_of, client_of):
    coordinator = user_of("coordinator-1")
    membership = Membership.objects.get(person__email=email_of("athens-officer-2"))
    membership_end(
        actor=coordinator,
        membership=membership,
        ended_on=timezone.localdate(),
        reason="Moved to another department",
    )
    declined = _propose(user_of("athens-officer-1"))
    team_proposal_decline(actor=coordinator, invitation=declined, reason="No budget.")
    _propose(user_of("athens-officer-1"), email="second@athens.test.invalid")
    for key in ("coordinator-1", "auditor-1"):
        client = client_of(key)
        past = client.get(_url("roles_past")).content.decode()
        assert "Moved to another department" in past
        assert membership.person.full_name in past
        invitations = client.get(_url("invitations")).content.decode()
        assert "No budget." in invitations and "second@athens.test.invalid" in invitations
        only_proposed = client.get(_url("invitations"), {"state": "proposed"}).content.decode()
        assert "second@athens.test.invalid" in only_proposed
        assert NEW_EMAIL not in only_proposed
        only_declined = client.get(_url("invitations"), {"state": "declined"}).content.decode()
        assert NEW_EMAIL in only_declined and "second@athens" not in only_declined
    client = client_of("athens-officer-1")
    assert client.get(_url("roles_past")).status_code == 404
    assert client.get(_url("invitations")).status_code == 404


def test_records_pages_query_count_does_not_grow_with_rows(
    user_of, client_of, django_assert_max_num_queries
):
    officer = user_of("athens-officer-1")
    for n in range(30):
        _propose(officer, email=f"p{n}@athens.test.invalid")
    client = client_of("auditor-1")
    client.get(_url("invitations"))  # warm the session
    with django_assert_max_num_queries(12):
        response = client.get(_url("invitations"), {"page": "2"})
    assert "p0@athens.test.invalid" in response.content.decode()  # oldest, on page 2
    with django_assert_max_num_queries(12):
        client.get(_url("roles_past"))
