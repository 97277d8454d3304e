"""Pseudonymising a person who left (GDPR art. 17 where the law requires keeping the records):
one coordinator asks, a second one (or a platform admin) confirms, and in that one transaction
the person's name and contacts are replaced by a pseudonym everywhere.

What happens, in order:
- the person's inbox, e-mails to them, notification preferences and calendar feeds are erased
  (privacy.registry: the kinds marked `erase`; nothing requires keeping them);
- their Person row and their account take the pseudonym ("Former participant #<n>", an address
  under pseudonymised.invalid); the account can no longer log in (inactive, no password);
- the invitations to their address take it too (a pending one is revoked);
- the history rows of their Person and of those invitations are rewritten column by column;
- every other copy of their name, address or phone as text, in every table including the
  history tables and their change reasons, is replaced (privacy.scrub);
- the generated files of the statements that report their costs are removed: they are made
  again, under the pseudonym, when someone asks for them.

Kept under the pseudonym: every record that refers to them by key (timesheets, claims, rates,
attendance, approvals, plan versions, the audit trail): money and decisions stay auditable and
the statements still add up. Receipts and other documents are kept unchanged until the finance
retention period ends (their content is evidence the funder's auditors must see as it was); only
their stored names are rewritten if they hold the person's name.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import attribute_to
from core.errors import DomainError
from core.roles import Role
from finance.models import ExpenseClaim, StatementFiles, Timesheet
from notifications.recipients import holders
from notifications.services import notify
from programmes.models import Invitation, Membership, Person

from ..choices import RequestStatus
from ..models import PSEUDONYM_NAME, PseudonymisationRequest, pseudonym_email_for, pseudonym_for
from ..notification_kinds import PSEUDONYMISATION_DONE, PSEUDONYMISATION_REQUESTED
from ..permissions import can_pseudonymise, manages_person
from ..registry import KINDS
from ..scrub import Identity, Replacer, scrub

# The columns of a person's own rows replaced wholesale (and in their history rows).
PERSON_COLUMNS = ("first_name", "last_name", "email", "phone", "job_title", "languages")
INVITATION_COLUMNS = ("first_name", "last_name", "email")


def _requests_url() -> str:
    return reverse("privacy:requests")


def _coordinators_of(person: Person) -> list[Person]:
    programme_ids = set(
        Membership.objects.filter(person=person).values_list("programme_id", flat=True)
    )
    people: dict[int, Person] = {}
    for programme_id in sorted(programme_ids):
        for coordinator in holders(programme_id, Role.COORDINATOR):
            people[coordinator.pk] = coordinator
    return list(people.values())


def pseudonymisation_request(*, actor: Any, person: Person, reason: str) -> PseudonymisationRequest:
    """Ask for a person who left to be pseudonymised; a second coordinator confirms."""
    decision = can_pseudonymise(actor, person)
    if not decision:
        raise DomainError(decision.reason)
    reason = reason.strip()
    if not reason:
        message = _("Say why the person is to be pseudonymised.")
        raise DomainError(message, field_errors={"reason": message})
    with transaction.atomic():
        Person.objects.select_for_update().filter(pk=person.pk).first()
        waiting = PseudonymisationRequest.objects.filter(
            person=person, status__in=[RequestStatus.REQUESTED, RequestStatus.DONE]
        )
        if waiting.exists():
            raise DomainError(_("A request to pseudonymise this person is waiting already."))
        request = PseudonymisationRequest(
            person=person, reason=reason[:2000], requested_by=actor, requested_at=timezone.now()
        )
        attribute_to(request, actor, "requested")
        request.save()
        notify(
            kind=PSEUDONYMISATION_REQUESTED,
            recipients=_coordinators_of(person),
            url=_requests_url(),
            actor=actor,
            params={"person": person.full_name},
        )
    return request


def _open_for_update(actor: Any, request: PseudonymisationRequest) -> PseudonymisationRequest:
    current = (
        PseudonymisationRequest.objects.select_for_update(of=("self",))
        .select_related("person__user")
        .get(pk=request.pk)
    )
    if not manages_person(actor, current.person):
        raise DomainError(
            _("Only the coordinators of the person's programmes and platform admins do this.")
        )
    if not current.is_open:
        raise DomainError(_("This request is no longer waiting for a confirmation."))
    return current


def pseudonymisation_cancel(
    *, actor: Any, request: PseudonymisationRequest
) -> PseudonymisationRequest:
    """Withdraw a request (its requester, or any coordinator who may confirm it)."""
    with transaction.atomic():
        current = _open_for_update(actor, request)
        current.status = RequestStatus.CANCELLED
        current.cancelled_by = actor
        current.cancelled_at = timezone.now()
        attribute_to(current, actor, "withdrawn")
        current.save(update_fields=["status", "cancelled_by", "cancelled_at"])
    return current


def pseudonymisation_confirm(
    *, actor: Any, request: PseudonymisationRequest
) -> PseudonymisationRequest:
    """The second pair of eyes: confirm, and the pseudonymisation is carried out at once."""
    with transaction.atomic():
        current = _open_for_update(actor, request)
        if current.requested_by_id == actor.pk:
            raise DomainError(
                _("A second person confirms: you asked for this pseudonymisation yourself.")
            )
        person = (
            Person.objects.select_for_update(of=("self",))
            .select_related("user")
            .get(pk=current.person_id)
        )
        decision = can_pseudonymise(actor, person)
        if not decision:
            raise DomainError(decision.reason)
        current.status = RequestStatus.DONE
        current.confirmed_by = actor
        current.confirmed_at = timezone.now()
        current.pseudonym = pseudonym_for(current.pk)
        attribute_to(current, actor, "confirmed: pseudonymised")
        current.save(update_fields=["status", "confirmed_by", "confirmed_at", "pseudonym"])
        summary = person_pseudonymise(person=person, request=current, actor=actor)
        PseudonymisationRequest.objects.filter(pk=current.pk).update(summary=summary)
        requester = Person.objects.filter(user_id=current.requested_by_id).first()
        notify(
            kind=PSEUDONYMISATION_DONE,
            recipients=[requester] if requester else [],
            url=_requests_url(),
            actor=actor,
            params={"pseudonym": current.pseudonym},
        )
    current.refresh_from_db()
    return current


def identity_of(person: Person, request: PseudonymisationRequest) -> Identity:
    user = person.user
    emails = [person.email]
    if user is not None:
        emails += [user.email, user.username]
    return Identity(
        first_name=person.first_name,
        last_name=person.last_name,
        emails=sorted({e for e in emails if e and "@" in e}),
        phone=person.phone,
        pseudonym=pseudonym_for(request.pk),
        pseudonym_email=pseudonym_email_for(request.pk),
    )


def person_pseudonymise(
    *, person: Person, request: PseudonymisationRequest, actor: Any
) -> dict[str, Any]:
    """Carry out a confirmed request (inside its transaction); what changed, as counts."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("A pseudonymisation runs inside its request's transaction")
    identity = identity_of(person, request)
    user = person.user
    invitation_ids = list(
        Invitation.objects.filter(
            next(k for k in KINDS if k.name == "invitations_received").condition(person, user)
        ).values_list("pk", flat=True)
    )
    statement_ids = _statements_reporting(person)
    erased = _erase(person, user)
    first, last = PSEUDONYM_NAME, f"#{request.pk}"
    values = {
        "first_name": first,
        "last_name": last,
        "email": identity.pseudonym_email,
        "phone": "",
        "job_title": "",
        "languages": "",
    }
    for column, value in values.items():
        setattr(person, column, value)
    person.language = settings.LANGUAGE_CODE
    attribute_to(person, actor, f"pseudonymised (request {request.pk})")
    person.save()
    Person.history.model._base_manager.filter(id=person.pk).update(**values)
    if user is not None:
        _account_pseudonymise(user, identity, first, last)
    _invitations_pseudonymise(invitation_ids, identity, first, last, actor, request)
    replaced = scrub(Replacer(identity))
    removed = _statement_files_remove(statement_ids)
    return {
        "erased": erased,
        "replaced": replaced,
        "invitations": len(invitation_ids),
        "statement_files_removed": removed,
    }


