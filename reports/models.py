"""Technical reports to the funder: an interim and a final report of a programme, each for a
period, generated from the records (reports.records) with narrative sections the coordinators
write (each prefilled from the records).

A report is a draft until a coordinator freezes it: the frozen report is the version submitted
to the funder, numbered per programme and kind, with the facts of its period copied into it
(`facts`), so its text, its facts and its files never change again; the services refuse it, and
triggers (reports.triggers) make the database refuse it too. Every row keeps a change history.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.generated_files import GeneratedFiles
from core.uploads import GeneratedFileField
from programmes.models import Programme
from workplan.models import Deliverable

from .choices import ReportKind, ReportState


class TechnicalReport(models.Model):
    """One technical report of a programme for a period; frozen once submitted."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="technical_reports"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ReportKind.choices)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    # The language of its section titles, prefilled texts and documents.
    language = models.CharField(_("language"), max_length=10, default="en")
    state = models.CharField(
        _("state"), max_length=10, choices=ReportState.choices, default=ReportState.DRAFT
    )
    # The submitted version's number, per programme and kind (1, 2... when one is resubmitted).
    number = models.PositiveSmallIntegerField(_("version number"), null=True, blank=True)
    # The deliverable it is (D5.1 Interim report): its submission is recorded there.
    deliverable = models.ForeignKey(
        Deliverable,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("deliverable"),
    )
    # The facts of the period as they stood when the report was frozen (reports.records).
    facts = models.JSONField(_("facts at submission"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    frozen_at = models.DateTimeField(_("frozen at"), null=True, blank=True)
    revision = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "period_end", "pk"]
        verbose_name = _("technical report")
        verbose_name_plural = _("technical reports")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="report_period_in_order"
            ),
            models.CheckConstraint(condition=Q(kind__in=ReportKind.values), name="report_kind"),
            models.CheckConstraint(
                condition=(
                    Q(state=ReportState.DRAFT, number__isnull=True, frozen_at__isnull=True)
                    | Q(state=ReportState.FROZEN, number__gte=1, frozen_at__isnull=False)
                ),
                name="report_frozen_is_numbered",
            ),
            models.UniqueConstraint(
                fields=["programme", "kind", "number"],
                condition=Q(number__isnull=False),
                name="report_number_unique",
            ),
        ]

    def __str__(self) -> str:
        label = self.get_kind_display()
        return f"{label} v{self.number}" if self.number else f"{label} ({_('draft')})"

    @property
    def is_frozen(self) -> bool:
        return self.state == ReportState.FROZEN


class ReportSection(models.Model):
    """A narrative section of a report: its text as the coordinators wrote it, and the text
    prefilled from the records when the report was started (to compare or start again)."""

    report = models.ForeignKey(TechnicalReport, on_delete=models.CASCADE, related_name="sections")
    key = models.SlugField(_("key"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.TextField(_("text"), blank=True, max_length=20000)
    prefilled = models.TextField(_("prefilled from the records"), blank=True, max_length=20000)
    revision = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "order", "pk"]
        verbose_name = _("report section")
        verbose_name_plural = _("report sections")
        constraints = [
            models.UniqueConstraint(fields=["report", "key"], name="report_section_key_unique"),
        ]

    def __str__(self) -> str:
        return self.title


class ReportFiles(GeneratedFiles):
    """A report's DOCX and PDF in one language, generated by the task queue (the worker writes
    its status and progress here, so every web process reads them). A draft's files are removed
    when its text changes; a frozen report's are generated from its frozen facts. Private,
    served only within the report's scope."""

    parent_field = "report"

    report = models.ForeignKey(TechnicalReport, on_delete=models.CASCADE, related_name="files")
    # Written by the platform (reports.services.files), never uploaded by a person.
    docx = GeneratedFileField(_("DOCX"), folder="reports", blank=True)
    pdf = GeneratedFileField(_("PDF"), folder="reports", blank=True)

    class Meta(GeneratedFiles.Meta):
        ordering = ["report", "language"]
        verbose_name = _("report files")
        verbose_name_plural = _("report files")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "language"], name="reportfiles_one_per_language"
            ),
            *GeneratedFiles.Meta.constraints,
        ]
