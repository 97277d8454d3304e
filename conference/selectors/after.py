"""Reading the conference after the event: a delegate's survey and certificate, the survey's
results for the organisers and auditors, and the conference's figures (registrations,
attendance, sessions, feedback) that the work plan's deliverable and the technical report show.

Each reads in a fixed number of queries, whatever the number of sessions or delegates.
Anonymity: a result with fewer than `MIN_ANSWERS` answers shows its count only (no average, no
distribution, no comments), so that nobody's scores can be told from a handful of answers; the
comments are listed in alphabetical order, never in the order they came in.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Avg, Count, Q
from django.http import Http404
from django.utils.translation import gettext as _
from django_countries import countries

from core.funding import funding_statement
from visits.times import day_text, event_first_day, event_last_day, time_range

from ..choices import GovernmentLevel, PlaceStatus, SessionKind
from ..models import Attendance, Conference, FeedbackAnswer, Registration, Session
from ..permissions import can_view_registrations
from ..services.after import (
    SCORES,
    answerable_sessions,
    attended_days,
    certificate_problem,
    feedback_open_problem,
)
from .onsite import local_today

# Fewer answers than this: the count only, so that no delegate's answer can be singled out.
MIN_ANSWERS = 3


def _average(total: int, count: int) -> Decimal | None:
    if not count:
        return None
    return (Decimal(total) / Decimal(count)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# ---------------------------------------------------------------- the delegate's pages


@dataclass(frozen=True)
class SurveyItem:
    """One form of the survey: the whole conference (session None) or one session."""

    session: Session | None
    title: str
    when: str
    answered: bool


@dataclass(frozen=True)
class SurveyPage:
    open_problem: str  # why the survey is not open; empty when it is
    confirmed: bool
    items: list[SurveyItem]


def survey_page(registration: Registration, now: datetime | None = None) -> SurveyPage:
    """The delegate's survey: the conference's form, then one per session they took part in,
    each marked when answered (3 queries)."""
    conference = registration.conference
    event = conference.event
    given = list(registration.feedback_given.values_list("session_id", flat=True))
    sessions = answerable_sessions(registration, now)
    items = [SurveyItem(None, _("The whole conference"), "", None in given)]
    items += [
        SurveyItem(s, s.title, time_range(s.starts_at, s.ends_at, event.timezone), s.pk in given)
        for s in sessions
    ]
    return SurveyPage(
        open_problem=feedback_open_problem(conference, now),
        confirmed=registration.status == PlaceStatus.CONFIRMED,
        items=items,
    )


def survey_item(page: SurveyPage, session_pk: int | None) -> SurveyItem:
    """One form of the delegate's survey; 404 for a session they did not take part in."""
    for item in page.items:
        if (item.session.pk if item.session else None) == session_pk:
            return item
    raise Http404("No such session")


@dataclass(frozen=True)
class AfterLinks:
    """What the delegate's private page offers after the conference."""

    survey_open: bool
    certificate_available: bool
    certificate_problem: str
    conference_begun: bool


def after_links(registration: Registration, now: datetime | None = None) -> AfterLinks:
    conference = registration.conference
    begun = local_today(conference, now) >= event_first_day(conference.event)
    confirmed = registration.status == PlaceStatus.CONFIRMED
    problem = certificate_problem(registration, now) if begun else ""
    return AfterLinks(
        survey_open=confirmed and not feedback_open_problem(conference, now),
        certificate_available=begun and not problem,
        certificate_problem=problem,
        conference_begun=begun,
    )


@dataclass(frozen=True)
class CertificateData:
    """What a certificate of attendance says (plain strings, in the active language)."""

    language: str
    title: str
    conference: str
    dates: str
    place: str
    delegate: str
    organisation: str
    days: list[str]
    sessions: list[str]
    programme: str
    funding: str
    issued: str
    labels: dict[str, str] = field(default_factory=dict)


