"""Grant finance: the budget, staff-cost rates, timesheets, exchange rates and expense claims.

Every amount is a Decimal with its currency stated (EUR unless a `currency` column says
otherwise); conversions and roundings follow finance.money. Records that a person signs or a
statement reports are frozen by database triggers (finance/triggers.py), not only by the
services.
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

from core.generated_files import GeneratedFiles
from core.money import format_money
from core.uploads import GeneratedFileField, PolicyFileField
from programmes.choices import CoFinancingModel, Currency, IndirectCostBase
from programmes.models import Person, Programme, ProgrammePartner
from visits.models import Event

from .choices import (
    Activity,
    ClaimStatus,
    CostCategory,
    ExpenseKind,
    LineDecision,
    TimesheetStatus,
)
from .money import hourly_rate

ZERO = Decimal("0")
DEFAULT_PRODUCTIVE_HOURS = Decimal("1720")


# ---------------------------------------------------------------- budget


class BudgetLine(models.Model):
    """What a partner plans to spend in one direct cost category (EUR). Indirect costs are
    never typed: they are the programme's flat rate of the eligible direct costs."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="budget_lines")
    partner = models.ForeignKey(
        ProgrammePartner, on_delete=models.PROTECT, related_name="budget_lines"
    )
    category = models.CharField(_("cost category"), max_length=20, choices=CostCategory.choices)
    planned_eur = models.DecimalField(
        _("planned (EUR)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(ZERO)]
    )
    revision = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "partner", "category"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "category"], name="budgetline_one_per_partner_category"
            ),
            models.CheckConstraint(
                condition=Q(category__in=CostCategory.values) & ~Q(category="indirect"),
                name="budgetline_direct_category",
            ),
            models.CheckConstraint(condition=Q(planned_eur__gte=0), name="budgetline_planned_pos"),
        ]

    def __str__(self) -> str:
        return f"{self.partner} · {self.get_category_display()}"


