"""Infographics: one per mentoring pair (or per scheme) and language, generated from the
records, chosen and worded by the scheme's facilitator or a coordinator, and published as
frozen, numbered versions.

An `Infographic` is the working copy: its title and its items (strengths, challenges and future
actions), each tracing to the visit finding or plan action it comes from. Publishing freezes an
`InfographicVersion`: a JSON snapshot of everything the files show (cities, theme, key figures,
items, the gap chart, credit lines) and the files rendered from it (SVG, two PNGs, two PDFs),
so a later change to the records or the working copy never alters a published version.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from action_plans.models import PlanAction
from core.uploads import GeneratedFileField
from programmes.models import MentoringPair, Programme, Theme
from visits.models import Finding

from .choices import FileFormat, ItemKind


class Infographic(models.Model):
    """The working copy of a pair's (or a scheme's, when `pair` is empty) infographic in one
    language; `revision` guards the editor against concurrent saves."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="infographics")
    pair = models.ForeignKey(
        MentoringPair,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="infographics",
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    title = models.CharField(_("title"), max_length=120)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    revision = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "theme__code", "pk"]
        verbose_name = _("infographic")
        verbose_name_plural = _("infographics")
        constraints = [
            models.UniqueConstraint(
                fields=["pair", "language"],
                condition=Q(pair__isnull=False),
                name="infographic_one_per_pair_language",
            ),
            models.UniqueConstraint(
                fields=["theme", "language"],
                condition=Q(pair__isnull=True),
                name="infographic_one_per_scheme_language",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class InfographicItem(models.Model):
    """A strength, challenge or future action as the infographic words it, with the record it
    traces to: a visit finding or a plan action (exactly one)."""

    infographic = models.ForeignKey(Infographic, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("kind"), max_length=20, choices=ItemKind.choices)
    text = models.CharField(_("text"), max_length=240)
    finding = models.ForeignKey(
        Finding, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    plan_action = models.ForeignKey(
        PlanAction, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    shown = models.BooleanField(_("shown"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["infographic", "kind", "order", "pk"]
        verbose_name = _("infographic item")
        verbose_name_plural = _("infographic items")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ItemKind.values), name="infographicitem_kind_known"
            ),
            models.CheckConstraint(
                condition=(
                    Q(finding__isnull=False, plan_action__isnull=True)
                    | Q(finding__isnull=True, plan_action__isnull=False)
                ),
                name="infographicitem_traces_to_one_record",
            ),
        ]

    def __str__(self) -> str:
        return self.text


class InfographicVersion(models.Model):
    """A published version: numbered per infographic, its snapshot and files never change."""

    infographic = models.ForeignKey(Infographic, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version number"))
    snapshot = models.JSONField(_("what it shows"))
    # Written by the platform (infographics.services), never uploaded by a person; private,
    # served by the public file view of a published version only.
    svg = GeneratedFileField(_("SVG"), folder="infographics")
    png_portrait = GeneratedFileField(_("PNG, portrait"), folder="infographics")
    png_landscape = GeneratedFileField(_("PNG, landscape"), folder="infographics")
    pdf_a4 = GeneratedFileField(_("PDF, A4"), folder="infographics")
    pdf_a3 = GeneratedFileField(_("PDF, A3"), folder="infographics")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    published_at = models.DateTimeField(_("published at"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["infographic", "-number"]
        verbose_name = _("published infographic")
        verbose_name_plural = _("published infographics")
        constraints = [
            models.UniqueConstraint(
                fields=["infographic", "number"], name="infographicversion_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1), name="infographicversion_number_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.infographic} v{self.number}"

    FILE_FIELDS = {
        FileFormat.SVG: "svg",
        FileFormat.PNG_PORTRAIT: "png_portrait",
        FileFormat.PNG_LANDSCAPE: "png_landscape",
        FileFormat.PDF_A4: "pdf_a4",
        FileFormat.PDF_A3: "pdf_a3",
    }

    def file_of(self, file_format: str) -> models.fields.files.FieldFile:
        return getattr(self, self.FILE_FIELDS[FileFormat(file_format)])
