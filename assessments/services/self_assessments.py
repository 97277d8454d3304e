"""Writing self-assessments: start, save a draft, submit, review; attachments as evidence."""

from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.audit import attribute_to
from core.errors import ConcurrentEditError, DomainError
from core.uploads import ATTACHMENTS, CheckedUpload, UploadRefused, upload_check, upload_store
from programmes.models import City, Programme, RatingLevel, Theme

from ..choices import BenchmarkStatus, Phase, Priority
from ..models import Attachment, Benchmark, Rating, SelfAssessment
from ..permissions import can_edit_assessment, can_start_assessment
from ..workflow import Transition, transition_perform


@dataclass(frozen=True)
class RatingInput:
    """What an officer entered for one key factor; `None` leaves a draft's field empty."""

    level: int | None
    priority: int | None
    evidence: str = ""


def self_assessment_start(
    *, actor: Any, programme: Programme, city: City, theme: Theme, phase: str
) -> SelfAssessment:
    """Open a city's self-assessment of a theme for a phase, on the latest published benchmark;
    returns the existing one when it was already started."""
    decision = can_start_assessment(actor, programme, city)
    if not decision:
        raise DomainError(decision.reason)
    if theme.programme_id != programme.pk or phase not in Phase.values:
        raise DomainError(_("There is no such theme or phase in this programme."))
    existing = SelfAssessment.objects.filter(
        programme=programme, city=city, theme=theme, phase=phase
    ).first()
    if existing is not None:
        return existing
    benchmark = (
        Benchmark.objects.filter(theme=theme, status=BenchmarkStatus.PUBLISHED)
        .order_by("-version")
        .first()
    )
    if benchmark is None:
        raise DomainError(
            _("Theme %(code)s has no published benchmark yet: its facilitator publishes it first.")
            % {"code": theme.code}
        )
    try:
        with transaction.atomic():
            assessment = SelfAssessment(
                programme=programme, city=city, theme=theme, benchmark=benchmark, phase=phase
            )
            attribute_to(assessment, actor, "started")
            assessment.save()
            for factor in benchmark.key_factors.all():
                attribute_to(Rating(assessment=assessment, key_factor=factor), actor).save()
    except IntegrityError:  # a colleague started it at the same moment
        return SelfAssessment.objects.get(programme=programme, city=city, theme=theme, phase=phase)
    return assessment


def _lock(assessment: SelfAssessment, actor: Any, expected_revision: int) -> SelfAssessment:
    current = (
        SelfAssessment.objects.select_for_update(of=("self",))
        .select_related("theme__scheme", "programme")
        .get(pk=assessment.pk)
    )
    decision = can_edit_assessment(actor, current)
    if not decision:
        raise DomainError(decision.reason)
    if current.revision != expected_revision:
        raise ConcurrentEditError(
            _(
                "A colleague saved this self-assessment while you were editing it. Your entries "
                "are still in the form below; check them against the saved ones and save again."
            )
        )
    return current


