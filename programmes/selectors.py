"""Reads of programme data, always through the viewer's reach (core.rules): outside it is a 404.

Each selector fetches with a fixed number of queries, whatever the size of the programme.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404, QueryDict
from django.utils import timezone

from core.roles import Role
from core.rules import Action

from .access import Viewer, viewer_for
from .models import (
    City,
    Invitation,
    KeyDate,
    Membership,
    MentoringPair,
    MentoringScheme,
    Person,
    Programme,
    SchemeMember,
)

PEOPLE_PAGE_SIZE = 25
# Roles whose people every member of the programme may see and contact.
STAFF_ROLES = (Role.COORDINATOR, Role.FACILITATOR, Role.FINANCE_OFFICER)


def _reach_programme(viewer: Viewer, action: Action) -> Any:
    return viewer.q(action, programme="id")


# ---------------------------------------------------------------- programmes


@dataclass
class NavEntry:
    programme: Programme
    cities: list[City] = field(default_factory=list)  # the person's own cities
    scheme_codes: list[str] = field(default_factory=list)  # schemes they facilitate


def navigation_for_user(user: Any) -> list[NavEntry]:
    """The header's links: each programme the person may open, with their city or scheme."""
    viewer = viewer_for(user)
    programmes = Programme.objects.filter(_reach_programme(viewer, Action.VIEW_PROGRAMME))
    entries = {p.pk: NavEntry(p) for p in programmes.only("slug", "name")}
    for membership in memberships_of_user(user):
        entry = entries.get(membership.programme_id)
        if entry is None:
            continue
        if membership.city and membership.city not in entry.cities:
            entry.cities.append(membership.city)
        if membership.scheme and membership.scheme.theme.code not in entry.scheme_codes:
            entry.scheme_codes.append(membership.scheme.theme.code)
    return list(entries.values())


def programmes_public() -> QuerySet[Programme]:
    """What anyone may know of a programme: its name, funder, dates, size."""
    return Programme.objects.annotate(
        city_count=Count(
            "schemes__members",
            filter=Q(schemes__members__ended_on__isnull=True),
            distinct=True,
        ),
        scheme_count=Count("schemes", distinct=True),
    ).order_by("-start_date")


def programme_get(user: Any, slug: str) -> Programme:
    viewer = viewer_for(user)
    programme = Programme.objects.filter(
        _reach_programme(viewer, Action.VIEW_PROGRAMME), slug=slug
    ).first()
    if programme is None:
        raise Http404("No such programme")
    return programme


@dataclass
class MapPoint:
    city: City
    x: float
    y: float
    role: str
    theme_code: str
    label_dy: float = 4.0  # moved down when labels of close cities would overlap
    show_label: bool = True  # False when no free place was found near the city


# A label tries its own place and this many lower ones before it is left out.
_MAX_LABEL_SHIFTS = 6
# The grid's cells, as wide as a short label: each try looks only at the labels nearby.
_GRID_WIDTH = 60.0


def _spread_labels(points: list[MapPoint]) -> None:
    """Shift labels of neighbouring cities apart so that none overlaps another.

    Placed labels never overlap, so each grid cell holds a bounded number of them and a try
    costs a bounded number of comparisons: n cities take O(n log n) (the sort), not O(n²). A
    label with no free place within `_MAX_LABEL_SHIFTS` is left out; its city keeps its mark,
    its name in the mark's title and its row in the table below the map."""
    grid: dict[tuple[int, int], list[tuple[float, float, float, float]]] = defaultdict(list)

    def cells(box: tuple[float, float, float, float]) -> list[tuple[int, int]]:
        lft, t, r, b = box
        return [
            (i, j)
            for i in range(math.floor(lft / _GRID_WIDTH), math.floor(r / _GRID_WIDTH) + 1)
            for j in range(math.floor(t / _LABEL_HEIGHT), math.floor(b / _LABEL_HEIGHT) + 1)
        ]

    def free(box: tuple[float, float, float, float]) -> bool:
        lft, t, r, b = box
        return not any(
            lft < r2 and r > l2 and t < b2 and b > t2
            for cell in cells(box)
            for l2, t2, r2, b2 in grid.get(cell, ())
        )

    for point in sorted(points, key=lambda p: (p.y, p.x)):
        width = (len(point.city.name) + 4) * _LABEL_CHAR_WIDTH
        left = point.x + 9
        first_dy = point.label_dy
        for _shift in range(_MAX_LABEL_SHIFTS + 1):
            top = point.y + point.label_dy - _LABEL_HEIGHT + 3
            box = (left, top, left + width, top + _LABEL_HEIGHT)
            if free(box):
                for cell in cells(box):
                    grid[cell].append(box)
                break
            point.label_dy += _LABEL_HEIGHT
        else:
            point.label_dy = first_dy
            point.show_label = False


