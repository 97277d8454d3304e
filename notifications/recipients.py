"""Who must act: the people holding a role (current memberships only) in a programme, scheme or
city. Apps choose the recipients of their notifications with these."""

from __future__ import annotations

from django.db.models import Q

from core.roles import CITY_ROLES, SCHEME_ROLES, Role
from programmes.models import Membership, Person


def holders(
    programme_id: int,
    *roles: str,
    city_id: int | None = None,
    scheme_id: int | None = None,
    approval_level: str | None = None,
) -> list[Person]:
    """People with one of `roles` in the programme; a city role is narrowed to `city_id`, a
    scheme role (facilitator) to `scheme_id`; programme roles are never narrowed. A city or
    scheme role asked for without its scope is refused: it would reach every city's officers."""
    if city_id is None and set(roles) & set(CITY_ROLES):
        raise ValueError("a city role's holders need the city")
    if scheme_id is None and set(roles) & set(SCHEME_ROLES):
        raise ValueError("a scheme role's holders need the scheme")
    memberships = Membership.objects.current().filter(programme_id=programme_id, role__in=roles)
    if city_id is not None:
        memberships = memberships.filter(Q(city_id=city_id) | Q(city__isnull=True))
    if scheme_id is not None:
        memberships = memberships.filter(Q(scheme_id=scheme_id) | Q(scheme__isnull=True))
    if approval_level is not None:
        memberships = memberships.filter(
            Q(approval_level=approval_level) | ~Q(role=Role.CITY_APPROVER)
        )
    people = {m.person.pk: m.person for m in memberships.select_related("person")}
    return list(people.values())
