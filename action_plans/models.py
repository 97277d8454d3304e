"""Local action plans: one per implementing city and programme, drafted together, endorsed by the
city's administration and then its politicians, and monitored after adoption.

The plan's text and its actions are the drafting content: every save keeps a PlanVersion (a
snapshot) and an adopted plan is frozen by database triggers (action_plans.triggers). Monitoring
(progress updates, milestones, check-ins) lives in separate tables, so it goes on after adoption.
"""

import uuid
from decimal import Decimal
from pathlib import PurePath

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessments.models import KeyFactor
from core.uploads import PolicyFileField
from programmes.models import City, MentoringPair, Programme
from visits.models import Finding

from .choices import (
    ActionState,
    CommentStatus,
    Decision,
    FundingSource,
    Level,
    PlanStatus,
    Section,
)

ZERO = Decimal("0")


class ActionPlan(models.Model):
    """The implementing city's plan; `edition` counts adoptions (a revision after adoption starts
    the next edition), `revision` guards the sections against concurrent saves."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="action_plans")
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="action_plans")
    pair = models.ForeignKey(
        MentoringPair, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    context = models.TextField(_("context"), blank=True, max_length=20000)
    vision = models.TextField(_("vision"), blank=True, max_length=20000)
    objectives = models.TextField(_("objectives"), blank=True, max_length=20000)
    status = models.CharField(
        _("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    edition = models.PositiveSmallIntegerField(_("edition"), default=1)
    revision = models.PositiveIntegerField(default=1, editable=False)
    adopted_at = models.DateTimeField(_("adopted at"), null=True, blank=True)
    # What the public page shows once adopted: the city chooses.
    published = models.BooleanField(_("published on the public site"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("local action plan")
        verbose_name_plural = _("local action plans")
        constraints = [
            models.UniqueConstraint(fields=["programme", "city"], name="actionplan_one_per_city"),
            models.CheckConstraint(
                condition=Q(status__in=PlanStatus.values), name="actionplan_status_known"
            ),
            models.CheckConstraint(
                condition=~Q(status=PlanStatus.ADOPTED) | Q(adopted_at__isnull=False),
                name="actionplan_adopted_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class PlanAction(models.Model):
    """One action of a plan: who leads it, when, with what resources, measured how."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="actions")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=8000)
    lead_department = models.CharField(_("lead department"), max_length=200, blank=True)
    partners = models.CharField(_("partners"), max_length=500, blank=True)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    budget_eur = models.DecimalField(
        _("budget (EUR)"),
        max_digits=12,
        decimal_places=2,
        default=ZERO,
        validators=[MinValueValidator(ZERO)],
    )
    staff_days = models.DecimalField(
        _("staff days"),
        max_digits=7,
        decimal_places=1,
        default=ZERO,
        validators=[MinValueValidator(ZERO)],
    )
    funding_source = models.CharField(
        _("funding source"), max_length=20, choices=FundingSource.choices, blank=True
    )
    key_factors = models.ManyToManyField(
        KeyFactor, blank=True, related_name="plan_actions", verbose_name=_("key factors")
    )
    findings = models.ManyToManyField(
        Finding, blank=True, related_name="plan_actions", verbose_name=_("visit findings")
    )
    # Transfer provenance: the (usually the mentor city's) good practice this action adapts.
    adapts_practice = models.ForeignKey(
        "knowledge.GoodPractice",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="adaptations",
        verbose_name=_("adapts the good practice"),
    )
    public = models.BooleanField(_("shown on the public page"), default=True)
    revision = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "order", "pk"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="planaction_end_after"),
            models.CheckConstraint(condition=Q(budget_eur__gte=0), name="planaction_budget_pos"),
            models.CheckConstraint(condition=Q(staff_days__gte=0), name="planaction_days_pos"),
        ]

    def __str__(self) -> str:
        return self.title


