from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """How a person hears of one kind of notification; the inbox always has it."""

    IMMEDIATE = "immediate", _("By e-mail at once")
    DIGEST = "digest", _("In a daily e-mail digest")
    INBOX = "inbox", _("In my inbox only")


class EmailStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
