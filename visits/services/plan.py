"""The visit plan of a programme: the planner (visits.planner) fed from the database, its
proposal saved as planned events, and any plan checked against the rules.

Visits run 09:00-17:00 in the host city's time zone on each of their days.
"""

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import attribute_to
from core.errors import DomainError
from core.roles import Role
from programmes.models import Membership, MentoringPair, Programme
from programmes.permissions import require_coordinator

from .. import notices, planner
from ..choices import EventFormat, EventStatus
from ..models import CityUnavailability, Event
from ..times import event_first_day, event_last_day

VISIT_DAY_START, VISIT_DAY_END = time(9, 0), time(17, 0)
_KIND_FORMAT = {
    planner.STUDY: EventFormat.STUDY_VISIT,
    planner.MENTORING: EventFormat.MENTORING_VISIT,
}
_FORMAT_KIND = {v: k for k, v in _KIND_FORMAT.items()}


@dataclass
class PlanInputs:
    pairs: list[planner.Pair]
    cities: list[planner.City]
    attendees: dict[tuple[str, str], set[str]]
    names: dict[str, str]


def plan_inputs(programme: Programme) -> PlanInputs:
    """The programme's pairs, cities (with unavailable dates) and who attends each visit: both
    cities' officers and the theme's facilitators (three queries of plain values, whatever the
    size of the programme: the plan is checked on every visit of its page)."""
    unavailable: dict[int, list[tuple[date, date]]] = {}
    for row in CityUnavailability.objects.filter(programme=programme):
        unavailable.setdefault(row.city_id, []).append((row.start, row.end))
    cities, names = {}, {}
    planner_pairs = []
    for pk, code, *ends in (
        MentoringPair.objects.current()
        .filter(scheme__programme=programme)
        .values_list(
            "pk",
            "scheme__theme__code",
            *(f"{end}__city__{f}" for end in ("mentor", "implementing") for f in _CITY_FIELDS),
        )
        .order_by("scheme", "implementing__city__name", "pk")
    ):
        slugs = []
        for city_pk, slug, name, country in (ends[:4], ends[4:]):
            names[slug] = name
            cities[slug] = planner.City(
                id=slug,
                name=name,
                country=str(country),
                unavailable=tuple(sorted(unavailable.get(city_pk, []))),
            )
            slugs.append(slug)
        planner_pairs.append(
            planner.Pair(id=str(pk), mentor=slugs[0], implementer=slugs[1], theme=code)
        )
    officers: dict[str, set[str]] = {}
    facilitators: dict[str, set[str]] = {}
    memberships = (
        Membership.objects.current()
        .filter(programme=programme, role__in=(Role.CITY_OFFICER, Role.FACILITATOR))
        .values_list(
            "person_id",
            "person__first_name",
            "person__last_name",
            "role",
            "city__slug",
            "scheme__theme__code",
        )
        .order_by("pk")
    )
    for person_id, first_name, last_name, role, city, theme in memberships:
        key = f"person-{person_id}"
        names[key] = f"{first_name} {last_name}"  # Person.full_name
        if role == Role.CITY_OFFICER and city:
            officers.setdefault(city, set()).add(key)
        elif theme:
            facilitators.setdefault(theme, set()).add(key)
    return PlanInputs(
        pairs=planner_pairs,
        cities=list(cities.values()),
        attendees=planner.attendees_default(planner_pairs, officers, facilitators),
        names=names,
    )


_CITY_FIELDS = ("pk", "slug", "name", "country")


def _visit_of(event: Event) -> planner.Visit:
    return planner.Visit(
        pair=str(event.pair_id),
        kind=_FORMAT_KIND[EventFormat(event.format)],
        start=event_first_day(event),
        end=event_last_day(event),
    )


def visit_plan_check(
    *, programme: Programme, rules: planner.Rules, events: list[Event]
) -> list[planner.Conflict]:
    """Every rule the programme's visits break, in words (none: an empty list)."""
    inputs = plan_inputs(programme)
    visits = [_visit_of(e) for e in events if e.format in _FORMAT_KIND and e.status != "cancelled"]
    return planner.check_plan(
        inputs.pairs, inputs.cities, rules, visits, inputs.attendees, inputs.names
    )


def visit_plan_propose(
    *, actor: Any, programme: Programme, rules: planner.Rules, time_limit: float = 10.0
) -> tuple[list[Event], list[planner.Conflict]]:
    """Plan every pair's two visits in the window and save them as planned events, each host
    city's officers asked to confirm the dates; visits that already exist (not cancelled) stay
    as they are and the others are planned around them."""
    require_coordinator(
        actor, programme.pk, _("Only the programme's coordinators plan its visits.")
    )
    if rules.window_start < programme.start_date or rules.window_end > programme.end_date:
        raise DomainError(
            _("The window must lie within the programme (%(start)s to %(end)s).")
            % {"start": programme.start_date, "end": programme.end_date},
            field_errors={"window_start": _("Choose dates within the programme.")},
        )
    inputs = plan_inputs(programme)
    existing = list(
        Event.objects.filter(programme=programme, format__in=list(_FORMAT_KIND)).exclude(
            status=EventStatus.CANCELLED
        )
    )
    fixed = [_visit_of(e) for e in existing]
    result = planner.plan_visits(
        inputs.pairs,
        inputs.cities,
        rules,
        inputs.attendees,
        inputs.names,
        fixed=fixed,
        time_limit=time_limit,
    )
    if result.status != "planned":
        return [], result.conflicts
    already = {(v.pair, v.kind) for v in fixed}
    by_id = {
        str(p.pk): p
        for p in MentoringPair.objects.filter(pk__in=[int(v.pair) for v in result.visits])
        .select_related("scheme__theme", "mentor__city", "implementing__city")
        .order_by()
    }
    created = []
    with transaction.atomic():
        for visit in result.visits:
            if (visit.pair, visit.kind) in already:
                continue
            pair = by_id[visit.pair]
            host = pair.mentor.city if visit.kind == planner.STUDY else pair.implementing.city
            guest = pair.implementing.city if visit.kind == planner.STUDY else pair.mentor.city
            zone = ZoneInfo(host.timezone)
            title = (
                _("Study visit of %(guest)s to %(host)s")
                if visit.kind == planner.STUDY
                else _("Mentoring visit of %(guest)s to %(host)s")
            ) % {"guest": guest.name, "host": host.name}
            event = Event(
                programme=programme,
                format=_KIND_FORMAT[visit.kind],
                title=title,
                starts_at=datetime.combine(visit.start, VISIT_DAY_START, tzinfo=zone),
                ends_at=datetime.combine(visit.end, VISIT_DAY_END, tzinfo=zone),
                timezone=host.timezone,
                host_city=host,
                pair=pair,
                scheme=pair.scheme,
            )
            attribute_to(event, actor, "planned by the visit planner")
            event.save()
            notices.dates_to_confirm(event, actor)
            created.append(event)
    return created, result.conflicts