def certificate_data(registration: Registration, language: str) -> CertificateData:
    conference = registration.conference
    event = conference.event
    first, last = event_first_day(event), event_last_day(event)
    dates = day_text(first) if first == last else f"{day_text(first)} \u2013 {day_text(last)}"
    city = event.host_city.name if event.host_city else ""
    place = ", ".join(p for p in (event.venue, city) if p)
    sessions = (
        registration.attendances.filter(session__isnull=False)
        .select_related("session")
        .order_by("session__starts_at", "session__title")
    )
    return CertificateData(
        language=language,
        title=_("Certificate of attendance"),
        conference=event.title,
        dates=dates,
        place=place,
        delegate=registration.full_name,
        organisation=registration.organisation,
        days=[day_text(d) for d in attended_days(registration)],
        sessions=[
            f"{s.title} ({time_range(s.starts_at, s.ends_at, event.timezone)})"
            for s in (a.session for a in sessions)
            if s is not None
        ],
        programme=event.programme.name,
        funding=funding_statement(),
        issued=day_text(local_today(conference)),
        labels={
            "certify": _("This certifies that"),
            "attended": _("attended"),
            "days": _("Days attended"),
            "sessions": _("Sessions attended"),
            "issued": _("Issued on"),
        },
    )


# ---------------------------------------------------------------- the survey's results


@dataclass(frozen=True)
class Result:
    """The answers on the conference or one session."""

    title: str
    session: Session | None
    count: int
    overall: Decimal | None  # None when hidden (fewer than MIN_ANSWERS) or no answer
    usefulness: Decimal | None
    overall_counts: list[int]  # answers scoring 1..5
    usefulness_counts: list[int]
    comments: list[str]

    @property
    def shown(self) -> bool:
        return self.count >= MIN_ANSWERS

    @property
    def distribution(self) -> list[tuple[int, int, int]]:
        return list(zip(SCORES, self.overall_counts, self.usefulness_counts, strict=True))


@dataclass(frozen=True)
class FeedbackResults:
    conference: Result
    sessions: list[Result]
    min_answers: int = MIN_ANSWERS


def _result(title: str, session: Session | None, rows: list[tuple[int, int, str]]) -> Result:
    count = len(rows)
    shown = count >= MIN_ANSWERS
    overall = Counter(r[0] for r in rows)
    useful = Counter(r[1] for r in rows)
    return Result(
        title=title,
        session=session,
        count=count,
        overall=_average(sum(r[0] for r in rows), count) if shown else None,
        usefulness=_average(sum(r[1] for r in rows), count) if shown else None,
        overall_counts=[overall[s] for s in SCORES] if shown else [],
        usefulness_counts=[useful[s] for s in SCORES] if shown else [],
        comments=sorted((r[2] for r in rows if r[2]), key=str.casefold) if shown else [],
    )


def feedback_results(user: Any, conference: Conference) -> FeedbackResults:
    """The survey's results, for the organisers and auditors only (404 for anyone else): two
    queries, whatever the number of sessions."""
    if not can_view_registrations(user, conference):
        raise Http404("No such conference")
    rows: dict[int | None, list[tuple[int, int, str]]] = defaultdict(list)
    for session_id, overall, usefulness, comment in FeedbackAnswer.objects.filter(
        conference=conference
    ).values_list("session_id", "overall", "usefulness", "comment"):
        rows[session_id].append((overall, usefulness, comment))
    sessions = list(conference.sessions.order_by("starts_at", "title"))
    return FeedbackResults(
        conference=_result(_("The whole conference"), None, rows[None]),
        sessions=[_result(s.title, s, rows[s.pk]) for s in sessions],
    )


# ---------------------------------------------------------------- the conference's figures


@dataclass(frozen=True)
class Counted:
    label: str
    count: int


