"""The records a deliverable the platform holds is counted from, read from their own apps.

"8 local action plans" counts the plans adopted (a transition to adopted, so a plan being revised
for its next edition still counts, from the date of the council's decision); "4 toolkits" counts
the toolkits published for piloting or final (from their publication); the conference counts the
events of format conference that were held (from their last day, with their attendance: a
conference with registration counts its confirmed delegates and those checked in). A
record begun but not done (a draft plan, a draft toolkit, a conference planned) makes the
deliverable "in progress". One query per source for a whole programme, whatever its size.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Exists, Min, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from action_plans.choices import PlanStatus
from action_plans.models import ActionPlan
from conference.choices import PlaceStatus
from conference.models import Attendance, Conference, Registration
from core.rules import Action
from knowledge.choices import ToolkitState
from knowledge.models import Toolkit
from programmes.access import Viewer
from programmes.models import Programme
from visits.choices import EventFormat, EventStatus
from visits.models import Event

from .choices import Source


@dataclass(frozen=True)
class Record:
    """One record a source counts (done) or that is under way towards it."""

    source: Source
    pk: int
    title: str
    done: bool
    on: date | None  # when it started to count: adoption decided, published, held
    theme_id: int | None
    scheme_id: int | None = None
    city_id: int | None = None
    slug: str = ""  # the city's (plans) or the toolkit's
    attended: int = 0  # a conference: the people present
    invited: int = 0

    def url(self, viewer: Viewer, programme: Programme) -> str:
        """Its page, when it opens for the viewer (no dead ends); "" otherwise."""
        if self.source == Source.ADOPTED_PLANS:
            if viewer.reaches(
                Action.VIEW_PLAN,
                programme_id=programme.pk,
                scheme_id=self.scheme_id,
                city_id=self.city_id,
            ):
                return reverse("action_plans:plan", args=[programme.slug, self.slug])
            return ""
        if self.source == Source.PUBLISHED_TOOLKITS:
            # A published toolkit is public; a draft opens for the programme's members.
            if self.done or viewer.can(Action.VIEW_TOOLKIT_DRAFT, programme_id=programme.pk):
                return reverse("knowledge:toolkit", args=[self.slug])
            return ""
        if viewer.can(Action.VIEW_PROGRAMME, programme_id=programme.pk):
            return reverse("visits:event", args=[programme.slug, self.pk])
        return ""

    def participants_url(self, viewer: Viewer, programme: Programme) -> str:
        """A held conference's participant list (the evidence a funder asks for)."""
        if self.source != Source.HELD_CONFERENCE or not self.done:
            return ""
        if viewer.can(Action.VIEW_PROGRAMME, programme_id=programme.pk):
            return reverse("visits:participants_pdf", args=[programme.slug, self.pk])
        return ""


def _plans(programme: Programme) -> list[Record]:
    rows = (
        ActionPlan.objects.filter(programme=programme)
        .annotate(
            first_adoption_on=Min(
                "transitions__decided_on", filter=Q(transitions__to_status=PlanStatus.ADOPTED)
            ),
            first_adoption_at=Min(
                "transitions__at", filter=Q(transitions__to_status=PlanStatus.ADOPTED)
            ),
        )
        .values(
            "pk",
            "title",
            "city_id",
            "city__name",
            "city__slug",
            "pair__scheme_id",
            "pair__scheme__theme_id",
            "first_adoption_on",
            "first_adoption_at",
        )
        .order_by("city__name")
    )
    return [
        Record(
            source=Source.ADOPTED_PLANS,
            pk=row["pk"],
            title=f"{row['city__name']}: {row['title']}",
            done=row["first_adoption_at"] is not None,
            on=row["first_adoption_on"]
            or (row["first_adoption_at"].date() if row["first_adoption_at"] else None),
            theme_id=row["pair__scheme__theme_id"],
            scheme_id=row["pair__scheme_id"],
            city_id=row["city_id"],
            slug=row["city__slug"],
        )
        for row in rows
    ]


