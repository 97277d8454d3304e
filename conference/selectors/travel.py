"""The delegates' travel, paid by the grant for the programme cities' delegations: who may claim
the conference's costs (finance asks through `travel_claim_refusal`, registered in the app's
ready), and, for the organisers, each travel-eligible delegate with their claims' status and
accepted amount."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from core.aggregates import ExactSum
from finance.choices import LineDecision
from finance.models import ExpenseClaim
from programmes.models import Person
from visits.models import Event

from ..choices import PlaceStatus
from ..models import Conference, Registration
from ..permissions import can_organise


def travel_claim_refusal(traveller: Person, event: Event) -> str:
    """Why `traveller` may not claim the travel to `event`; empty when they may (the event is
    no conference, or they hold a live registration in a delegation with travel paid)."""
    conference = Conference.objects.filter(event=event).only("pk").first()
    if conference is None:
        return ""
    eligible = (
        Registration.objects.filter(conference=conference, person=traveller, travel_eligible=True)
        .exclude(status=PlaceStatus.CANCELLED)
        .exists()
    )
    if eligible:
        return ""
    return _(
        "Travel to the conference is paid for the programme cities' delegates registered in a "
        "delegation."
    )


@dataclass
class DelegateTravel:
    """A travel-eligible delegate and the claims they made for the conference."""

    registration: Registration
    city: str
    claims: list[ExpenseClaim] = field(default_factory=list)

    @property
    def accepted_eur(self) -> Decimal:
        return sum(
            (claim.accepted_eur or Decimal(0) for claim in self.claims),  # type: ignore[attr-defined]
            Decimal(0),
        )


def conference_travel_claims(user: Any, conference: Conference) -> list[DelegateTravel]:
    """Each delegate whose travel the grant pays (cancelled ones too when they claimed), with
    their claims for the conference's event: status and accepted amount in EUR. Organisers
    only; three queries whatever the number of delegates."""
    if not can_organise(user, conference):
        raise Http404("No such conference")
    claims = (
        ExpenseClaim.objects.filter(event_id=conference.event_id)
        .annotate(
            accepted_eur=ExactSum(
                "lines__amount_eur", filter=Q(lines__decision=LineDecision.ACCEPTED)
            )
        )
        .order_by("pk")
    )
    registrations = (
        Registration.objects.filter(conference=conference, travel_eligible=True)
        .select_related("delegation__city")
        .order_by("delegation__city__name", "last_name", "first_name", "pk")
    )
    by_person: dict[int, list[ExpenseClaim]] = {}
    for claim in claims:
        by_person.setdefault(claim.traveller_id, []).append(claim)
    rows = []
    for registration in registrations:
        own = by_person.get(registration.person_id, []) if registration.person_id else []
        if registration.status == PlaceStatus.CANCELLED and not own:
            continue
        city = registration.delegation.city.name if registration.delegation else ""
        rows.append(DelegateTravel(registration, city, own))
    return rows
