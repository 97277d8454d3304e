"""Receiving accessibility feedback (anyone, signed in or not) and answering it (the
coordinators). The coordinators are notified of each report; answering is recorded with who
and when, in the record's history."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext as _

from core.audit import attribute_to
from core.errors import ConcurrentEditError, DomainError
from notifications.services import notify
from programmes.selectors import person_for_user

from .models import Feedback, FeedbackKind, FeedbackStatus
from .notification_kinds import FEEDBACK_RECEIVED, TRANSLATION_REPORTED
from .selectors import coordinators, is_coordinator


@dataclass(frozen=True)
class FeedbackInput:
    page: str
    problem: str
    name: str = ""
    email: str = ""
    # A wrong translation: the language of the text reported.
    language: str = ""


def _within_rate(client: str) -> bool:
    """At most ACCESSIBILITY_FEEDBACK_PER_HOUR reports an hour from one address: the form is
    open to anyone, so it must not become a way to flood the coordinators' inboxes."""
    key = f"accessibility.feedback.{client}.{int(timezone.now().timestamp() // 3600)}"
    cache.add(key, 0, timeout=3700)
    return cache.incr(key) <= settings.ACCESSIBILITY_FEEDBACK_PER_HOUR


def feedback_submit(
    *, user: Any, data: FeedbackInput, client: str, kind: str = FeedbackKind.ACCESSIBILITY
) -> Feedback:
    if not data.problem.strip():
        message = _("Tell us what the problem is.")
        raise DomainError(message, field_errors={"problem": message})
    if kind == FeedbackKind.TRANSLATION and data.language not in dict(settings.LANGUAGES):
        message = _("Choose the language of the wrong text.")
        raise DomainError(message, field_errors={"language": message})
    if not _within_rate(client):
        raise DomainError(
            _("Too many reports from your connection this hour: please try again later.")
        )
    with transaction.atomic():
        feedback = Feedback.objects.create(
            kind=kind,
            page=data.page.strip()[:300],
            problem=data.problem.strip(),
            name=data.name.strip(),
            email=data.email.strip(),
            person=person_for_user(user),
            language=data.language or get_language() or settings.LANGUAGE_CODE,
        )
        if kind == FeedbackKind.TRANSLATION:
            about = {"language": get_language_info(feedback.language)["name_local"]}
        else:
            about = {"page": feedback.page or "\N{EM DASH}"}
        notify(
            kind=TRANSLATION_REPORTED if kind == FeedbackKind.TRANSLATION else FEEDBACK_RECEIVED,
            recipients=coordinators(),
            url=reverse("accessibility:feedback_detail", args=[feedback.pk]),
            params=about,
            message=feedback.problem[:500],
        )
    return feedback


def feedback_answer(*, actor: Any, feedback: Feedback, note: str) -> None:
    """A coordinator records what was done; refused when someone answered it meanwhile (feedback
    only ever goes from open to answered, so its status under the row lock tells)."""
    if not is_coordinator(actor):
        raise DomainError(_("Only the programmes' coordinators answer accessibility feedback."))
    if not note.strip():
        message = _("Say what was done, or why nothing will be.")
        raise DomainError(message, field_errors={"answer_note": message})
    with transaction.atomic():
        current = Feedback.objects.select_for_update().get(pk=feedback.pk)
        if current.status == FeedbackStatus.ANSWERED:
            raise ConcurrentEditError(_("Someone answered this feedback meanwhile: reload it."))
        current.status = FeedbackStatus.ANSWERED
        current.answer_note = note.strip()
        current.answered_at = timezone.now()
        current.answered_by = actor
        attribute_to(current, actor, "answered")
        current.save()
