"""The controls an auditor expects on expense claims: the duties separated (who checked does not
approve, who approved does not pay; the page does not offer the refused step and says why),
costs dated inside the eligible period and the event's days (refused or flagged, as the
programme says; an event's days on its host city's clocks), duplicate receipts flagged for the
checker, the coordinator's travel budget guarded (a warning at the programme's share, a refusal
beyond the plan unless another officer overrides it) and the inbox showing accepted totals."""

import hashlib
from contextlib import suppress
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.errors import DomainError
from finance.models import BudgetOverride, ExpenseClaim, Receipt
from finance.services.budget import budget_line_create, budget_override_grant
from finance.services.claims import (
    LineInput,
    claim_approve,
    claim_check,
    claim_create,
    claim_line_add,
    claim_reimburse,
    claim_submit,
)
from programmes.models import Programme, ProgrammePartner
from visits.models import Event

pytestmark = pytest.mark.django_db

SLUG = "cities-grow"
CHECKED_REFUSAL = (
    "You checked this claim's costs: another finance officer approves it (the programme "
    "separates these duties)."
)
APPROVED_REFUSAL = (
    "You approved this claim: another finance officer records its payment (the programme "
    "separates these duties)."
)


def _programme():
    return Programme.objects.get(slug=SLUG)


def _set(**fields):
    Programme.objects.filter(slug=SLUG).update(**fields)


def receipt(text="receipt", name="receipt.pdf"):
    """A PDF of its own: two receipts with the same text are the same file."""
    content = b"%PDF-1.4\n%" + text.encode() + b"\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _travel_line(user_of, planned):
    programme = _programme()
    return budget_line_create(
        actor=user_of("finance-1"),
        programme=programme,
        partner=ProgrammePartner.objects.get(programme=programme, role="coordinator"),
        category="travel",
        planned_eur=Decimal(planned),
    )


def _claim(user_of, key="birmingham-officer-1", lines=None, event=None):
    """A draft claim in euros: lines of (day, supplier, amount, receipt text)."""
    traveller = user_of(key)
    claim = claim_create(
        actor=traveller, programme=_programme(), purpose="Study visit to Munich", event=event
    )
    for day, supplier, amount, text in lines or [
        (date(2017, 3, 6), "Airline", "300.00", f"{key} flight"),
        (date(2017, 3, 7), "Hotel", "120.00", f"{key} hotel"),
    ]:
        claim_line_add(
            actor=traveller,
            claim=claim,
            data=LineInput(day, "travel", supplier, Decimal(amount), "EUR"),
            receipts=[receipt(text)],
        )
    return claim


def _submitted(user_of, key="birmingham-officer-1", lines=None):
    return claim_submit(actor=user_of(key), claim=_claim(user_of, key, lines))


def _checked(user_of, key="birmingham-officer-1", lines=None, rejected=()):
    claim = _submitted(user_of, key, lines)
    decisions = {
        line.pk: ("rejected", "Not a cost of the project.")
        if line.supplier in rejected
        else ("accepted", "")
        for line in claim.lines.all()
    }
    return claim_check(
        actor=user_of("finance-1"), claim=claim, decisions=decisions, revision=claim.revision
    )


def _page(client, claim):
    response = client.get(reverse("finance:claim", args=[SLUG, claim.pk]))
    assert response.status_code == 200
    return response.content.decode()


# ---------------------------------------------------------------- separation of duties


def test_the_officer_who_checked_cannot_approve_and_a_second_one_does(user_of):
    _travel_line(user_of, "10000.00")
    claim = _checked(user_of)
    assert claim.checked_by == user_of("finance-1") and claim.checked_at is not None
    with pytest.raises(DomainError) as refused:
        claim_approve(actor=user_of("finance-1"), claim=claim)
    assert refused.value.message == CHECKED_REFUSAL
    assert ExpenseClaim.objects.get(pk=claim.pk).status == "checked"
    claim = claim_approve(actor=user_of("finance-2"), claim=claim)
    assert (claim.status, claim.approved_by) == ("approved", user_of("finance-2"))
    assert claim.approved_at is not None


