"""Reads of the technical reports, scoped to the viewer: the coordinators and the auditors read a
programme's reports; for everyone else they do not exist (404). The screens and the API read
through the same functions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.http import Http404
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.history import HistoryEntry, history_entries
from programmes.models import Programme
from programmes.selectors import programme_get
from workplan.choices import DeliverableKind, Step
from workplan.models import Deliverable
from workplan.months import month_end, month_of
from workplan.permissions import can_record_deliverable, can_view_workplan
from workplan.workflow import deliverable_standing, steps_open

from .choices import ReportKind
from .documents import NarrativeSection, ReportDocument, report_blocks
from .models import ReportFiles, ReportSection, TechnicalReport
from .permissions import can_view_reports, can_write_reports
from .records import ReportFacts


def reports_programme(user: Any, slug: str) -> Programme:
    """The programme, for a reader of its reports (404 for everyone else)."""
    programme = programme_get(user, slug)
    if not can_view_reports(user, programme.pk):
        raise Http404("No reports here")
    return programme


def _reports(programme: Programme) -> Any:
    return TechnicalReport.objects.filter(programme=programme).select_related(
        "programme", "created_by", "frozen_by", "deliverable__work_package__programme"
    )


def reports_for_programme(user: Any, slug: str) -> tuple[Programme, list[TechnicalReport]]:
    programme = reports_programme(user, slug)
    return programme, list(_reports(programme).order_by("-period_end", "kind", "-pk"))


def report_get(user: Any, slug: str, pk: int) -> TechnicalReport:
    """A report of a programme whose reports the viewer reads (404 otherwise)."""
    programme = reports_programme(user, slug)
    report = _reports(programme).filter(pk=pk).first()
    if report is None:
        raise Http404("No such report")
    return report


def report_sections(report: TechnicalReport) -> list[ReportSection]:
    return list(ReportSection.objects.filter(report=report).order_by("order", "pk"))


def section_get(report: TechnicalReport, key: str) -> ReportSection:
    section = ReportSection.objects.filter(report=report, key=key).select_related("report").first()
    if section is None:
        raise Http404("No such section")
    return section


def report_files_of(report: TechnicalReport, language: str) -> ReportFiles | None:
    """The report's files in a language (their generation's status), if asked for; the report
    itself was fetched within the viewer's scope (report_get)."""
    return ReportFiles.objects.filter(report=report, language=language).first()


def report_title(report: TechnicalReport) -> str:
    kind = str(ReportKind(report.kind).label)
    if report.number:
        return _("%(kind)s, version %(number)s") % {"kind": kind, "number": report.number}
    return _("%(kind)s (draft)") % {"kind": kind}


def _state_line(report: TechnicalReport) -> str:
    if report.is_frozen and report.frozen_at is not None:
        return _("Submitted version %(number)s, frozen on %(day)s") % {
            "number": report.number,
            "day": date_format(report.frozen_at.date(), "DATE_FORMAT"),
        }
    return _("Draft, not submitted")


def report_document(report: TechnicalReport, facts: ReportFacts) -> ReportDocument:
    """What the report's files show (one query: its sections)."""
    document = ReportDocument(
        title=report_title(report),
        language=report.language,
        facts=facts,
        sections={s.key: NarrativeSection(s.key, s.title, s.text) for s in report_sections(report)},
        state_line=_state_line(report),
    )
    document.blocks = report_blocks(document)
    return document


@dataclass
class TextPart:
    """A paragraph, or a list when its lines start with "- "."""

    is_list: bool
    lines: list[str]


def text_parts(text: str) -> list[TextPart]:
    parts: list[TextPart] = []
    for line in (raw.strip() for raw in text.splitlines()):
        if not line:
            continue
        is_item = line.startswith("- ")
        content = line[2:] if is_item else line
        if is_item and parts and parts[-1].is_list:
            parts[-1].lines.append(content)
        else:
            parts.append(TextPart(is_item, [content]))
    return parts


@dataclass
class SectionView:
    section: ReportSection
    parts: list[TextPart]


@dataclass
class ReportPage:
    programme: Programme
    report: TechnicalReport
    title: str
    sections: list[SectionView]
    files: ReportFiles | None
    can_write: bool
    history: list[HistoryEntry] = field(default_factory=list)
    # The linked deliverable's page, when it opens for the viewer, and whether its submission
    # may be recorded now (a frozen report, a coordinator, the step open): no dead end.
    deliverable_open: bool = False
    submission_open: bool = False


def _deliverable_links(user: Any, report: TechnicalReport) -> tuple[bool, bool]:
    deliverable = report.deliverable
    if deliverable is None or not can_view_workplan(user, report.programme_id):
        return False, False
    if not report.is_frozen or not can_record_deliverable(user, report.programme_id):
        return True, False
    current = deliverable_standing(deliverable)
    return True, Step.SUBMIT in steps_open(deliverable, current)


def report_page(user: Any, slug: str, pk: int, language: str) -> ReportPage:
    report = report_get(user, slug, pk)
    deliverable_open, submission_open = _deliverable_links(user, report)
    return ReportPage(
        programme=report.programme,
        report=report,
        title=report_title(report),
        sections=[SectionView(s, text_parts(s.text)) for s in report_sections(report)],
        files=report_files_of(report, language),
        can_write=bool(can_write_reports(user, report.programme_id)) and not report.is_frozen,
        history=history_entries(report, limit=20),
        deliverable_open=deliverable_open,
        submission_open=submission_open,
    )


def report_deliverables(programme: Programme) -> list[Deliverable]:
    """The work plan's report deliverables (D5.1 Interim report...), to link a report to."""
    return list(
        Deliverable.objects.filter(work_package__programme=programme, kind=DeliverableKind.REPORT)
        .select_related("work_package")
        .order_by("due_month", "work_package__number", "number")
    )


@dataclass(frozen=True)
class PeriodChoice:
    """The period a new report starts with: an interim report covers months 1-12 (or the
    first half of a shorter programme), a final one the whole programme."""

    kind: str
    start: date
    end: date
    deliverable_id: int | None


def default_periods(
    programme: Programme, deliverables: list[Deliverable]
) -> dict[str, PeriodChoice]:
    last = max(1, month_of(programme.start_date, programme.end_date))
    interim_end = min(12, max(1, last // 2)) if last < 24 else 12
    by_due = sorted(deliverables, key=lambda d: d.due_month)
    return {
        ReportKind.INTERIM: PeriodChoice(
            ReportKind.INTERIM,
            programme.start_date,
            month_end(programme.start_date, interim_end),
            by_due[0].pk if by_due else None,
        ),
        ReportKind.FINAL: PeriodChoice(
            ReportKind.FINAL,
            programme.start_date,
            programme.end_date,
            by_due[-1].pk if len(by_due) > 1 else None,
        ),
    }