class BudgetTransfer(models.Model):
    """Planned money moved from one line to another, with the reason (the lines change with it)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    source = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="transfers_out")
    target = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="transfers_in")
    amount_eur = models.DecimalField(_("amount (EUR)"), max_digits=14, decimal_places=2)
    reason = models.TextField(_("reason"), max_length=2000)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["programme", "at"]
        verbose_name = _("budget transfer")
        verbose_name_plural = _("budget transfers")
        constraints = [
            models.CheckConstraint(condition=Q(amount_eur__gt=0), name="budgettransfer_positive"),
            models.CheckConstraint(
                condition=~Q(source=F("target")), name="budgettransfer_two_lines"
            ),
        ]

    def __str__(self) -> str:
        return f"{format_money(self.amount_eur, 'EUR')}: {self.source} → {self.target}"


class BudgetOverride(models.Model):
    """Leave to spend beyond a budget line's plan, up to `amount_eur` more, with the reason.
    Given by a finance officer; an approval that overspends the line counts only leaves given
    by someone else (a second pair of eyes), so nobody overrides their own approval."""

    line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="overrides")
    amount_eur = models.DecimalField(
        _("amount beyond the plan (EUR)"), max_digits=14, decimal_places=2
    )
    reason = models.TextField(_("reason"), max_length=2000)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["line", "granted_at"]
        verbose_name = _("budget override")
        verbose_name_plural = _("budget overrides")
        constraints = [
            models.CheckConstraint(condition=Q(amount_eur__gt=0), name="budgetoverride_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.line}: +{format_money(self.amount_eur, 'EUR')}"


class PartnerCoFinancing(models.Model):
    """A partner's co-financing figures, when the programme sets them per partner: its share of
    the co-financing target (split "per partner") and its fixed contribution (model "fixed")."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    partner = models.OneToOneField(
        ProgrammePartner, on_delete=models.CASCADE, related_name="co_financing"
    )
    target_eur = models.DecimalField(
        _("co-financing target (EUR)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    fixed_contribution_eur = models.DecimalField(
        _("fixed contribution (EUR)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    revision = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "partner"]
        verbose_name = _("partner's co-financing")
        verbose_name_plural = _("partners' co-financing")
        constraints = [
            models.CheckConstraint(
                condition=(Q(target_eur__isnull=True) | Q(target_eur__gte=0))
                & (Q(fixed_contribution_eur__isnull=True) | Q(fixed_contribution_eur__gte=0)),
                name="partnercofinancing_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return str(self.partner)


class ExchangeRate(models.Model):
    """The Commission's monthly accounting rate: units of `currency` for one euro."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="exchange_rates"
    )
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    rate = models.DecimalField(
        _("units for one euro"),
        max_digits=14,
        decimal_places=6,
        validators=[MinValueValidator(ZERO)],
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "currency", "month"]
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "currency", "month"], name="exchangerate_one_per_month"
            ),
            models.CheckConstraint(condition=Q(rate__gt=0), name="exchangerate_positive"),
            models.CheckConstraint(condition=~Q(currency="EUR"), name="exchangerate_not_eur"),
        ]

    def __str__(self) -> str:
        return f"{self.currency} {self.month:%Y-%m}: {self.rate}"


# ---------------------------------------------------------------- staff costs


class StaffRate(models.Model):
    """A person's staff cost in one year: annual gross employer cost over productive hours.

    Personal data (a salary): read only by the person, their city's finance contact, the
    programme's finance officers and auditors. Frozen once a statement uses it.
    """

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="staff_rates")
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="staff_rates")
    year = models.PositiveSmallIntegerField(_("year"))
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    annual_cost = models.DecimalField(
        _("annual gross employer cost"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(ZERO)],
    )
    # Another figure than the programme's default needs a justification (finance.services.rates).
    productive_hours = models.DecimalField(
        _("productive hours"), max_digits=6, decimal_places=1, default=DEFAULT_PRODUCTIVE_HOURS
    )
    justification = models.TextField(
        _("justification of other productive hours"), blank=True, max_length=2000
    )
    frozen_at = models.DateTimeField(_("frozen at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "person", "year"]
        verbose_name = _("staff-cost rate")
        verbose_name_plural = _("staff-cost rates")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "programme", "year"], name="staffrate_one_per_person_year"
            ),
            models.CheckConstraint(condition=Q(annual_cost__gt=0), name="staffrate_cost_positive"),
            models.CheckConstraint(
                condition=Q(productive_hours__gt=0) & Q(productive_hours__lte=3000),
                name="staffrate_hours_plausible",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.year}"

    @property
    def hourly_rate(self) -> Decimal:
        return hourly_rate(self.annual_cost, self.productive_hours)


class Timesheet(models.Model):
    """One person's hours on the programme in one month (`month` is its first day)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="timesheets")
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="timesheets")
    month = models.DateField(_("month"))
    status = models.CharField(
        _("status"), max_length=20, choices=TimesheetStatus.choices, default=TimesheetStatus.OPEN
    )
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reopen_reason = models.TextField(_("reason for reopening"), blank=True, max_length=2000)
    # Set when a statement reports this month: the month can then never reopen.
    reported_in = models.ForeignKey(
        "finance.Statement", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revision = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "person", "month"]
        verbose_name = _("timesheet")
        verbose_name_plural = _("timesheets")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "programme", "month"], name="timesheet_one_per_month"
            ),
            models.CheckConstraint(
                condition=Q(status__in=TimesheetStatus.values), name="timesheet_status_known"
            ),
            models.CheckConstraint(
                condition=Q(status=TimesheetStatus.OPEN) | Q(signed_at__isnull=False),
                name="timesheet_signed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.month:%Y-%m}"

    @property
    def is_open(self) -> bool:
        return self.status == TimesheetStatus.OPEN


class TimeEntry(models.Model):
    """Hours worked on one day on one activity (an event for visits and meetings)."""

    timesheet = models.ForeignKey(Timesheet, on_delete=models.CASCADE, related_name="entries")
    day = models.DateField(_("day"))
    activity = models.CharField(_("activity"), max_length=30, choices=Activity.choices)
    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, null=True, blank=True, related_name="time_entries"
    )
    hours = models.DecimalField(
        _("hours"), max_digits=4, decimal_places=2, validators=[MinValueValidator(ZERO)]
    )

    class Meta:
        ordering = ["timesheet", "day", "activity"]
        verbose_name = _("time entry")
        verbose_name_plural = _("time entries")
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0) & Q(hours__lte=24), name="timeentry_hours_in_a_day"
            ),
            models.UniqueConstraint(
                fields=["timesheet", "day", "activity", "event"],
                name="timeentry_one_per_day_activity_event",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day}: {self.hours} h {self.activity}"