def test_the_officer_who_approved_cannot_record_the_payment_and_the_history_names_each(user_of):
    _travel_line(user_of, "10000.00")
    claim = claim_approve(actor=user_of("finance-2"), claim=_checked(user_of))
    payment = {"paid_on": date(2017, 4, 3), "amount_eur": Decimal("420.00"), "reference": "P-1"}
    with pytest.raises(DomainError) as refused:
        claim_reimburse(actor=user_of("finance-2"), claim=claim, **payment)
    assert refused.value.message == APPROVED_REFUSAL
    claim = claim_reimburse(actor=user_of("finance-1"), claim=claim, **payment)
    assert (claim.status, claim.reimbursed_by) == ("reimbursed", user_of("finance-1"))
    steps = {
        reason.split(":")[0]: user
        for reason, user in claim.history.values_list("history_change_reason", "history_user")
    }
    assert steps["checked"] == user_of("finance-1").pk
    assert steps["approved"] == user_of("finance-2").pk
    assert steps["reimbursed"] == user_of("finance-1").pk
    assert steps["submitted"] == user_of("birmingham-officer-1").pk


def test_with_the_duties_not_separated_one_officer_does_every_step(user_of):
    _set(separate_duties=False)
    _travel_line(user_of, "10000.00")
    finance = user_of("finance-1")
    claim = claim_approve(actor=finance, claim=_checked(user_of))
    claim = claim_reimburse(
        actor=finance,
        claim=claim,
        paid_on=date(2017, 4, 3),
        amount_eur=Decimal("420.00"),
        reference="P-1",
    )
    assert claim.checked_by == claim.approved_by == claim.reimbursed_by == finance


def test_the_claim_page_offers_each_step_only_to_whom_may_take_it(user_of, client_of):
    _travel_line(user_of, "10000.00")
    claim = _checked(user_of)
    approve = reverse("finance:claim_step", args=[SLUG, claim.pk, "approve"])
    # The checker: no approval button, the reason and who checked instead.
    page = _page(client_of("finance-1"), claim)
    assert approve not in page
    assert "Checked by Hélène Dubois on" in page
    assert "another finance officer approves it (the programme separates these duties)" in page
    # Posting anyway is refused with the reason, and nothing changes.
    response = client_of("finance-1").post(approve)
    assert response.status_code == 302
    assert [m.message for m in get_messages(response.wsgi_request)] == [CHECKED_REFUSAL]
    assert ExpenseClaim.objects.get(pk=claim.pk).status == "checked"
    # The second officer is offered it, approves, and is then not offered the payment.
    assert approve in _page(client_of("finance-2"), claim)
    assert client_of("finance-2").post(approve).status_code == 302
    pay = reverse("finance:claim_reimburse", args=[SLUG, claim.pk])
    page = _page(client_of("finance-2"), claim)
    assert pay not in page and "Approved by Marta Kowalczyk on" in page
    assert "another finance officer records its payment" in page
    refused = client_of("finance-2").post(
        pay, {"paid_on": "2017-04-03", "amount_eur": "420.00", "reference": "P-1"}
    )
    assert refused.status_code == 400
    assert ExpenseClaim.objects.get(pk=claim.pk).status == "approved"
    page = _page(client_of("finance-1"), claim)
    assert pay in page
    response = client_of("finance-1").post(
        pay, {"paid_on": "2017-04-03", "amount_eur": "420.00", "reference": "P-1"}
    )
    assert response.status_code == 302
    # The page names who did each step.
    page = _page(client_of("birmingham-officer-1"), claim)
    for label, name in (
        ("Costs checked by", "Hélène Dubois"),
        ("Approved by", "Marta Kowalczyk"),
        ("Payment recorded by", "Hélène Dubois"),
    ):
        assert f"<dt>{label}</dt><dd>{name}" in page


# ---------------------------------------------------------------- eligibility


