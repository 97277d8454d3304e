from django.db import models
from django.utils.translation import gettext_lazy as _

# A report's files share the statuses of every generated-files row (core.generated_files).
from core.generated_files import FilesStatus as FilesStatus


class ReportKind(models.TextChoices):
    INTERIM = "interim", _("Interim report")
    FINAL = "final", _("Final report")


class ReportState(models.TextChoices):
    """A draft is written and regenerated freely; a frozen report is the version submitted to
    the funder: numbered, its text and facts never change again (reports.services)."""

    DRAFT = "draft", _("Draft")
    FROZEN = "frozen", _("Submitted version (frozen)")
