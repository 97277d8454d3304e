from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review by the mentor and facilitator")
    SUBMITTED = "submitted", _("Submitted to the city")
    APPROVED = "approved", _("Approved by the administration")
    ADOPTED = "adopted", _("Adopted")


class Section(models.TextChoices):
    """The parts of a plan a comment can be about."""

    CONTEXT = "context", _("Context")
    VISION = "vision", _("Vision")
    OBJECTIVES = "objectives", _("Objectives")
    RISKS = "risks", _("Risks")
    ACTION = "action", _("An action")


class FundingSource(models.TextChoices):
    MUNICIPAL = "municipal", _("Municipal budget")
    NATIONAL = "national", _("National or regional funds")
    EU = "eu", _("EU funds (AMIF, ESF+, ERDF…)")
    PRIVATE = "private", _("Private or philanthropic funds")
    NONE_NEEDED = "none", _("No extra funding needed")


class Level(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class CommentStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved")


class ActionState(models.TextChoices):
    """How an adopted plan's action is going (monitoring)."""

    NOT_STARTED = "not_started", _("Not started")
    ON_TRACK = "on_track", _("On track")
    DELAYED = "delayed", _("Delayed")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class Decision(models.TextChoices):
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")
    ENDORSED = "endorsed", _("Endorsed")
