"""People and roles: invitations by e-mail, ending a role, deactivating an account.

Only the programme's coordinators act here (in this increment). Every write is audited through
simple_history (attributed to the actor); nothing sensitive (token, password) is logged or kept.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.audit import attribute_to
from core.errors import DomainError
from core.roles import CITY_ROLES, SCHEME_ROLES, ApprovalLevel, Role
from notifications.services.notify import email_queue

from ..models import (
    City,
    Invitation,
    InvitationLanguage,
    Membership,
    MentoringScheme,
    Organisation,
    Person,
    Programme,
    SchemeMember,
)
from ..permissions import require_coordinator


def _valid_days() -> int:
    return int(settings.INVITATION_VALID_DAYS)


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _new_token() -> tuple[str, str]:
    raw = secrets.token_urlsafe(32)
    return raw, token_hash(raw)


def _send_invitation(invitation: Invitation, raw_token: str) -> None:
    """The e-mail, in the invitee's language, with the programme's name and the link: kept in
    the outbox and sent by the queue once the transaction commits (retried if the mail server
    refuses, shown to the coordinators if it keeps refusing); its body is erased once sent."""
    link = settings.PLATFORM_BASE_URL + reverse("accounts:invitation", args=[raw_token])
    with translation.override(invitation.language):
        context = {
            "invitation": invitation,
            "programme": invitation.programme.name,
            "role": invitation.get_role_display(),
            "scope": str(invitation.city or invitation.scheme or ""),
            "link": link,
            "expires_on": timezone.localtime(invitation.expires_at).date(),
        }
        subject = _("Your invitation to %(programme)s") % {"programme": invitation.programme.name}
        text = render_to_string("programmes/email/invitation.txt", context)
        html = render_to_string("programmes/email/invitation.html", context)
    email_queue(
        programme=invitation.programme,
        to_address=invitation.email,
        subject=subject[:300],
        text=text,
        html=html,
        holds_link=True,
    )


def _check_scope(
    *,
    programme: Programme,
    role: str,
    city: City | None,
    scheme: MentoringScheme | None,
    approval_level: str,
) -> None:
    if role not in Role.values:
        raise DomainError(_("Choose a role."), field_errors={"role": _("Choose a role.")})
    if role in CITY_ROLES:
        in_programme = (
            city is not None
            and SchemeMember.objects.filter(programme=programme, city=city).exists()
        )
        if not in_programme:
            message = _("Choose one of the programme's cities for this role.")
            raise DomainError(message, field_errors={"city": message})
    elif city is not None:
        message = _("This role is not held for a city: leave the city empty.")
        raise DomainError(message, field_errors={"city": message})
    if role in SCHEME_ROLES:
        if scheme is None or scheme.programme_id != programme.pk:
            message = _("Choose one of the programme's schemes for this role.")
            raise DomainError(message, field_errors={"scheme": message})
    elif scheme is not None:
        message = _("This role is not held for a scheme: leave the scheme empty.")
        raise DomainError(message, field_errors={"scheme": message})
    if role == Role.CITY_APPROVER and approval_level not in ApprovalLevel.values:
        message = _("Choose the approval level of a city approver.")
        raise DomainError(message, field_errors={"approval_level": message})
    if role != Role.CITY_APPROVER and approval_level:
        message = _("Only city approvers have an approval level.")
        raise DomainError(message, field_errors={"approval_level": message})


def invitation_create(
    *,
    actor: Any,
    programme: Programme,
    email: str,
    first_name: str,
    last_name: str,
    organisation: Organisation,
    role: str,
    language: str,
    city: City | None = None,
    scheme: MentoringScheme | None = None,
    approval_level: str = "",
) -> Invitation:
    """Invite someone to a role in the programme; the e-mail leaves once the invitation is saved."""
    require_coordinator(actor, programme.pk, _("Only the programme's coordinators invite people."))
    email = email.strip().lower()
    if actor.email and email == actor.email.lower():
        message = _("You cannot give yourself a role.")
        raise DomainError(message, field_errors={"email": message})
    if language not in InvitationLanguage.values:
        message = _("Choose the language of the e-mail.")
        raise DomainError(message, field_errors={"language": message})
    _check_scope(
        programme=programme, role=role, city=city, scheme=scheme, approval_level=approval_level
    )
    raw, hashed = _new_token()
    with transaction.atomic():
        invitation = Invitation(
            programme=programme,
            email=email,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            organisation=organisation,
            role=role,
            city=city,
            scheme=scheme,
            approval_level=approval_level,
            language=language,
            invited_by=actor,
            token_hash=hashed,
            expires_at=timezone.now() + timedelta(days=_valid_days()),
        )
        attribute_to(invitation, actor, "invited")
        invitation.save()
        _send_invitation(invitation, raw)
    return invitation


def _pending_for_update(actor: Any, invitation: Invitation, refusal: str) -> Invitation:
    require_coordinator(actor, invitation.programme_id, refusal)
    current = (
        Invitation.objects.select_for_update().select_related("programme").get(pk=invitation.pk)
    )
    if current.accepted_at or current.revoked_at or current.declined_at:
        raise DomainError(_("This invitation was already accepted or revoked."))
    if current.is_proposal_open:
        # Its e-mail has never left: a coordinator confirms or declines the proposal instead.
        raise DomainError(_("This is a proposal: confirm or decline it."))
    return current


def invitation_resend(*, actor: Any, invitation: Invitation) -> Invitation:
    """A new link and a new expiry; the previous link stops working."""
    raw, hashed = _new_token()
    with transaction.atomic():
        current = _pending_for_update(
            actor, invitation, _("Only the programme's coordinators resend invitations.")
        )
        current.token_hash = hashed
        current.expires_at = timezone.now() + timedelta(days=_valid_days())
        attribute_to(current, actor, "resent")
        current.save(update_fields=["token_hash", "expires_at"])
        _send_invitation(current, raw)
    return current


def invitation_revoke(*, actor: Any, invitation: Invitation) -> Invitation:
    with transaction.atomic():
        current = _pending_for_update(
            actor, invitation, _("Only the programme's coordinators revoke invitations.")
        )
        current.revoked_at = timezone.now()
        attribute_to(current, actor, "revoked")
        current.save(update_fields=["revoked_at"])
    return current


def invitation_for_token(raw_token: str) -> Invitation | None:
    """The usable invitation this link carries, or None (unknown, expired, revoked or used)."""
    invitation = (
        Invitation.objects.filter(token_hash=token_hash(raw_token))
        .select_related("programme")
        .first()
    )
    if invitation is None or not invitation.is_pending:
        return None
    return invitation


def invitation_accept(*, raw_token: str, password: str) -> Any:
    """Set the password, and create (or reactivate) the account, the person and the role."""
    invitation = invitation_for_token(raw_token)
    if invitation is None:
        raise DomainError(_("This invitation link is no longer valid."))
    user_model = get_user_model()
    candidate = user_model.objects.filter(username=invitation.email).first() or user_model(
        username=invitation.email,
        email=invitation.email,
        first_name=invitation.first_name,
        last_name=invitation.last_name,
    )
    try:
        password_validation.validate_password(password, candidate)
    except ValidationError as error:
        message = " ".join(error.messages)
        raise DomainError(message, field_errors={"password1": message}) from None
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not invitation.is_pending:
            raise DomainError(_("This invitation link is no longer valid."))
        user = candidate
        user.is_active = True
        user.set_password(password)
        user.save()
        person = Person.objects.filter(email__iexact=invitation.email).first()
        if person is None:
            person = Person(
                email=invitation.email,
                first_name=invitation.first_name,
                last_name=invitation.last_name,
                organisation=invitation.organisation,
                language=invitation.language,
            )
        if person.user_id is None:
            person.user = user
        attribute_to(person, user, "invitation accepted")
        person.save()
        membership = (
            Membership.objects.current()
            .filter(
                person=person,
                role=invitation.role,
                programme=invitation.programme,
                city=invitation.city,
                scheme=invitation.scheme,
            )
            .first()
        )
        if membership is None:
            membership = Membership(
                person=person,
                role=invitation.role,
                programme=invitation.programme,
                city=invitation.city,
                scheme=invitation.scheme,
                approval_level=invitation.approval_level,
            )
            attribute_to(membership, invitation.invited_by, "invitation accepted")
            membership.save()
        invitation.accepted_at = timezone.now()
        invitation.membership = membership
        attribute_to(invitation, user, "accepted")
        invitation.save(update_fields=["accepted_at", "membership"])
    return user


def membership_end(
    *,
    actor: Any,
    membership: Membership,
    ended_on: date,
    reason: str,
    audit_note: str = "role ended",
) -> Membership:
    """End a role on a date (it grants nothing from that day); the row and its history stay.
    `audit_note` is the history's reason (a handover names the new officer there)."""
    require_coordinator(
        actor, membership.programme_id, _("Only the programme's coordinators end roles.")
    )
    if not reason.strip():
        message = _("Say why the role ends.")
        raise DomainError(message, field_errors={"reason": message})
    with transaction.atomic():
        current = Membership.objects.select_for_update().get(pk=membership.pk)
        if current.ended_on is not None:
            raise DomainError(_("This role has already ended."))
        current.ended_on = ended_on
        current.end_reason = reason.strip()[:200]
        attribute_to(current, actor, audit_note)
        current.save(update_fields=["ended_on", "end_reason"])
    return current