# The overview's table of cities shows this many a page; a programme may have hundreds.
OVERVIEW_CITIES_PER_PAGE = 25


@dataclass
class SchemeCityFilters:
    """The GET form of a list of cities (the overview's, the dashboard's): a scheme (theme
    code), part of a city's name, a page."""

    scheme: str = ""
    search: str = ""
    page: str = "1"

    @classmethod
    def from_query(cls, query: Any) -> SchemeCityFilters:
        return cls(
            scheme=query.get("scheme", "").strip()[:10],
            search=query.get("q", "").strip()[:100],
            page=query.get("page", "1"),
        )

    @property
    def active(self) -> bool:
        return bool(self.scheme or self.search)

    def query(self) -> str:
        """The filters as a query string for the pagination's links (without the page)."""
        q = QueryDict(mutable=True)
        if self.scheme:
            q["scheme"] = self.scheme
        if self.search:
            q["q"] = self.search
        return q.urlencode()


@dataclass
class SchemeFigures:
    """One scheme of the overview with its counts (over the whole scheme, not a page)."""

    scheme: MentoringScheme
    cities: int = 0
    pairs: int = 0
    openable: bool = False  # its page opens for the viewer (scheme_page's own rule)


@dataclass
class CityListed:
    """A row of the overview's table of cities: the city in its scheme, the cities it is paired
    with, and whether its page opens for the viewer."""

    member: SchemeMember
    partners: list[City]
    opens: bool


@dataclass
class ProgrammeOverview:
    programme: Programme
    filters: SchemeCityFilters
    schemes: list[SchemeFigures]
    page: Page[Any]  # its object_list: the page's CityListed rows
    key_dates: list[KeyDate]
    rating_levels: list[Any]
    visible_city_ids: set[int]  # the page's cities whose page opens for the viewer
    map_points: list[MapPoint] = field(default_factory=list)  # the page's cities
    illustrative_count: int = 0
    pair_count: int = 0

    @property
    def city_count(self) -> int:
        return sum(s.cities for s in self.schemes)

    @property
    def rows(self) -> list[CityListed]:
        return list(self.page.object_list)

    @property
    def budget(self) -> dict[str, Decimal]:
        p = self.programme
        return {
            "total": p.total_budget,
            "eu_max": p.max_eu_contribution,
            "co_financing": p.co_financing_target,
        }


# A rough box around Europe for the schematic map (longitude, latitude), drawn equirectangular.
_MAP_WEST, _MAP_EAST, _MAP_SOUTH, _MAP_NORTH = -12.0, 40.0, 33.0, 65.0
MAP_WIDTH, MAP_HEIGHT = 880, 600
_LABEL_CHAR_WIDTH, _LABEL_HEIGHT = 7.0, 13.0


def _map_position(city: City) -> tuple[float, float] | None:
    if city.latitude is None or city.longitude is None:
        return None
    x = (float(city.longitude) - _MAP_WEST) / (_MAP_EAST - _MAP_WEST) * MAP_WIDTH
    y = (_MAP_NORTH - float(city.latitude)) / (_MAP_NORTH - _MAP_SOUTH) * MAP_HEIGHT
    return round(x, 1), round(y, 1)


def _visible_city_ids(viewer: Viewer, programme_id: int, members: list[SchemeMember]) -> set[int]:
    reach = viewer.reach(Action.VIEW_CITY, programme_id=programme_id)
    if reach.everything:
        return {m.city_id for m in members}
    return {
        m.city_id
        for m in members
        if m.programme_id in reach.programme_ids
        or m.scheme_id in reach.scheme_ids
        or m.city_id in reach.city_ids
    }


