"""After the conference: the anonymous feedback survey and the certificates of attendance.

A delegate answers through their private link, once on the whole conference and once per
session they attended or held a place in. The answer (`FeedbackAnswer`) keeps the scores, the
comment and the day, nothing else: `FeedbackGiven` records only that this delegate answered
(so nobody answers twice), and the two rows are written with no key between them. The survey
opens on the conference's first day (in its own zone) and closes when the delegates' data is
erased (`retention_until`).

A delegate who was checked in on at least one day asks for their certificate of attendance on
their private page; the request is kept (and audited) on the registration.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import attribute_to
from core.errors import DomainError
from visits.times import event_first_day

from ..choices import CHOSEN_KINDS, PlaceStatus
from ..models import Conference, FeedbackAnswer, FeedbackGiven, Registration, Session
from ..selectors.onsite import local_today
from .places import registration_for_token

SCORES = range(1, 6)
COMMENT_MAX = 2000


@dataclass(frozen=True)
class FeedbackInput:
    overall: int
    usefulness: int
    comment: str = ""


def feedback_open_problem(conference: Conference, now: datetime | None = None) -> str:
    """Why the survey takes no answer now; empty when it does."""
    today = local_today(conference, now)
    if today < event_first_day(conference.event):
        return _("The feedback survey opens on the conference's first day.")
    if today > conference.retention_until:
        return _("The feedback survey is closed.")
    return ""


def answerable_sessions(registration: Registration, now: datetime | None = None) -> list[Session]:
    """The sessions a delegate may give feedback on, once begun: those open to every delegate,
    those where they hold a place, and any where they were counted present."""
    held = registration.choices.filter(status=PlaceStatus.CONFIRMED).values("session_id")
    attended = registration.attendances.filter(session__isnull=False).values("session_id")
    return list(
        Session.objects.filter(
            conference_id=registration.conference_id, starts_at__lte=now or timezone.now()
        )
        .filter(~Q(kind__in=CHOSEN_KINDS) | Q(pk__in=held) | Q(pk__in=attended))
        .order_by("starts_at", "title")
    )


def _delegate(raw_token: str) -> Registration:
    registration = registration_for_token(raw_token)
    if registration is None:
        raise DomainError(_("This link is not valid."))
    if registration.status != PlaceStatus.CONFIRMED:
        raise DomainError(_("Only delegates with a confirmed place answer the survey."))
    return registration


def _score(value: Any, name: str) -> int:
    if not isinstance(value, int) or value not in SCORES:
        message = _("Choose a score from 1 to 5.")
        raise DomainError(message, field_errors={name: message})
    return value


def feedback_answer(
    *, raw_token: str, session_id: int | None, data: FeedbackInput, now: datetime | None = None
) -> FeedbackAnswer:
    """Store one anonymous answer (on the conference when `session_id` is None) and record
    that this delegate answered; a second answer on the same thing is refused."""
    registration = _delegate(raw_token)
    conference = registration.conference
    now = now or timezone.now()
    problem = feedback_open_problem(conference, now)
    if problem:
        raise DomainError(problem)
    session = None
    if session_id is not None:
        session = next(
            (s for s in answerable_sessions(registration, now) if s.pk == session_id), None
        )
        if session is None:
            raise DomainError(_("You can give feedback only on the sessions you took part in."))
    overall = _score(data.overall, "overall")
    usefulness = _score(data.usefulness, "usefulness")
    comment = data.comment.strip()
    if len(comment) > COMMENT_MAX:
        message = _("Keep the comment under %(count)d characters.") % {"count": COMMENT_MAX}
        raise DomainError(message, field_errors={"comment": message})
    answered = _("You have answered already.")
    try:
        with transaction.atomic():
            FeedbackGiven.objects.create(registration=registration, session=session)
            # No key, no time of day, no history: the answer cannot be traced to the delegate.
            return FeedbackAnswer.objects.create(
                conference=conference,
                session=session,
                overall=overall,
                usefulness=usefulness,
                comment=comment,
                day=local_today(conference, now),
            )
    except IntegrityError:
        raise DomainError(answered) from None


def attended_days(registration: Registration) -> list[date]:
    return list(
        registration.attendances.filter(session__isnull=True)
        .order_by("day")
        .values_list("day", flat=True)
    )


def certificate_problem(registration: Registration, now: datetime | None = None) -> str:
    """Why this delegate cannot have a certificate of attendance (now); empty when they can."""
    conference = registration.conference
    if local_today(conference, now) < event_first_day(conference.event):
        return _("The certificate of attendance is available once the conference has begun.")
    if not registration.attendances.filter(session__isnull=True).exists():
        return _(
            "We have no record of your attendance: a certificate is given to delegates checked "
            "in at the conference. If you attended, write to the organisers."
        )
    return ""


def certificate_request(*, raw_token: str, now: datetime | None = None) -> Registration:
    """The delegate asks for their certificate: the first request is kept on the registration
    (audited); asking again downloads the same certificate."""
    registration = registration_for_token(raw_token)
    if registration is None:
        raise DomainError(_("This link is not valid."))
    problem = certificate_problem(registration, now)
    if problem:
        raise DomainError(problem)
    if registration.certificate_requested_at is None:
        with transaction.atomic():
            registration.certificate_requested_at = now or timezone.now()
            attribute_to(registration, None, "certificate of attendance requested")
            registration.save(update_fields=["certificate_requested_at"])
    return registration
