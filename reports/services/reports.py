"""Writing a technical report: start one for a period (its sections prefilled from the
records), change a section's text, freeze the submitted version.

A frozen report refuses every change here (DomainError), whoever calls: the screens, the API, a
command. Each change is locked, checked against the revision the writer read (a stale save is a
ConcurrentEditError and keeps nothing), and audited (django-simple-history, core.audit)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.audit import attribute_to
from core.errors import ConcurrentEditError, DomainError
from programmes.models import Programme
from workplan.choices import DeliverableKind
from workplan.models import Deliverable

from ..choices import ReportKind, ReportState
from ..models import ReportFiles, ReportSection, TechnicalReport
from ..permissions import can_write_reports
from ..prefill import section_texts
from ..records import ReportFacts, facts_from_json, facts_to_json, report_facts

# How far a report's period may reach past the programme's end (a final report's last months).
MAX_MONTHS = 120


def _require_writer(actor: Any, programme: Programme) -> None:
    decision = can_write_reports(actor, programme.pk)
    if not decision:
        raise DomainError(decision.reason)


def _frozen_refusal(report: TechnicalReport) -> DomainError:
    return DomainError(
        _(
            "Version %(number)s of this report was submitted to the funder and is frozen: it "
            "never changes. Start a new report to write another version."
        )
        % {"number": report.number}
    )


def _stale() -> str:
    return _(
        "Someone else saved this report while you were editing it. Your text is still in the "
        "form below; compare it with the saved one and save again."
    )


def report_facts_of(report: TechnicalReport, *, as_of: date | None = None) -> ReportFacts:
    """A report's facts: as frozen with it, or read afresh from the records for a draft."""
    if report.is_frozen and report.facts:
        return facts_from_json(report.facts)
    with translation.override(report.language):
        return report_facts(
            report.programme,
            kind_label=str(ReportKind(report.kind).label),
            start=report.period_start,
            end=report.period_end,
            as_of=as_of,
        )


@dataclass(frozen=True)
class ReportInput:
    kind: str
    period_start: date
    period_end: date
    deliverable_id: int | None = None


def technical_report_start(
    *, actor: Any, programme: Programme, data: ReportInput, language: str
) -> TechnicalReport:
    """A new draft for a period, each narrative section prefilled from the period's records."""
    _require_writer(actor, programme)
    errors: dict[str, str] = {}
    if data.kind not in ReportKind.values:
        errors["kind"] = _("Choose the kind of report.")
    if data.period_end < data.period_start:
        errors["period_end"] = _("The period ends after it starts.")
    if data.period_start < programme.start_date:
        errors["period_start"] = _("The period starts on or after the programme's start.")
    deliverable = None
    if data.deliverable_id is not None:
        deliverable = Deliverable.objects.filter(
            pk=data.deliverable_id,
            work_package__programme=programme,
            kind=DeliverableKind.REPORT,
        ).first()
        if deliverable is None:
            errors["deliverable"] = _("Choose a report deliverable of this programme's work plan.")
    if errors:
        raise DomainError(next(iter(errors.values())), field_errors=errors)
    with transaction.atomic():
        report = TechnicalReport(
            programme=programme,
            kind=data.kind,
            period_start=data.period_start,
            period_end=data.period_end,
            language=language,
            deliverable=deliverable,
            created_by=actor,
        )
        attribute_to(report, actor, "report started")
        report.save()
        facts = report_facts_of(report)
        with translation.override(language):
            texts = section_texts(facts, report.kind)
        for order, (key, title, text) in enumerate(texts):
            section = ReportSection(
                report=report, key=key, title=title, order=order, text=text, prefilled=text
            )
            attribute_to(section, actor, "prefilled from the records")
            section.save()
    return report


def _locked_draft(report: TechnicalReport, expected_revision: int | None) -> TechnicalReport:
    locked = TechnicalReport.objects.select_for_update().get(pk=report.pk)
    if locked.is_frozen:
        raise _frozen_refusal(locked)
    if expected_revision is not None and locked.revision != expected_revision:
        raise ConcurrentEditError(_stale())
    return locked


def _files_outdated(report: TechnicalReport) -> None:
    """A draft's files no longer say what it says: removed (their files go after commit)."""
    for files in ReportFiles.objects.filter(report=report):
        files.delete()


def report_section_save(
    *, actor: Any, section: ReportSection, text: str, expected_revision: int
) -> ReportSection:
    """Change a section's text; refused on a frozen report and on a stale copy."""
    report = section.report
    _require_writer(actor, report.programme)
    text = text.strip()
    if len(text) > 20000:
        raise DomainError(
            _("At most 20,000 characters."), field_errors={"text": _("At most 20,000 characters.")}
        )
    with transaction.atomic():
        locked_report = _locked_draft(report, None)
        locked = ReportSection.objects.select_for_update().get(pk=section.pk)
        if locked.revision != expected_revision:
            raise ConcurrentEditError(_stale())
        if locked.text == text:
            return locked
        locked.text = text
        locked.revision += 1
        attribute_to(locked, actor, "section written")
        locked.save()
        locked_report.revision += 1
        attribute_to(locked_report, actor, "section written")
        locked_report.save(update_fields=["revision"])
        _files_outdated(locked_report)
    return locked


def technical_report_freeze(
    *, actor: Any, report: TechnicalReport, expected_revision: int, language: str
) -> TechnicalReport:
    """Freeze the draft as the version submitted to the funder: numbered (the next of its
    programme and kind), its facts copied in as they stand now, its files generated afresh."""
    _require_writer(actor, report.programme)
    with transaction.atomic():
        locked = _locked_draft(report, expected_revision)
        facts = report_facts_of(locked)
        last = TechnicalReport.objects.filter(
            programme_id=locked.programme_id, kind=locked.kind
        ).aggregate(last=Max("number"))["last"]
        _files_outdated(locked)
        locked.facts = facts_to_json(facts)
        locked.number = (last or 0) + 1
        locked.state = ReportState.FROZEN
        locked.frozen_at = timezone.now()
        locked.frozen_by = actor
        locked.revision += 1
        attribute_to(locked, actor, f"frozen as version {locked.number}")
        locked.save()
        from .files import report_files_request

        report_files_request(actor=actor, report=locked, language=language)
    return locked