def membership_change(
    *,
    actor: Any,
    membership: Membership,
    role: str,
    city: City | None = None,
    scheme: MentoringScheme | None = None,
    approval_level: str = "",
) -> Membership:
    """Change a role from today: the old one ends today (kept, with why), a new one starts."""
    programme = membership.programme
    require_coordinator(actor, programme.pk, _("Only the programme's coordinators change roles."))
    person = membership.person
    if person.user_id is not None and person.user_id == actor.pk:
        raise DomainError(_("You cannot change your own role."))
    _check_scope(
        programme=programme, role=role, city=city, scheme=scheme, approval_level=approval_level
    )
    today = timezone.localdate()
    with transaction.atomic():
        current = Membership.objects.select_for_update().get(pk=membership.pk)
        if current.ended_on is not None and current.ended_on <= today:
            raise DomainError(_("This role has already ended."))
        new = Membership(
            person=person,
            programme=programme,
            role=role,
            city=city,
            scheme=scheme,
            approval_level=approval_level,
        )
        current.ended_on = today
        current.end_reason = (_("Changed to: %s") % new.get_role_display())[:200]
        attribute_to(current, actor, "role changed")
        current.save(update_fields=["ended_on", "end_reason"])
        if (
            Membership.objects.current()
            .filter(person=person, programme=programme, role=role, city=city, scheme=scheme)
            .exists()
        ):
            raise DomainError(_("The person already holds this role."))
        attribute_to(new, actor, "role changed")
        new.save()
    return new


def user_deactivate(*, actor: Any, programme: Programme, person: Person) -> Any:
    """Close a person's account (they can no longer log in); their records and roles stay."""
    require_coordinator(actor, programme.pk, _("Only the programme's coordinators do this."))
    if not Membership.objects.filter(person=person, programme=programme).exists():
        raise DomainError(_("This person has no role in the programme."))
    if person.user_id is None:
        raise DomainError(_("This person has no account."))
    if person.user_id == actor.pk:
        raise DomainError(_("You cannot deactivate your own account."))
    with transaction.atomic():
        user = get_user_model().objects.select_for_update().get(pk=person.user_id)
        user.is_active = False
        user.save(update_fields=["is_active"])
        attribute_to(person, actor, "account deactivated")
        person.save()  # records who closed the account, in the person's history
    return user
