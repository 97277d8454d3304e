"""Organising the conference: its settings, sessions, speakers and the delegations' quotas.

Only the programme's coordinators organise (conference.permissions.can_organise). A change of
places (the conference's or a session's capacity) is made under the conference's row lock, like
every change in conference.services.places: a capacity is never set below the places already
confirmed, and a raised one moves the waiting list up in the same transaction. A session whose
time or room changes gets a new iCalendar SEQUENCE, and every delegate who holds it is e-mailed
the new calendar once the transaction commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from action_plans.models import ActionPlan
from core.audit import attribute_to
from core.errors import ConcurrentEditError, DomainError
from knowledge.choices import PracticeState, ToolkitState
from knowledge.models import GoodPractice, Toolkit
from programmes.models import City
from visits.models import Event
from visits.times import day_text, event_first_day, event_last_day, local

from ..choices import (
    CHOSEN_KINDS,
    GovernmentLevel,
    OptionalField,
    PlaceStatus,
    SessionKind,
    SpeakerRole,
)
from ..models import Conference, Delegation, Registration, Session, SessionSpeaker, Speaker
from ..permissions import can_organise
from .places import delegation_for, place_emails_announce, waiting_list_move_up

PUBLISHED_TOOLKITS = (ToolkitState.PUBLISHED, ToolkitState.FINAL)


def _refused(message: str, field_name: str) -> DomainError:
    return DomainError(message, field_errors={field_name: message})


def _allowed(actor: Any, conference: Conference) -> None:
    decision = can_organise(actor, conference)
    if not decision:
        raise DomainError(decision.reason)


def _lock(conference: Conference) -> Conference:
    return (
        Conference.objects.select_for_update(of=("self",))
        .select_related("event")
        .get(pk=conference.pk)
    )


def _confirmed(conference: Conference) -> int:
    return conference.registrations.filter(status=PlaceStatus.CONFIRMED).count()


# ---------------------------------------------------------------- the conference


@dataclass(frozen=True)
class ConferenceInput:
    slug: str
    capacity: int
    retention_until: date
    introduction: str = ""
    registration_open: bool = False
    registration_closes_at: datetime | None = None
    asked_fields: tuple[str, ...] = ()
    delegation_quota: int = 3
    revision: int | None = None  # the conference's revision when the form was drawn


def conference_events(programme_id: int) -> list[Event]:
    """The programme's conference events that have no conference yet (to create one for)."""
    return list(
        Event.objects.filter(
            programme_id=programme_id, format="conference", conference__isnull=True
        ).order_by("starts_at")
    )


def _check_settings(event: Event, data: ConferenceInput) -> None:
    if data.capacity < 1:
        raise _refused(_("A conference has at least one place."), "capacity")
    if data.retention_until <= event_last_day(event):
        raise _refused(
            _("Keep the personal data until a day after the conference ends (%(day)s).")
            % {"day": day_text(event_last_day(event))},
            "retention_until",
        )
    unknown = set(data.asked_fields) - set(OptionalField.values)
    if unknown:
        raise _refused(_("Choose among the fields offered."), "asked_fields")


def _apply(conference: Conference, data: ConferenceInput) -> None:
    conference.slug = data.slug.strip().lower()
    conference.introduction = data.introduction.strip()
    conference.capacity = data.capacity
    conference.registration_open = data.registration_open
    conference.registration_closes_at = data.registration_closes_at
    # The organiser's order is the form's order (OptionalField's).
    conference.asked_fields = [f for f in OptionalField.values if f in data.asked_fields]
    conference.delegation_quota = data.delegation_quota
    conference.retention_until = data.retention_until


def _save_slug(conference: Conference, **kwargs: Any) -> None:
    if Conference.objects.filter(slug=conference.slug).exclude(pk=conference.pk).exists():
        raise _refused(_("Another conference has this short name: choose another."), "slug")
    try:
        with transaction.atomic():
            conference.save(**kwargs)
    except IntegrityError:
        raise _refused(
            _("Another conference has this short name: choose another."), "slug"
        ) from None


