"""The grant finance's notifications: each workflow step that hands work to someone, and the
reminders (months left unsigned, a statement's deadline coming). Registered from
FinanceConfig.ready(); raised by finance.services.notices inside each step's transaction.

Titles take the month as `month_label` (the month's English name, translated when shown) and
`year`, and dates as `*_on` (ISO, shown in the reader's date format)."""

from django.utils.translation import gettext_lazy as _

from notifications.choices import Channel
from notifications.kinds import Kind, register

TIMESHEET_SIGNED = "finance.timesheet_signed"
TIMESHEET_APPROVED = "finance.timesheet_approved"
TIMESHEET_REOPENED = "finance.timesheet_reopened"
CLAIM_SUBMITTED = "finance.claim_submitted"
CLAIM_CHECKED = "finance.claim_checked"
CLAIM_TO_APPROVE = "finance.claim_to_approve"
CLAIM_APPROVED = "finance.claim_approved"
CLAIM_TO_PAY = "finance.claim_to_pay"
CLAIM_REIMBURSED = "finance.claim_reimbursed"
STATEMENT_PREPARED = "finance.statement_prepared"
STATEMENT_FILES_READY = "finance.statement_files_ready"
TIMESHEET_UNSIGNED = "finance.timesheet_unsigned"
STATEMENT_DUE = "finance.statement_due"

KINDS = (
    Kind(
        key=TIMESHEET_SIGNED,
        label=_("A month of hours is signed and waits for your approval"),
        title=_("%(person)s signed their hours of %(month_label)s %(year)s: please approve"),
        default=Channel.IMMEDIATE,
    ),
    Kind(
        key=TIMESHEET_APPROVED,
        label=_("Your month of hours is approved"),
        title=_("Your hours of %(month_label)s %(year)s are approved"),
        default=Channel.IMMEDIATE,
    ),
    Kind(
        key=TIMESHEET_REOPENED,
        label=_("Your month of hours is reopened for a correction"),
        title=_(
            "Your hours of %(month_label)s %(year)s are reopened: please correct and sign them"
        ),
        default=Channel.IMMEDIATE,
    ),
    Kind(
        key=CLAIM_SUBMITTED,
        label=_("An expense claim is submitted and waits for its check"),
        title=_("Expense claim #%(claim)s of %(person)s is submitted: please check it"),
        default=Channel.IMMEDIATE,
    ),
    Kind(
        key=CLAIM_CHECKED,
        label=_("Your expense claim is checked"),
        title=_(
            "Your expense claim #%(claim)s is checked: %(accepted)s of %(lines)s costs accepted"
        ),
        default=Channel.IMMEDIATE,
    ),
    Kind(
        key=CLAIM_TO_APPROVE,
        label=_("A checked expense claim waits for its approval"),
        title=_("Expense claim #%(claim)s of %(person)s is checked: please approve it"),
        default=Channel.IMMEDIATE,
    ),
    Kind(
        key=CLAIM_APPROVED,
        label=_("Your expense claim is approved"),
        title=_("Your expense claim #%(claim)s is approved: it will be paid"),
        default=Channel.IMMEDIATE,
    ),
    Kind(
        key=CLAIM_TO_PAY,
        label=_("An approved expense claim waits for its payment"),
        title=_("Expense claim #%(claim)s of %(person)s is approved: please pay it"),
        default=Channel.IMMEDIATE,
    ),
    Kind(
        key=CLAIM_REIMBURSED,
        label=_("Your expense claim is paid"),
        title=_("Your expense claim #%(claim)s is paid (on %(paid_on)s)"),
        default=Channel.IMMEDIATE,
    ),
    Kind(
        key=STATEMENT_PREPARED,
        label=_("A financial statement to the funder is prepared"),
        title=_("%(kind_label)s financial statement to %(end_on)s is prepared: please review it"),
        default=Channel.IMMEDIATE,
    ),
    Kind(
        key=STATEMENT_FILES_READY,
        label=_("The files of a financial statement you asked for are ready"),
        title=_("The XLSX and PDF of the statement to %(end_on)s are ready"),
        default=Channel.INBOX,
    ),
    Kind(
        key=TIMESHEET_UNSIGNED,
        label=_("Reminder: a past month of your hours is not signed"),
        title=_("Reminder: your hours of %(month_label)s %(year)s are not signed yet"),
        default=Channel.IMMEDIATE,
        reminder=True,
    ),
    Kind(
        key=STATEMENT_DUE,
        label=_("Reminder: a financial statement to the funder is due soon"),
        title=_("Reminder: %(deadline)s on %(due_on)s: prepare the financial statement"),
        default=Channel.IMMEDIATE,
        reminder=True,
    ),
)


def register_kinds() -> None:
    register(*KINDS)