def _toolkits(programme: Programme) -> list[Record]:
    rows = (
        Toolkit.objects.filter(programme=programme)
        .values("pk", "slug", "title", "state", "published_at", "theme__programme_theme_id")
        .order_by("published_at", "title")
    )
    return [
        Record(
            source=Source.PUBLISHED_TOOLKITS,
            pk=row["pk"],
            title=row["title"],
            done=row["state"] in (ToolkitState.PUBLISHED, ToolkitState.FINAL),
            on=timezone.localdate(row["published_at"]) if row["published_at"] else None,
            theme_id=row["theme__programme_theme_id"],
            slug=row["slug"],
        )
        for row in rows
    ]


def _count(queryset: Any, group: str, counted: str) -> Any:
    """A correlated count of distinct `counted` (a column of the event's row: no extra query)."""
    rows = queryset.order_by().values(group).annotate(n=Count(counted, distinct=True))
    return Coalesce(Subquery(rows.values("n")[:1]), 0)


def _conferences(programme: Programme) -> list[Record]:
    """An event with a conference counts its confirmed delegates (invited) and those checked in
    on at least one day (attended); any other conference event its participants as before."""
    rows = (
        Event.objects.filter(programme=programme, format=EventFormat.CONFERENCE)
        .exclude(status=EventStatus.CANCELLED)
        .annotate(
            invited_here=Count("participants"),
            attended_here=Count("participants", filter=Q(participants__attended=True)),
            registered=_count(
                Registration.objects.filter(
                    conference__event=OuterRef("pk"), status=PlaceStatus.CONFIRMED
                ),
                "conference",
                "pk",
            ),
            present=_count(
                Attendance.objects.filter(
                    registration__conference__event=OuterRef("pk"), session__isnull=True
                ),
                "registration__conference",
                "registration",
            ),
            has_conference=Exists(Conference.objects.filter(event=OuterRef("pk"))),
        )
        .values(
            "pk",
            "title",
            "status",
            "ends_at",
            "timezone",
            "scheme_id",
            "scheme__theme_id",
            "invited_here",
            "attended_here",
            "registered",
            "present",
            "has_conference",
        )
        .order_by("starts_at")
    )
    return [
        Record(
            source=Source.HELD_CONFERENCE,
            pk=row["pk"],
            title=row["title"],
            done=row["status"] in (EventStatus.HELD, EventStatus.REPORTED),
            on=row["ends_at"].astimezone(ZoneInfo(row["timezone"])).date(),
            theme_id=row["scheme__theme_id"],
            scheme_id=row["scheme_id"],
            attended=row["present"] if row["has_conference"] else row["attended_here"],
            invited=row["registered"] if row["has_conference"] else row["invited_here"],
        )
        for row in rows
    ]


def records_for(programme: Programme, sources: Iterable[Any]) -> dict[Source, list[Record]]:
    """The records of each source named, for the whole programme (one query per source)."""
    wanted = {Source(s) for s in sources} - {Source.UPLOAD}
    found: dict[Source, list[Record]] = {}
    if Source.ADOPTED_PLANS in wanted:
        found[Source.ADOPTED_PLANS] = _plans(programme)
    if Source.PUBLISHED_TOOLKITS in wanted:
        found[Source.PUBLISHED_TOOLKITS] = _toolkits(programme)
    if Source.HELD_CONFERENCE in wanted:
        found[Source.HELD_CONFERENCE] = _conferences(programme)
    return found


@dataclass(frozen=True)
class Tally:
    """What a deliverable's records add up to: the done ones in the order they counted."""

    done: list[Record]
    underway: int

    @property
    def count(self) -> int:
        return len(self.done)

    def reached_on(self, target: int) -> date | None:
        """The day the target was reached (the target-th record's date), if it was."""
        if len(self.done) < target:
            return None
        return self.done[target - 1].on

    @property
    def started_on(self) -> date | None:
        return self.done[0].on if self.done else None


def tally(records: list[Record], theme_id: int | None) -> Tally:
    mine = [r for r in records if theme_id is None or r.theme_id == theme_id]
    done = sorted((r for r in mine if r.done), key=lambda r: (r.on or date.max, r.pk))
    return Tally(done=done, underway=sum(1 for r in mine if not r.done))
