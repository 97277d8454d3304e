from django.db import models
from django.utils.translation import gettext_lazy as _


class ItemKind(models.TextChoices):
    STRENGTH = "strength", _("Strength")
    CHALLENGE = "challenge", _("Challenge")
    ACTION = "action", _("Future action")


class FileFormat(models.TextChoices):
    """The files of a published version: one template, five renderings."""

    SVG = "svg", _("SVG for the web")
    PNG_PORTRAIT = "png-portrait", _("PNG for social media, portrait (1080 × 1350)")  # noqa: RUF001 (msgid as xgettext reads it)
    PNG_LANDSCAPE = "png-landscape", _("PNG for social media, landscape (1200 × 630)")  # noqa: RUF001
    PDF_A4 = "pdf-a4", _("PDF for print, A4")
    PDF_A3 = "pdf-a3", _("PDF for print, A3")
