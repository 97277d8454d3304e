"""Places at the conference: registering (the public form, a city's delegation), choosing
sessions, cancelling through the private link, and the waiting lists moving up.

Every change of places locks the conference's row first, so two registrations never take the
last place together (PostgreSQL: `SELECT … FOR UPDATE`; SQLite: the write transaction is taken
at BEGIN, see config/settings). Within that lock a registration is confirmed while the
conference has room and each chosen session has room; otherwise it waits, in the order people
registered. A cancellation frees a place and gives it, in the same transaction, to whoever
waited longest; each person whose place changed gets an e-mail (with the calendar) once the
transaction commits.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial
from itertools import pairwise
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.audit import attribute_to
from core.errors import DomainError
from programmes.models import City, Person
from programmes.services.people import token_hash

from ..choices import CHOSEN_KINDS, DelegateKind, PlaceStatus
from ..emails import send_place_email
from ..models import Conference, Delegation, Registration, Session, SessionChoice
from ..permissions import can_register_delegation
from ..selectors.programme import TAKEN


@dataclass(frozen=True)
class DelegateInput:
    first_name: str
    last_name: str
    email: str
    language: str = "en"
    organisation: str = ""
    role: str = ""
    level: str = ""
    country: str = ""
    dietary_needs: str = ""
    access_needs: str = ""
    consent_listed: bool = False
    consent_photos: bool = False
    session_ids: tuple[int, ...] = ()
    delegate_kind: str = ""
    person_id: int | None = None


@dataclass
class Placed:
    """A registration made, with the raw token of its private link (shown and e-mailed once)."""

    registration: Registration
    token: str
    moved_up: list[Registration] = field(default_factory=list)


def _refused(message: str, field_name: str) -> DomainError:
    return DomainError(message, field_errors={field_name: message})


def _lock(conference: Conference) -> Conference:
    return Conference.objects.select_for_update(of=("self",)).get(pk=conference.pk)


def _confirmed(conference: Conference) -> int:
    return conference.registrations.filter(status=PlaceStatus.CONFIRMED).count()


def _session_confirmed(session: Session) -> int:
    return session.choices.filter(
        status=PlaceStatus.CONFIRMED, registration__status=PlaceStatus.CONFIRMED
    ).count()


def _chosen_sessions(conference: Conference, session_ids: Iterable[int]) -> list[Session]:
    """The sessions chosen, each a workshop or site visit of this conference, at most one per
    time slot (a delegate cannot be in two rooms at once)."""
    wanted = set(session_ids)
    sessions = list(
        Session.objects.filter(conference=conference, pk__in=wanted, kind__in=CHOSEN_KINDS)
    )
    if len(sessions) != len(wanted):
        raise _refused(_("Choose among the conference's workshops and site visits."), "sessions")
    sessions.sort(key=lambda s: s.starts_at)
    for earlier, later in pairwise(sessions):
        if later.starts_at < earlier.ends_at:
            raise _refused(
                _("%(first)s and %(second)s take place at the same time: choose one.")
                % {"first": earlier.title, "second": later.title},
                "sessions",
            )
    return sessions


def _place_choices(registration: Registration, sessions: list[Session], now: Any) -> None:
    for session in sessions:
        room = session.capacity is None or _session_confirmed(session) < session.capacity
        SessionChoice.objects.create(
            registration=registration,
            session=session,
            status=PlaceStatus.CONFIRMED if room else PlaceStatus.WAITING,
            queued_at=now,
        )


def waiting_list_move_up(conference: Conference) -> list[Registration]:
    """Give the free places to those who waited longest: first the conference's, then each
    chosen session's (among the confirmed delegates). Call with the conference locked."""
    moved: dict[int, Registration] = {}
    free = conference.capacity - _confirmed(conference)
    if free > 0:
        for registration in conference.registrations.filter(status=PlaceStatus.WAITING).order_by(
            "queued_at", "pk"
        )[:free]:
            registration.status = PlaceStatus.CONFIRMED
            attribute_to(registration, None, "moved up from the waiting list")
            registration.save(update_fields=["status"])
            moved[registration.pk] = registration
    # One query finds the sessions with a free place and someone waiting for it.
    waiting_for = Count(
        "choices",
        filter=Q(
            choices__status=PlaceStatus.WAITING,
            choices__registration__status=PlaceStatus.CONFIRMED,
        ),
    )
    sessions = (
        conference.sessions.filter(capacity__isnull=False, kind__in=CHOSEN_KINDS)
        .annotate(taken=TAKEN, waiting=waiting_for)
        .filter(capacity__gt=F("taken"), waiting__gt=0)
    )
    for session in sessions:
        free = (session.capacity or 0) - session.taken
        waiting = (
            session.choices.filter(
                status=PlaceStatus.WAITING, registration__status=PlaceStatus.CONFIRMED
            )
            .select_related("registration")
            .order_by("queued_at", "pk")[:free]
        )
        for choice in waiting:
            choice.status = PlaceStatus.CONFIRMED
            choice.save(update_fields=["status"])
            moved.setdefault(choice.registration_id, choice.registration)
    return list(moved.values())


