"""A record's files in one language, generated on the task queue (a statement's XLSX and PDF, a
report's DOCX and PDF): the abstract row both keep, and the steps of its generation.

Asking for them records a row in the reader's language and enqueues its generation once the
transaction commits; the worker claims the row (only one worker can), writes its progress to it
at each step and stores the files privately. Every web process reads the row, so a page says
"being generated" until the files are there. A generation that failed, or whose worker died
(the row is stale), may be asked for again. Nothing else assigns a row's status."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any, ClassVar, TypeVar

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import DomainError
from core.requeue import enqueue_safely

logger = logging.getLogger(__name__)

# A generation still waiting or running after this long is taken as lost (a worker stopped).
STALE_AFTER = timedelta(minutes=15)


class FilesStatus(models.TextChoices):
    QUEUED = "queued", gettext_lazy("Waiting for the queue")
    RUNNING = "running", gettext_lazy("Being generated")
    DONE = "done", gettext_lazy("Ready")
    FAILED = "failed", gettext_lazy("Failed")


class GeneratedFiles(models.Model):
    """A record's generated files in one language: at most one row per record and language
    (the concrete model's unique constraint), progress a percentage. The concrete model adds
    the foreign key to its record (named by `parent_field`) and its file fields."""

    Status = FilesStatus

    language = models.CharField(gettext_lazy("language"), max_length=10)
    status = models.CharField(
        gettext_lazy("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(gettext_lazy("progress (%)"), default=0)
    error = models.TextField(gettext_lazy("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(gettext_lazy("requested at"))
    started_at = models.DateTimeField(gettext_lazy("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(gettext_lazy("finished at"), null=True, blank=True)

    # The name of the concrete model's foreign key to the record whose files these are.
    parent_field: ClassVar[str]

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="%(class)s_progress_percent"
            ),
        ]

    def __str__(self) -> str:
        return f"{getattr(self, self.parent_field)} ({self.language}): {self.status}"

    @property
    def is_finished(self) -> bool:
        return self.status in (FilesStatus.DONE, FilesStatus.FAILED)


F = TypeVar("F", bound=GeneratedFiles)


def is_stale(files: GeneratedFiles, *, now: datetime | None = None) -> bool:
    """Waiting or running for longer than a worker takes: its worker is taken as lost."""
    now = now or timezone.now()
    since = files.started_at or files.requested_at
    return not files.is_finished and since < now - STALE_AFTER


def generated_files_request(
    model: type[F],
    *,
    actor: Any,
    parent: models.Model,
    language: str,
    enqueue: Callable[[int], None],
    renew: bool = False,
) -> F:
    """Ask for a record's files in a language (the caller has checked the actor may); nothing
    new when they are ready or on their way, unless `renew` (what they show has changed).
    `enqueue(files_id)` runs after the commit."""
    if language not in dict(settings.LANGUAGES):
        raise DomainError(_("Choose a language."))
    now = timezone.now()
    with transaction.atomic():
        files, created = model._default_manager.select_for_update().get_or_create(
            **{model.parent_field: parent},
            language=language,
            defaults={"requested_by": actor, "requested_at": now},
        )
        if not created:
            if files.status == FilesStatus.DONE and not renew:
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
        transaction.on_commit(lambda: enqueue_safely(enqueue, files_id))
    return files


def _progress(model: type[GeneratedFiles], files_id: int, percent: int) -> None:
    """Written at once (outside any transaction) so the other processes see it."""
    model._default_manager.filter(pk=files_id, status=FilesStatus.RUNNING).update(progress=percent)


def generated_files_generate(
    model: type[F],
    files_id: int,
    *,
    related: tuple[str, ...],
    make: Callable[[F, Callable[[int], None]], Mapping[str, tuple[str, bytes]]],
    stored: Callable[[F], None] | None = None,
    drop_if_gone: bool = False,
) -> bool:
    """The queue's work: generate one row's files if nobody else is; True when done now.

    `make(files, progress)` runs in the row's language and returns, for each file field, the
    file's name and content, calling `progress(percent)` as it goes. `stored(files)` runs in
    the transaction that stores them. With `drop_if_gone`, a row deleted meanwhile (its
    record changed) keeps no files. A failure is logged and written to the row, which the
    page shows with an offer to try again."""
    manager = model._default_manager
    waiting = manager.filter(pk=files_id, status=FilesStatus.QUEUED)
    if not waiting.update(status=FilesStatus.RUNNING, started_at=timezone.now(), progress=5):
        return False  # done already, or another worker has it
    files = manager.select_related(*related).get(pk=files_id)
    try:
        with translation.override(files.language):
            contents = make(files, lambda percent: _progress(model, files_id, percent))
        with transaction.atomic():
            if drop_if_gone and not manager.filter(pk=files_id).exists():
                return False
            for field, (name, content) in contents.items():
                getattr(files, field).save(name, ContentFile(content), save=False)
            files.status = FilesStatus.DONE
            files.progress = 100
            files.finished_at = timezone.now()
            files.save(update_fields=[*contents, "status", "progress", "finished_at"])
            if stored is not None:
                stored(files)
    except Exception as error:
        parent_id = getattr(files, f"{model.parent_field}_id")
        logger.exception("Files of %s %s could not be generated", model.parent_field, parent_id)
        manager.filter(pk=files_id).update(
            status=FilesStatus.FAILED,
            error=f"{type(error).__name__}: {error}"[:2000],
            finished_at=timezone.now(),
        )
        return False
    return True
