"""A city's team within the limits the programme sets, and handing a city's work over.

A city's officers propose people for their own city's roles (officer, approver); the proposal
is an Invitation that sends nothing until a coordinator confirms it (then the e-mail leaves as
for any invitation) or declines it with a reason. The programme decides whether its officers
propose at all (`Programme.officers_propose_team`, the coordinators' setting).

A coordinator who ends a city officer's role may hand the leaver's open work (visits not yet held,
through `programmes.handover`) to another current officer of the same city, who is notified and
named in the audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import attribute_to
from core.errors import ConcurrentEditError, DomainError
from core.roles import CITY_ROLES, Role
from notifications.recipients import holders
from notifications.services import notify

from ..handover import HandoverItem, handover_apply, handover_items, hands_over
from ..models import City, Invitation, InvitationLanguage, Membership, Person, Programme
from ..notification_kinds import (
    HANDOVER,
    TEAM_PROPOSAL,
    TEAM_PROPOSAL_CONFIRMED,
    TEAM_PROPOSAL_DECLINED,
)
from ..permissions import require_coordinator
from .people import _check_scope, _new_token, _send_invitation, _valid_days
from .people import membership_end as _membership_end


def _people_url(programme: Programme) -> str:
    return reverse("programmes:people", args=[programme.slug])


def _proposal_params(invitation: Invitation) -> dict[str, Any]:
    return {
        "city": invitation.city.name if invitation.city else "",
        "person": f"{invitation.first_name} {invitation.last_name}",
        "role_label": Role(invitation.role).label,
    }


def _officer_of(actor: Any, programme: Programme, city: City) -> Person | None:
    """The actor's person if they are today an officer of this city in the programme."""
    membership = (
        Membership.objects.current()
        .filter(
            person__user_id=actor.pk,
            programme=programme,
            city=city,
            role=Role.CITY_OFFICER,
        )
        .select_related("person")
        .first()
    )
    return membership.person if membership else None


def team_proposal_create(
    *,
    actor: Any,
    programme: Programme,
    city: City,
    email: str,
    first_name: str,
    last_name: str,
    role: str,
    language: str,
    approval_level: str = "",
) -> Invitation:
    """An officer of `city` proposes someone for a role of that city; no e-mail leaves, the
    programme's coordinators are asked to confirm or decline."""
    proposer = _officer_of(actor, programme, city)
    if proposer is None:
        raise DomainError(_("Only the city's officers propose people for its team."))
    if not programme.officers_propose_team:
        raise DomainError(
            _("In this programme, the coordinators invite the cities' teams themselves.")
        )
    if role not in CITY_ROLES:
        message = _("A city proposes city officers and city approvers only.")
        raise DomainError(message, field_errors={"role": message})
    email = email.strip().lower()
    own = {e.lower() for e in (actor.email, proposer.email) if e}
    if email in own:
        message = _("You cannot give yourself a role.")
        raise DomainError(message, field_errors={"email": message})
    if language not in InvitationLanguage.values:
        message = _("Choose the language of the e-mail.")
        raise DomainError(message, field_errors={"language": message})
    _check_scope(
        programme=programme, role=role, city=city, scheme=None, approval_level=approval_level
    )
    if (
        Membership.objects.current()
        .filter(programme=programme, city=city, role=role, person__email__iexact=email)
        .exists()
    ):
        message = _("This person already holds this role in the city.")
        raise DomainError(message, field_errors={"email": message})
    _raw, hashed = _new_token()  # nobody holds this token: a new one is made on confirmation
    with transaction.atomic():
        duplicate = Invitation.objects.filter(
            programme=programme,
            city=city,
            role=role,
            email=email,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            declined_at__isnull=True,
            expires_at__gt=timezone.now(),
        ).exists()
        if duplicate:
            message = _("This person is already proposed or invited for this role.")
            raise DomainError(message, field_errors={"email": message})
        invitation = Invitation(
            programme=programme,
            email=email,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            organisation=city.organisation,
            role=role,
            city=city,
            approval_level=approval_level,
            language=language,
            invited_by=None,
            proposed_by=proposer,
            token_hash=hashed,
            expires_at=timezone.now() + timedelta(days=_valid_days()),
        )
        attribute_to(invitation, actor, "proposed by the city")
        invitation.save()
        notify(
            kind=TEAM_PROPOSAL,
            recipients=holders(programme.pk, Role.COORDINATOR),
            url=_people_url(programme),
            programme=programme,
            actor=actor,
            params=_proposal_params(invitation),
        )
    return invitation


