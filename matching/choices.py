from django.db import models
from django.utils.translation import gettext_lazy as _


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Running")
    DONE = "done", _("Finished")
    FAILED = "failed", _("Failed")


class SameCountry(models.TextChoices):
    ALLOW = "allow", _("Allowed")
    FORBID = "forbid", _("Not allowed: pair cities of different countries")


class LockedRole(models.TextChoices):
    ANY = "", _("Any role")
    MENTOR = "mentor", _("Mentor")
    IMPLEMENTER = "implementer", _("Implementing city")
