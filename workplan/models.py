"""The work plan of a programme: work packages with their tasks, deliverables and milestones.

Months are numbers of the programme (M1 is the month the programme starts, workplan.months turns
them into dates), so moving the programme's start moves the whole plan. The lead of every item
is one of the programme's partners. A deliverable's state is never stored: it is computed from
the steps a coordinator recorded (DeliverableStep) and, for a deliverable the platform holds
(adopted plans, published toolkits, the held conference), from those records
(workplan.sources), so it cannot drift from them. Every row keeps a change history.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.uploads import PolicyFileField
from programmes.models import Programme, ProgrammePartner, Theme

from .choices import SOURCE_KIND, DeliverableKind, Dissemination, Source, Step

MAX_MONTH = 120  # ten years: reports fall due after the programme's end


class WorkPackage(models.Model):
    """A work package (WP1, WP2...) of a programme, led by one partner."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="work_packages")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=4000)
    lead = models.ForeignKey(
        ProgrammePartner,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("lead partner"),
    )
    start_month = models.PositiveSmallIntegerField(_("start month"))
    end_month = models.PositiveSmallIntegerField(_("end month"))
    illustrative = models.BooleanField(_("illustrative"), default=False)
    revision = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "number"]
        verbose_name = _("work package")
        verbose_name_plural = _("work packages")
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="wp_number_unique"),
            models.CheckConstraint(
                condition=Q(start_month__gte=1)
                & Q(end_month__gte=F("start_month"))
                & Q(end_month__lte=MAX_MONTH),
                name="wp_months_in_order",
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="wp_number_positive"),
        ]

    def __str__(self) -> str:
        return f"WP{self.number} {self.title}"

    @property
    def code(self) -> str:
        return f"WP{self.number}"