def _open_proposal_for_update(actor: Any, invitation: Invitation, refusal: str) -> Invitation:
    require_coordinator(actor, invitation.programme_id, refusal)
    current = (
        # Lock the invitation's row only: PostgreSQL refuses FOR UPDATE on the nullable side of
        # the outer joins (city, proposed_by).
        Invitation.objects.select_for_update(of=("self",))
        .select_related("programme", "city", "proposed_by")
        .get(pk=invitation.pk)
    )
    if not current.is_proposal_open:
        raise DomainError(_("This proposal was already confirmed, declined or withdrawn."))
    return current


def team_proposal_confirm(*, actor: Any, invitation: Invitation) -> Invitation:
    """The coordinator agrees: the invitation gets a fresh link and expiry, and its e-mail
    leaves (in the invitee's language) once the change is committed."""
    raw, hashed = _new_token()
    with transaction.atomic():
        current = _open_proposal_for_update(
            actor, invitation, _("Only the programme's coordinators confirm proposals.")
        )
        if actor.email and current.email == actor.email.lower():
            raise DomainError(_("You cannot give yourself a role."))
        now = timezone.now()
        current.confirmed_at = now
        current.invited_by = actor
        current.token_hash = hashed
        current.expires_at = now + timedelta(days=_valid_days())
        attribute_to(current, actor, "proposal confirmed")
        current.save(update_fields=["confirmed_at", "invited_by", "token_hash", "expires_at"])
        notify(
            kind=TEAM_PROPOSAL_CONFIRMED,
            recipients=[current.proposed_by] if current.proposed_by else [],
            url=_people_url(current.programme),
            programme=current.programme,
            actor=actor,
            params=_proposal_params(current),
        )
        _send_invitation(current, raw)
    return current


def team_proposal_decline(*, actor: Any, invitation: Invitation, reason: str) -> Invitation:
    """The coordinator refuses, saying why; the officer who proposed is told, with the reason."""
    reason = reason.strip()
    if not reason:
        message = _("Say why the proposal is declined.")
        raise DomainError(message, field_errors={"reason": message})
    with transaction.atomic():
        current = _open_proposal_for_update(
            actor, invitation, _("Only the programme's coordinators decline proposals.")
        )
        current.declined_at = timezone.now()
        current.decline_reason = reason[:300]
        attribute_to(current, actor, "proposal declined")
        current.save(update_fields=["declined_at", "decline_reason"])
        notify(
            kind=TEAM_PROPOSAL_DECLINED,
            recipients=[current.proposed_by] if current.proposed_by else [],
            url=_people_url(current.programme),
            programme=current.programme,
            actor=actor,
            params=_proposal_params(current),
            message=current.decline_reason,
        )
    return current


def programme_team_rules_update(
    *, actor: Any, programme: Programme, expected_version: int, officers_propose_team: bool
) -> Programme:
    """Whether the cities' officers may propose their team; refused on a stale form."""
    require_coordinator(actor, programme.pk, _("Only the coordinators change this setting."))
    with transaction.atomic():
        current = Programme.objects.select_for_update().get(pk=programme.pk)
        if current.version != expected_version:
            raise ConcurrentEditError(
                _(
                    "Someone else saved the programme's settings while you were editing them. "
                    "Please look at the saved values and choose again."
                )
            )
        if current.officers_propose_team == officers_propose_team:
            return current
        current.officers_propose_team = officers_propose_team
        current.version += 1
        attribute_to(current, actor, "team rules changed")
        current.save(update_fields=["officers_propose_team", "version"])
    return current


