"""Reading the conference on site: its days in its own zone, the delegates to check in (by name
or by the signed code of their badge's QR), who holds a session and who was there, the counts
of the on-site page, and the funder's participants' list of one day.

Every function takes the viewing user and answers 404 (`Http404`) to anyone who may not see
the conference's delegates: the organisers check in and count; the auditors read the lists.
A participants' list names only the delegates who agreed to be listed (`consent_listed`); the
others are counted, never named."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core import signing
from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from ..choices import CHOSEN_KINDS, PlaceStatus
from ..models import Attendance, Conference, Registration, Session
from ..permissions import can_organise, can_view_registrations

# The on-site pages open the conference and list the delegations as the organisers' pages do.
from .organising import delegation_cities as delegation_cities
from .organising import organised_conference_get as organised_conference_get
from .organising import readable_conference_get as readable_conference_get

CHECKIN_SALT = "conference.checkin"
SEARCH_PAGE_SIZE = 20
SESSION_PAGE_SIZE = 50


class Variant:
    """The two participants' lists of a day."""

    SIGN_IN = "sign-in"
    CHECKED_IN = "checked-in"


def _zone(conference: Conference) -> ZoneInfo:
    return ZoneInfo(conference.event.timezone)


def conference_days(conference: Conference) -> list[date]:
    """The conference's days, on the clocks of its own zone."""
    zone = _zone(conference)
    first = conference.event.starts_at.astimezone(zone).date()
    last = conference.event.ends_at.astimezone(zone).date()
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def local_today(conference: Conference, now: datetime | None = None) -> date:
    return (now or timezone.now()).astimezone(_zone(conference)).date()


@dataclass(frozen=True)
class CheckinDay:
    """The day a check-in counts for: today when the conference is on, else the organiser's
    choice among its days (first by default). `on_today` says whether it is on today."""

    day: date
    days: list[date]
    on_today: bool


def checkin_day(
    conference: Conference, chosen: date | None = None, now: datetime | None = None
) -> CheckinDay:
    days = conference_days(conference)
    today = local_today(conference, now)
    on_today = today in days
    fallback = today if on_today else days[0]
    day = chosen if chosen in days else fallback
    return CheckinDay(day, days, on_today)


# ---------------------------------------------------------------- the badge's signed code


def checkin_code(registration: Registration) -> str:
    """The code a badge's QR carries: the conference and the registration, signed (a code
    changed by one character is refused; the raw number alone opens nothing)."""
    return signing.dumps([registration.conference_id, registration.pk], salt=CHECKIN_SALT)


def checkin_url(registration: Registration, slug: str) -> str:
    """The absolute address a phone's camera opens from the badge."""
    path = reverse(
        "conference:onsite_checkin_code", kwargs={"slug": slug, "code": checkin_code(registration)}
    )
    return f"{settings.PLATFORM_BASE_URL}{path}"


def _with_day(registrations: QuerySet[Registration], day: date) -> QuerySet[Any]:
    """Each registration with `checked_in_at`: when it was checked in on `day` (or None)."""
    checked = Attendance.objects.filter(
        registration=OuterRef("pk"), day=day, session__isnull=True
    ).values("recorded_at")[:1]
    return registrations.select_related("delegation__city").annotate(
        checked_in_at=Subquery(checked)
    )


def registration_for_code(user: Any, conference: Conference, code: str, day: date) -> Registration:
    """The delegate a badge's code names, with `checked_in_at` on `day`; 404 for a code that
    was altered, belongs to another conference or to a cancelled registration."""
    if not can_organise(user, conference):
        raise Http404("No such conference")
    try:
        conference_id, pk = signing.loads(code, salt=CHECKIN_SALT)
    except (signing.BadSignature, TypeError, ValueError) as error:
        raise Http404("No such badge") from error
    if conference_id != conference.pk:
        raise Http404("No such badge")
    found = (
        _with_day(conference.registrations.exclude(status=PlaceStatus.CANCELLED), day)
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404("No such badge")
    return found


def registration_for_checkin(user: Any, conference: Conference, pk: int) -> Registration:
    """A delegate of the conference to check in (or undo); 404 outside it or when cancelled."""
    if not can_organise(user, conference):
        raise Http404("No such conference")
    found = conference.registrations.exclude(status=PlaceStatus.CANCELLED).filter(pk=pk).first()
    if found is None:
        raise Http404("No such registration")
    return found


def _matching(registrations: QuerySet[Registration], query: str) -> QuerySet[Registration]:
    """Every word typed is in the first name, the last name or the organisation."""
    for word in query.split():
        registrations = registrations.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(organisation__icontains=word)
        )
    return registrations


def checkin_search(
    user: Any, conference: Conference, query: str, day: date, page_number: Any = 1
) -> Page[Registration]:
    """The delegates (confirmed or waiting) whose name or organisation matches, by last name,
    20 a page, each with `checked_in_at` on `day`. An empty query finds nobody: the page lists
    delegates only when asked."""
    if not can_organise(user, conference):
        raise Http404("No such conference")
    registrations = conference.registrations.none()
    if query.strip():
        registrations = _matching(
            conference.registrations.exclude(status=PlaceStatus.CANCELLED), query
        )
    return Paginator(
        _with_day(registrations, day).order_by("last_name", "first_name", "pk"), SEARCH_PAGE_SIZE
    ).get_page(page_number)


# ---------------------------------------------------------------- badges