class OtherGrantHours(models.Model):
    """Hours a person declares on other grants in a year (or one month of it), with the grant's
    reference and evidence: the productive-hours cap counts them with this platform's hours."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="other_grant_hours")
    year = models.PositiveSmallIntegerField(_("year"))
    # The first day of the month when the hours are declared for one month; blank for a year.
    month = models.DateField(_("month"), null=True, blank=True)
    grant = models.CharField(_("grant"), max_length=200)
    reference = models.CharField(_("grant reference"), max_length=200, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=7, decimal_places=2)
    evidence = PolicyFileField(_("evidence"), policy="evidence", blank=True)
    evidence_name = models.CharField(_("evidence file name"), max_length=200, blank=True)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    declared_at = models.DateTimeField(_("declared at"), null=True, blank=True)
    revision = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["person", "year", "grant"]
        verbose_name = _("hours on another grant")
        verbose_name_plural = _("hours on other grants")
        constraints = [
            models.CheckConstraint(condition=Q(hours__gte=0), name="othergranthours_positive")
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.year}: {self.grant}"


# ---------------------------------------------------------------- expense claims


class ExpenseClaim(models.Model):
    """A traveller's claim for an event, reimbursed at 100% of its accepted lines (EUR)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="claims")
    traveller = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="claims")
    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, null=True, blank=True, related_name="claims"
    )
    purpose = models.CharField(_("purpose"), max_length=300)
    status = models.CharField(
        _("status"), max_length=20, choices=ClaimStatus.choices, default=ClaimStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # Who did each step (the programme's separation of duties compares them).
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    reimbursed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reimbursed_on = models.DateField(_("reimbursed on"), null=True, blank=True)
    reimbursed_eur = models.DecimalField(
        _("reimbursed (EUR)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    reimbursement_reference = models.CharField(_("payment reference"), max_length=100, blank=True)
    reported_in = models.ForeignKey(
        "finance.Statement", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revision = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "-pk"]
        verbose_name = _("expense claim")
        verbose_name_plural = _("expense claims")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ClaimStatus.values), name="claim_status_known"
            ),
            models.CheckConstraint(
                condition=~Q(status=ClaimStatus.REIMBURSED)
                | (Q(reimbursed_on__isnull=False) & Q(reimbursed_eur__isnull=False)),
                name="claim_reimbursed_has_payment",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.traveller}: {self.purpose}"


class ClaimLine(models.Model):
    """One cost: incurred on a date, paid to a supplier, in a currency; converted to EUR at the
    programme's rate of that month when the claim is submitted."""

    claim = models.ForeignKey(ExpenseClaim, on_delete=models.CASCADE, related_name="lines")
    day = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=ExpenseKind.choices)
    supplier = models.CharField(_("supplier"), max_length=200)
    description = models.CharField(_("description"), max_length=300, blank=True)
    amount = models.DecimalField(
        _("amount"), max_digits=14, decimal_places=2, validators=[MinValueValidator(ZERO)]
    )
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    rate = models.DecimalField(
        _("units for one euro"), max_digits=14, decimal_places=6, null=True, blank=True
    )
    amount_eur = models.DecimalField(
        _("amount (EUR)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    decision = models.CharField(
        _("decision"), max_length=20, choices=LineDecision.choices, default=LineDecision.PENDING
    )
    rejection_reason = models.TextField(_("reason for rejecting"), blank=True, max_length=2000)
    history = HistoricalRecords()

    class Meta:
        ordering = ["claim", "day", "pk"]
        verbose_name = _("claim line")
        verbose_name_plural = _("claim lines")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="claimline_amount_positive"),
            models.CheckConstraint(
                condition=~Q(decision=LineDecision.REJECTED) | ~Q(rejection_reason=""),
                name="claimline_rejection_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.supplier}: {format_money(self.amount, self.currency)}"


def _receipt_path(instance: "Receipt", filename: str) -> str:
    """Named by migration 0001 only: receipts are stored by core.uploads (random names)."""
    return f"receipts/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()[:9]}"


class Receipt(models.Model):
    """The supporting document of a claim line, stored privately, served through a scoped view."""

    line = models.ForeignKey(ClaimLine, on_delete=models.CASCADE, related_name="receipts")
    file = PolicyFileField(_("file"), policy="receipts")
    name = models.CharField(_("name"), max_length=200)  # as its traveller named it, shown only
    # The file's SHA-256: the same file attached twice in the programme is flagged at the check.
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, db_index=True)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["line", "uploaded_at"]
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")

    def __str__(self) -> str:
        return self.name


