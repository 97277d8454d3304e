from django.db import models
from django.utils.translation import gettext_lazy as _


class BenchmarkStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class Phase(models.TextChoices):
    """When a city assesses itself; the order of the choices is the order of the programme."""

    BASELINE = "baseline", _("Baseline")
    MID_TERM = "mid_term", _("Mid-term")
    FINAL = "final", _("Final")


PHASE_ORDER = {phase: index for index, phase in enumerate(Phase)}


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    RETURNED = "returned", _("Returned for changes")
    ACCEPTED = "accepted", _("Accepted")


class Priority(models.IntegerChoices):
    LOW = 1, _("Low")
    MEDIUM = 2, _("Medium")
    HIGH = 3, _("High")
