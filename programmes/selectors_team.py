"""Reads of the people and roles records: past roles, every invitation with its state, the
cities' proposals for their teams. Scoped to the viewer: outside it, a 404 or nothing."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from core.roles import Role
from core.rules import Action

from .access import viewer_for
from .models import City, Invitation, InvitationState, Membership, Programme

RECORDS_PAGE_SIZE = 25
OWN_PROPOSALS_SHOWN = 10


def _require_records_reader(user: Any, programme: Programme) -> None:
    """The records of who held what are for the coordinators and auditors (as the history)."""
    if not viewer_for(user).can(Action.VIEW_HISTORY, programme_id=programme.pk):
        raise Http404("No records here")


def can_read_records(user: Any, programme: Programme) -> bool:
    return viewer_for(user).can(Action.VIEW_HISTORY, programme_id=programme.pk)


def past_roles_page(user: Any, programme: Programme, *, page: int | str = 1) -> Page[Membership]:
    """Roles that have ended (their end date reached), latest first."""
    _require_records_reader(user, programme)
    ended = (
        Membership.objects.filter(programme=programme, ended_on__lte=timezone.localdate())
        .select_related("person__organisation", "city", "scheme__theme")
        .order_by("-ended_on", "person__last_name", "pk")
    )
    return Paginator(ended, RECORDS_PAGE_SIZE).get_page(page)


def _proposal_open_q() -> Q:
    return Q(
        proposed_by__isnull=False,
        confirmed_at__isnull=True,
        declined_at__isnull=True,
        revoked_at__isnull=True,
        accepted_at__isnull=True,
    )


def _state_q(state: str) -> Q:
    """The database condition for each InvitationState (Invitation.state, in SQL)."""
    now = timezone.now()
    unanswered = Q(accepted_at__isnull=True, revoked_at__isnull=True, declined_at__isnull=True)
    sent = Q(proposed_by__isnull=True) | Q(confirmed_at__isnull=False)
    return {
        InvitationState.PROPOSED: _proposal_open_q(),
        InvitationState.PENDING: unanswered & sent & Q(expires_at__gt=now),
        InvitationState.ACCEPTED: Q(accepted_at__isnull=False),
        InvitationState.DECLINED: Q(accepted_at__isnull=True, declined_at__isnull=False),
        InvitationState.REVOKED: Q(
            accepted_at__isnull=True, declined_at__isnull=True, revoked_at__isnull=False
        ),
        InvitationState.EXPIRED: unanswered & sent & Q(expires_at__lte=now),
    }[InvitationState(state)]


def invitations_page(
    user: Any, programme: Programme, *, state: str = "", page: int | str = 1
) -> Page[Invitation]:
    """Every invitation of the programme, latest first, optionally in one state."""
    _require_records_reader(user, programme)
    invitations = (
        Invitation.objects.filter(programme=programme)
        .select_related("city", "scheme__theme", "organisation", "proposed_by", "invited_by")
        .order_by("-created_at", "-pk")
    )
    if state:
        invitations = invitations.filter(_state_q(state))
    return Paginator(invitations, RECORDS_PAGE_SIZE).get_page(page)


def proposals_open(user: Any, programme: Programme) -> list[Invitation]:
    """The cities' proposals waiting for a coordinator (coordinators only, else none)."""
    if not viewer_for(user).can(Action.MANAGE_SCHEMES, programme_id=programme.pk):
        return []
    return list(
        Invitation.objects.filter(_proposal_open_q(), programme=programme)
        .select_related("city", "proposed_by")
        .order_by("created_at")
    )


def proposal_get(user: Any, programme: Programme, pk: int) -> Invitation:
    """An open proposal of the programme, for a coordinator (404 otherwise)."""
    if not viewer_for(user).can(Action.MANAGE_SCHEMES, programme_id=programme.pk):
        raise Http404("No people management here")
    found = (
        Invitation.objects.filter(_proposal_open_q(), programme=programme, pk=pk)
        .select_related("city", "proposed_by", "programme")
        .first()
    )
    if found is None:
        raise Http404("No such proposal")
    return found


def _officer_city_ids(user: Any, programme: Programme) -> set[int]:
    return {
        g.city_id
        for g in viewer_for(user).grants
        if g.role == Role.CITY_OFFICER and g.programme_id == programme.pk and g.city_id
    }


def proposable_cities(user: Any, programme: Programme) -> list[City]:
    """The cities whose team the viewer may propose people for (their own, as an officer)."""
    city_ids = _officer_city_ids(user, programme)
    if not city_ids or not programme.officers_propose_team:
        return []
    return list(City.objects.filter(pk__in=city_ids).order_by("name"))


def proposals_of_own_cities(user: Any, programme: Programme) -> list[Invitation]:
    """The latest proposals made for the viewer's own cities, with where each stands."""
    city_ids = _officer_city_ids(user, programme)
    if not city_ids:
        return []
    return list(
        Invitation.objects.filter(
            programme=programme, city_id__in=city_ids, proposed_by__isnull=False
        )
        .select_related("city", "proposed_by")
        .order_by("-created_at", "-pk")[:OWN_PROPOSALS_SHOWN]
    )
