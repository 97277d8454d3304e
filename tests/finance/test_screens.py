"""The claim screens: a cost with a bad receipt keeps what was typed and says why next to the
field; receipts are a 404 outside the claim's scope; the lists run a bounded number of queries."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from finance.models import ExpenseClaim
from finance.services.claims import LineInput, claim_line_add, claim_submit
from tests.finance.test_claims import PNG, _claim, _rates, pdf

pytestmark = pytest.mark.django_db


def _line_post(client, claim, upload, **changes):
    data = {
        "day": "2017-03-06",
        "kind": "travel",
        "supplier": "Ryanair Λτδ",
        "amount": "123.45",
        "currency": "GBP",
        "receipt": upload,
        **changes,
    }
    return client.post(reverse("finance:claim_line_new", args=["cities-grow", claim.pk]), data)


def test_a_bad_receipt_is_refused_next_to_its_field_keeping_what_was_typed(user_of, client_of):
    claim = _claim(user_of)
    client = client_of("birmingham-officer-1")
    response = _line_post(client, claim, SimpleUploadedFile("ticket.pdf", PNG))
    assert response.status_code == 400
    html = response.content.decode()
    assert "does not contain what its name says" in html
    assert 'value="Ryanair Λτδ"' in html and 'value="123.45"' in html
    assert claim.lines.count() == 3
    ok = _line_post(client, claim, pdf("ticket.pdf"))
    assert ok.status_code == 302 and claim.lines.count() == 4


def test_receipts_are_served_only_within_the_claims_scope(user_of, client_of):
    claim = _claim(user_of)
    receipt = claim.lines.first().receipts.get()
    url = reverse("finance:receipt", args=["cities-grow", claim.pk, receipt.pk])
    for key in ("birmingham-officer-1", "finance-1"):
        response = client_of(key).get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF")  # and closes the file
    for key in (
        "birmingham-officer-2",
        "athens-officer-1",
        "birmingham-approver-admin",
        "facilitator-a",
    ):
        assert client_of(key).get(url).status_code == 404, key
    # Another claim's number with this receipt: still a 404.
    other = _claim(user_of, key="athens-officer-1")
    wrong = reverse("finance:receipt", args=["cities-grow", other.pk, receipt.pk])
    assert client_of("athens-officer-1").get(wrong).status_code == 404


def test_the_finance_officer_checks_on_screen_and_a_rejection_needs_its_reason(user_of, client_of):
    _rates(user_of)
    claim = claim_submit(actor=user_of("birmingham-officer-1"), claim=_claim(user_of))
    client = client_of("finance-1")
    lines = list(claim.lines.all())
    data = {"revision": claim.revision}
    for line in lines:
        data[f"line-{line.pk}-decision"] = "accepted"
    data[f"line-{lines[1].pk}-decision"] = "rejected"
    response = client.post(reverse("finance:claim_check", args=["cities-grow", claim.pk]), data)
    assert response.status_code == 400
    assert "Say why this cost is rejected." in response.content.decode()
    data[f"line-{lines[1].pk}-reason"] = "Minibar"
    response = client.post(reverse("finance:claim_check", args=["cities-grow", claim.pk]), data)
    assert response.status_code == 302
    assert ExpenseClaim.objects.get(pk=claim.pk).status == "checked"
    inbox = client.get(reverse("finance:inbox", args=["cities-grow"])).content.decode()
    assert claim.purpose in inbox


def test_claim_pages_run_a_bounded_number_of_queries(user_of, client_of):
    claim = _claim(user_of)
    client = client_of("finance-1")
    urls = [
        reverse("finance:home", args=["cities-grow"]),
        reverse("finance:claim", args=["cities-grow", claim.pk]),
        reverse("finance:inbox", args=["cities-grow"]),
    ]

    def counts():
        result = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            result.append(len(queries))
        return result

    before = counts()
    traveller = user_of("birmingham-officer-1")
    for n in range(4):
        claim_line_add(
            actor=traveller,
            claim=claim,
            data=LineInput(date(2017, 3, 8), "subsistence", f"Café {n}", Decimal("5"), "EUR"),
            receipts=[pdf()],
        )
        _claim(user_of)
    assert counts() == before


def test_the_claims_list_is_paged_and_filtered_by_status_with_each_count(user_of, client_of):
    """Sixty claims: the page shows 25, the status filter counts each status, the page links
    keep the filter, and the queries do not grow with the number of claims."""
    from finance.selectors import CLAIMS_PER_PAGE

    traveller = user_of("birmingham-officer-1")
    programme = _claim(user_of).programme
    _rates(user_of)
    client = client_of("finance-1")
    url = reverse("finance:home", args=["cities-grow"])

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    few = queries()
    ExpenseClaim.objects.bulk_create(
        ExpenseClaim(programme=programme, traveller=traveller.person, purpose=f"Trip {n:02d}")
        for n in range(58)
    )
    submitted = _claim(user_of)
    claim_submit(actor=traveller, claim=submitted)
    assert queries() == few
    page = client.get(url).content.decode()
    assert "Page 1 of 3" in page and "Every status (60 claims)" in page
    assert page.count('href="/programmes/cities-grow/finance/claims/') == CLAIMS_PER_PAGE
    assert "Draft (59)" in page and "Submitted (1)" in page
    last = client.get(url, {"page": 3}).content.decode()
    assert "Page 3 of 3" in last and "Trip 00" in last
    only = client.get(url, {"status": "submitted"}).content.decode()
    assert f"#{submitted.pk} Study visit to Munich" in only and "Trip" not in only
    assert (
        "No claim with this status." in client.get(url, {"status": "reimbursed"}).content.decode()
    )
    # An unknown status or page shows the whole list, never an error.
    assert client.get(url, {"status": "nonsense", "page": "x"}).status_code == 200