def place_emails_announce(
    registrations: Iterable[Registration], kind: str, tokens: dict[int, str]
) -> None:
    for registration in registrations:
        transaction.on_commit(
            partial(send_place_email, registration.pk, kind, token=tokens.get(registration.pk, ""))
        )


def _new(
    conference: Conference, data: DelegateInput, now: Any, **extra: Any
) -> tuple[Registration, str]:
    raw = secrets.token_urlsafe(32)
    status = (
        PlaceStatus.CONFIRMED
        if _confirmed(conference) < conference.capacity
        else (PlaceStatus.WAITING)
    )
    registration = Registration(
        conference=conference,
        first_name=data.first_name.strip(),
        last_name=data.last_name.strip(),
        email=data.email.strip().lower(),
        language=data.language,
        organisation=data.organisation.strip(),
        role=data.role.strip(),
        level=data.level,
        country=data.country,
        dietary_needs=data.dietary_needs.strip(),
        access_needs=data.access_needs.strip(),
        consent_listed=data.consent_listed,
        consent_photos=data.consent_photos,
        status=status,
        queued_at=now,
        token_hash=token_hash(raw),
        **extra,
    )
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError:
        raise _refused(
            _("This e-mail address is registered already: the e-mail we sent has your link."),
            "email",
        ) from None
    return registration, raw


def registration_open_problem(conference: Conference, now: Any = None) -> str:
    """Why the public form takes no registration now; empty when it does."""
    now = now or timezone.now()
    if not conference.registration_open:
        return _("Registration is not open.")
    if conference.registration_closes_at and now >= conference.registration_closes_at:
        return _("Registration is closed.")
    return ""


def register(*, conference: Conference, data: DelegateInput) -> Placed:
    """A delegate registers on the public form: confirmed while there is room, else waiting;
    the same for each chosen session. An e-mail with the private link follows."""
    problem = registration_open_problem(conference)
    if problem:
        raise DomainError(problem)
    with transaction.atomic():
        locked = _lock(conference)
        sessions = _chosen_sessions(locked, data.session_ids)
        now = timezone.now()
        registration, raw = _new(locked, data, now)
        _place_choices(registration, sessions, now)
        place_emails_announce([registration], "registered", {registration.pk: raw})
    return Placed(registration, raw)


def registration_for_token(raw_token: str) -> Registration | None:
    return (
        Registration.objects.filter(token_hash=token_hash(raw_token))
        .select_related("conference__event")
        .first()
    )


def registration_cancel(*, raw_token: str) -> Placed:
    """The delegate gives up their place through their private link; the waiting list moves
    up at once and each person moved up is told."""
    registration = registration_for_token(raw_token)
    if registration is None:
        raise DomainError(_("This link is not valid."))
    with transaction.atomic():
        _lock(registration.conference)
        registration = Registration.objects.get(pk=registration.pk)
        if registration.status == PlaceStatus.CANCELLED:
            raise DomainError(_("This registration is already cancelled."))
        registration.status = PlaceStatus.CANCELLED
        registration.cancelled_at = timezone.now()
        attribute_to(registration, None, "cancelled by the delegate")
        registration.save(update_fields=["status", "cancelled_at"])
        registration.choices.update(status=PlaceStatus.CANCELLED)
        moved = waiting_list_move_up(registration.conference)
        place_emails_announce([registration], "cancelled", {})
        place_emails_announce(moved, "moved_up", {})
    return Placed(registration, raw_token, moved)


