"""The claim path in the browser: a traveller claims a trip in pounds and złoty with receipts
(a renamed executable is refused), the finance officer rejects one line with its reason, a
second finance officer approves the rest (the first is not offered it), the first records the
payment, then prepares the statement; its XLSX opens with
openpyxl and every total's formula recomputes to the platform's figure."""

import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from finance.models import ExpenseClaim
from finance.services.demo import demo_finance_load
from programmes.models import Programme
from tests.conftest import email_of
from tests.e2e.test_assessment_to_matching import log_in, log_out
from tests.finance.test_claims import PDF, PNG
from tests.finance.xlsx_formulas import reconcile

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
FINANCE = "/programmes/cities-grow/finance/"


@pytest.fixture
def books(demo_data, django_user_model):
    finance = django_user_model.objects.get(username=email_of("finance-1"))
    demo_finance_load(finance, Programme.objects.get(slug="cities-grow"))


def _add_cost(page, day, kind, supplier, amount, currency, receipt):
    page.get_by_label("Date").fill(day)
    page.get_by_label("Kind").select_option(kind)
    page.get_by_label("Supplier").fill(supplier)
    page.get_by_label("Amount").fill(amount)
    page.get_by_label("Currency").select_option(currency)
    page.get_by_label("Receipt").set_input_files(receipt)
    page.get_by_role("button", name="Add the cost").click()


def test_a_claim_from_receipts_to_reimbursement_and_the_statement(books, page):
    # 1. The traveller starts a claim and adds two costs with their receipts.
    log_in(page, "birmingham-officer-1")
    page.goto(FINANCE)
    page.get_by_label("What was the travel for?").fill("Study visit to Gdansk")
    page.get_by_role("button", name="Start the claim").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Claim")
    exe = {"name": "ticket.pdf", "mimeType": "application/pdf", "buffer": b"MZ\x90\x00" + bytes(60)}
    _add_cost(page, "2017-03-06", "travel", "Ryanair Ltd", "123.45", "GBP", exe)
    expect(page.get_by_text("does not contain what its name says")).to_be_visible()
    expect(page.get_by_label("Supplier")).to_have_value("Ryanair Ltd")  # nothing typed is lost
    _add_cost(
        page,
        "2017-03-06",
        "travel",
        "Ryanair Ltd",
        "123.45",
        "GBP",
        {"name": "ticket.pdf", "mimeType": "application/pdf", "buffer": PDF},
    )
    expect(page.get_by_text("The cost is added.")).to_be_visible()
    _add_cost(
        page,
        "2017-03-07",
        "accommodation",
        "Hotel Gdańsk",
        "400.00",
        "PLN",
        {"name": "hotel.png", "mimeType": "image/png", "buffer": PNG},
    )
    expect(page.get_by_text("The cost is added.")).to_be_visible()
    page.get_by_role("button", name="Submit the claim").click()
    expect(page.get_by_text("The claim is submitted.")).to_be_visible()
    claim = ExpenseClaim.objects.get()
    travel, hotel = claim.lines.order_by("day")
    assert (travel.amount_eur, hotel.amount_eur) == (Decimal("144.37"), Decimal("92.91"))
    log_out(page)

    # 2. The finance officer checks it from the inbox: the hotel is rejected with a reason.
    log_in(page, "finance-1")
    page.goto(FINANCE + "inbox/")
    page.get_by_role("link", name="Study visit to Gdansk").click()
    page.locator(f"#id_line-{travel.pk}-decision_0").check()
    page.locator(f"#id_line-{hotel.pk}-decision_1").check()
    page.get_by_role("button", name="Record the check").click()
    expect(page.get_by_text("Say why this cost is rejected.")).to_be_visible()
    page.locator(f"#id_line-{hotel.pk}-reason").fill("Booked by the host city.")
    page.get_by_role("button", name="Record the check").click()
    expect(page.get_by_text("The claim is checked.")).to_be_visible()
    expect(page.get_by_text("Rejected: Booked by the host city.")).to_be_visible()
    # The programme separates the duties: the one who checked is not offered the approval.
    expect(page.get_by_text("another finance officer approves it")).to_be_visible()
    expect(page.get_by_role("button", name="Approve 144.37 EUR")).to_have_count(0)
    log_out(page)

    # 3. A second finance officer approves it; the first records the payment.
    log_in(page, "finance-2")
    page.goto(FINANCE + f"claims/{claim.pk}/")
    page.get_by_role("button", name="Approve 144.37 EUR").click()
    expect(page.get_by_text("The claim is approved.")).to_be_visible()
    expect(page.get_by_role("button", name="Record the payment")).to_have_count(0)
    log_out(page)
    log_in(page, "finance-1")
    page.goto(FINANCE + f"claims/{claim.pk}/")
    page.get_by_label("Paid on").fill("2017-04-03")
    page.get_by_label("Amount paid (EUR)").fill("144.37")
    page.get_by_label("Payment reference").fill("PAY-2017-041")
    page.get_by_role("button", name="Record the payment").click()
    expect(page.get_by_text("The reimbursement is recorded.")).to_be_visible()
    claim.refresh_from_db()
    assert (claim.status, claim.reimbursed_eur) == ("reimbursed", Decimal("144.37"))
    by_step = dict(claim.history.values_list("history_change_reason", "history_user__username"))
    assert by_step["checked"] == email_of("finance-1")
    assert by_step["approved: 144.37 EUR"] == email_of("finance-2")
    assert by_step["reimbursed: 144.37 EUR"] == email_of("finance-1")

    # 4. The statement reports the claim; its XLSX reconciles.
    page.goto(FINANCE + "statements/")
    page.get_by_label("Kind").select_option("interim")
    page.get_by_label("Period ends on").fill(date(2017, 6, 30).isoformat())
    page.get_by_role("button", name="Prepare the statement").click()
    expect(page.get_by_text("what it reports is locked")).to_be_visible()
    expect(page.get_by_role("link", name=f"#{claim.pk}", exact=False)).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as XLSX").click()
    data = Path(download.value.path()).read_bytes()
    book = load_workbook(io.BytesIO(data), data_only=True)
    rows = reconcile(data)
    assert rows and all(formula == saved for formula, saved in rows.values()), rows
    assert rows["Eligible costs"][1] == Decimal("154.48")  # 144.37 and 7% indirect
    travel_sheet = list(book["Travel"].iter_rows(min_row=2, values_only=True))
    assert [(r[5], Decimal(str(r[10]))) for r in travel_sheet] == [
        ("Ryanair Ltd", Decimal("144.37"))
    ]
    assert f"/finance/claims/{claim.pk}/receipts/" in travel_sheet[0][12]
    claim.refresh_from_db()
    assert claim.reported_in_id is not None


