"""Financial statements to the funder, generated from the records: the approved months of
staff time at their rates, the reimbursed claims' accepted lines, and indirect costs at the
flat rate. Creating a statement locks what it reports (their `reported_in`; the database then
refuses any change) and freezes the staff rates it used; the statement keeps the programme's
rules of that day (its own columns), so its figures never change with the rules. Another
finance officer than the one who prepared it signs it off (when the programme separates the
duties). Every line names its record, so an auditor goes from a total to a timesheet, a claim
and its receipt."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Q, prefetch_related_objects
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from core.audit import attribute_to
from core.errors import DomainError
from programmes.choices import PartnerRole
from programmes.models import Programme, ProgrammePartner

from ..choices import ClaimStatus, CostCategory, LineDecision, TimesheetStatus
from ..grant_rules import GrantRules, PartnerCosts, Split, programme_rules, split, statement_rules
from ..models import ClaimLine, ExpenseClaim, StaffRate, Statement, Timesheet
from ..money import ZERO
from ..permissions import can_manage_finance
from ..selectors import StaffCostLine, staff_cost_lines
from . import notices
from .statement_files import statement_files_renew


@dataclass
class StaffRow:
    cost: StaffCostLine
    person: str
    partner: ProgrammePartner


@dataclass
class TravelRow:
    line: ClaimLine
    partner: ProgrammePartner


@dataclass
class PartnerTotals:
    partner: ProgrammePartner
    by_category: dict[str, Decimal] = field(default_factory=lambda: defaultdict(lambda: ZERO))

    @property
    def staff(self) -> Decimal:
        return self.by_category[CostCategory.STAFF]

    @property
    def travel(self) -> Decimal:
        return self.by_category[CostCategory.TRAVEL]

    @property
    def indirect(self) -> Decimal:
        return self.by_category[CostCategory.INDIRECT]

    @property
    def direct(self) -> Decimal:
        return sum((v for k, v in self.by_category.items() if k != CostCategory.INDIRECT), ZERO)

    @property
    def total(self) -> Decimal:
        return self.direct + self.by_category[CostCategory.INDIRECT]


@dataclass
class StatementContent:
    statement: Statement
    staff: list[StaffRow]
    travel: list[TravelRow]
    partners: list[PartnerTotals]
    rules: GrantRules  # the statement's own, kept when it was prepared

    @property
    def indirect_rate(self) -> Decimal:
        return self.rules.indirect_rate

    @property
    def split(self) -> Split:
        return split(
            self.rules,
            (PartnerCosts(p.partner.pk, p.partner.role, p.staff, p.total) for p in self.partners),
        )

    @property
    def total(self) -> Decimal:
        return sum((p.total for p in self.partners), ZERO)

    @property
    def co_financing(self) -> Decimal:
        return self.split.co_financing

    @property
    def eu_contribution(self) -> Decimal:
        """As the statement's co-financing model says (finance.grant_rules); never more than
        the costs minus the co-financing (no profit)."""
        return self.split.eu_contribution

    def partners_with_co_financing(self) -> list[tuple[PartnerTotals, Decimal]]:
        """Each partner's totals with its co-financing under the statement's model."""
        by_partner = self.split.by_partner
        return [(p, by_partner.get(p.partner.pk, ZERO)) for p in self.partners]


def _records(
    programme: Programme, period_end: date, partner: ProgrammePartner | None, statement: Any
) -> tuple[Any, Any]:
    sheets = Timesheet.objects.filter(
        programme=programme, status=TimesheetStatus.APPROVED, month__lte=period_end
    )
    claims = ExpenseClaim.objects.filter(
        programme=programme, status=ClaimStatus.REIMBURSED, reimbursed_on__lte=period_end
    )
    if statement is None:
        sheets = sheets.filter(reported_in__isnull=True)
        claims = claims.filter(reported_in__isnull=True)
    else:
        sheets = sheets.filter(reported_in=statement)
        claims = claims.filter(reported_in=statement)
    if partner is not None:
        sheets = sheets.filter(person__organisation_id=partner.organisation_id)
        if partner.role != PartnerRole.COORDINATOR:
            claims = claims.none()  # travel is paid and declared by the coordinator
    return sheets, claims


def statement_create(
    *,
    actor: Any,
    programme: Programme,
    kind: str,
    period_end: date,
    partner: ProgrammePartner | None = None,
) -> Statement:
    """Report every approved month and reimbursed claim up to `period_end` not reported yet,
    and lock them; refused when a month has no staff rate (its cost would be unknown)."""
    if not can_manage_finance(actor, programme):
        raise DomainError(_("Only the programme's finance officers prepare statements."))
    if kind not in Statement.Kind.values:
        raise DomainError(_("Choose an interim or a final statement."))
    with transaction.atomic():
        sheets, claims = _records(programme, period_end, partner, None)
        sheets = sheets.select_for_update()
        claims = claims.select_for_update()
        sheet_ids = list(sheets.values_list("pk", flat=True))
        claim_ids = list(claims.values_list("pk", flat=True))
        if not sheet_ids and not claim_ids:
            raise DomainError(_("There is nothing new to report up to this date."))
        months = list(sheets.values_list("person_id", "month"))
        rates = StaffRate.objects.filter(
            programme=programme,
            person_id__in={p for p, _m in months},
            year__in={m.year for _p, m in months},
        )
        known = set(rates.values_list("person_id", "year"))
        if missing := {(p, m.year) for p, m in months} - known:
            raise DomainError(
                _("%(n)s person-years have approved hours but no staff rate: record them first.")
                % {"n": len(missing)}
            )
        statement = Statement(
            programme=programme,
            partner=partner,
            kind=kind,
            period_end=period_end,
            created_by=actor,
            **programme_rules(programme).as_statement_fields(),
        )
        attribute_to(statement, actor, "created")
        statement.save()
        # Locked with their history (who reported them, when), and the rates they used frozen.
        locked_sheets = list(Timesheet.objects.filter(pk__in=sheet_ids))
        locked_claims = list(ExpenseClaim.objects.filter(pk__in=claim_ids))
        locked: list[Any] = [*locked_sheets, *locked_claims]
        for record in locked:
            record.reported_in = statement
            attribute_to(record, actor, f"reported in statement {statement.pk}")
        bulk_update_with_history(locked_sheets, Timesheet, ["reported_in"], default_user=actor)
        bulk_update_with_history(locked_claims, ExpenseClaim, ["reported_in"], default_user=actor)
        used = {(person, month.year) for person, month in months}
        for rate in rates:
            if (rate.person_id, rate.year) in used and rate.frozen_at is None:
                rate.frozen_at = timezone.now()
                attribute_to(rate, actor, f"frozen by statement {statement.pk}")
                rate.save(update_fields=["frozen_at"])
        notices.statement_prepared(statement, actor)
    return statement


def statement_content(statement: Statement, *, receipts: bool = True) -> StatementContent:
    """What a statement reports, line by line and in totals (a fixed number of queries); the
    travel lines' receipts are read too unless `receipts` is False (a page reads those of the
    lines it shows)."""
    programme = statement.programme
    sheets, claims = _records(programme, statement.period_end, statement.partner, statement)
    # Plain values: a programme's statement reports hundreds of months.
    people = {
        pk: f"{first} {last}"
        for pk, first, last in sheets.values_list("pk", "person__first_name", "person__last_name")
    }
    costs = [
        cost
        for cost in staff_cost_lines(programme, (TimesheetStatus.APPROVED,), timesheets=sheets)
        if cost.timesheet_id in people
    ]
    # The partners it reports: those with staff costs, and the coordinator (who declares travel).
    partners = {
        p.organisation_id: p
        for p in ProgrammePartner.objects.filter(
            Q(organisation_id__in={cost.organisation_id for cost in costs})
            | Q(role=PartnerRole.COORDINATOR),
            programme=programme,
        ).select_related("organisation")
    }
    coordinator = next((p for p in partners.values() if p.role == PartnerRole.COORDINATOR), None)
    staff = [
        StaffRow(cost, people[cost.timesheet_id], partners[cost.organisation_id])
        for cost in costs
        if cost.organisation_id in partners
    ]
    lines = (
        ClaimLine.objects.filter(claim__in=claims, decision=LineDecision.ACCEPTED)
        .select_related("claim__traveller")
        .order_by("claim_id", "day", "pk")
    )
    if receipts:
        lines = lines.prefetch_related("receipts")
    travel = [TravelRow(line, coordinator) for line in lines] if coordinator else []
    totals: dict[int, PartnerTotals] = {}
    for row in staff:
        entry = totals.setdefault(row.partner.pk, PartnerTotals(row.partner))
        entry.by_category[CostCategory.STAFF] += row.cost.amount_eur or ZERO
    for travel_row in travel:
        entry = totals.setdefault(travel_row.partner.pk, PartnerTotals(travel_row.partner))
        entry.by_category[CostCategory.TRAVEL] += travel_row.line.amount_eur or ZERO
    rules = statement_rules(statement)
    for entry in totals.values():
        entry.by_category[CostCategory.INDIRECT] = rules.indirect(entry.staff, entry.direct)
    ordered = sorted(
        totals.values(),
        key=lambda t: (t.partner.role != "coordinator", str(t.partner.organisation.name)),
    )
    return StatementContent(statement, staff, travel, ordered, rules)


STATEMENT_LINES_PER_PAGE = 25


@dataclass
class StatementPage:
    """A statement's page: its totals over every line (`content`), and a page each of its
    staff and travel lines (every line is in its XLSX and PDF)."""

    content: StatementContent
    partners: Page  # of (PartnerTotals, its co-financing)
    staff: Page
    travel: Page

    def _others(self, own: str) -> str:
        """What a list's page links keep: the other lists' pages."""
        numbers = {
            "partners_page": self.partners.number,
            "staff_page": self.staff.number,
            "travel_page": self.travel.number,
        }
        return urlencode({k: v for k, v in numbers.items() if k != own and v != 1})

    @property
    def partners_query(self) -> str:
        return self._others("partners_page")

    @property
    def staff_query(self) -> str:
        return self._others("staff_page")

    @property
    def travel_query(self) -> str:
        return self._others("travel_page")


def statement_page(
    statement: Statement, *, partners_page: Any = 1, staff_page: Any = 1, travel_page: Any = 1
) -> StatementPage:
    """The statement's totals and one page of its partners and of each list of lines; the
    receipts read are those of the travel lines shown."""
    content = statement_content(statement, receipts=False)
    partners = Paginator(content.partners_with_co_financing(), STATEMENT_LINES_PER_PAGE).get_page(
        partners_page
    )
    staff = Paginator(content.staff, STATEMENT_LINES_PER_PAGE).get_page(staff_page)
    travel = Paginator(content.travel, STATEMENT_LINES_PER_PAGE).get_page(travel_page)
    prefetch_related_objects([row.line for row in travel], "receipts")
    return StatementPage(content, partners, staff, travel)


def statement_sign_off(*, actor: Any, statement: Statement) -> Statement:
    """A finance officer signs off a prepared statement: with the programme's separation of
    duties, not the one who prepared it (a second pair of eyes). Who signed it off and when is
    kept on the statement and in its history; its figures and rules do not change."""
    programme = statement.programme
    if not can_manage_finance(actor, programme):
        raise DomainError(_("Only the programme's finance officers sign off statements."))
    with transaction.atomic():
        current = Statement.objects.select_for_update().get(pk=statement.pk)
        if current.status == Statement.Status.SIGNED_OFF:
            raise DomainError(_("This statement is signed off already."))
        if programme.separate_duties and current.created_by_id == actor.pk:
            raise DomainError(
                _("You prepared this statement: another finance officer signs it off.")
            )
        current.status = Statement.Status.SIGNED_OFF
        current.signed_off_by = actor
        current.signed_off_at = timezone.now()
        attribute_to(current, actor, "signed off")
        current.save(update_fields=["status", "signed_off_by", "signed_off_at"])
        statement_files_renew(actor=actor, statement=current)
    return current