def conference_create(*, actor: Any, event: Event, data: ConferenceInput) -> Conference:
    """The public side of one of the programme's conference events: one conference per event."""
    conference = Conference(event=event)
    _allowed(actor, conference)
    if event.format != "conference":
        raise _refused(_("Choose an event of format conference."), "event")
    if Conference.objects.filter(event=event).exists():
        raise _refused(_("This event has its conference already."), "event")
    _check_settings(event, data)
    _apply(conference, data)
    with transaction.atomic():
        attribute_to(conference, actor, "conference created")
        _save_slug(conference)
    return conference


def conference_update(*, actor: Any, conference: Conference, data: ConferenceInput) -> Conference:
    """Change the settings. A change drawn from an older revision is refused
    (ConcurrentEditError); the capacity never falls below the confirmed places, and a raised
    capacity gives the new places to those who waited longest, who are e-mailed."""
    _allowed(actor, conference)
    with transaction.atomic():
        locked = _lock(conference)
        if data.revision is not None and locked.revision != data.revision:
            raise ConcurrentEditError(
                _(
                    "Someone else saved the conference after you opened it. Their version is "
                    "shown below; what you typed is kept in the form: check it and save again."
                )
            )
        _check_settings(locked.event, data)
        confirmed = _confirmed(locked)
        if data.capacity < confirmed:
            raise _refused(
                ngettext(
                    "%(confirmed)d place is confirmed already: the conference cannot have fewer.",
                    "%(confirmed)d places are confirmed already: the conference cannot have fewer.",
                    confirmed,
                )
                % {"confirmed": confirmed},
                "capacity",
            )
        raised = data.capacity > locked.capacity
        _apply(locked, data)
        locked.revision += 1
        attribute_to(locked, actor, "conference settings changed")
        _save_slug(locked)
        if raised:
            place_emails_announce(waiting_list_move_up(locked), "moved_up", {})
    return locked


# ---------------------------------------------------------------- speakers


@dataclass(frozen=True)
class SpeakerInput:
    name: str
    level: str
    affiliation: str = ""
    country: str = ""
    biography: str = ""


def speaker_save(
    *, actor: Any, conference: Conference, data: SpeakerInput, speaker: Speaker | None = None
) -> Speaker:
    """Add a speaker's (or chair's) public profile to the conference, or change it."""
    _allowed(actor, conference)
    if speaker is None:
        speaker = Speaker(conference=conference)
    elif speaker.conference_id != conference.pk:
        raise DomainError(_("This speaker belongs to another conference."))
    if not data.name.strip():
        raise _refused(_("Give the speaker's name."), "name")
    if data.level not in GovernmentLevel.values:
        raise _refused(_("Choose a level of government."), "level")
    speaker.name = data.name.strip()
    speaker.affiliation = data.affiliation.strip()
    speaker.level = data.level
    speaker.country = data.country
    speaker.biography = data.biography.strip()
    attribute_to(speaker, actor, "speaker saved")
    speaker.save()
    return speaker


# ---------------------------------------------------------------- sessions


@dataclass(frozen=True)
class SessionInput:
    kind: str
    title: str
    starts_at: datetime
    ends_at: datetime
    description: str = ""
    room: str = ""
    track: str = ""
    capacity: int | None = None
    chair_ids: tuple[int, ...] = ()
    speaker_ids: tuple[int, ...] = ()
    practice_ids: tuple[int, ...] = ()
    toolkit_ids: tuple[int, ...] = ()
    plan_ids: tuple[int, ...] = ()


def _chosen(model_qs: Any, ids: Iterable[int], field_name: str, message: str) -> list[Any]:
    wanted = set(ids)
    found = list(model_qs.filter(pk__in=wanted))
    if len(found) != len(wanted):
        raise _refused(message, field_name)
    return found