def _erase(person: Person, user: Any) -> dict[str, int]:
    erased: dict[str, int] = {}
    # Notifications first: they point at the e-mails that carried them.
    for kind in sorted((k for k in KINDS if k.erase), key=lambda k: k.name != "notifications"):
        count, _by_model = kind.rows(person, user).delete()
        if count:
            erased[kind.name] = count
    return erased


def _account_pseudonymise(user: Any, identity: Identity, first: str, last: str) -> None:
    user.username = identity.pseudonym_email
    user.email = identity.pseudonym_email
    user.first_name = first
    user.last_name = last
    user.set_unusable_password()
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.last_login = None
    user.save()
    user.groups.clear()
    user.user_permissions.clear()


def _invitations_pseudonymise(
    ids: list[int],
    identity: Identity,
    first: str,
    last: str,
    actor: Any,
    request: PseudonymisationRequest,
) -> None:
    values = {"first_name": first, "last_name": last, "email": identity.pseudonym_email}
    now = timezone.now()
    for invitation in Invitation.objects.filter(pk__in=ids):
        for column, value in values.items():
            setattr(invitation, column, value)
        if invitation.is_pending or invitation.is_proposal_open:
            invitation.revoked_at = now
        attribute_to(invitation, actor, f"pseudonymised (request {request.pk})")
        invitation.save()
    Invitation.history.model._base_manager.filter(id__in=ids).update(**values)


def _statements_reporting(person: Person) -> set[int]:
    sheets = Timesheet.objects.filter(person=person, reported_in__isnull=False)
    claims = ExpenseClaim.objects.filter(traveller=person, reported_in__isnull=False)
    return set(sheets.values_list("reported_in_id", flat=True)) | set(
        claims.values_list("reported_in_id", flat=True)
    )


def _statement_files_remove(statement_ids: set[int]) -> int:
    """The statements' generated XLSX and PDF name the person: they go (rows now, files once
    the transaction commits) and are made again, under the pseudonym, on request."""
    rows = list(StatementFiles.objects.filter(statement_id__in=statement_ids))
    for files in rows:
        stored = [(f.storage, f.name) for f in (files.xlsx, files.pdf) if f]

        def remove(stored: list[tuple[Any, str]] = stored) -> None:
            for storage, name in stored:
                storage.delete(name)

        transaction.on_commit(remove)
    StatementFiles.objects.filter(pk__in=[f.pk for f in rows]).delete()
    return len(rows)
