from django.db import models
from django.utils.translation import gettext_lazy as _


class VideoState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    UNPUBLISHED = "unpublished", _("Taken off the portal")


class Scope(models.TextChoices):
    """What a person filmed agreed to."""

    RECORDING = "recording", _("Recording")
    PORTAL = "portal", _("Publication on the portal")
    SOCIAL = "social", _("Social media")
    TOOLKITS = "toolkits", _("Use in toolkits")
