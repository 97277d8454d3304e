"""Who is told of each finance step, and what they read (finance.notification_kinds).

Called by the finance services inside the transaction of the step, so a notification exists
exactly when the step does. The recipients are those who act next, within their scope: a
signed month goes to the approvers who may approve it (the city's administrative approver, or
the coordinators for the programme's own staff), a claim to the programme's finance officers,
a statement to its auditors and coordinators; the person concerned hears of their own records.
The actor is never told of their own action (notify leaves them out)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.dates import MONTHS

from core.roles import ApprovalLevel, Role
from notifications.recipients import holders
from notifications.services import notify
from programmes.models import Person

from .. import notification_kinds as kinds
from ..choices import LineDecision
from ..models import ExpenseClaim, Statement, Timesheet
from ..permissions import city_ids_of


def month_params(month: Any) -> dict[str, Any]:
    """A month as titles show it: its name translated in the reader's language, and the year."""
    return {"month_label": MONTHS[month.month], "year": month.year}


def timesheet_approvers(sheet: Timesheet) -> list[Person]:
    """Who approves this person's months: their city's administrative approver(s); the
    programme's coordinators when the person has no city (finance.permissions)."""
    cities = city_ids_of(sheet.person, sheet.programme)
    if not cities:
        return holders(sheet.programme_id, Role.COORDINATOR)
    people: dict[int, Person] = {}
    for city_id in sorted(cities):
        for person in holders(
            sheet.programme_id,
            Role.CITY_APPROVER,
            city_id=city_id,
            approval_level=ApprovalLevel.ADMINISTRATIVE,
        ):
            people[person.pk] = person
    return [p for p in people.values() if p.pk != sheet.person_id]


def _sheet_url(sheet: Timesheet) -> str:
    return reverse("finance:timesheet", args=[sheet.programme.slug, sheet.pk])


def _week_url(sheet: Timesheet) -> str:
    return reverse("finance:week", args=[sheet.programme.slug, sheet.month.year, sheet.month.month])


def timesheet_signed(sheet: Timesheet, actor: Any) -> None:
    notify(
        kind=kinds.TIMESHEET_SIGNED,
        recipients=timesheet_approvers(sheet),
        url=_sheet_url(sheet),
        programme=sheet.programme,
        actor=actor,
        params={"person": sheet.person.full_name, **month_params(sheet.month)},
    )


def timesheet_approved(sheet: Timesheet, actor: Any) -> None:
    notify(
        kind=kinds.TIMESHEET_APPROVED,
        recipients=[sheet.person],
        url=_sheet_url(sheet),
        programme=sheet.programme,
        actor=actor,
        params=month_params(sheet.month),
    )


def timesheet_reopened(sheet: Timesheet, actor: Any, reason: str) -> None:
    notify(
        kind=kinds.TIMESHEET_REOPENED,
        recipients=[sheet.person],
        url=_week_url(sheet),
        programme=sheet.programme,
        actor=actor,
        params=month_params(sheet.month),
        message=reason,
    )


def timesheet_unsigned(sheet: Timesheet) -> int:
    """The reminder of a past month left unsigned (once per month and person)."""
    return len(
        notify(
            kind=kinds.TIMESHEET_UNSIGNED,
            recipients=[sheet.person],
            url=_week_url(sheet),
            programme=sheet.programme,
            params=month_params(sheet.month),
            once_key=f"finance.timesheet_unsigned:{sheet.pk}",
        )
    )


# ---------------------------------------------------------------- claims


def _claim_url(claim: ExpenseClaim) -> str:
    return reverse("finance:claim", args=[claim.programme.slug, claim.pk])


def _claim_params(claim: ExpenseClaim) -> dict[str, Any]:
    return {"claim": claim.pk, "person": claim.traveller.full_name}


def _finance_officers(claim: ExpenseClaim) -> list[Person]:
    return holders(claim.programme_id, Role.FINANCE_OFFICER)