def test_a_cost_outside_the_eligible_period_is_refused_next_to_its_date(user_of, client_of):
    claim = _claim(user_of)
    with pytest.raises(DomainError) as refused:
        claim_line_add(
            actor=user_of("birmingham-officer-1"),
            claim=claim,
            data=LineInput(date(2019, 5, 5), "travel", "Airline", Decimal("80.00"), "EUR"),
            receipts=[receipt("late")],
        )
    assert refused.value.field_errors == {
        "day": "This date is outside the programme's eligible period: costs count from "
        "01/01/2017 to 31/12/2018."
    }
    # On the screen: the reason next to the date, what was typed kept.
    response = client_of("birmingham-officer-1").post(
        reverse("finance:claim_line_new", args=[SLUG, claim.pk]),
        {
            "day": "2019-05-05",
            "kind": "travel",
            "supplier": "Late Airline",
            "amount": "80.00",
            "currency": "EUR",
            "receipt": receipt("late"),
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "costs count from 01/01/2017 to 31/12/2018." in html
    assert 'value="Late Airline"' in html
    assert claim.lines.count() == 2


def test_the_programmes_own_eligible_period_is_checked_again_at_submission(user_of):
    claim = _claim(
        user_of,
        lines=[
            (date(2018, 12, 20), "Airline", "300.00", "flight"),
            (date(2018, 12, 10), "Hotel", "120.00", "hotel"),
        ],
    )
    _set(eligible_until=date(2018, 12, 15))  # the period narrowed after the cost was added
    with pytest.raises(DomainError) as refused:
        claim_submit(actor=user_of("birmingham-officer-1"), claim=claim)
    assert refused.value.message == (
        "Remove the costs outside the eligible dates, then submit. 20/12/2018 Airline: This "
        "date is outside the programme's eligible period: costs count from 01/01/2017 to "
        "15/12/2018."
    )
    assert ExpenseClaim.objects.get(pk=claim.pk).status == "draft"


def test_with_the_flag_rule_a_late_cost_is_accepted_and_flagged_for_the_checker(user_of, client_of):
    _set(ineligible_costs="flag")
    claim = _submitted(
        user_of,
        lines=[
            (date(2019, 5, 5), "Airline", "300.00", "flight"),
            (date(2017, 3, 7), "Hotel", "120.00", "hotel"),
        ],
    )
    assert claim.status == "submitted"
    page = _page(client_of("finance-1"), claim)
    assert page.count("Outside the eligible period 01/01/2017\u201331/12/2018") == 1
    # The traveller's page has no flags (they name other people's claims).
    assert "Outside the eligible period" not in _page(client_of("birmingham-officer-1"), claim)


def _event(title, zone, starts, ends):
    """An event from its local start and end (year, month, day, hour, minute) in `zone`."""
    return Event.objects.create(
        programme=_programme(),
        format="final_meeting",
        title=title,
        starts_at=datetime(*starts, tzinfo=ZoneInfo(zone)),
        ends_at=datetime(*ends, tzinfo=ZoneInfo(zone)),
        timezone=zone,
    )


def _add(user_of, claim, day):
    return claim_line_add(
        actor=user_of("birmingham-officer-1"),
        claim=claim,
        data=LineInput(day, "travel", "Airline", Decimal("99.00"), "EUR"),
        receipts=[receipt(f"{day}")],
    )


def test_travel_for_an_event_counts_within_its_days_and_the_travel_margin(user_of):
    meeting = _event(
        "Meeting in Tampere",
        "Europe/Helsinki",
        (2017, 9, 18, 9, 0),
        (2017, 9, 20, 17, 0),
    )
    claim = claim_create(
        actor=user_of("birmingham-officer-1"),
        programme=_programme(),
        purpose="Meeting in Tampere",
        event=meeting,
    )
    for day in (date(2017, 9, 16), date(2017, 9, 22)):  # two days either side
        _add(user_of, claim, day)
    for day in (date(2017, 9, 15), date(2017, 9, 23)):
        with pytest.raises(DomainError) as refused:
            _add(user_of, claim, day)
        assert refused.value.field_errors["day"] == (
            "This date is outside the event's dates: costs of travel to Meeting in Tampere "
            "count from 16/09/2017 to 22/09/2017 (its days and 2 days either side)."
        )
    assert claim.lines.count() == 2


@pytest.mark.parametrize(
    ("zone", "starts", "ends", "inside", "outside"),
    [
        # 00:30 in Helsinki is still the 17th in UTC and in Brussels: the 17th is outside.
        (
            "Europe/Helsinki",
            (2017, 9, 18, 0, 30),
            (2017, 9, 18, 23, 30),
            date(2017, 9, 18),
            date(2017, 9, 17),
        ),
        # 22:30 in New York is already the 19th in UTC and in Brussels: the 19th is outside.
        (
            "America/New_York",
            (2017, 9, 18, 9, 0),
            (2017, 9, 18, 22, 30),
            date(2017, 9, 18),
            date(2017, 9, 19),
        ),
    ],
)
def test_an_events_days_are_those_of_its_host_citys_clocks(
    user_of, zone, starts, ends, inside, outside
):
    _set(event_travel_margin_days=0)
    event = _event("A day-long meeting", zone, starts, ends)
    claim = claim_create(
        actor=user_of("birmingham-officer-1"), programme=_programme(), purpose="x", event=event
    )
    _add(user_of, claim, inside)
    with pytest.raises(DomainError) as refused:
        _add(user_of, claim, outside)
    day = f"{inside:%d/%m/%Y}"
    assert (
        f"count from {day} to {day} (its days and 0 days either side)"
        in (refused.value.field_errors["day"])
    )


# ---------------------------------------------------------------- duplicates


def test_the_same_receipt_file_in_another_claim_is_flagged_on_the_check_page(user_of, client_of):
    first = _claim(
        user_of,
        "athens-officer-1",
        lines=[(date(2017, 3, 6), "Aegean", "210.00", "the boarding pass")],
    )
    claim = _submitted(
        user_of,
        lines=[
            (date(2017, 3, 6), "Ryanair", "95.00", "the boarding pass"),  # the same file
            (date(2017, 3, 7), "Hotel", "120.00", "the hotel bill"),
        ],
    )
    stored = Receipt.objects.get(line__claim=first)
    expected = b"%PDF-1.4\n%the boarding pass\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    assert stored.sha256 == hashlib.sha256(expected).hexdigest()
    page = _page(client_of("finance-1"), claim)
    assert page.count(f"Same receipt as claim #{first.pk}") == 1
    assert "Same amount, date and supplier" not in page
    assert "Same receipt" not in _page(client_of("birmingham-officer-1"), claim)


def test_the_same_amount_date_and_supplier_is_flagged_unless_the_other_is_rejected(
    user_of, client_of
):
    first = _submitted(
        user_of,
        "athens-officer-1",
        lines=[(date(2017, 3, 7), "Hotel Adlon", "120.00", "athens hotel")],
    )
    claim = _submitted(
        user_of,
        lines=[
            (date(2017, 3, 7), "  hotel   ADLON ", "120.00", "birmingham hotel"),
            (date(2017, 3, 7), "Hotel Adlon", "121.00", "birmingham minibar"),
        ],
    )
    page = _page(client_of("finance-1"), claim)
    assert page.count(f"Same amount, date and supplier as claim #{first.pk}") == 1
    assert "Same receipt" not in page
    # Once the other claim's line is rejected, it no longer counts.
    [line] = first.lines.all()
    claim_check(
        actor=user_of("finance-1"),
        claim=first,
        decisions={line.pk: ("rejected", "Booked twice.")},
        revision=first.revision,
    )
    assert "Same amount, date and supplier" not in _page(client_of("finance-1"), claim)


def test_the_flags_take_the_same_queries_whatever_the_number_of_lines(user_of, client_of):
    claim = _claim(user_of)
    client = client_of("finance-1")
    url = reverse("finance:claim", args=[SLUG, claim.pk])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    before = count()
    for n in range(4):
        claim_line_add(
            actor=user_of("birmingham-officer-1"),
            claim=claim,
            data=LineInput(date(2017, 3, 8 + n), "subsistence", "Café", Decimal("5"), "EUR"),
            receipts=[receipt(f"café {n}")],
        )
        _claim(user_of, "athens-officer-1")
    assert count() == before


# ---------------------------------------------------------------- the travel budget


def test_an_approval_reaching_the_warning_share_succeeds_with_a_warning(user_of, client_of):
    _travel_line(user_of, "1000.00")
    claim = _checked(
        user_of,
        lines=[
            (date(2017, 3, 6), "Airline", "780.00", "flight"),
            (date(2017, 3, 7), "Hotel", "120.00", "hotel"),
        ],
    )
    response = client_of("finance-2").post(
        reverse("finance:claim_step", args=[SLUG, claim.pk, "approve"])
    )
    assert response.status_code == 302
    said = [(m.level_tag, m.message) for m in get_messages(response.wsgi_request)]
    coordinator = ProgrammePartner.objects.get(programme=_programme(), role="coordinator")
    assert said == [
        ("success", "The claim is approved."),
        (
            "warning",
            f"{coordinator.organisation.name}, Travel and subsistence has now used 90% of its "
            "plan (900.00\u00a0EUR of 1,000.00\u00a0EUR).",
        ),
    ]
    assert ExpenseClaim.objects.get(pk=claim.pk).status == "approved"


def test_beyond_the_plan_only_another_officers_override_lets_the_approval_through(user_of):
    line = _travel_line(user_of, "500.00")
    claim = _checked(user_of)  # 420.00 accepted
    other = _checked(
        user_of, "athens-officer-1", [(date(2017, 3, 8), "Train", "180.00", "train ticket")]
    )
    claim_approve(actor=user_of("finance-2"), claim=claim)  # 420.00 of 500.00: a warning
    coordinator = ProgrammePartner.objects.get(programme=_programme(), role="coordinator")
    refusal = (
        f"This would bring {coordinator.organisation.name}, Travel and subsistence to "
        "600.00\u00a0EUR, above its plan of 500.00\u00a0EUR: move money to the line with a "
        "reasoned transfer, or ask another finance officer to allow the overspend."
    )
    with pytest.raises(DomainError) as refused:
        claim_approve(actor=user_of("finance-2"), claim=other)
    assert refused.value.message == refusal
    # The approver's own override does not count for their own approval.
    budget_override_grant(
        actor=user_of("finance-2"),
        programme=_programme(),
        line_id=line.pk,
        amount_eur=Decimal("100.00"),
        reason="The final conference costs more",
    )
    with pytest.raises(DomainError) as refused:
        claim_approve(actor=user_of("finance-2"), claim=other)
    assert refused.value.message == (
        f"{refusal} Your own override (100.00\u00a0EUR) does not count for your own approval."
    )
    # Another officer's override does.
    override = budget_override_grant(
        actor=user_of("finance-1"),
        programme=_programme(),
        line_id=line.pk,
        amount_eur=Decimal("100.00"),
        reason="Agreed with the coordinator: the Milan conference",
    )
    assert override.history.get().history_user == user_of("finance-1")
    warnings: list[str] = []
    approved = claim_approve(actor=user_of("finance-2"), claim=other, warnings=warnings)
    assert approved.status == "approved"
    assert warnings == [
        f"{coordinator.organisation.name}, Travel and subsistence has now used 120% of its "
        "plan (600.00\u00a0EUR of 500.00\u00a0EUR)."
    ]


def test_without_a_travel_line_for_the_coordinator_no_claim_is_approved(user_of):
    claim = _checked(user_of)
    with pytest.raises(DomainError) as refused:
        claim_approve(actor=user_of("finance-2"), claim=claim)
    assert refused.value.message == (
        "The budget has no travel line for the coordinator, who pays the travel: a finance "
        "officer opens it on the budget page, then the claim can be approved."
    )
    assert ExpenseClaim.objects.get(pk=claim.pk).status == "checked"


def test_an_override_needs_a_finance_officer_and_a_reason(user_of):
    line = _travel_line(user_of, "500.00")
    for key, reason in (("coordinator-1", "A reason"), ("finance-1", "  ")):
        with pytest.raises(DomainError):
            budget_override_grant(
                actor=user_of(key),
                programme=_programme(),
                line_id=line.pk,
                amount_eur=Decimal("100.00"),
                reason=reason,
            )
    assert not BudgetOverride.objects.exists()


def test_the_budget_page_grants_and_lists_overrides_with_who_when_and_why(user_of, client_of):
    line = _travel_line(user_of, "500.00")
    url = reverse("finance:budget_override_new", args=[SLUG])
    data = {"line": line.pk, "amount_eur": "250.00", "reason": "The Milan conference"}
    refused = client_of("coordinator-1").post(url, data)
    assert refused.status_code == 400
    assert "Only the programme&#x27;s finance officers change the budget." in (
        refused.content.decode()
    )
    missing = client_of("finance-1").post(url, {**data, "reason": ""})
    assert missing.status_code == 400 and not BudgetOverride.objects.exists()
    assert client_of("finance-1").post(url, data).status_code == 302
    page = client_of("finance-1").get(reverse("finance:budget", args=[SLUG])).content.decode()
    override = BudgetOverride.objects.get()
    assert (override.granted_by, override.amount_eur) == (user_of("finance-1"), Decimal("250"))
    row = page[page.index("Overrides beyond the plan") :]
    for text in ("The Milan conference", "Hélène Dubois", "250.00\u00a0EUR"):
        assert text in row


def test_the_overspend_check_reads_its_own_line_whatever_the_size_of_the_budget(user_of):
    """The check before an approval reads the one line it guards (its plan, committed and spent
    as the budget's overview computes them), in the same queries however many lines there are."""
    from finance.selectors import budget_line_row, budget_overview
    from finance.services.budget import budget_overspend_check
    from finance.services.demo import demo_finance_load
    from finance.services.rates import staff_rate_save
    from programmes.models import Person
    from tests.finance.test_ledger import _month_of_hours, _worked_example

    programme = _worked_example(user_of)  # staff costs in Birmingham and Gdańsk, travel paid
    partners = ProgrammePartner.objects.filter(programme=programme).select_related("organisation")
    coordinator = partners.get(role="coordinator")
    birmingham = partners.get(organisation__city__slug="birmingham")
    guarded = [(coordinator, "travel"), (birmingham, "staff")]
    approver = user_of("finance-2")

    def count(partner, category):
        # Beyond a plan, the check refuses after the same reads.
        with CaptureQueriesContext(connection) as queries, suppress(DomainError):
            budget_overspend_check(
                actor=approver,
                programme=programme,
                partner=partner,
                category=category,
                adding=Decimal("0"),
            )
        return len(queries)

    before = [count(p, c) for p, c in guarded]
    lines = programme.budget_lines.count()
    demo_finance_load(user_of("finance-1"), programme)  # a line per category of every partner
    staff_rate_save(
        actor=user_of("finance-1"),
        programme=programme,
        person=Person.objects.get(user=user_of("athens-officer-1")),
        year=2017,
        currency="EUR",
        annual_cost=Decimal("40000.00"),
    )
    _month_of_hours(user_of, "athens-officer-1", "athens-approver-admin", "6", range(13, 16))
    assert programme.budget_lines.count() > 5 * lines
    assert [count(p, c) for p, c in guarded] == before
    for row in budget_overview(programme).rows:
        alone = budget_line_row(programme, row.partner, row.category)
        assert (alone.planned, alone.committed, alone.spent) == (
            row.planned,
            row.committed,
            row.spent,
        ), (row.partner, row.category)
    assert budget_line_row(programme, birmingham, "staff").actual > 0


# ---------------------------------------------------------------- the inbox


def test_the_inbox_shows_the_accepted_total_of_checked_claims(user_of, client_of):
    claim = _checked(user_of, rejected=("Hotel",))  # 300.00 accepted of 420.00 claimed
    waiting = _submitted(user_of, "athens-officer-1")
    html = client_of("finance-1").get(reverse("finance:inbox", args=[SLUG])).content.decode()
    to_check, to_approve = html.split('id="inbox-2"')[0], html.split('id="inbox-2"')[1]
    assert f"#{waiting.pk}" in to_check and "Accepted (EUR)" not in to_check
    assert "Claimed (EUR)" in to_approve and "Accepted (EUR)" in to_approve
    row = to_approve[to_approve.index(f"#{claim.pk}") :].split("</tr>")[0]
    assert "420.00\u00a0EUR" in row and "300.00\u00a0EUR" in row
    assert row.index("420.00") < row.index("300.00")  # in the columns' order


def test_the_inbox_takes_the_same_queries_whatever_the_number_of_claims(user_of, client_of):
    _checked(user_of)
    client = client_of("finance-1")

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("finance:inbox", args=[SLUG])).status_code == 200
        return len(queries)

    before = count()
    _checked(user_of, "athens-officer-1")
    _submitted(user_of, "munich-officer-1")
    assert count() == before


def test_the_inbox_names_the_claims_waiting_longest_and_links_to_all_of_them(
    user_of, client_of, monkeypatch
):
    from finance import selectors

    monkeypatch.setattr(selectors, "INBOX_SHOWN", 2)
    waiting = [_submitted(user_of, key) for key in ("athens-officer-1", "munich-officer-1")]
    waiting.append(_submitted(user_of, "riga-officer-1"))
    client = client_of("finance-1")
    html = client.get(reverse("finance:inbox", args=[SLUG])).content.decode()
    to_check = html.split('id="inbox-2"')[0]
    assert [f"#{c.pk}" in to_check for c in waiting] == [True, True, False]  # oldest first
    assert "2 of 3 claims, those waiting longest." in to_check
    link = reverse("finance:home", args=[SLUG]) + "?status=submitted"
    assert f'href="{link}"' in to_check and "All 3 claims with this status" in to_check
    listed = client.get(link).content.decode()
    assert all(f"#{c.pk} " in listed for c in waiting)
    # The first screen counts every waiting claim, not only those shown.
    home = client.get(reverse("portal:home")).content.decode()
    assert "3 expense claims to check, approve or pay" in home
