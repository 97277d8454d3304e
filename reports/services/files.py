"""A report's DOCX and PDF, generated on the task queue (core.generated_files).

Asking for them records a row in the reader's language and enqueues its generation once the
transaction commits; the worker claims the row, writes its progress to it at each step and
stores the files privately. Every web process reads the row, so the page says "being generated"
until the files are there. A generation that failed, or whose worker died, may be asked for
again. A draft's files are removed when its text changes (reports.services.reports); a frozen
report's are generated from its frozen facts and sections, so they say what was submitted."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

from core.errors import DomainError
from core.generated_files import generated_files_generate, generated_files_request

from ..models import ReportFiles, TechnicalReport
from ..permissions import can_view_reports


def report_files_request(*, actor: Any, report: TechnicalReport, language: str) -> ReportFiles:
    """Ask for the report's files in a language; nothing new when they are ready or on their
    way. The readers of the report (auditors too) may ask: the files change nothing."""
    if not can_view_reports(actor, report.programme_id):
        raise DomainError(_("Only the readers of the reports ask for their files."))
    return generated_files_request(
        ReportFiles, actor=actor, parent=report, language=language, enqueue=_enqueue
    )


def _enqueue(files_id: int) -> None:
    from ..tasks import report_files_task

    report_files_task(files_id)


def _make(files: ReportFiles, progress: Callable[[int], None]) -> dict[str, tuple[str, bytes]]:
    from ..documents import report_docx, report_pdf
    from ..selectors import report_document
    from .reports import report_facts_of

    report = files.report
    facts = report_facts_of(report)
    progress(30)
    document = report_document(report, facts)
    docx = report_docx(document)
    progress(60)
    pdf = report_pdf(document)
    progress(90)
    name = f"report-{report.pk}-{report.period_end}-{files.language}"
    return {"docx": (f"{name}.docx", docx), "pdf": (f"{name}.pdf", pdf)}


def report_files_generate(files_id: int) -> bool:
    """The queue's work: generate one row's files if nobody else is; True when done now. The
    report may change while they are made (its draft's files are then removed): they are
    dropped."""
    return generated_files_generate(
        ReportFiles, files_id, related=("report__programme",), make=_make, drop_if_gone=True
    )