def programme_overview(
    user: Any, slug: str, filters: SchemeCityFilters | None = None
) -> ProgrammeOverview:
    """What the overview shows: each scheme with its counts, one page of the cities (filtered
    by scheme and name) with their partners, placed on the map. The same eight queries however
    many cities there are."""
    filters = filters or SchemeCityFilters()
    programme = programme_get(user, slug)
    viewer = viewer_for(user)
    schemes = {
        s.pk: SchemeFigures(
            s,
            openable=viewer.reaches(Action.VIEW_SCHEME, programme_id=programme.pk, scheme_id=s.pk),
        )
        for s in MentoringScheme.objects.filter(programme=programme)
        .select_related("theme__facilitator")
        .order_by("theme__code")
    }
    members = SchemeMember.objects.current().filter(programme=programme)
    illustrative = 0
    for scheme_id, pairs, shown in (
        MentoringPair.objects.current()
        .filter(scheme__programme=programme)
        .values_list("scheme_id")
        .annotate(n=Count("pk"), shown=Count("pk", filter=Q(illustrative=True)))
        .order_by()
    ):
        if scheme_id in schemes:
            schemes[scheme_id].pairs = pairs
        illustrative += shown
    if filters.scheme:
        members = members.filter(scheme__theme__code__iexact=filters.scheme)
    if filters.search:
        members = members.filter(city__name__icontains=filters.search)
    # The cities of each scheme that the filters keep: the schemes' counts without filters,
    # the list's length with them (one query either way).
    kept = dict(members.values_list("scheme_id").annotate(n=Count("pk")).order_by())
    if not filters.active:
        for scheme_id, n in kept.items():
            if scheme_id in schemes:
                schemes[scheme_id].cities = n
    else:
        for scheme_id, n in (
            SchemeMember.objects.current()
            .filter(programme=programme)
            .values_list("scheme_id")
            .annotate(n=Count("pk"))
            .order_by()
        ):
            if scheme_id in schemes:
                schemes[scheme_id].cities = n
    paginator: Paginator[Any] = Paginator(members, OVERVIEW_CITIES_PER_PAGE)
    # The counts give the list's length, and the page is read with one query even when empty:
    # the same queries for no city as for many.
    paginator.count = sum(kept.values())
    page = paginator.get_page(filters.page)
    offset = (page.number - 1) * OVERVIEW_CITIES_PER_PAGE
    listed = list(
        members.select_related("city", "scheme__theme").order_by(
            "scheme__theme__code", "role", "city__name", "pk"
        )[offset : offset + OVERVIEW_CITIES_PER_PAGE]
    )
    # ([0] when the page is empty: the query runs all the same, so that the count of queries
    # never depends on the data.)
    ids = [m.pk for m in listed] or [0]
    partners: dict[int, list[City]] = defaultdict(list)
    for pair in (
        MentoringPair.objects.current()
        .filter(Q(mentor_id__in=ids) | Q(implementing_id__in=ids))
        .select_related("mentor__city", "implementing__city")
        .order_by("pk")
    ):
        partners[pair.mentor_id].append(pair.implementing.city)
        partners[pair.implementing_id].append(pair.mentor.city)
    visible = _visible_city_ids(viewer, programme.pk, listed)
    page.object_list = [CityListed(m, partners[m.pk], m.city_id in visible) for m in listed]
    points = []
    for member in listed:
        position = _map_position(member.city)
        if position:
            points.append(
                MapPoint(
                    member.city, position[0], position[1], member.role, member.scheme.theme.code
                )
            )
    _spread_labels(points)
    return ProgrammeOverview(
        programme=programme,
        filters=filters,
        schemes=list(schemes.values()),
        page=page,
        key_dates=list(programme.key_dates.all()),
        rating_levels=list(programme.rating_levels.all()),
        visible_city_ids=visible,
        map_points=points,
        illustrative_count=illustrative,
        pair_count=sum(s.pairs for s in schemes.values()),
    )


# ---------------------------------------------------------------- schemes


@dataclass
class SchemePage:
    """The scheme, its current members and pairs, and its past pairs (newest ended first)."""

    scheme: MentoringScheme
    members: list[SchemeMember]
    pairs: list[MentoringPair]
    past_pairs: list[MentoringPair]
    visible_city_ids: set[int]


