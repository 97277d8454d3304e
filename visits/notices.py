"""Who is told of each step of an event, and what they read (visits.notification_kinds).

Called by the services and the workflow inside the transaction of the step, so a notification
exists exactly when the step does. The recipients are those who act next:

- invited: each person newly invited, to answer;
- an event planned (created, proposed by the planner, planned again, or moved to another host
  while planned): the host city's officers, who confirm the dates (the coordinators plan it);
- confirmed, moved in time or place, cancelled, planned again: its participants who have not
  declined, who travel or attend;
- held (a visit): the scheme's facilitators, who write the report;
- reported: the officers of each city the findings are about (their action plan answers them).

The actor is never told of their own step (notify leaves them out). A participant's answer
tells nobody: an event records no organiser, and the coordinators read the answers on its page.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse

from core.roles import Role
from notifications.recipients import holders
from notifications.services import notify
from programmes.models import City, Person

from . import notification_kinds as kinds
from .choices import PAIR_FORMATS, EventStatus, Invitation
from .models import Event, Finding
from .times import event_first_day, event_last_day


def event_url(event: Event) -> str:
    return reverse("visits:event", args=[event.programme.slug, event.pk])


def event_params(event: Event) -> dict[str, Any]:
    """The title, and the first and last days on the host city's clocks (shown as dates)."""
    return {
        "event": event.title,
        "starts_on": event_first_day(event),
        "ended_on": event_last_day(event),
    }


def attending(event: Event) -> list[Person]:
    """The participants who have not declined, in one query."""
    answers = (Invitation.INVITED, Invitation.ACCEPTED)
    return list(
        Person.objects.filter(
            participations__event=event, participations__invitation__in=answers
        ).distinct()
    )


def _tell(
    event: Event, kind: str, people: Iterable[Person], actor: Any, message: str = "", **extra: Any
) -> None:
    notify(
        kind=kind,
        recipients=people,
        url=event_url(event),
        programme=event.programme,
        actor=actor,
        params={**event_params(event), **extra},
        message=message,
    )


def participants_invited(event: Event, person_ids: Iterable[int], actor: Any) -> None:
    """Each person newly invited, once: they answer the invitation."""
    ids = set(person_ids)
    if ids:
        _tell(event, kinds.INVITED, Person.objects.filter(pk__in=ids), actor)


def dates_to_confirm(event: Event, actor: Any) -> None:
    """A planned event with a host city: its officers agree the dates (workflow: confirm)."""
    host: City | None = event.host_city
    if host is None or event.status != EventStatus.PLANNED:
        return
    officers = holders(event.programme_id, Role.CITY_OFFICER, city_id=host.pk)
    _tell(event, kinds.TO_CONFIRM, officers, actor, city=host.name)


def time_or_place_changed(event: Event, actor: Any) -> None:
    _tell(event, kinds.CHANGED, attending(event), actor)


# After a status change of the workflow (visits.workflow.STEP_NOTICES), each with the comment.


def event_confirmed(event: Event, actor: Any, comment: str = "") -> None:
    _tell(event, kinds.CONFIRMED, attending(event), actor)


def event_cancelled(event: Event, actor: Any, comment: str = "") -> None:
    _tell(event, kinds.CANCELLED, attending(event), actor, message=comment)


def event_reopened(event: Event, actor: Any, comment: str = "") -> None:
    _tell(event, kinds.REOPENED, attending(event), actor)
    dates_to_confirm(event, actor)


def event_held(event: Event, actor: Any, comment: str = "") -> None:
    """A visit's report is written by its scheme's facilitators (and overdue reminders go to
    them: visits.services.reminders)."""
    if event.format in PAIR_FORMATS and event.scheme_id:
        facilitators = holders(event.programme_id, Role.FACILITATOR, scheme_id=event.scheme_id)
        _tell(event, kinds.REPORT_TO_WRITE, facilitators, actor)


def event_reported(event: Event, actor: Any, comment: str = "") -> None:
    """The officers of each city the findings are about, once per city."""
    cities = City.objects.filter(
        pk__in=Finding.objects.filter(report__event=event).values("city_id")
    ).order_by("name")
    for city in cities:
        officers = holders(event.programme_id, Role.CITY_OFFICER, city_id=city.pk)
        _tell(event, kinds.REPORT_SUBMITTED, officers, actor, city=city.name)
