from django.db import models
from django.utils.translation import gettext_lazy as _


class RequestStatus(models.TextChoices):
    """Where a pseudonymisation request stands: asked by one coordinator, then carried out when
    a second one confirms it, or withdrawn."""

    REQUESTED = "requested", _("Waiting for a second confirmation")
    DONE = "done", _("Pseudonymised")
    CANCELLED = "cancelled", _("Withdrawn")