# ---------------------------------------------------------------- statements


class Statement(models.Model):
    """A financial statement to the funder (interim or final), of the programme or of one
    partner. The records it reports are locked (their `reported_in` is set)."""

    class Kind(models.TextChoices):
        INTERIM = "interim", _("Interim")
        FINAL = "final", _("Final")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="statements")
    partner = models.ForeignKey(
        ProgrammePartner, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Status(models.TextChoices):
        PREPARED = "prepared", _("Prepared, to be signed off")
        SIGNED_OFF = "signed_off", _("Signed off")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    period_end = models.DateField(_("period ends on"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PREPARED
    )
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    signed_off_at = models.DateTimeField(_("signed off at"), null=True, blank=True)
    # The programme's rules when the statement was prepared: its figures are computed with
    # these, so a later change of the programme's rules never changes a statement.
    eu_rate = models.DecimalField(_("EU rate"), max_digits=5, decimal_places=4)
    indirect_rate = models.DecimalField(_("flat rate"), max_digits=5, decimal_places=4)
    indirect_base = models.CharField(
        _("base of the flat rate"), max_length=20, choices=IndirectCostBase.choices
    )
    co_financing_model = models.CharField(
        _("co-financing model"), max_length=20, choices=CoFinancingModel.choices
    )
    # Partner pk (as text) → fixed contribution in EUR (as text), for the "fixed" model.
    contributions = models.JSONField(_("fixed contributions"), default=dict, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "period_end", "pk"]
        verbose_name = _("financial statement")
        verbose_name_plural = _("financial statements")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period_end}"


def _statement_file_path(instance: "StatementFiles", filename: str) -> str:
    """Named by migration 0003 only: the files are stored by core.uploads (random names)."""
    return f"statements/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()[:9]}"


class StatementFiles(GeneratedFiles):
    """A statement's XLSX and PDF in one language, generated by the task queue.

    The worker writes the status and progress here, so whichever web process serves the
    statement's page reads them; the page says "being generated" until they are done. The
    files are private, served only within the statement's scope."""

    parent_field = "statement"

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="files")
    # Written by the platform (finance.services.statement_files), never uploaded by a person.
    xlsx = GeneratedFileField(_("XLSX"), folder="statements", blank=True)
    pdf = GeneratedFileField(_("PDF"), folder="statements", blank=True)

    class Meta(GeneratedFiles.Meta):
        ordering = ["statement", "language"]
        verbose_name = _("statement files")
        verbose_name_plural = _("statement files")
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "language"], name="statementfiles_one_per_language"
            ),
            *GeneratedFiles.Meta.constraints,
        ]
