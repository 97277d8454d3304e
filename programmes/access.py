"""What one signed-in person may reach: their memberships resolved against core.rules.

A Viewer is built once per request (three queries, whatever the data size) and turns a rule's
scopes into id sets that selectors use as filters; nothing is fetched outside them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from core.roles import Role
from core.rules import RULES, Action, Scope


@dataclass(frozen=True)
class Grant:
    role: Role
    programme_id: int
    scheme_id: int | None
    city_id: int | None
    approval_level: str


@dataclass
class Reach:
    """The ids an action reaches: whole programmes, schemes, cities."""

    programme_ids: set[int] = field(default_factory=set)
    scheme_ids: set[int] = field(default_factory=set)
    city_ids: set[int] = field(default_factory=set)
    everything: bool = False


@dataclass
class Viewer:
    user_id: int | None
    is_platform_admin: bool = False
    grants: tuple[Grant, ...] = ()
    # (programme id, city id) -> scheme id, for the viewer's own cities
    scheme_of_city: dict[tuple[int, int], int] = field(default_factory=dict)
    # (programme id, city id) -> ids of the cities it is paired with in that programme
    partners_of_city: dict[tuple[int, int], set[int]] = field(default_factory=dict)

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    def reach(self, action: Action, *, programme_id: int | None = None) -> Reach:
        """The ids this action reaches; within one programme when `programme_id` is given, so
        that a role held in one programme never opens another programme's objects."""
        if self.is_platform_admin:
            return Reach(everything=True)
        allowed = RULES[action]
        reach = Reach()
        for grant in self.grants:
            scope = allowed.get(grant.role)
            if scope is None or programme_id not in (None, grant.programme_id):
                continue
            if scope is Scope.PROGRAMME:
                reach.programme_ids.add(grant.programme_id)
            elif scope is Scope.SCHEME:
                scheme_id = grant.scheme_id or self.scheme_of_city.get(
                    (grant.programme_id, grant.city_id or 0)
                )
                if scheme_id:
                    reach.scheme_ids.add(scheme_id)
                elif grant.city_id:  # a city not yet in a scheme still reaches itself
                    reach.city_ids.add(grant.city_id)
            elif scope is Scope.PAIR and grant.city_id:
                reach.city_ids.add(grant.city_id)
                reach.city_ids |= self.partners_of_city.get(
                    (grant.programme_id, grant.city_id), set()
                )
            elif scope is Scope.CITY and grant.city_id:
                reach.city_ids.add(grant.city_id)
        return reach

    def q(
        self,
        action: Action,
        *,
        programme: str | None = None,
        scheme: str | None = None,
        city: str | None = None,
        programme_id: int | None = None,
    ) -> Q:
        """A filter for a queryset, given the lookups from its model to programme, scheme, city.

        A lookup left out means that kind of scope cannot reach the model; an empty reach
        gives a filter that matches nothing.
        """
        reach = self.reach(action, programme_id=programme_id)
        if reach.everything:
            return Q()
        condition = Q(pk__in=[])
        if programme and reach.programme_ids:
            condition |= Q(**{f"{programme}__in": reach.programme_ids})
        if scheme and reach.scheme_ids:
            condition |= Q(**{f"{scheme}__in": reach.scheme_ids})
        if city and reach.city_ids:
            condition |= Q(**{f"{city}__in": reach.city_ids})
        return condition

    def reaches(
        self,
        action: Action,
        *,
        programme_id: int,
        scheme_id: int | None = None,
        city_id: int | None = None,
    ) -> bool:
        """Whether the action reaches one object of the programme, given the scheme and city it
        belongs to (no query: for objects already fetched)."""
        reach = self.reach(action, programme_id=programme_id)
        return (
            reach.everything
            or programme_id in reach.programme_ids
            or (scheme_id is not None and scheme_id in reach.scheme_ids)
            or (city_id is not None and city_id in reach.city_ids)
        )

    def can(self, action: Action, *, programme_id: int) -> bool:
        """Whether any grant for this action lies in the programme (a coarse, page-level check)."""
        if self.is_platform_admin:
            return True
        allowed = RULES[action]
        return any(g.role in allowed and g.programme_id == programme_id for g in self.grants)


ANONYMOUS = Viewer(user_id=None)


def viewer_for(user: Any) -> Viewer:
    """The viewer for a request's user, computed once and kept on the user object.

    The user object lives for one request (the session middleware loads it anew for each), so a
    role ended between two requests no longer counts on the second one."""
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    cached: Viewer | None = getattr(user, "_viewer", None)
    if cached is not None:
        return cached
    from .models import Membership, MentoringPair, SchemeMember

    memberships = list(
        Membership.objects.current()
        .filter(person__user=user)
        .values("role", "programme_id", "scheme_id", "city_id", "approval_level")
    )
    grants = tuple(
        Grant(
            role=Role(m["role"]),
            programme_id=m["programme_id"],
            scheme_id=m["scheme_id"],
            city_id=m["city_id"],
            approval_level=m["approval_level"],
        )
        for m in memberships
    )
    own_city_ids = {g.city_id for g in grants if g.city_id}
    scheme_of_city: dict[tuple[int, int], int] = {}
    partners_of_city: dict[tuple[int, int], set[int]] = {}
    if own_city_ids:
        # Current memberships and pairs only: a city reaches its partners of today, while its
        # own past visits stay reachable through its own city.
        for member in (
            SchemeMember.objects.current()
            .filter(city_id__in=own_city_ids)
            .values("programme_id", "city_id", "scheme_id")
        ):
            scheme_of_city[(member["programme_id"], member["city_id"])] = member["scheme_id"]
        for pair in (
            MentoringPair.objects.current()
            .filter(Q(mentor__city_id__in=own_city_ids) | Q(implementing__city_id__in=own_city_ids))
            .values("scheme__programme_id", "mentor__city_id", "implementing__city_id")
        ):
            programme_id = pair["scheme__programme_id"]
            mentor, implementing = pair["mentor__city_id"], pair["implementing__city_id"]
            partners_of_city.setdefault((programme_id, mentor), set()).add(implementing)
            partners_of_city.setdefault((programme_id, implementing), set()).add(mentor)
    viewer = Viewer(
        user_id=user.pk,
        is_platform_admin=bool(user.is_superuser),
        grants=grants,
        scheme_of_city=scheme_of_city,
        partners_of_city=partners_of_city,
    )
    user._viewer = viewer
    return viewer
