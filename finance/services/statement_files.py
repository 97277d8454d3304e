"""A statement's XLSX and PDF, generated on the task queue.

Asking for them (on the statement's page, and when a statement is prepared) records a row in
the reader's language and enqueues its generation once the transaction commits; the worker
claims the row, writes its progress to it at each step and stores the files (privately). Every
web process reads the row, so the page says "being generated" until the files are there. A
generation that failed, or whose worker died, may be asked for again."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.errors import DomainError
from programmes.models import Person

from ..models import Statement, StatementFiles
from ..permissions import can_view_finance
from . import notices

logger = logging.getLogger(__name__)

# A generation still waiting or running after this long is taken as lost (a worker stopped).
STALE_AFTER = timedelta(minutes=15)


def is_stale(files: StatementFiles, *, now: Any = None) -> bool:
    now = now or timezone.now()
    since = files.started_at or files.requested_at
    return not files.is_finished and since < now - STALE_AFTER


def statement_files_request(*, actor: Any, statement: Statement, language: str) -> StatementFiles:
    """Ask for the statement's files in a language; nothing new when they are ready or on
    their way. The queue generates them after the transaction commits."""
    if not can_view_finance(actor, statement.programme):
        raise DomainError(_("Only the people who read the books ask for a statement's files."))
    if language not in dict(settings.LANGUAGES):
        raise DomainError(_("Choose a language."))
    now = timezone.now()
    with transaction.atomic():
        files, created = StatementFiles.objects.select_for_update().get_or_create(
            statement=statement,
            language=language,
            defaults={"requested_by": actor, "requested_at": now},
        )
        if not created:
            if files.status == StatementFiles.Status.DONE:
                return files
            if not files.is_finished and not is_stale(files, now=now):
                return files  # on its way already
            files.status = StatementFiles.Status.QUEUED
            files.progress = 0
            files.error = ""
            files.requested_by = actor
            files.requested_at = now
            files.started_at = None
            files.finished_at = None
            files.save()
        files_id = files.pk

        def enqueue() -> None:
            from ..tasks import statement_files_task

            statement_files_task(files_id)

        transaction.on_commit(enqueue)
    return files


def _progress(files_id: int, percent: int) -> None:
    """Written at once (outside any transaction) so the other processes see it."""
    StatementFiles.objects.filter(pk=files_id, status=StatementFiles.Status.RUNNING).update(
        progress=percent
    )


def statement_files_generate(files_id: int) -> bool:
    """The queue's work: generate one row's files if nobody else is; True when done now."""
    from ..exports import statement_pdf, statement_xlsx
    from .statements import statement_content

    now = timezone.now()
    waiting = StatementFiles.objects.filter(pk=files_id, status=StatementFiles.Status.QUEUED)
    if not waiting.update(status=StatementFiles.Status.RUNNING, started_at=now, progress=5):
        return False  # done already, or another worker has it
    files = StatementFiles.objects.select_related(
        "statement__programme", "statement__partner__organisation"
    ).get(pk=files_id)
    statement = files.statement
    try:
        with translation.override(files.language):
            content = statement_content(statement)
            _progress(files_id, 30)
            xlsx = statement_xlsx(content, settings.PLATFORM_BASE_URL)
            _progress(files_id, 60)
            pdf = statement_pdf(content)
            _progress(files_id, 90)
        name = f"statement-{statement.pk}-{statement.period_end}-{files.language}"
        with transaction.atomic():
            files.xlsx.save(f"{name}.xlsx", ContentFile(xlsx), save=False)
            files.pdf.save(f"{name}.pdf", ContentFile(pdf), save=False)
            files.status = StatementFiles.Status.DONE
            files.progress = 100
            files.finished_at = timezone.now()
            files.save(update_fields=["xlsx", "pdf", "status", "progress", "finished_at"])
            requester = (
                Person.objects.filter(user_id=files.requested_by_id).first()
                if files.requested_by_id is not None
                else None
            )
            notices.statement_files_ready(statement, requester)
    except Exception as error:  # the page shows the failure and offers to try again
        logger.exception("Files of statement %s could not be generated", statement.pk)
        StatementFiles.objects.filter(pk=files_id).update(
            status=StatementFiles.Status.FAILED,
            error=f"{type(error).__name__}: {error}"[:2000],
            finished_at=timezone.now(),
        )
        return False
    return True