def scheme_page(user: Any, programme_slug: str, theme_code: str) -> SchemePage:
    viewer = viewer_for(user)
    scheme = (
        MentoringScheme.objects.filter(
            viewer.q(Action.VIEW_SCHEME, programme="programme_id", scheme="id"),
            programme__slug=programme_slug,
            theme__code=theme_code,
        )
        .select_related("programme", "theme__facilitator", "theme__european_module")
        .prefetch_related(
            Prefetch(
                "members",
                queryset=SchemeMember.objects.current()
                .select_related("city")
                .order_by("role", "city__name"),
                to_attr="current_members",
            ),
            Prefetch(
                "pairs",
                queryset=MentoringPair.objects.select_related(
                    "mentor__city", "implementing__city"
                ).order_by("implementing__city__name", "-ended_on", "-pk"),
                to_attr="all_pairs",
            ),
            "theme__commitments__role",
            Prefetch(
                "memberships",
                queryset=Membership.objects.select_related("person__organisation"),
                to_attr="facilitator_memberships",
            ),
        )
        .first()
    )
    if scheme is None:
        raise Http404("No such scheme")
    members: list[SchemeMember] = scheme.current_members
    pairs: list[MentoringPair] = scheme.all_pairs
    past = sorted(
        (p for p in pairs if p.ended_on is not None),
        key=lambda p: (p.ended_on, p.pk),
        reverse=True,
    )
    in_past = [m for p in past for m in (p.mentor, p.implementing)]
    return SchemePage(
        scheme=scheme,
        members=members,
        pairs=[p for p in pairs if p.ended_on is None],
        past_pairs=past,
        visible_city_ids=_visible_city_ids(viewer, scheme.programme_id, members + in_past),
    )


# ---------------------------------------------------------------- cities


@dataclass
class CityPage:
    city: City
    programme: Programme
    member: SchemeMember | None
    pairs: list[MentoringPair]
    team: list[Membership]
    can_edit: bool
    visible_city_ids: set[int]

    @property
    def officers(self) -> list[Membership]:
        return [m for m in self.team if m.role == Role.CITY_OFFICER]

    @property
    def approvers(self) -> list[Membership]:
        return [m for m in self.team if m.role == Role.CITY_APPROVER]


def _cities_in_reach(viewer: Viewer, action: Action, programme: Programme) -> QuerySet[City]:
    """Cities of the programme (in a scheme or partners not yet in one) that the action reaches
    through the viewer's roles in this programme only."""
    reach = viewer.reach(action, programme_id=programme.pk)
    in_programme = Q(scheme_memberships__programme=programme) | Q(
        organisation__partnerships__programme=programme
    )
    if reach.everything or programme.pk in reach.programme_ids:
        in_scope = Q()
    else:
        in_scope = Q(pk__in=reach.city_ids) | Q(scheme_memberships__scheme_id__in=reach.scheme_ids)
    return City.objects.filter(in_programme, in_scope).distinct()


def city_get(
    user: Any, programme_slug: str, city_slug: str, *, action: Action = Action.VIEW_CITY
) -> City:
    return _city_in_programme(user, programme_get(user, programme_slug), city_slug, action)


def _city_in_programme(user: Any, programme: Programme, city_slug: str, action: Action) -> City:
    city = _cities_in_reach(viewer_for(user), action, programme).filter(slug=city_slug).first()
    if city is None:
        raise Http404("No such city")
    return city


def city_in_reach(user: Any, programme: Programme, city: City, action: Action) -> bool:
    """Whether `action` reaches this city of the programme for the user (one query)."""
    return _cities_in_reach(viewer_for(user), action, programme).filter(pk=city.pk).exists()


def city_page(user: Any, programme_slug: str, city_slug: str) -> CityPage:
    programme = programme_get(user, programme_slug)
    viewer = viewer_for(user)
    city = _city_in_programme(user, programme, city_slug, Action.VIEW_CITY)
    member = (
        SchemeMember.objects.current()
        .filter(programme=programme, city=city)
        .select_related("scheme__theme__facilitator")
        .first()
    )
    pairs = list(
        MentoringPair.objects.current()
        .filter(Q(mentor__city=city) | Q(implementing__city=city), scheme__programme=programme)
        .select_related("scheme__theme", "mentor__city", "implementing__city")
    )
    team = list(
        Membership.objects.filter(programme=programme, city=city)
        .select_related("person__organisation")
        .order_by("role", "person__last_name")
    )
    editable = city_in_reach(user, programme, city, Action.EDIT_CITY)
    partner_members = [p.mentor for p in pairs] + [p.implementing for p in pairs]
    return CityPage(
        city=city,
        programme=programme,
        member=member,
        pairs=pairs,
        team=team,
        can_edit=editable,
        visible_city_ids=_visible_city_ids(viewer, programme.pk, partner_members),
    )


# ---------------------------------------------------------------- people


