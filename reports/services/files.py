"""A report's DOCX and PDF, generated on the task queue.

Asking for them records a row in the reader's language and enqueues its generation once the
transaction commits; the worker claims the row, writes its progress to it at each step and
stores the files privately. Every web process reads the row, so the page says "being generated"
until the files are there. A generation that failed, or whose worker died, may be asked for
again. A draft's files are removed when its text changes (reports.services.reports); a frozen
report's are generated from its frozen facts and sections, so they say what was submitted."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.errors import DomainError

from ..choices import FilesStatus
from ..models import ReportFiles, TechnicalReport
from ..permissions import can_view_reports

logger = logging.getLogger(__name__)

# A generation still waiting or running after this long is taken as lost (a worker stopped).
STALE_AFTER = timedelta(minutes=15)


def is_stale(files: ReportFiles, *, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    since = files.started_at or files.requested_at
    return not files.is_finished and since < now - STALE_AFTER


def report_files_request(*, actor: Any, report: TechnicalReport, language: str) -> ReportFiles:
    """Ask for the report's files in a language; nothing new when they are ready or on their
    way. The readers of the report (auditors too) may ask: the files change nothing."""
    if not can_view_reports(actor, report.programme_id):
        raise DomainError(_("Only the readers of the reports ask for their files."))
    if language not in dict(settings.LANGUAGES):
        raise DomainError(_("Choose a language."))
    now = timezone.now()
    with transaction.atomic():
        files, created = ReportFiles.objects.select_for_update().get_or_create(
            report=report,
            language=language,
            defaults={"requested_by": actor, "requested_at": now},
        )
        if not created:
            if files.status == FilesStatus.DONE:
                return files
            if not files.is_finished and not is_stale(files, now=now):
                return files  # on its way already
            files.status = FilesStatus.QUEUED
            files.progress = 0
            files.error = ""
            files.requested_by = actor
            files.requested_at = now
            files.started_at = None
            files.finished_at = None
            files.save()
        files_id = files.pk

        def enqueue() -> None:
            from ..tasks import report_files_task

            report_files_task(files_id)

        transaction.on_commit(enqueue)
    return files


def _progress(files_id: int, percent: int) -> None:
    """Written at once (outside any transaction) so the other processes see it."""
    ReportFiles.objects.filter(pk=files_id, status=FilesStatus.RUNNING).update(progress=percent)


def report_files_generate(files_id: int) -> bool:
    """The queue's work: generate one row's files if nobody else is; True when done now."""
    from ..documents import report_docx, report_pdf
    from ..selectors import report_document
    from .reports import report_facts_of

    now = timezone.now()
    waiting = ReportFiles.objects.filter(pk=files_id, status=FilesStatus.QUEUED)
    if not waiting.update(status=FilesStatus.RUNNING, started_at=now, progress=5):
        return False  # done already, or another worker has it
    files = ReportFiles.objects.select_related("report__programme").get(pk=files_id)
    report = files.report
    try:
        with translation.override(files.language):
            facts = report_facts_of(report)
            _progress(files_id, 30)
            document = report_document(report, facts)
            docx = report_docx(document)
            _progress(files_id, 60)
            pdf = report_pdf(document)
            _progress(files_id, 90)
        name = f"report-{report.pk}-{report.period_end}-{files.language}"
        with transaction.atomic():
            # The report may have changed while the files were made: then they are dropped.
            if not ReportFiles.objects.filter(pk=files_id).exists():
                return False
            files.docx.save(f"{name}.docx", ContentFile(docx), save=False)
            files.pdf.save(f"{name}.pdf", ContentFile(pdf), save=False)
            files.status = FilesStatus.DONE
            files.progress = 100
            files.finished_at = timezone.now()
            files.save(update_fields=["docx", "pdf", "status", "progress", "finished_at"])
    except Exception as error:  # the page shows the failure and offers to try again
        logger.exception("Files of report %s could not be generated", report.pk)
        ReportFiles.objects.filter(pk=files_id).update(
            status=FilesStatus.FAILED,
            error=f"{type(error).__name__}: {error}"[:2000],
            finished_at=timezone.now(),
        )
        return False
    return True
