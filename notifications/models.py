"""Notifications: what waits for a person (the inbox), their choices per kind, and the outgoing
e-mails that carry notifications and digests, kept until each is sent exactly once."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programmes.models import Person, Programme

from .choices import Channel, EmailStatus


class OutgoingEmail(models.Model):
    """One e-mail, rendered once in its recipient's language and kept until it is sent.

    A worker claims a pending row with a conditional update before sending it, so two workers
    never send the same row; a refused send goes back to pending with a later `next_attempt_at`
    (back-off) until the attempts run out, then stays failed for a coordinator to retry.
    """

    # Empty for someone outside the programme (a conference delegate who registered publicly).
    recipient = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="emails"
    )
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    to_address = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=300)
    text = models.TextField(_("text"))
    html = models.TextField(_("HTML"), blank=True)
    # An iCalendar file sent with the e-mail (a conference confirmation), attached as invite.ics.
    calendar = models.TextField(_("calendar"), blank=True)
    is_digest = models.BooleanField(_("digest"), default=False)
    # The text holds a private link (an invitation's, a registration's): its body is erased once
    # sent, so that the database never keeps a link that signs someone in or opens their record.
    holds_link = models.BooleanField(_("holds a private link"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=EmailStatus.choices, default=EmailStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")

    def __str__(self) -> str:
        return f"{self.to_address}: {self.subject}"


class Notification(models.Model):
    """Something that waits for, or concerns, one person; shown in their inbox until read."""

    recipient = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="notifications")
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=80)
    params = models.JSONField(default=dict, blank=True)
    # A comment typed by the person who acted (a return reason): shown as written, not translated.
    message = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=500)
    actor = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    # Exactly once: a reminder names what it reminds of; a second notify with the same key and
    # recipient is ignored (unique below), whichever process raises it.
    once_key = models.CharField(max_length=200, blank=True)
    email = models.ForeignKey(
        OutgoingEmail,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["recipient", "-created_at"]),
            models.Index(fields=["channel", "email"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "once_key"],
                condition=~Q(once_key=""),
                name="notification_once_per_recipient",
            )
        ]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}"


class Preference(models.Model):
    """A person's choice of channel for one kind; without one, the kind's default holds."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=80)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "kind"], name="one_preference_per_kind")
        ]
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.person_id} {self.kind}: {self.channel}"