def badge_registrations(
    user: Any,
    conference: Conference,
    *,
    city_id: int | None = None,
    ids: list[int] | None = None,
) -> list[Registration]:
    """The confirmed delegates to print a badge for, by last name: all, a city's delegation or
    the registrations listed."""
    if not can_organise(user, conference):
        raise Http404("No such conference")
    registrations = conference.registrations.filter(status=PlaceStatus.CONFIRMED)
    if city_id is not None:
        registrations = registrations.filter(delegation__city_id=city_id)
    if ids:
        registrations = registrations.filter(pk__in=ids)
    return list(
        registrations.select_related("delegation__city").order_by("last_name", "first_name", "pk")
    )


def attendance_session_get(user: Any, conference: Conference, pk: int) -> Session:
    if not can_organise(user, conference):
        raise Http404("No such conference")
    found = conference.sessions.filter(pk=pk).first()
    if found is None:
        raise Http404("No such session")
    return found


def session_holders(session: Session) -> QuerySet[Registration]:
    """Who holds a place in the session: the confirmed delegates with a confirmed choice of a
    workshop or site visit; every confirmed delegate for the sessions open to all."""
    registrations = Registration.objects.filter(
        conference_id=session.conference_id, status=PlaceStatus.CONFIRMED
    )
    if session.kind in CHOSEN_KINDS:
        registrations = registrations.filter(
            choices__session=session, choices__status=PlaceStatus.CONFIRMED
        )
    return registrations


@dataclass(frozen=True)
class SessionAttendance:
    session: Session
    page: Page[Any]
    holders: int
    present: int
    query: str


def session_attendance(
    user: Any, conference: Conference, session: Session, query: str = "", page_number: Any = 1
) -> SessionAttendance:
    """The session's delegates (searched, 50 a page, by last name), each with `present`, and
    the counts of those holding it and of those marked present."""
    if not can_organise(user, conference) or session.conference_id != conference.pk:
        raise Http404("No such session")
    holders = session_holders(session)
    present = Attendance.objects.filter(session=session, registration=OuterRef("pk"))
    shown = (
        _matching(holders, query)
        .select_related("delegation__city")
        .annotate(present=Exists(present))
        .order_by("last_name", "first_name", "pk")
    )
    counts = holders.aggregate(
        holders=Count("pk", distinct=True),
        present=Count("attendances", filter=Q(attendances__session=session), distinct=True),
    )
    return SessionAttendance(
        session=session,
        page=Paginator(shown, SESSION_PAGE_SIZE).get_page(page_number),
        holders=counts["holders"],
        present=counts["present"],
        query=query,
    )


# ---------------------------------------------------------------- the on-site page


@dataclass(frozen=True)
class DayCount:
    day: date
    checked_in: int


@dataclass(frozen=True)
class SessionCount:
    session: Session
    present: int


@dataclass(frozen=True)
class Overview:
    confirmed: int
    waiting: int
    days: list[DayCount]
    sessions: list[SessionCount]


def onsite_overview(user: Any, conference: Conference) -> Overview:
    """The counts of the on-site page: places, the check-ins of each day, the presence in each
    session (three queries)."""
    if not can_view_registrations(user, conference):
        raise Http404("No such conference")
    places = conference.registrations.aggregate(
        confirmed=Count("pk", filter=Q(status=PlaceStatus.CONFIRMED)),
        waiting=Count("pk", filter=Q(status=PlaceStatus.WAITING)),
    )
    per_day = dict(
        Attendance.objects.filter(registration__conference=conference, session__isnull=True)
        .values_list("day")
        .annotate(n=Count("pk"))
        .values_list("day", "n")
    )
    sessions = conference.sessions.annotate(present=Count("attendances", distinct=True)).order_by(
        "starts_at", "track", "title"
    )
    return Overview(
        confirmed=places["confirmed"],
        waiting=places["waiting"],
        days=[DayCount(day, per_day.get(day, 0)) for day in conference_days(conference)],
        sessions=[SessionCount(s, s.present) for s in sessions],
    )


# ---------------------------------------------------------------- the participants' list


@dataclass(frozen=True)
class Participant:
    name: str
    last_name: str
    organisation: str
    country: str
    level: str
    city: str
    checked_in_at: datetime | None


@dataclass(frozen=True)
class ParticipantsList:
    conference: Conference
    day: date
    variant: str
    listed: list[Participant]
    unlisted: int


def participants_for_day(
    user: Any, conference: Conference, day: date, variant: str
) -> ParticipantsList:
    """One day's list for the funder: the confirmed delegates (sign-in sheet) or those checked
    in that day (checked in, with the time on the conference's clocks). Only those who agreed
    to be listed are named; the others are only counted."""
    if not can_view_registrations(user, conference):
        raise Http404("No such conference")
    if day not in conference_days(conference) or variant not in (
        Variant.SIGN_IN,
        Variant.CHECKED_IN,
    ):
        raise Http404("No such list")
    registrations = _with_day(conference.registrations.all(), day)
    if variant == Variant.SIGN_IN:
        registrations = registrations.filter(status=PlaceStatus.CONFIRMED)
    else:
        registrations = registrations.filter(checked_in_at__isnull=False)
    counts = registrations.aggregate(
        unlisted=Count("pk", filter=Q(consent_listed=False)),
    )
    zone = _zone(conference)
    listed = [
        Participant(
            name=r.full_name,
            last_name=r.last_name,
            organisation=r.organisation,
            country=str(r.country.name) if r.country else "",
            level=r.get_level_display() if r.level else "",
            city=r.delegation.city.name if r.delegation else "",
            checked_in_at=r.checked_in_at.astimezone(zone) if r.checked_in_at else None,
        )
        for r in registrations.filter(consent_listed=True).order_by("last_name", "first_name", "pk")
    ]
    return ParticipantsList(conference, day, variant, listed, counts["unlisted"])
