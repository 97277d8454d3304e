"""Expense claims: lines in any currency converted at the month's rate, receipts checked,
the finance officer's check (a rejection needs its reason), approval and the reimbursement of
100% of the accepted lines; frozen lines after the check; everything in the audit trail."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction

from core.errors import DomainError
from finance.models import BudgetLine, ClaimLine, Receipt
from finance.services.budget import budget_line_create
from finance.services.claims import (
    LineInput,
    accepted_total,
    claim_approve,
    claim_check,
    claim_create,
    claim_line_add,
    claim_reimburse,
    claim_submit,
)
from finance.services.rates import exchange_rate_save
from programmes.models import Programme, ProgrammePartner
from tests import upload_samples

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = upload_samples.png()  # a real picture: the upload policy opens it


def pdf(name="receipt.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _programme():
    return Programme.objects.get(slug="cities-grow")


def _rates(user_of):
    for currency, rate in (("GBP", "0.88560"), ("PLN", "4.2615")):
        exchange_rate_save(
            actor=user_of("finance-1"),
            programme=_programme(),
            currency=currency,
            month=date(2017, 3, 1),
            rate=Decimal(rate),
        )


def travel_budget(user_of, planned="100000.00"):
    """The coordinator's travel line, which every approval spends (it pays the travellers);
    the one already open, if any (the demo's budget has one)."""
    programme = _programme()
    coordinator = ProgrammePartner.objects.get(programme=programme, role="coordinator")
    return BudgetLine.objects.filter(partner=coordinator, category="travel").first() or (
        budget_line_create(
            actor=user_of("finance-1"),
            programme=programme,
            partner=coordinator,
            category="travel",
            planned_eur=Decimal(planned),
        )
    )


def _claim(user_of, key="birmingham-officer-1"):
    traveller = user_of(key)
    claim = claim_create(actor=traveller, programme=_programme(), purpose="Study visit to Munich")
    lines = [
        LineInput(date(2017, 3, 6), "travel", "Airline", Decimal("450.00"), "GBP"),
        LineInput(date(2017, 3, 7), "accommodation", "Hotel", Decimal("1234.56"), "PLN"),
        LineInput(date(2017, 3, 7), "subsistence", "Café", Decimal("18.40"), "EUR"),
    ]
    for line in lines:
        claim_line_add(actor=traveller, claim=claim, data=line, receipts=[pdf()])
    return claim


def test_a_claim_from_submission_to_reimbursement(user_of):
    _rates(user_of)
    travel_budget(user_of)
    claim = _claim(user_of)
    claim = claim_submit(actor=user_of("birmingham-officer-1"), claim=claim)
    converted = {line.supplier: line.amount_eur for line in claim.lines.all()}
    # 450.00 / 0.88560 = 508.13; 1,234.56 / 4.2615 = 289.70; 18.40 stays.
    assert converted == {
        "Airline": Decimal("508.13"),
        "Hotel": Decimal("289.70"),
        "Café": Decimal("18.40"),
    }
    finance = user_of("finance-1")
    lines = {line.supplier: line.pk for line in claim.lines.all()}
    with pytest.raises(DomainError) as refused:
        claim_check(
            actor=finance,
            claim=claim,
            decisions={lines["Airline"]: ("accepted", ""), lines["Hotel"]: ("rejected", "")},
            revision=claim.revision,
        )
    assert f"line-{lines['Hotel']}-reason" in refused.value.field_errors
    assert f"line-{lines['Café']}-decision" in refused.value.field_errors
    claim = claim_check(
        actor=finance,
        claim=claim,
        decisions={
            lines["Airline"]: ("accepted", ""),
            lines["Hotel"]: ("rejected", "A minibar is not a cost of the project."),
            lines["Café"]: ("accepted", ""),
        },
        revision=claim.revision,
    )
    # The programme separates the duties: a second finance officer approves.
    claim = claim_approve(actor=user_of("finance-2"), claim=claim)
    assert accepted_total(claim) == Decimal("526.53")
    with pytest.raises(DomainError) as refused:
        claim_reimburse(
            actor=finance,
            claim=claim,
            paid_on=date(2017, 4, 3),
            amount_eur=Decimal("816.23"),
            reference="PAY-17-031",
        )
    assert refused.value.field_errors["amount_eur"] == (
        "The payment must be the accepted total, 526.53\u00a0EUR."
    )
    claim = claim_reimburse(
        actor=finance,
        claim=claim,
        paid_on=date(2017, 4, 3),
        amount_eur=Decimal("526.53"),
        reference="PAY-17-031",
    )
    assert claim.status == "reimbursed" and claim.reimbursed_eur == Decimal("526.53")
    reasons = list(claim.history.order_by("history_date").values_list("status", "history_user"))
    assert ("checked", finance.pk) in reasons and ("reimbursed", finance.pk) in reasons
    rejected = ClaimLine.objects.get(pk=lines["Hotel"])
    assert rejected.history.filter(decision="rejected", history_user=finance).exists()


def test_a_claim_waits_for_the_months_exchange_rate(user_of):
    claim = _claim(user_of)
    with pytest.raises(DomainError) as refused:
        claim_submit(actor=user_of("birmingham-officer-1"), claim=claim)
    assert "GBP March 2017, PLN March 2017" in refused.value.message


def test_only_the_finance_officers_check_approve_and_pay(user_of):
    _rates(user_of)
    claim = claim_submit(actor=user_of("birmingham-officer-1"), claim=_claim(user_of))
    decisions = {line.pk: ("accepted", "") for line in claim.lines.all()}
    for key in ("coordinator-1", "auditor-1", "birmingham-officer-1", "birmingham-approver-admin"):
        with pytest.raises(DomainError):
            claim_check(
                actor=user_of(key), claim=claim, decisions=decisions, revision=claim.revision
            )
    with pytest.raises(DomainError):  # someone else's claim
        claim_line_add(
            actor=user_of("athens-officer-1"),
            claim=claim,
            data=LineInput(date(2017, 3, 8), "travel", "Taxi", Decimal("20"), "EUR"),
            receipts=[pdf()],
        )


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("big.pdf", PDF + b"0" * (5 * 1024 * 1024)), "larger than 5 MB"),
        (SimpleUploadedFile("photo.pdf", PNG), "does not contain what its name says"),
        (
            SimpleUploadedFile("invoice.pdf", b"MZ\x90\x00" + b"\x00" * 200),
            "does not contain what its name says",
        ),
        (SimpleUploadedFile("tool.exe", b"MZ\x90\x00" + b"\x00" * 200), "not an accepted kind"),
        (SimpleUploadedFile("empty.pdf", b""), "empty"),
    ],
)
def test_bad_receipts_are_refused_with_a_clear_message(user_of, upload, message):
    traveller = user_of("birmingham-officer-1")
    claim = claim_create(actor=traveller, programme=_programme(), purpose="Launch meeting")
    with pytest.raises(DomainError) as refused:
        claim_line_add(
            actor=traveller,
            claim=claim,
            data=LineInput(date(2017, 3, 6), "travel", "Rail", Decimal("80"), "EUR"),
            receipts=[upload],
        )
    assert message in refused.value.field_errors["receipts"]
    assert not claim.lines.exists() and not Receipt.objects.filter(line__claim=claim).exists()


def test_lines_and_receipts_of_a_checked_claim_are_frozen_in_the_database(user_of):
    _rates(user_of)
    claim = claim_submit(actor=user_of("birmingham-officer-1"), claim=_claim(user_of))
    claim = claim_check(
        actor=user_of("finance-1"),
        claim=claim,
        decisions={line.pk: ("accepted", "") for line in claim.lines.all()},
        revision=claim.revision,
    )
    line = claim.lines.first()
    for sql, params in (
        ("UPDATE finance_claimline SET amount_eur = 1 WHERE id = %s", [line.pk]),
        (
            "INSERT INTO finance_receipt (line_id, file, name, size, uploaded_at) "
            "VALUES (%s, 'x.pdf', 'x.pdf', 1, CURRENT_TIMESTAMP)",
            [line.pk],
        ),
    ):
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as c:
            c.execute(sql, params)