def _check_session(conference: Conference, data: SessionInput) -> None:
    event = conference.event
    if data.kind not in SessionKind.values:
        raise _refused(_("Choose the kind of session."), "kind")
    if not data.title.strip():
        raise _refused(_("Give the session a title."), "title")
    if data.ends_at <= data.starts_at:
        raise _refused(_("The session ends after it starts."), "ends_at")
    first, last = event_first_day(event), event_last_day(event)
    start_day = local(data.starts_at, event.timezone).date()
    end_day = local(data.ends_at, event.timezone).date()
    if start_day < first or end_day > last:
        raise _refused(
            _("The session takes place during the conference, from %(first)s to %(last)s.")
            % {"first": day_text(first), "last": day_text(last)},
            "starts_at",
        )
    if data.capacity is not None:
        if data.kind not in CHOSEN_KINDS:
            raise _refused(
                _("Only workshops and site visits have places; leave it empty for this kind."),
                "capacity",
            )
        if data.capacity < 1:
            raise _refused(_("A session has at least one place."), "capacity")
    if set(data.chair_ids) & set(data.speaker_ids):
        raise _refused(_("A person chairs or speaks, not both."), "speakers")


def _session_confirmed(session: Session) -> int:
    return session.choices.filter(
        status=PlaceStatus.CONFIRMED, registration__status=PlaceStatus.CONFIRMED
    ).count()


def _holders(session: Session) -> list[Registration]:
    """The delegates who hold the session: a confirmed place in it when it is chosen, every
    confirmed delegate otherwise."""
    confirmed = Registration.objects.filter(
        conference_id=session.conference_id, status=PlaceStatus.CONFIRMED
    )
    if session.kind in CHOSEN_KINDS:
        confirmed = confirmed.filter(
            choices__session=session, choices__status=PlaceStatus.CONFIRMED
        )
    return list(confirmed.order_by("pk"))


def _open_up(session: Session) -> list[Registration]:
    """A session without a limit any more: everyone waiting for it (among the confirmed
    delegates) gets a place."""
    if session.capacity is not None:
        return []
    waiting = list(
        session.choices.filter(
            status=PlaceStatus.WAITING, registration__status=PlaceStatus.CONFIRMED
        ).select_related("registration")
    )
    session.choices.filter(pk__in=[c.pk for c in waiting]).update(status=PlaceStatus.CONFIRMED)
    return [c.registration for c in waiting]