def test_the_claims_event_is_typed_and_chosen_among_the_matches_drawn_as_one_types(books, page):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from visits.models import Event

    programme = Programme.objects.get(slug="cities-grow")
    events = [
        Event.objects.create(
            programme=programme,
            format="final_meeting",
            title=title,
            starts_at=datetime(2017, 3, day, 9, tzinfo=ZoneInfo("Europe/Warsaw")),
            ends_at=datetime(2017, 3, day, 17, tzinfo=ZoneInfo("Europe/Warsaw")),
        )
        for title, day in (("Zzyzx study visit", 6), ("Zzyzx peer review", 7))
    ]
    log_in(page, "birmingham-officer-1")
    page.goto(FINANCE)
    page.get_by_label("What was the travel for?").fill("Peer review in Zzyzx")
    page.locator("#id_event_search").press_sequentially("zzyzx pe")
    # lookup.js draws the one match as a radio button, and says so in the live region.
    matches = page.get_by_role("group", name="Choose the event")
    expect(matches.get_by_role("radio")).to_have_count(1)
    expect(page.locator("[data-lookup-status]")).to_have_text("One event matches.")
    matches.get_by_label("Zzyzx peer review", exact=False).check()
    page.get_by_role("button", name="Start the claim").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Claim")
    claim = ExpenseClaim.objects.get(purpose="Peer review in Zzyzx")
    assert claim.event_id == events[1].pk


def test_a_transfer_goes_to_a_partner_not_on_the_page_typed_with_suggestions(books, page):
    from finance.models import BudgetLine, BudgetTransfer

    source = BudgetLine.objects.get(partner__role="coordinator", category="travel")
    target = BudgetLine.objects.filter(partner__organisation__city__slug="munich").first()
    planned = target.planned_eur
    name = source.partner.organisation.name
    log_in(page, "finance-1")
    page.goto(FINANCE + "budget/")
    search = page.get_by_role("search", name="Find partners in the budget")
    search.locator("#budget-q").fill(name)
    search.get_by_role("button", name="Show").click()
    form = page.locator("form", has=page.get_by_role("button", name="Record the transfer"))
    form.locator("#id_source").select_option(label=f"{name}: Travel and subsistence")
    # The partner is typed: suggest.js fills the datalist from the finance officers' endpoint.
    form.locator("#id_target_partner").press_sequentially("munic")
    expect(page.locator("#finance-partners option")).to_have_count(1)
    expect(page.locator("#finance-partners option")).to_have_attribute(
        "value", "City of Munich (DE)"
    )
    form.locator("#id_target_partner").fill("City of Munich (DE)")
    form.locator("#id_target_category").select_option(target.category)
    form.locator("#id_amount_eur").fill("250.00")
    form.locator("#id_reason").fill("Munich hosts the peer review.")
    form.get_by_role("button", name="Record the transfer").click()
    expect(page.get_by_text("The transfer is recorded.")).to_be_visible()
    target.refresh_from_db()
    assert target.planned_eur == planned + Decimal("250.00")
    assert BudgetTransfer.objects.get().source == source
