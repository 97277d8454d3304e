"""What people tell the platform's coordinators about its accessibility: a problem on a page, or
a request for content in an accessible format (the feedback mechanism the EU's Web
Accessibility Directive requires of a public body's website), or a wrong translation."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from programmes.models import Person


class FeedbackStatus(models.TextChoices):
    OPEN = "open", _("Waiting for an answer")
    ANSWERED = "answered", _("Answered")


class FeedbackKind(models.TextChoices):
    ACCESSIBILITY = "accessibility", _("Accessibility")
    TRANSLATION = "translation", _("Translation")


class Feedback(models.Model):
    # A wrong translation reaches the same people by the same way: its `language` is then the
    # language of the text reported, otherwise the language the person read the site in.
    kind = models.CharField(
        _("about"), max_length=20, choices=FeedbackKind.choices, default=FeedbackKind.ACCESSIBILITY
    )
    page = models.CharField(_("page"), max_length=300, blank=True)
    problem = models.TextField(_("problem"), max_length=4000)
    # Both optional: anyone may report, signed in or not, and need not give an address; without
    # one, nobody can answer them.
    name = models.CharField(_("name"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    language = models.CharField(_("language"), max_length=10)
    created_at = models.DateTimeField(_("received"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=FeedbackStatus.choices, default=FeedbackStatus.OPEN
    )
    answer_note = models.TextField(_("what was done"), blank=True, max_length=4000)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"])]
        verbose_name = _("accessibility feedback")
        verbose_name_plural = _("accessibility feedback")

    def __str__(self) -> str:
        return f"#{self.pk} {self.page}"