@dataclass(frozen=True)
class ConferenceFigures:
    """The conference in numbers, computed from its records (nobody types them)."""

    confirmed: int
    waiting: int
    cancelled: int
    travel_eligible: int  # the programme cities' delegates (travel paid by the grant)
    delegates_present: int  # checked in on at least one day
    by_level: list[Counted]  # the confirmed delegates
    by_country: list[Counted]
    by_day: list[Counted]  # delegates checked in, per day
    by_session: list[Counted]  # delegates counted present, per session
    sessions_by_kind: list[Counted]
    sessions: int
    feedback_answers: int  # on the whole conference
    feedback_overall: Decimal | None  # hidden under MIN_ANSWERS
    feedback_usefulness: Decimal | None


def conference_figures(conference: Conference) -> ConferenceFigures:
    """The figures the deliverable and the technical report show (5 queries)."""
    registrations = conference.registrations.all()
    counts = registrations.aggregate(
        confirmed=Count("pk", filter=Q(status=PlaceStatus.CONFIRMED)),
        waiting=Count("pk", filter=Q(status=PlaceStatus.WAITING)),
        cancelled=Count("pk", filter=Q(status=PlaceStatus.CANCELLED)),
        travel=Count("pk", filter=Q(status=PlaceStatus.CONFIRMED, travel_eligible=True)),
    )
    levels: Counter[str] = Counter()
    nations: Counter[str] = Counter()
    for level, country in registrations.filter(status=PlaceStatus.CONFIRMED).values_list(
        "level", "country"
    ):
        levels[level] += 1
        nations[str(country or "")] += 1
    not_given = _("Not given")
    by_level = [
        Counted(str(label), levels[value])
        for value, label in GovernmentLevel.choices
        if levels[value]
    ]
    if levels[""]:
        by_level.append(Counted(not_given, levels[""]))
    by_country = sorted(
        (
            Counted(str(countries.name(code)) if code else not_given, n)
            for code, n in nations.items()
        ),
        key=lambda c: (c.label == not_given, -c.count, c.label),
    )
    present: set[int] = set()
    days: Counter[date] = Counter()
    for registration_id, day in Attendance.objects.filter(
        registration__conference=conference, session__isnull=True
    ).values_list("registration_id", "day"):
        present.add(registration_id)
        days[day] += 1
    sessions = list(
        Session.objects.filter(conference=conference)
        .annotate(present=Count("attendances"))
        .order_by("starts_at", "title")
        .values_list("title", "kind", "present")
    )
    kinds = Counter(kind for _title, kind, _n in sessions)
    feedback = FeedbackAnswer.objects.filter(conference=conference, session__isnull=True).aggregate(
        n=Count("pk"), overall=Avg("overall"), usefulness=Avg("usefulness")
    )

    def rounded(value: float | None) -> Decimal | None:
        if value is None or feedback["n"] < MIN_ANSWERS:
            return None
        return Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    return ConferenceFigures(
        confirmed=counts["confirmed"],
        waiting=counts["waiting"],
        cancelled=counts["cancelled"],
        travel_eligible=counts["travel"],
        delegates_present=len(present),
        by_level=by_level,
        by_country=by_country,
        by_day=[Counted(day_text(d), days[d]) for d in sorted(days)],
        by_session=[Counted(title, n) for title, _kind, n in sessions],
        sessions_by_kind=[
            Counted(str(label), kinds[value])
            for value, label in SessionKind.choices
            if kinds[value]
        ],
        sessions=len(sessions),
        feedback_answers=feedback["n"],
        feedback_overall=rounded(feedback["overall"]),
        feedback_usefulness=rounded(feedback["usefulness"]),
    )


def figures_for_events(event_ids: list[int]) -> dict[int, ConferenceFigures]:
    """The figures of the events that have a conference, by event (1 query, then 5 per
    conference: a programme holds one or two)."""
    return {
        c.event_id: conference_figures(c)
        for c in Conference.objects.filter(event_id__in=event_ids).select_related("event")
    }
