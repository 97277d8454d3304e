"""Visit reports: a summary and findings (strengths, challenges, recommended actions), each about
one of the pair's cities and, where it fits, one key factor of the theme's benchmark."""

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.choices import BenchmarkStatus
from assessments.models import KeyFactor
from core.audit import attribute_to
from core.errors import ConcurrentEditError, DomainError

from ..choices import EventStatus, FindingKind
from ..models import Event, Finding, VisitReport
from ..permissions import can_write_report, report_cities
from ..workflow import EventTransition, event_transition


@dataclass(frozen=True)
class FindingInput:
    kind: str
    text: str
    city: str  # slug of one of the pair's cities
    key_factor: str = ""  # code in the theme's latest published benchmark, or empty


def report_key_factors(event: Event) -> list[KeyFactor]:
    """The key factors findings may cite: those of the theme's latest published benchmark."""
    if event.scheme is None:
        return []
    factors = KeyFactor.objects.filter(
        benchmark__theme_id=event.scheme.theme_id, benchmark__status=BenchmarkStatus.PUBLISHED
    ).order_by("-benchmark__version", "order")
    latest = factors.values_list("benchmark__version", flat=True).first()
    return list(factors.filter(benchmark__version=latest)) if latest else []


def visit_report_save(
    *,
    actor: Any,
    event: Event,
    expected_revision: int | None,
    summary: str,
    findings: list[FindingInput],
    submit: bool = False,
) -> VisitReport:
    """Write the report (its findings are replaced), at any time before it is cancelled;
    `submit`, once the event is held, completes it and marks the event reported."""
    if not can_write_report(actor, event):
        raise DomainError(_("Only the facilitator and the pair's officers write this report."))
    cities = {c.slug: c for c in report_cities(event)}
    factors = {f.code: f for f in report_key_factors(event)}
    errors: dict[str, str] = {}
    for index, item in enumerate(findings):
        if item.kind not in FindingKind.values:
            errors[f"findings-{index}-kind"] = _("Choose a strength, a challenge or an action.")
        if item.city not in cities:
            errors[f"findings-{index}-city"] = _("Choose one of the pair's cities.")
        if item.key_factor and item.key_factor not in factors:
            errors[f"findings-{index}-key_factor"] = _("There is no such key factor in the theme.")
    if submit and event.status == EventStatus.CANCELLED:
        raise DomainError(_("The event is cancelled: there is no report to submit."))
    if submit and event.status in (EventStatus.PLANNED, EventStatus.CONFIRMED):
        raise DomainError(
            _(
                "The event is not held yet: record who attended, then submit the report. "
                "Your text can be saved meanwhile."
            )
        )
    if submit and not summary.strip():
        errors["summary"] = _("Write a summary before submitting the report.")
    if errors:
        raise DomainError(_("The report could not be saved."), field_errors=errors)
    with transaction.atomic():
        report, created = VisitReport.objects.select_for_update().get_or_create(
            event=event, defaults={"author": actor}
        )
        if not created and report.revision != expected_revision:
            raise ConcurrentEditError(
                _(
                    "Someone else saved this report while you were writing. Your text is still "
                    "in the form below; check the saved report and save again."
                )
            )
        report.summary = summary
        report.revision += 0 if created else 1
        if submit:
            report.submitted_at = timezone.now()
        attribute_to(report, actor, "submitted" if submit else "saved")
        report.save()
        report.findings.all().delete()
        for order, item in enumerate(findings, start=1):
            finding = Finding(
                report=report,
                kind=item.kind,
                text=item.text,
                city=cities[item.city],
                key_factor=factors.get(item.key_factor),
                order=order,
            )
            attribute_to(finding, actor)
            finding.save()
        if submit and event.status != EventStatus.REPORTED:
            event_transition(actor=actor, event=event, transition=EventTransition.REPORT)
    return report
