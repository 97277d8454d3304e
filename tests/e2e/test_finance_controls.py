"""Four eyes in the browser: a claim checked by one finance officer cannot be approved by the
same person; a second officer approves it, the first records the payment; the statement the
first prepares is signed off by the second, and its PDF lists the claim's cost and the staff
month line by line, with the figures of the statement's page."""

import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect
from pypdf import PdfReader

from finance.models import ExpenseClaim, Statement
from finance.services.claims import LineInput, claim_create, claim_line_add, claim_submit
from finance.services.demo import demo_finance_load
from finance.services.rates import staff_rate_save
from finance.services.timesheets import (
    EntryInput,
    timesheet_approve,
    timesheet_open,
    timesheet_save,
    timesheet_sign,
)
from programmes.models import Person, Programme
from tests.conftest import email_of
from tests.e2e.test_assessment_to_matching import log_in, log_out
from tests.finance.test_claims import PDF

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
FINANCE = "/programmes/cities-grow/finance/"
D = Decimal


def _user(django_user_model, key):
    return django_user_model.objects.get(username=email_of(key))


@pytest.fixture
def claim(demo_data, django_user_model):
    """The books, an approved month of an Athens officer and a submitted claim in pounds."""
    programme = Programme.objects.get(slug="cities-grow")
    finance = _user(django_user_model, "finance-1")
    demo_finance_load(finance, programme)
    officer = _user(django_user_model, "athens-officer-1")
    staff_rate_save(
        actor=finance,
        programme=programme,
        person=Person.objects.get(user=officer),
        year=2017,
        currency="EUR",
        annual_cost=D("27600.00"),
    )
    sheet = timesheet_open(actor=officer, programme=programme, month=date(2017, 3, 1))
    entries = [EntryInput(date(2017, 3, d), "management", D("7.5")) for d in (6, 7)]
    sheet = timesheet_save(
        actor=officer,
        timesheet=sheet,
        entries=entries,
        days=[e.day for e in entries],
        revision=sheet.revision,
    )
    sheet = timesheet_sign(actor=officer, timesheet=sheet)
    timesheet_approve(actor=_user(django_user_model, "athens-approver-admin"), timesheet=sheet)

    traveller = _user(django_user_model, "birmingham-officer-1")
    claim = claim_create(actor=traveller, programme=programme, purpose="Study visit to Gdansk")
    claim_line_add(
        actor=traveller,
        claim=claim,
        data=LineInput(date(2017, 3, 6), "travel", "Ryanair Ltd", D("123.45"), "GBP"),
        receipts=[SimpleUploadedFile("ticket.pdf", PDF, "application/pdf")],
    )
    return claim_submit(actor=traveller, claim=claim)


def test_four_eyes_from_the_check_to_the_signed_off_statement(claim, page):
    # 1. The first finance officer checks the claim: approving it is someone else's step.
    log_in(page, "finance-1")
    page.goto(FINANCE + "inbox/")
    page.get_by_role("link", name="Study visit to Gdansk").click()
    line = claim.lines.get()
    page.locator(f"#id_line-{line.pk}-decision_0").check()
    page.get_by_role("button", name="Record the check").click()
    expect(page.get_by_text("The claim is checked.")).to_be_visible()
    expect(page.get_by_text("another finance officer approves it")).to_be_visible()
    expect(page.get_by_role("button", name="Approve 144.37 EUR")).to_have_count(0)
    log_out(page)

    # 2. The second approves it, and may not record the payment of what they approved.
    log_in(page, "finance-2")
    page.goto(FINANCE + "inbox/")
    page.get_by_role("link", name="Study visit to Gdansk").click()
    page.get_by_role("button", name="Approve 144.37 EUR").click()
    expect(page.get_by_text("The claim is approved.")).to_be_visible()
    expect(page.get_by_role("button", name="Record the payment")).to_have_count(0)
    log_out(page)

    # 3. The first records the payment and prepares the statement.
    log_in(page, "finance-1")
    page.goto(FINANCE + f"claims/{claim.pk}/")
    page.get_by_label("Paid on").fill("2017-04-03")
    page.get_by_label("Amount paid (EUR)").fill("144.37")
    page.get_by_label("Payment reference").fill("PAY-2017-041")
    page.get_by_role("button", name="Record the payment").click()
    expect(page.get_by_text("The reimbursement is recorded.")).to_be_visible()
    claim.refresh_from_db()
    people = {
        step: getattr(claim, f"{step}_by").username
        for step in ("checked", "approved", "reimbursed")
    }
    assert people == {
        "checked": email_of("finance-1"),
        "approved": email_of("finance-2"),
        "reimbursed": email_of("finance-1"),
    }
    page.goto(FINANCE + "statements/")
    page.get_by_label("Kind").select_option("interim")
    page.get_by_label("Period ends on").fill(date(2017, 6, 30).isoformat())
    page.get_by_role("button", name="Prepare the statement").click()
    expect(page.get_by_text("what it reports is locked")).to_be_visible()
    # Signing off what one prepared is refused, with the reason.
    page.get_by_role("button", name="Sign off the statement").click()
    expect(
        page.get_by_text("You prepared this statement: another finance officer signs it off.")
    ).to_be_visible()
    log_out(page)

    # 4. The second signs it off; the PDF lists every line with the page's figures.
    statement = Statement.objects.get()
    log_in(page, "finance-2")
    page.goto(FINANCE + f"statements/{statement.pk}/")
    page.get_by_role("button", name="Sign off the statement").click()
    expect(page.get_by_text("The statement is signed off.")).to_be_visible()
    statement.refresh_from_db()
    assert statement.status == "signed_off"
    assert statement.signed_off_by.username == email_of("finance-2")
    page.goto(FINANCE + f"statements/{statement.pk}/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as PDF").click()
    pdf = PdfReader(io.BytesIO(Path(download.value.path()).read_bytes()))
    text = " ".join(p.extract_text() for p in pdf.pages)
    text = " ".join(text.split())
    officer = Person.objects.get(user__username=email_of("athens-officer-1"))
    # The staff month (15 h at 27,600.00 / 1,720 = 16.05 an hour) and the travel line.
    assert str(officer) in text and "March 2017" in text
    assert "240.75" in text
    assert "Ryanair Ltd" in text and "144.37" in text
    page_text = page.locator("main").inner_text()
    for figure in ("240.75", "144.37"):
        assert figure in page_text
    assert ExpenseClaim.objects.get().reported_in_id == statement.pk