class Task(models.Model):
    """A task of a work package (T2.1); `theme` names the mentoring scheme it serves, if one."""

    work_package = models.ForeignKey(WorkPackage, on_delete=models.CASCADE, related_name="tasks")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=4000)
    lead = models.ForeignKey(
        ProgrammePartner, on_delete=models.PROTECT, related_name="+", verbose_name=_("lead partner")
    )
    theme = models.ForeignKey(
        Theme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("mentoring scheme"),
    )
    start_month = models.PositiveSmallIntegerField(_("start month"))
    end_month = models.PositiveSmallIntegerField(_("end month"))
    illustrative = models.BooleanField(_("illustrative"), default=False)
    revision = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["work_package", "number"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        constraints = [
            models.UniqueConstraint(fields=["work_package", "number"], name="task_number_unique"),
            models.CheckConstraint(
                condition=Q(start_month__gte=1)
                & Q(end_month__gte=F("start_month"))
                & Q(end_month__lte=MAX_MONTH),
                name="task_months_in_order",
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="task_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def code(self) -> str:
        return f"T{self.work_package.number}.{self.number}"


class Deliverable(models.Model):
    """A deliverable owed to the funder (D2.1): what it is, how many, by which month, for whom.

    `source` says where its count and evidence come from: the platform's own records for the
    kinds it holds (the source's kind must match), else files or links recorded in its steps.
    `theme` narrows the records counted to one mentoring scheme."""

    work_package = models.ForeignKey(
        WorkPackage, on_delete=models.CASCADE, related_name="deliverables"
    )
    task = models.ForeignKey(
        Task,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deliverables",
        verbose_name=_("task"),
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=4000)
    lead = models.ForeignKey(
        ProgrammePartner, on_delete=models.PROTECT, related_name="+", verbose_name=_("lead partner")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=DeliverableKind.choices)
    target = models.PositiveSmallIntegerField(_("target count"), default=1)
    due_month = models.PositiveSmallIntegerField(_("due month"))
    dissemination = models.CharField(
        _("dissemination level"),
        max_length=12,
        choices=Dissemination.choices,
        default=Dissemination.PUBLIC,
    )
    source = models.CharField(
        _("count and evidence from"), max_length=30, choices=Source.choices, default=Source.UPLOAD
    )
    theme = models.ForeignKey(
        Theme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("only the records of the scheme"),
    )
    illustrative = models.BooleanField(_("illustrative"), default=False)
    revision = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["work_package", "number"]
        verbose_name = _("deliverable")
        verbose_name_plural = _("deliverables")
        constraints = [
            models.UniqueConstraint(
                fields=["work_package", "number"], name="deliverable_number_unique"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="deliverable_number_positive"),
            models.CheckConstraint(
                condition=Q(due_month__gte=1) & Q(due_month__lte=MAX_MONTH),
                name="deliverable_due_month_valid",
            ),
            models.CheckConstraint(condition=Q(target__gte=1), name="deliverable_target_positive"),
            models.CheckConstraint(
                condition=Q(kind__in=DeliverableKind.values), name="deliverable_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(dissemination__in=Dissemination.values),
                name="deliverable_dissemination_known",
            ),
            models.CheckConstraint(
                condition=Q(source=Source.UPLOAD)
                | Q(
                    *[Q(source=source, kind=kind) for source, kind in SOURCE_KIND.items()],
                    _connector=Q.OR,
                ),
                name="deliverable_source_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def code(self) -> str:
        return f"D{self.work_package.number}.{self.number}"

    @property
    def from_records(self) -> bool:
        return self.source != Source.UPLOAD


class Milestone(models.Model):
    """A milestone (MS3): a point the programme must reach by a month, verified as stated."""

    work_package = models.ForeignKey(
        WorkPackage, on_delete=models.CASCADE, related_name="milestones"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)
    verification = models.TextField(_("means of verification"), blank=True, max_length=2000)
    lead = models.ForeignKey(
        ProgrammePartner, on_delete=models.PROTECT, related_name="+", verbose_name=_("lead partner")
    )
    due_month = models.PositiveSmallIntegerField(_("due month"))
    dissemination = models.CharField(
        _("dissemination level"),
        max_length=12,
        choices=Dissemination.choices,
        default=Dissemination.PUBLIC,
    )
    reached_on = models.DateField(_("reached on"), null=True, blank=True)
    evidence_link = models.URLField(_("link to the evidence"), blank=True, max_length=500)
    illustrative = models.BooleanField(_("illustrative"), default=False)
    revision = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["work_package", "number"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        constraints = [
            models.UniqueConstraint(
                fields=["work_package", "number"], name="milestone_number_unique"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="milestone_number_positive"),
            models.CheckConstraint(
                condition=Q(due_month__gte=1) & Q(due_month__lte=MAX_MONTH),
                name="milestone_due_month_valid",
            ),
            models.CheckConstraint(
                condition=Q(dissemination__in=Dissemination.values),
                name="milestone_dissemination_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def code(self) -> str:
        # Numbered across the programme in EU work plans; stored per work package here.
        return f"MS{self.work_package.number}.{self.number}"


class DeliverableStep(models.Model):
    """One step a coordinator recorded on a deliverable: work started, submitted to the funder,
    accepted or returned by it; the day it happened and its evidence (a file, a link, or the
    records it counted, `counted` of them at the time). Rows are never changed or deleted:
    they are the deliverable's audit trail (workflow.deliverable_step is the only writer)."""

    deliverable = models.ForeignKey(Deliverable, on_delete=models.CASCADE, related_name="steps")
    step = models.CharField(_("step"), max_length=10, choices=Step.choices)
    on = models.DateField(_("date"))
    file = PolicyFileField(_("file"), policy="deliverables", blank=True)
    file_name = models.CharField(_("name of the file"), max_length=200, blank=True)
    link = models.URLField(_("link"), blank=True, max_length=500)
    comment = models.TextField(_("comment"), blank=True, max_length=4000)
    counted = models.PositiveIntegerField(_("records counted"), null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["deliverable", "at", "pk"]
        verbose_name = _("deliverable step")
        verbose_name_plural = _("deliverable steps")
        constraints = [
            models.CheckConstraint(condition=Q(step__in=Step.values), name="step_known"),
        ]
        indexes = [models.Index(fields=["deliverable", "at"], name="step_deliverable_at")]

    def __str__(self) -> str:
        return f"{self.deliverable}: {self.get_step_display()} {self.on}"
