"""What signing, checking and reporting freeze, enforced by the database itself (core.db):
the hours of a signed month, the months and claims a statement reports, a frozen staff rate,
and the lines and receipts of a claim once it has been checked."""

from core.db import Trigger

_SHEET_CLOSED = (
    "EXISTS (SELECT 1 FROM finance_timesheet t WHERE t.id = {sheet} AND t.status <> 'open')"
)
_CLAIM_CLOSED = (
    "EXISTS (SELECT 1 FROM finance_expenseclaim c WHERE c.id = {claim} "
    "AND c.status NOT IN ('draft', 'submitted'))"
)

HOURS_OF_SIGNED_MONTH_INSERT = Trigger(
    name="timeentry_signed_month_insert",
    table="finance_timeentry",
    violated_when=_SHEET_CLOSED.format(sheet="NEW.timesheet_id"),
    message="a signed month is locked; reopen it with a reason to correct it",
    on_update=False,
)
HOURS_OF_SIGNED_MONTH_UPDATE = Trigger(
    name="timeentry_signed_month_update",
    table="finance_timeentry",
    violated_when=_SHEET_CLOSED.format(sheet="OLD.timesheet_id")
    + " OR "
    + _SHEET_CLOSED.format(sheet="NEW.timesheet_id"),
    message="a signed month is locked; reopen it with a reason to correct it",
    on_insert=False,
)
REPORTED_MONTH = Trigger(
    name="timesheet_reported",
    table="finance_timesheet",
    violated_when=(
        "OLD.reported_in_id IS NOT NULL AND (NEW.status <> OLD.status "
        "OR NEW.reported_in_id IS NULL OR NEW.month <> OLD.month OR NEW.person_id <> OLD.person_id)"
    ),
    message="a month reported to the funder never changes",
    on_insert=False,
)
FROZEN_RATE = Trigger(
    name="staffrate_frozen",
    table="finance_staffrate",
    violated_when=(
        "OLD.frozen_at IS NOT NULL AND (NEW.frozen_at IS NULL "
        "OR NEW.annual_cost <> OLD.annual_cost OR NEW.productive_hours <> OLD.productive_hours "
        "OR NEW.currency <> OLD.currency OR NEW.year <> OLD.year "
        "OR NEW.person_id <> OLD.person_id)"
    ),
    message="a staff rate used in a statement is frozen",
    on_insert=False,
)
REPORTED_CLAIM = Trigger(
    name="expenseclaim_reported",
    table="finance_expenseclaim",
    violated_when="OLD.reported_in_id IS NOT NULL",
    message="a claim reported to the funder never changes",
    on_insert=False,
)
LINE_OF_CHECKED_CLAIM_INSERT = Trigger(
    name="claimline_checked_insert",
    table="finance_claimline",
    violated_when=_CLAIM_CLOSED.format(claim="NEW.claim_id"),
    message="the lines of a checked claim are frozen",
    on_update=False,
)
LINE_OF_CHECKED_CLAIM_UPDATE = Trigger(
    name="claimline_checked_update",
    table="finance_claimline",
    violated_when=_CLAIM_CLOSED.format(claim="OLD.claim_id"),
    message="the lines of a checked claim are frozen",
    on_insert=False,
)
RECEIPT_OF_CHECKED_CLAIM = Trigger(
    name="receipt_checked_claim",
    table="finance_receipt",
    violated_when=(
        "EXISTS (SELECT 1 FROM finance_claimline l JOIN finance_expenseclaim c "
        "ON c.id = l.claim_id WHERE l.id = NEW.line_id AND c.status NOT IN ('draft', 'submitted'))"
    ),
    message="the receipts of a checked claim are frozen",
)

ALL = (
    HOURS_OF_SIGNED_MONTH_INSERT,
    HOURS_OF_SIGNED_MONTH_UPDATE,
    REPORTED_MONTH,
    FROZEN_RATE,
    REPORTED_CLAIM,
    LINE_OF_CHECKED_CLAIM_INSERT,
    LINE_OF_CHECKED_CLAIM_UPDATE,
    RECEIPT_OF_CHECKED_CLAIM,
)

# Created by migration 0006 (after the statement's rules had columns), so not in ALL, which
# migration 0002 creates.
STATEMENT_RULES = Trigger(
    name="statement_rules",
    table="finance_statement",
    violated_when=(
        "NEW.eu_rate <> OLD.eu_rate OR NEW.indirect_rate <> OLD.indirect_rate "
        "OR NEW.indirect_base <> OLD.indirect_base "
        "OR NEW.co_financing_model <> OLD.co_financing_model "
        "OR NEW.contributions <> OLD.contributions OR NEW.period_end <> OLD.period_end "
        "OR NEW.programme_id <> OLD.programme_id"
    ),
    message="a statement keeps the rules it was computed with",
    on_insert=False,
)