# ---------------------------------------------------------------- handover


@dataclass(frozen=True)
class HandoverResult:
    """What ending a city officer's role did: the ended role, and the open work either handed
    to `successor` or, when no one took it over, kept by the leaver (`kept`)."""

    membership: Membership
    successor: Person | None
    handed_over: list[HandoverItem]
    kept: list[HandoverItem]


def handover_successors(membership: Membership) -> list[Membership]:
    """The other current officers of the leaver's city, who may take over its work."""
    if not hands_over(membership) or membership.city_id is None:
        return []
    return list(
        Membership.objects.current()
        .filter(
            programme_id=membership.programme_id,
            city_id=membership.city_id,
            role=Role.CITY_OFFICER,
        )
        .exclude(person_id=membership.person_id)
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "pk")
    )


def _stale_list() -> DomainError:
    message = _(
        "What this officer takes part in has changed since the page was shown: "
        "please check the list again and confirm."
    )
    return DomainError(message, field_errors={"successor": message})


def membership_hand_over(
    *,
    actor: Any,
    membership: Membership,
    successor: Membership | None,
    ended_on: date,
    reason: str,
    expected_keys: set[str],
) -> HandoverResult:
    """End a role and, for a city officer, hand their open work to another officer of the city.

    `successor` is the new officer's current role in the same city (None: only end the role, the
    work stays with the leaver). `expected_keys` are the items the coordinator was shown; if
    what would be handed over has changed since, nothing happens (the page was stale). All in one
    transaction: the role's end is audited with the new officer named, each moved item with the
    old and the new officer, and the new officer is notified once, listing the events.
    """
    require_coordinator(
        actor, membership.programme_id, _("Only the programme's coordinators hand work over.")
    )
    with transaction.atomic():
        # Two coordinators ending the same role: the second waits, then finds it ended.
        Membership.objects.select_for_update().filter(pk=membership.pk).first()
        if successor is not None and successor.pk not in {
            m.pk for m in handover_successors(membership)
        }:
            message = _("Choose another current officer of the same city.")
            raise DomainError(message, field_errors={"successor": message})
        items = handover_items(membership)
        if successor is None:
            ended = _membership_end(
                actor=actor, membership=membership, ended_on=ended_on, reason=reason
            )
            return HandoverResult(membership=ended, successor=None, handed_over=[], kept=items)
        if {item.key for item in items} != set(expected_keys):
            raise _stale_list()
        new_officer = successor.person
        leaver = membership.person
        ended = _membership_end(
            actor=actor,
            membership=membership,
            ended_on=ended_on,
            reason=reason,
            audit_note=(
                f"role ended, work handed over to {new_officer.full_name} "
                f"(person #{new_officer.pk})"
            ),
        )
        if items:
            handover_apply(
                actor=actor,
                membership=membership,
                successor=new_officer,
                items=items,
                reason=(
                    f"handed over from {leaver.full_name} (person #{leaver.pk}) "
                    f"to {new_officer.full_name} (person #{new_officer.pk})"
                ),
            )
            city = membership.city
            notify(
                kind=HANDOVER,
                recipients=[new_officer],
                url=reverse("programmes:city", args=[membership.programme.slug, city.slug])
                if city is not None
                else _people_url(membership.programme),
                programme=membership.programme,
                actor=actor,
                params={"leaver": leaver.full_name, "city": city.name if city else ""},
                # The events' own titles, as their organisers wrote them.
                message="\n".join(item.title for item in items),
            )
    return HandoverResult(membership=ended, successor=new_officer, handed_over=items, kept=[])
