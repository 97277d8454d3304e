from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportKind(models.TextChoices):
    INTERIM = "interim", _("Interim report")
    FINAL = "final", _("Final report")


class ReportState(models.TextChoices):
    """A draft is written and regenerated freely; a frozen report is the version submitted to
    the funder: numbered, its text and facts never change again (reports.services)."""

    DRAFT = "draft", _("Draft")
    FROZEN = "frozen", _("Submitted version (frozen)")


class FilesStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting for the queue")
    RUNNING = "running", _("Being generated")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")
