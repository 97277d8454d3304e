"""A statement's XLSX and PDF, generated on the task queue (core.generated_files).

Asking for them (on the statement's page, and when a statement is prepared) records a row in
the reader's language and enqueues its generation once the transaction commits; the worker
claims the row, writes its progress to it at each step and stores the files (privately). Every
web process reads the row, so the page says "being generated" until the files are there. A
generation that failed, or whose worker died, may be asked for again."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.generated_files import generated_files_generate, generated_files_request
from programmes.models import Person

from ..models import Statement, StatementFiles
from ..permissions import can_view_finance
from . import notices


def statement_files_request(*, actor: Any, statement: Statement, language: str) -> StatementFiles:
    """Ask for the statement's files in a language; nothing new when they are ready or on
    their way. The queue generates them after the transaction commits."""
    if not can_view_finance(actor, statement.programme):
        raise DomainError(_("Only the people who read the books ask for a statement's files."))
    return generated_files_request(
        StatementFiles, actor=actor, parent=statement, language=language, enqueue=_enqueue
    )


def statement_files_renew(*, actor: Any, statement: Statement) -> None:
    """Generate again, in each language asked for, the files of a statement whose status
    changed (they print who signed it off)."""
    for language in statement.files.values_list("language", flat=True):
        generated_files_request(
            StatementFiles,
            actor=actor,
            parent=statement,
            language=language,
            enqueue=_enqueue,
            renew=True,
        )


def _enqueue(files_id: int) -> None:
    from ..tasks import statement_files_task

    statement_files_task(files_id)


def _make(files: StatementFiles, progress: Callable[[int], None]) -> dict[str, tuple[str, bytes]]:
    from ..exports import statement_pdf, statement_xlsx
    from .statements import statement_content

    statement = files.statement
    content = statement_content(statement)
    progress(30)
    xlsx = statement_xlsx(content, settings.PLATFORM_BASE_URL)
    progress(60)
    pdf = statement_pdf(content)
    progress(90)
    name = f"statement-{statement.pk}-{statement.period_end}-{files.language}"
    return {"xlsx": (f"{name}.xlsx", xlsx), "pdf": (f"{name}.pdf", pdf)}


def _notify_requester(files: StatementFiles) -> None:
    requester = (
        Person.objects.filter(user_id=files.requested_by_id).first()
        if files.requested_by_id is not None
        else None
    )
    notices.statement_files_ready(files.statement, requester)


def statement_files_generate(files_id: int) -> bool:
    """The queue's work: generate one row's files if nobody else is; True when done now. The
    person who asked is told in the transaction that stores them."""
    return generated_files_generate(
        StatementFiles,
        files_id,
        related=("statement__programme", "statement__partner__organisation"),
        make=_make,
        stored=_notify_requester,
    )
