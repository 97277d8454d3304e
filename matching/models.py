"""Matching runs: the problem built from self-assessments and wishes, the solver's answer, and
which run the coordinator accepted (it then became the programme's schemes and pairs)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from programmes.models import Programme

from .choices import RunStatus


class MatchRun(models.Model):
    """One run of the solver on a problem (format citiesgrow-match v1, docs/matching-format.md).

    `problem` is frozen at creation, so a run can be re-read and compared long after the
    assessments have changed; `result` is the solver's output as it returned it.
    """

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="match_runs")
    number = models.PositiveIntegerField(_("number"))
    label = models.CharField(_("label"), max_length=120, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=20, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    problem = models.JSONField(_("problem"))
    # What the builder could not put into the problem (a wish without an assessment...).
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    # City id -> its programme city slug and name, to show names and build pairs on acceptance.
    cities = models.JSONField(_("cities"), default=dict, blank=True)
    time_limit = models.PositiveIntegerField(_("time limit in seconds"), default=60)
    # When a worker (or the request, for a small run) took it: a run still running long past
    # claimed_at + time_limit lost its worker (matching.services.match_runs_stalled_fail).
    claimed_at = models.DateTimeField(_("started solving at"), null=True, blank=True)
    progress = models.JSONField(_("progress"), default=dict, blank=True)
    result = models.JSONField(_("result"), null=True, blank=True)
    solver_status = models.CharField(_("solver status"), max_length=20, blank=True)
    objective = models.IntegerField(_("total value"), null=True, blank=True)
    bound = models.IntegerField(_("bound"), null=True, blank=True)
    seconds = models.FloatField(_("seconds"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["progress"])

    class Meta:
        ordering = ["programme", "-number"]
        verbose_name = _("matching run")
        verbose_name_plural = _("matching runs")
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="matchrun_unique_number"),
            models.CheckConstraint(
                condition=Q(status__in=RunStatus.values), name="matchrun_status_known"
            ),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(status=RunStatus.DONE),
                name="matchrun_only_finished_runs_accepted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} run {self.number}"

    @property
    def is_finished(self) -> bool:
        return self.status in (RunStatus.DONE, RunStatus.FAILED)

    @property
    def has_pairs(self) -> bool:
        return bool(self.result and self.result.get("pairs"))