def people_for_user(
    user: Any, programme: Programme, *, search: str = "", role: str = "", page: int | str = 1
) -> Page[Membership]:
    """The directory: memberships of the programme the viewer may see, one page at a time."""
    viewer = viewer_for(user)
    reach = viewer.reach(Action.VIEW_PEOPLE, programme_id=programme.pk)
    visible = viewer.q(
        Action.VIEW_PEOPLE,
        programme="programme_id",
        scheme="scheme_id",
        city="city_id",
        programme_id=programme.pk,
    )
    if reach.scheme_ids:
        # A scheme reaches the people of the cities in it, not only the scheme's facilitator.
        visible |= Q(
            city__scheme_memberships__scheme_id__in=reach.scheme_ids,
            city__scheme_memberships__programme=programme,
            city__scheme_memberships__ended_on__isnull=True,
        )
    if viewer.can(Action.VIEW_PROGRAMME, programme_id=programme.pk):
        visible |= Q(role__in=STAFF_ROLES)
    memberships = (
        Membership.objects.current()
        .filter(visible, programme=programme)
        .select_related("person__organisation", "city", "scheme__theme")
        .order_by("person__last_name", "person__first_name", "role")
        .distinct()
    )
    if search:
        memberships = memberships.filter(
            Q(person__first_name__icontains=search)
            | Q(person__last_name__icontains=search)
            | Q(person__organisation__name__icontains=search)
            | Q(city__name__icontains=search)
        )
    if role:
        memberships = memberships.filter(role=role)
    return Paginator(memberships, PEOPLE_PAGE_SIZE).get_page(page)


def person_for_user(user: Any) -> Person | None:
    if not user.is_authenticated:
        return None
    return Person.objects.filter(user=user).select_related("organisation").first()


def memberships_of_user(user: Any) -> list[Membership]:
    return list(
        Membership.objects.current()
        .filter(person__user=user)
        .select_related("programme", "city", "scheme__theme")
    )


# ---------------------------------------------------------------- people and roles (coordinators)


def _require_people_manager(user: Any, programme: Programme) -> None:
    """Inviting people and ending roles is the coordinators' work: others get a 404."""
    if not viewer_for(user).can(Action.MANAGE_SCHEMES, programme_id=programme.pk):
        raise Http404("No people management here")


def invitations_pending(user: Any, programme: Programme) -> list[Invitation]:
    """The programme's invitations still waiting for an answer (coordinators only, else none)."""
    if not viewer_for(user).can(Action.MANAGE_SCHEMES, programme_id=programme.pk):
        return []
    return list(
        Invitation.objects.filter(
            programme=programme,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            declined_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        # A city's proposal not yet confirmed has sent nothing: it is listed apart.
        .exclude(proposed_by__isnull=False, confirmed_at__isnull=True)
        .select_related("city", "scheme__theme", "organisation")
    )


def invitation_get(user: Any, programme: Programme, pk: int) -> Invitation:
    _require_people_manager(user, programme)
    invitation = Invitation.objects.filter(programme=programme, pk=pk).first()
    if invitation is None:
        raise Http404("No such invitation")
    return invitation


def membership_to_manage(user: Any, programme: Programme, pk: int) -> Membership:
    """A current role of the programme that the coordinator may end (404 otherwise)."""
    _require_people_manager(user, programme)
    membership = (
        Membership.objects.current()
        .filter(programme=programme, pk=pk)
        .select_related("person", "city", "scheme__theme")
        .first()
    )
    if membership is None:
        raise Http404("No such role")
    return membership


def person_to_manage(user: Any, programme: Programme, pk: int) -> Person:
    """A person with a role (current or ended) in the programme, for a coordinator (404 else)."""
    _require_people_manager(user, programme)
    person = Person.objects.filter(pk=pk, memberships__programme=programme).distinct().first()
    if person is None:
        raise Http404("No such person")
    return person


# ---------------------------------------------------------------- audit trail


def audited_object_get(user: Any, programme: Programme, kind: str, pk: int) -> Any:
    """An audited object of the programme, by kind, for its history tab (404 outside it)."""
    querysets: dict[str, QuerySet[Any]] = {
        "programme": Programme.objects.filter(pk=programme.pk),
        "city": City.objects.filter(
            Q(scheme_memberships__programme=programme)
            | Q(organisation__partnerships__programme=programme)
        ).distinct(),
        "scheme": MentoringScheme.objects.filter(programme=programme).select_related("theme"),
        "pair": MentoringPair.objects.filter(scheme__programme=programme).select_related(
            "mentor__city", "implementing__city"
        ),
        "person": Person.objects.filter(memberships__programme=programme).distinct(),
    }
    if kind not in querysets:
        raise Http404("No such kind of object")
    instance = querysets[kind].filter(pk=pk).first()
    if instance is None:
        raise Http404("No such object")
    return instance