class Indicator(models.Model):
    """How an action's result is measured: from a baseline to a target."""

    action = models.ForeignKey(PlanAction, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("indicator"), max_length=200)
    unit = models.CharField(_("unit"), max_length=60, blank=True)
    baseline = models.DecimalField(
        _("baseline"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        ordering = ["action", "pk"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.name


class PlanRisk(models.Model):
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="risks")
    description = models.CharField(_("risk"), max_length=500)
    likelihood = models.CharField(_("likelihood"), max_length=10, choices=Level.choices)
    impact = models.CharField(_("impact"), max_length=10, choices=Level.choices)
    mitigation = models.CharField(_("mitigation"), max_length=500, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "order"]
        verbose_name = _("risk")
        verbose_name_plural = _("risks")

    def __str__(self) -> str:
        return self.description


class PlanVersion(models.Model):
    """A snapshot of the whole plan at one save (or a save refused as concurrent: `conflict`, so
    that text is not lost). Rows are never changed (trigger)."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    edition = models.PositiveSmallIntegerField(_("edition"))
    status = models.CharField(_("status"), max_length=20, choices=PlanStatus.choices)
    content = models.JSONField(_("content"))
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    saved_at = models.DateTimeField(_("saved at"), auto_now_add=True)
    note = models.CharField(_("what changed"), max_length=200, blank=True)
    conflict = models.BooleanField(_("refused as concurrent"), default=False)
    adopted = models.BooleanField(_("the adopted text"), default=False)

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="planversion_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.plan} v{self.number}"


class PlanComment(models.Model):
    """A comment or a suggested text on a section or an action; replies point to their parent;
    the thread is resolved as a whole (on its first comment). A suggested text for a section
    (context, vision, objectives) replaces that section's text when an editor applies it."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="comments")
    edition = models.PositiveSmallIntegerField(_("edition"))
    section = models.CharField(_("about"), max_length=20, choices=Section.choices)
    action = models.ForeignKey(
        PlanAction, on_delete=models.SET_NULL, null=True, blank=True, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("comment"), max_length=4000)
    suggestion = models.TextField(_("suggested text"), blank=True, max_length=8000)
    # The section's text when the suggestion was made: applying it is refused once the section
    # has changed since (null: a suggestion older than this check, or not about a section text).
    # null, not "": an empty section is a real base (a suggestion for an unwritten vision).
    suggestion_base = models.TextField(null=True, blank=True, editable=False)  # noqa: DJ001
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("suggestion applied by"),
    )
    applied_at = models.DateTimeField(_("suggestion applied at"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=CommentStatus.choices, default=CommentStatus.OPEN
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        constraints = [
            models.CheckConstraint(
                condition=~Q(section=Section.ACTION)
                | Q(action__isnull=False)
                | Q(parent__isnull=False),
                name="plancomment_action_named",
            )
        ]

    def __str__(self) -> str:
        return self.body[:60]


def _decision_path(instance: "PlanTransition", filename: str) -> str:
    """Named by migration 0001 only: decisions are stored by core.uploads (random names)."""
    return f"decisions/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()[:9]}"


class PlanTransition(models.Model):
    """The plan's workflow log: every transition, by whom, when, with its comment; a political
    endorsement also records the body, the date and reference of the decision and its document."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="transitions")
    edition = models.PositiveSmallIntegerField(_("edition"))
    transition = models.CharField(_("step"), max_length=30)
    from_status = models.CharField(max_length=20, choices=PlanStatus.choices)
    to_status = models.CharField(max_length=20, choices=PlanStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    comment = models.TextField(_("comment"), blank=True, max_length=4000)
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices, blank=True)
    body = models.CharField(_("decision-making body"), max_length=200, blank=True)
    decided_on = models.DateField(_("date of the decision"), null=True, blank=True)
    reference = models.CharField(_("decision reference"), max_length=100, blank=True)
    document = PolicyFileField(_("decision document"), policy="decisions", blank=True)
    document_name = models.CharField(_("name of the decision document"), max_length=200, blank=True)

    class Meta:
        ordering = ["plan", "at", "pk"]
        verbose_name = _("plan transition")
        verbose_name_plural = _("plan transitions")

    def __str__(self) -> str:
        return f"{self.plan}: {self.from_status} → {self.to_status}"


# ---------------------------------------------------------------- monitoring (after adoption)


def _evidence_path(instance: "ProgressUpdate", filename: str) -> str:
    """Named by migration 0001 only: evidence is stored by core.uploads (random names)."""
    return f"evidence/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()[:9]}"


class ProgressUpdate(models.Model):
    """A dated report on an adopted action: its state and % done, with evidence."""

    action = models.ForeignKey(PlanAction, on_delete=models.CASCADE, related_name="updates")
    on = models.DateField(_("date"))
    state = models.CharField(_("state"), max_length=20, choices=ActionState.choices)
    percent = models.PositiveSmallIntegerField(_("progress (%)"))
    note = models.TextField(_("what happened"), blank=True, max_length=4000)
    evidence = PolicyFileField(_("evidence"), policy="evidence", blank=True)
    evidence_name = models.CharField(_("name of the evidence"), max_length=200, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["action", "on", "pk"]
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        constraints = [
            models.CheckConstraint(condition=Q(percent__lte=100), name="progress_percent_max"),
            models.CheckConstraint(
                condition=Q(state__in=ActionState.values), name="progress_state_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action}: {self.percent}%"


class Milestone(models.Model):
    action = models.ForeignKey(PlanAction, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=200)
    due_on = models.DateField(_("due"))
    done_on = models.DateField(_("reached on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["action", "due_on"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return self.title


class CheckIn(models.Model):
    """The follow-up 6 and 12 months after the programme's end: due, reminded, held."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="check_ins")
    months_after_end = models.PositiveSmallIntegerField(_("months after the programme"))
    due_on = models.DateField(_("due"))
    reminded_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True, max_length=4000)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "due_on"]
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "months_after_end"], name="checkin_once_per_plan_and_month"
            )
        ]

    def __str__(self) -> str:
        return f"{self.plan}: +{self.months_after_end} months"