def self_assessment_save(
    *,
    actor: Any,
    assessment: SelfAssessment,
    expected_revision: int,
    ratings: dict[str, RatingInput],
    attachments: dict[str, list[UploadedFile]] | None = None,
) -> SelfAssessment:
    """Save the officer's entries as a draft; anything may still be empty. `ratings` and
    `attachments` are keyed by key factor code."""
    attachments = attachments or {}
    with transaction.atomic():
        current = _lock(assessment, actor, expected_revision)
        by_code = {
            r.key_factor.code: r
            for r in current.ratings.select_related("key_factor").order_by("key_factor__order")
        }
        levels = set(
            RatingLevel.objects.filter(programme_id=current.programme_id).values_list(
                "level", flat=True
            )
        )
        errors: dict[str, str] = {}
        for code in (set(ratings) | set(attachments)) - set(by_code):
            errors[f"level_{code}"] = _("There is no key factor “%(code)s” in this benchmark.") % {
                "code": code
            }
        for code, entry in ratings.items():
            if entry.level is not None and entry.level not in levels:
                errors[f"level_{code}"] = _("Choose one of the levels of the scale.")
            if entry.priority is not None and entry.priority not in Priority.values:
                errors[f"priority_{code}"] = _("Choose low, medium or high.")
        checked: dict[str, list[CheckedUpload]] = {}
        for code, uploads in attachments.items():
            for upload in uploads:
                try:
                    checked.setdefault(code, []).append(upload_check(upload, ATTACHMENTS))
                except UploadRefused as refusal:
                    errors[f"files_{code}"] = refusal.message
        if errors:
            raise DomainError(_("Some entries could not be saved."), field_errors=errors)
        for code, entry in ratings.items():
            rating = by_code[code]
            new = (entry.level, entry.priority, entry.evidence)
            if (rating.level, rating.priority, rating.evidence) != new:
                rating.level, rating.priority, rating.evidence = new
                attribute_to(rating, actor).save()
        for code, items in checked.items():
            for item in items:
                attachment = Attachment(
                    rating=by_code[code], name=item.name, size=item.size, uploaded_by=actor
                )
                upload_store(attachment.file, item)
                attribute_to(attachment, actor).save()
        current.revision += 1
        attribute_to(current, actor, "draft saved").save()
    return current


def self_assessment_submit(
    *, actor: Any, assessment: SelfAssessment, expected_revision: int
) -> SelfAssessment:
    """Hand the assessment to the facilitator: every key factor needs a level and a priority."""
    with transaction.atomic():
        current = _lock(assessment, actor, expected_revision)
        missing: dict[str, str] = {}
        for rating in current.ratings.select_related("key_factor"):
            if rating.level is None:
                missing[f"level_{rating.key_factor.code}"] = _("Rate this key factor.")
            if rating.priority is None:
                missing[f"priority_{rating.key_factor.code}"] = _(
                    "Give this key factor a priority."
                )
        if missing:
            raise DomainError(
                _("Rate every key factor and give each a priority before submitting."),
                field_errors=missing,
            )
        return transition_perform(actor=actor, assessment=current, transition=Transition.SUBMIT)


def self_assessment_review(
    *,
    actor: Any,
    assessment: SelfAssessment,
    accept: bool,
    comment: str,
    expected_revision: int | None = None,
) -> SelfAssessment:
    """The facilitator's decision: accept, or return to the city with comments (required).

    With `expected_revision` (the version the reviewer read), a decision on a self-assessment
    that has changed since is refused rather than applied to ratings nobody reviewed."""
    comment = comment.strip()
    if not accept and not comment:
        raise DomainError(
            _("Say what the city should change."),
            field_errors={"comment": _("A returned self-assessment needs a comment.")},
        )
    with transaction.atomic():
        current = (
            SelfAssessment.objects.select_for_update(of=("self",))
            .select_related("theme__scheme")
            .get(pk=assessment.pk)
        )
        if expected_revision is not None and current.revision != expected_revision:
            raise ConcurrentEditError(
                _(
                    "This self-assessment changed while you were reading it (a new submission or "
                    "another review). Read it again before you decide."
                )
            )
        return transition_perform(
            actor=actor,
            assessment=current,
            transition=Transition.ACCEPT if accept else Transition.RETURN,
            comment=comment,
        )


def attachment_delete(*, actor: Any, attachment: Attachment) -> None:
    with transaction.atomic():
        # Locked, so that a submission at the same moment cannot lose its evidence.
        assessment = (
            SelfAssessment.objects.select_for_update(of=("self",))
            .select_related("theme__scheme")
            .get(pk=attachment.rating.assessment_id)
        )
        decision = can_edit_assessment(actor, assessment)
        if not decision:
            raise DomainError(decision.reason)
        attribute_to(attachment, actor, "removed")
        attachment.delete()  # its file leaves storage once this commits (core.uploads)
