"""Benchmarks (what good practice looks like in a theme) and cities' self-assessments against them.

A benchmark is versioned per theme: facilitators edit the one draft, publishing freezes it, and a
self-assessment always rates the key factors of one published version. Triggers (triggers.py)
keep a published version frozen and a rating on its assessment's benchmark.
"""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.uploads import PolicyFileField
from programmes.models import City, Programme, Theme

from .choices import AssessmentStatus, BenchmarkStatus, Phase, Priority

# ---------------------------------------------------------------- benchmarks


class Benchmark(models.Model):
    """One version of a theme's benchmark; at most one draft per theme, published ones frozen."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="benchmarks")
    version = models.PositiveSmallIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=20, choices=BenchmarkStatus.choices, default=BenchmarkStatus.DRAFT
    )
    title = models.CharField(_("title"), max_length=300)
    introduction = models.TextField(_("introduction"), blank=True, max_length=4000)
    illustrative = models.BooleanField(_("illustrative"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Bumped by every edit of the draft or its factors: two editors never overwrite each other.
    revision = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["theme", "-version"]
        verbose_name = _("benchmark")
        verbose_name_plural = _("benchmarks")
        constraints = [
            models.UniqueConstraint(fields=["theme", "version"], name="benchmark_unique_version"),
            models.UniqueConstraint(
                fields=["theme"],
                condition=Q(status=BenchmarkStatus.DRAFT),
                name="benchmark_one_draft_per_theme",
            ),
            models.CheckConstraint(
                condition=Q(status__in=BenchmarkStatus.values), name="benchmark_status_known"
            ),
            models.CheckConstraint(
                condition=Q(status=BenchmarkStatus.DRAFT) | Q(published_at__isnull=False),
                name="benchmark_published_has_date",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="benchmark_version_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.theme.code} v{self.version}: {self.title}"

    @property
    def is_published(self) -> bool:
        return self.status == BenchmarkStatus.PUBLISHED


class KeyFactor(models.Model):
    """A condition for success that a city rates itself against, with the why and how of it."""

    benchmark = models.ForeignKey(Benchmark, on_delete=models.CASCADE, related_name="key_factors")
    code = models.SlugField(_("code"), max_length=10)
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("title"), max_length=300)
    why_and_how = models.TextField(_("why and how"), max_length=6000)
    history = HistoricalRecords()

    class Meta:
        ordering = ["benchmark", "order"]
        verbose_name = _("key factor")
        verbose_name_plural = _("key factors")
        constraints = [
            models.UniqueConstraint(fields=["benchmark", "code"], name="keyfactor_unique_code"),
            models.UniqueConstraint(fields=["benchmark", "order"], name="keyfactor_unique_order"),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"


class GuidingQuestion(models.Model):
    """A question that helps officers rate a key factor honestly."""

    key_factor = models.ForeignKey(KeyFactor, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(_("order"))
    text = models.CharField(_("question"), max_length=500)
    history = HistoricalRecords()

    class Meta:
        ordering = ["key_factor", "order"]
        verbose_name = _("guiding question")
        verbose_name_plural = _("guiding questions")
        constraints = [
            models.UniqueConstraint(
                fields=["key_factor", "order"], name="guidingquestion_unique_order"
            )
        ]

    def __str__(self) -> str:
        return self.text


class AdditionalFactor(models.Model):
    """Local context that shapes a rating without being rated (national law, the labour market)."""

    benchmark = models.ForeignKey(
        Benchmark, on_delete=models.CASCADE, related_name="additional_factors"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True, max_length=4000)
    history = HistoricalRecords()

    class Meta:
        ordering = ["benchmark", "order"]
        verbose_name = _("additional factor")
        verbose_name_plural = _("additional factors")
        constraints = [
            models.UniqueConstraint(
                fields=["benchmark", "order"], name="additionalfactor_unique_order"
            )
        ]

    def __str__(self) -> str:
        return self.title


# ---------------------------------------------------------------- self-assessments


class SelfAssessment(models.Model):
    """A city's ratings of one theme's published benchmark in one phase of a programme.

    `theme` repeats the benchmark's theme so that the database can hold one assessment per city,
    theme and phase. Its status changes only through assessments.workflow.
    """

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="self_assessments"
    )
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="self_assessments")
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="self_assessments")
    benchmark = models.ForeignKey(
        Benchmark, on_delete=models.PROTECT, related_name="self_assessments"
    )
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=AssessmentStatus.choices,
        default=AssessmentStatus.DRAFT,
    )
    illustrative = models.BooleanField(_("illustrative"), default=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    review_comment = models.TextField(_("review comment"), blank=True, max_length=4000)
    revision = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "city__name", "theme__code", "phase"]
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "city", "theme", "phase"],
                name="selfassessment_one_per_city_theme_phase",
            ),
            models.CheckConstraint(
                condition=Q(phase__in=Phase.values), name="selfassessment_phase_known"
            ),
            models.CheckConstraint(
                condition=Q(status__in=AssessmentStatus.values), name="selfassessment_status_known"
            ),
            models.CheckConstraint(
                condition=Q(status=AssessmentStatus.DRAFT) | Q(submitted_at__isnull=False),
                name="selfassessment_submitted_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.city} · {self.theme.code} · {self.get_phase_display()}"

    @property
    def is_editable(self) -> bool:
        return self.status in (AssessmentStatus.DRAFT, AssessmentStatus.RETURNED)


class Rating(models.Model):
    """A city's level on one key factor (a step of the programme's scale), with its evidence."""

    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="ratings")
    key_factor = models.ForeignKey(KeyFactor, on_delete=models.PROTECT, related_name="ratings")
    level = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, null=True, blank=True
    )
    evidence = models.TextField(_("evidence"), blank=True, max_length=4000)
    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment", "key_factor__order"]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "key_factor"], name="rating_one_per_key_factor"
            ),
            models.CheckConstraint(
                condition=Q(priority__isnull=True) | Q(priority__in=Priority.values),
                name="rating_priority_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment}: {self.key_factor.code} = {self.level}"


def _attachment_path(instance: "Attachment", filename: str) -> str:
    """Named by migration 0001 only: attachments are stored by core.uploads (random names)."""
    return f"assessments/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()[:9]}"


class Attachment(models.Model):
    """Evidence for a rating (a strategy, a report). Served only through a scoped view."""

    rating = models.ForeignKey(Rating, on_delete=models.CASCADE, related_name="attachments")
    file = PolicyFileField(_("file"), policy="attachments")
    name = models.CharField(_("name"), max_length=200)  # as its author named it, shown only
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["rating", "uploaded_at"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name


class ThemeWishes(models.Model):
    """The themes in which a city offers to mentor and those in which it wants to implement;
    the matching builds its problem from these and from the submitted self-assessments."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="theme_wishes")
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="theme_wishes")
    mentor_themes = models.ManyToManyField(
        Theme, blank=True, related_name="+", verbose_name=_("offers to mentor in")
    )
    implement_themes = models.ManyToManyField(
        Theme, blank=True, related_name="+", verbose_name=_("wants to implement in")
    )
    max_mentees = models.PositiveSmallIntegerField(_("cities it can mentor at most"), default=1)
    illustrative = models.BooleanField(_("illustrative"), default=False)
    revision = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords(m2m_fields=[mentor_themes, implement_themes])

    class Meta:
        ordering = ["programme", "city__name"]
        verbose_name = _("theme wishes")
        verbose_name_plural = _("theme wishes")
        constraints = [
            models.UniqueConstraint(fields=["programme", "city"], name="themewishes_one_per_city"),
            models.CheckConstraint(
                condition=Q(max_mentees__gte=1) & Q(max_mentees__lte=5),
                name="themewishes_max_mentees_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.city} ({self.programme})"