def session_save(
    *, actor: Any, conference: Conference, data: SessionInput, session: Session | None = None
) -> Session:
    """Add a session or change one. Its chairs and speakers are the conference's; the practices
    and toolkits presented are published, the plans the programme's. A capacity is never set
    below the places confirmed, and a raised one moves its waiting list up. When the time or the
    room changes, the calendar entry's SEQUENCE goes up and each delegate holding the session
    is e-mailed the new programme."""
    _allowed(actor, conference)
    if session is not None and session.conference_id != conference.pk:
        raise DomainError(_("This session belongs to another conference."))
    _check_session(conference, data)
    programme_id = conference.event.programme_id
    roles = _chosen(
        Speaker.objects.filter(conference=conference),
        (*data.chair_ids, *data.speaker_ids),
        "speakers",
        _("Choose among the conference's speakers."),
    )
    practices = _chosen(
        GoodPractice.objects.filter(state=PracticeState.PUBLISHED),
        data.practice_ids,
        "practices",
        _("Choose among the published practices."),
    )
    toolkits = _chosen(
        Toolkit.objects.filter(programme_id=programme_id, state__in=PUBLISHED_TOOLKITS),
        data.toolkit_ids,
        "toolkits",
        _("Choose among the programme's published toolkits."),
    )
    plans = _chosen(
        ActionPlan.objects.filter(programme_id=programme_id),
        data.plan_ids,
        "plans",
        _("Choose among the programme's action plans."),
    )
    with transaction.atomic():
        locked = _lock(conference)
        moved_place = False
        if session is None:
            session = Session(conference=locked)
            reason = "session added"
            changed_slot = False
        else:
            session = Session.objects.select_for_update(of=("self",)).get(pk=session.pk)
            reason = "session changed"
            changed_slot = (
                session.starts_at != data.starts_at
                or session.ends_at != data.ends_at
                or session.room != data.room.strip()
            )
            taken = _session_confirmed(session)
            if data.capacity is not None and data.capacity < taken:
                raise _refused(
                    ngettext(
                        "%(taken)d place is confirmed already: the session cannot have fewer.",
                        "%(taken)d places are confirmed already: the session cannot have fewer.",
                        taken,
                    )
                    % {"taken": taken},
                    "capacity",
                )
            if data.kind not in CHOSEN_KINDS and session.choices.exists():
                raise _refused(
                    _("Delegates have chosen this session: it stays a workshop or site visit."),
                    "kind",
                )
            moved_place = data.capacity is None or data.capacity > (session.capacity or 0)
        session.kind = data.kind
        session.title = data.title.strip()
        session.description = data.description.strip()
        session.starts_at, session.ends_at = data.starts_at, data.ends_at
        session.room, session.track = data.room.strip(), data.track.strip()
        session.capacity = data.capacity
        if changed_slot:
            session.ical_sequence += 1
            reason = "session moved (time or room)"
        attribute_to(session, actor, reason)
        session.save()
        session.practices.set(practices)
        session.toolkits.set(toolkits)
        session.plans.set(plans)
        by_id = {s.pk: s for s in roles}
        session.roles.all().delete()
        SessionSpeaker.objects.bulk_create(
            [
                SessionSpeaker(session=session, speaker=by_id[pk], role=role, order=order)
                for role, ids in (
                    (SpeakerRole.CHAIR, data.chair_ids),
                    (SpeakerRole.SPEAKER, data.speaker_ids),
                )
                for order, pk in enumerate(ids)
            ]
        )
        if moved_place and session.kind in CHOSEN_KINDS:
            place_emails_announce(waiting_list_move_up(locked) + _open_up(session), "moved_up", {})
        if changed_slot:
            place_emails_announce(_holders(session), "changed", {})
    return session


def session_delete(*, actor: Any, session: Session) -> None:
    """Remove a session nobody has chosen (a chosen one keeps its delegates' places: change it
    instead)."""
    conference = session.conference
    _allowed(actor, conference)
    with transaction.atomic():
        _lock(conference)
        if session.choices.exists():
            raise DomainError(
                _(
                    "Delegates have chosen this session, so it cannot be removed: change its "
                    "time or room instead, and they will be told."
                )
            )
        attribute_to(session, actor, "session removed")
        session.delete()


# ---------------------------------------------------------------- delegations


def programme_cities(conference: Conference) -> Any:
    """The cities of the conference's programme (members of its schemes)."""
    return City.objects.filter(
        scheme_memberships__programme_id=conference.event.programme_id
    ).distinct()


def delegation_quota_set(
    *, actor: Any, conference: Conference, city: City, quota: int
) -> Delegation:
    """A programme city's own quota; never below the delegates it registered already."""
    _allowed(actor, conference)
    if not programme_cities(conference).filter(pk=city.pk).exists():
        raise DomainError(_("Only the programme's cities send a delegation."))
    if quota < 0:
        raise _refused(_("A quota is zero or more."), "quota")
    with transaction.atomic():
        locked = _lock(conference)
        delegation = delegation_for(locked, city)
        taken = delegation.registrations.filter(~Q(status=PlaceStatus.CANCELLED)).count()
        if quota < taken:
            raise _refused(
                ngettext(
                    "%(city)s registered %(taken)d delegate already: the quota cannot be lower.",
                    "%(city)s registered %(taken)d delegates already: the quota cannot be lower.",
                    taken,
                )
                % {"city": city.name, "taken": taken},
                "quota",
            )
        delegation.quota = quota
        attribute_to(delegation, actor, "delegation quota changed")
        delegation.save(update_fields=["quota"])
    return delegation