def claim_submitted(claim: ExpenseClaim, actor: Any) -> None:
    notify(
        kind=kinds.CLAIM_SUBMITTED,
        recipients=_finance_officers(claim),
        url=_claim_url(claim),
        programme=claim.programme,
        actor=actor,
        params=_claim_params(claim),
    )


def claim_checked(claim: ExpenseClaim, actor: Any) -> None:
    """The traveller reads how many costs were accepted (the rejection reasons in the message);
    the other finance officers, that the claim waits for its approval."""
    lines = list(claim.lines.order_by("day", "pk"))
    rejected = [line for line in lines if line.decision == LineDecision.REJECTED]
    notify(
        kind=kinds.CLAIM_CHECKED,
        recipients=[claim.traveller],
        url=_claim_url(claim),
        programme=claim.programme,
        actor=actor,
        params={
            "claim": claim.pk,
            "accepted": len(lines) - len(rejected),
            "lines": len(lines),
        },
        # The reasons as the finance officer typed them, one line per rejected cost.
        message="\n".join(f"{line.supplier}: {line.rejection_reason}" for line in rejected),
    )
    notify(
        kind=kinds.CLAIM_TO_APPROVE,
        recipients=[p for p in _finance_officers(claim) if p.pk != claim.traveller_id],
        url=_claim_url(claim),
        programme=claim.programme,
        actor=actor,
        params=_claim_params(claim),
    )


def claim_approved(claim: ExpenseClaim, actor: Any) -> None:
    notify(
        kind=kinds.CLAIM_APPROVED,
        recipients=[claim.traveller],
        url=_claim_url(claim),
        programme=claim.programme,
        actor=actor,
        params={"claim": claim.pk},
    )
    notify(
        kind=kinds.CLAIM_TO_PAY,
        recipients=[p for p in _finance_officers(claim) if p.pk != claim.traveller_id],
        url=_claim_url(claim),
        programme=claim.programme,
        actor=actor,
        params=_claim_params(claim),
    )


def claim_reimbursed(claim: ExpenseClaim, actor: Any) -> None:
    notify(
        kind=kinds.CLAIM_REIMBURSED,
        recipients=[claim.traveller],
        url=_claim_url(claim),
        programme=claim.programme,
        actor=actor,
        params={"claim": claim.pk, "paid_on": claim.reimbursed_on},
    )


# ---------------------------------------------------------------- statements


def _statement_url(statement: Statement) -> str:
    return reverse("finance:statement", args=[statement.programme.slug, statement.pk])


def statement_prepared(statement: Statement, actor: Any) -> None:
    """The auditors audit it and the coordinators answer for it (both read the books)."""
    notify(
        kind=kinds.STATEMENT_PREPARED,
        recipients=holders(statement.programme_id, Role.AUDITOR, Role.COORDINATOR),
        url=_statement_url(statement),
        programme=statement.programme,
        actor=actor,
        params={
            "kind_label": Statement.Kind(statement.kind).label,
            "end_on": statement.period_end,
        },
    )


def statement_files_ready(statement: Statement, requester: Person | None) -> None:
    if requester is None:
        return
    notify(
        kind=kinds.STATEMENT_FILES_READY,
        recipients=[requester],
        url=_statement_url(statement),
        programme=statement.programme,
        params={"end_on": statement.period_end},
    )


def statement_due(key_date: Any) -> int:
    """The reminder of a statement's deadline (a key date), once per deadline and officer."""
    programme = key_date.programme
    return len(
        notify(
            kind=kinds.STATEMENT_DUE,
            recipients=holders(programme.pk, Role.FINANCE_OFFICER),
            url=reverse("finance:statements", args=[programme.slug]),
            programme=programme,
            params={"deadline": key_date.title, "due_on": key_date.start_date},
            # The day in the key: a deadline moved to another day is reminded of again.
            once_key=f"finance.statement_due:{key_date.pk}:{key_date.start_date.toordinal()}",
        )
    )