def session_choices_change(*, raw_token: str, session_ids: Iterable[int]) -> Placed:
    """The delegate changes their workshops through their private link: a session they keep
    keeps its place; a new one is confirmed if it has room; a place given up moves its waiting
    list up."""
    registration = registration_for_token(raw_token)
    if registration is None or registration.status == PlaceStatus.CANCELLED:
        raise DomainError(_("This link is not valid."))
    with transaction.atomic():
        conference = _lock(registration.conference)
        sessions = _chosen_sessions(conference, session_ids)
        kept = {s.pk for s in sessions}
        registration.choices.exclude(session_id__in=kept).delete()
        existing = set(registration.choices.values_list("session_id", flat=True))
        _place_choices(registration, [s for s in sessions if s.pk not in existing], timezone.now())
        moved = [r for r in waiting_list_move_up(conference) if r.pk != registration.pk]
        place_emails_announce([registration], "changed", {})
        place_emails_announce(moved, "moved_up", {})
    return Placed(registration, raw_token, moved)


def registration_consents_change(*, raw_token: str, listed: bool, photos: bool) -> Registration:
    """The delegate gives or withdraws their consents (a delegation's delegates start with
    none: their coordinator cannot consent for them)."""
    registration = registration_for_token(raw_token)
    if registration is None or registration.status == PlaceStatus.CANCELLED:
        raise DomainError(_("This link is not valid."))
    registration.consent_listed = listed
    registration.consent_photos = photos
    attribute_to(registration, None, "consents changed by the delegate")
    registration.save(update_fields=["consent_listed", "consent_photos"])
    return registration


# ---------------------------------------------------------------- delegations


def delegation_for(conference: Conference, city: City) -> Delegation:
    delegation, _created = Delegation.objects.get_or_create(
        conference=conference, city=city, defaults={"quota": conference.delegation_quota}
    )
    return delegation


def delegation_register(
    *, actor: Any, conference: Conference, city: City, delegates: list[DelegateInput]
) -> list[Placed]:
    """A programme city registers its delegation in one go, within its quota; every delegate is
    flagged for travel paid by the grant. All or none: a refusal registers nobody."""
    decision = can_register_delegation(actor, conference, city)
    if not decision:
        raise DomainError(decision.reason)
    if not delegates:
        raise DomainError(_("Add at least one delegate."))
    with transaction.atomic():
        locked = _lock(conference)
        delegation = delegation_for(locked, city)
        taken = delegation.registrations.exclude(status=PlaceStatus.CANCELLED).count()
        if taken + len(delegates) > delegation.quota:
            raise DomainError(
                ngettext(
                    "%(city)s may send %(quota)d delegate; %(taken)d registered already, so "
                    "%(asked)d more cannot be added.",
                    "%(city)s may send %(quota)d delegates; %(taken)d registered already, so "
                    "%(asked)d more cannot be added.",
                    delegation.quota,
                )
                % {
                    "city": city.name,
                    "quota": delegation.quota,
                    "taken": taken,
                    "asked": len(delegates),
                }
            )
        placed: list[Placed] = []
        now = timezone.now()
        for data in delegates:
            if data.delegate_kind not in DelegateKind.values:
                raise DomainError(
                    _("Say who each delegate is: officer, politician or stakeholder.")
                )
            person = None
            if data.person_id:
                person = Person.objects.filter(
                    pk=data.person_id, organisation_id=city.organisation_id
                ).first()
                if person is None:
                    raise DomainError(_("A delegate chosen from the city must work for the city."))
            sessions = _chosen_sessions(locked, data.session_ids)
            registration, raw = _new(
                locked,
                data,
                now,
                delegation=delegation,
                delegate_kind=data.delegate_kind,
                person=person,
                travel_eligible=True,
                registered_by=actor,
            )
            _place_choices(registration, sessions, now)
            place_emails_announce([registration], "registered", {registration.pk: raw})
            placed.append(Placed(registration, raw))
    return placed
