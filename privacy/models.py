"""Pseudonymisation requests: the four-eyes record of a person's name and contacts replaced by a
pseudonym once they have left (GDPR art. 17, where the law requires the records themselves to be
kept). What the platform holds about a person is listed model by model in privacy.registry."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from programmes.models import Person

from .choices import RequestStatus

PSEUDONYM_NAME = "Former participant"


class PseudonymisationRequest(models.Model):
    """One coordinator asks to pseudonymise a person who no longer holds a role; a second
    coordinator (or a platform admin) confirms, and the pseudonymisation is carried out in that
    same transaction. The database holds the rules that matter: the confirming user is never
    the requesting one, a person has at most one open or done request, a done request names
    who confirmed it and when. `summary` keeps what was changed (counts per table), never the
    personal data itself."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.REQUESTED
    )
    reason = models.TextField(_("why"), max_length=2000)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"))
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )
    cancelled_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    pseudonym = models.CharField(_("pseudonym"), max_length=100, blank=True)
    summary = models.JSONField(_("what was changed"), default=dict, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("pseudonymisation request")
        verbose_name_plural = _("pseudonymisation requests")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=RequestStatus.values),
                name="pseudonymisation_status_known",
            ),
            # Four eyes: whoever asked never confirms.
            models.CheckConstraint(
                condition=Q(confirmed_by__isnull=True) | ~Q(confirmed_by=F("requested_by")),
                name="pseudonymisation_four_eyes",
            ),
            models.CheckConstraint(
                condition=~Q(status=RequestStatus.DONE)
                | Q(confirmed_by__isnull=False, confirmed_at__isnull=False),
                name="pseudonymisation_done_is_confirmed",
            ),
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status__in=[RequestStatus.REQUESTED, RequestStatus.DONE]),
                name="pseudonymisation_one_per_person",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Pseudonymisation request #%(n)d") % {"n": self.pk or 0})

    @property
    def is_open(self) -> bool:
        return self.status == RequestStatus.REQUESTED


def pseudonym_for(request_pk: int) -> str:
    """The name that replaces the person's: stable, unique, and the same in every language (it
    is stored data that others' records, statements and the audit trail show)."""
    return f"{PSEUDONYM_NAME} #{request_pk}"


def pseudonym_email_for(request_pk: int) -> str:
    return f"former-participant-{request_pk}@pseudonymised.invalid"
