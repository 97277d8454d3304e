"""A worked example, by hand, of a partner's costs: staff costs in GBP and PLN from approved
months, a claim with a GBP and a PLN line (one rejected), indirect costs at the flat rate, the
co-financing ledger and the no-profit check.

Rates of March 2017: 0.88560 GBP and 4.2615 PLN for one euro.
Birmingham officer: 41,000.00 GBP / 1,720 h = 23.8372... -> 23.84 GBP/h; 37.5 h -> 894.00 GBP;
    894.00 / 0.88560 = 1,009.4851... -> 1,009.49 EUR.
Gdansk officer: 96,000.00 PLN / 1,720 h = 55.8139... -> 55.81 PLN/h; 20 h -> 1,116.20 PLN;
    1,116.20 / 4.2615 = 261.9266... -> 261.93 EUR.
Claim (travel, booked on the coordinator): 450.00 GBP -> 508.13 EUR accepted; 1,234.56 PLN ->
    289.70 EUR rejected; 18.40 EUR accepted: 526.53 EUR reimbursed.
Indirect costs at 7%: Birmingham 70.6643 -> 70.66; Gdansk 18.3351 -> 18.34; coordinator
    36.8571 -> 36.86.
Eligible costs: 1,009.49 + 70.66 + 261.93 + 18.34 + 526.53 + 36.86 = 1,923.81 EUR.
Co-financing (cities' staff costs): 1,009.49 + 261.93 = 1,271.42; EU contribution: the rest,
    652.39 (below 90% of 1,923.81 = 1,731.43); profit 0.00.
"""

from datetime import date
from decimal import Decimal

import pytest

from finance.selectors import budget_overview, city_workload, co_financing
from finance.services.claims import (
    claim_approve,
    claim_check,
    claim_reimburse,
    claim_submit,
)
from finance.services.rates import staff_rate_save
from finance.services.timesheets import (
    EntryInput,
    timesheet_approve,
    timesheet_open,
    timesheet_save,
    timesheet_sign,
)
from programmes.models import City, Person, Programme
from tests.finance.test_claims import _claim, _rates, travel_budget
from tests.finance.test_timesheets import staff_line

pytestmark = pytest.mark.django_db
D = Decimal


def _month_of_hours(user_of, officer_key, approver_key, hours_per_day, days):
    officer = user_of(officer_key)
    programme = Programme.objects.get(slug="cities-grow")
    sheet = timesheet_open(actor=officer, programme=programme, month=date(2017, 3, 1))
    entries = [EntryInput(date(2017, 3, d), "visit", D(hours_per_day)) for d in days]
    sheet = timesheet_save(
        actor=officer,
        timesheet=sheet,
        entries=entries,
        days=[e.day for e in entries],
        revision=sheet.revision,
    )
    sheet = timesheet_sign(actor=officer, timesheet=sheet)
    return timesheet_approve(actor=user_of(approver_key), timesheet=sheet)


def _worked_example(user_of):
    programme = Programme.objects.get(slug="cities-grow")
    _rates(user_of)
    for key, currency, cost in (
        ("birmingham-officer-1", "GBP", "41000.00"),
        ("gdansk-officer-1", "PLN", "96000.00"),
    ):
        staff_rate_save(
            actor=user_of("finance-1"),
            programme=programme,
            person=Person.objects.get(user=user_of(key)),
            year=2017,
            currency=currency,
            annual_cost=D(cost),
        )
        staff_line(user_of("finance-1"), Person.objects.get(user=user_of(key)))  # to approve
    _month_of_hours(
        user_of, "birmingham-officer-1", "birmingham-approver-admin", "7.5", range(6, 11)
    )
    _month_of_hours(user_of, "gdansk-officer-1", "gdansk-approver-admin", "5", range(6, 10))
    claim = claim_submit(actor=user_of("birmingham-officer-1"), claim=_claim(user_of))
    finance = user_of("finance-1")
    decisions = {
        line.pk: ("rejected", "Not a project cost.") if line.currency == "PLN" else ("accepted", "")
        for line in claim.lines.all()
    }
    claim = claim_check(actor=finance, claim=claim, decisions=decisions, revision=claim.revision)
    travel_budget(user_of)
    claim = claim_approve(actor=user_of("finance-2"), claim=claim)  # a second pair of eyes
    claim_reimburse(
        actor=finance,
        claim=claim,
        paid_on=date(2017, 4, 3),
        amount_eur=D("526.53"),
        reference="PAY-1",
    )
    return programme


def test_the_worked_example_of_partner_costs(user_of):
    programme = _worked_example(user_of)
    rows = {(r.partner.organisation.slug, r.category): r for r in budget_overview(programme).rows}
    birmingham = next(k[0] for k in rows if "birmingham" in k[0])
    gdansk = next(k[0] for k in rows if "gdansk" in k[0])
    coordinator = next(k[0] for k, r in rows.items() if r.partner.role == "coordinator")
    assert rows[(birmingham, "staff")].spent == D("1009.49")
    assert rows[(birmingham, "indirect")].spent == D("70.66")
    assert rows[(gdansk, "staff")].spent == D("261.93")
    assert rows[(gdansk, "indirect")].spent == D("18.34")
    assert rows[(coordinator, "travel")].spent == D("526.53")
    assert rows[(coordinator, "indirect")].spent == D("36.86")
    assert all(isinstance(r.spent, Decimal) for r in rows.values())

    ledger = co_financing(programme)
    assert ledger.eligible_eur == D("1923.81")
    assert ledger.co_financing_eur == D("1271.42")
    assert ledger.eu_contribution_eur == D("652.39")
    assert ledger.profit_eur == D("0.00")
    share = {row.city.slug: row for row in ledger.rows}
    assert share["birmingham"].staff_cost_eur == D("1009.49")
    assert share["birmingham"].share_eur == D("4062.50")  # 65,000.00 / 16 cities
    assert share["athens"].staff_cost_eur == D("0")


def test_a_citys_workload_against_its_allocation(user_of):
    _worked_example(user_of)
    # The programme's own working day and allocation (set on the money rules page).
    Programme.objects.filter(slug="cities-grow").update(
        hours_per_day=D("7.5"), officer_days_per_city=30
    )
    programme = Programme.objects.get(slug="cities-grow")
    workload = city_workload(programme, City.objects.get(slug="birmingham"))
    assert workload.used_days == D("5.00")  # 37.5 h of 7.5
    assert workload.left_days == D("25.00")
    assert workload.by_month == [(date(2017, 3, 1), D("25.00"))]
    assert sum(workload.by_person.values()) == D("5.00")
    assert list(workload.by_activity) == ["Study or mentoring visit"]


def test_sums_of_money_and_hours_keep_their_places_on_every_database(user_of):
    """SQLite sums decimals as 15-digit numbers; the sums come back as the columns' places."""
    from finance.selectors import claims_page, own_timesheets
    from finance.services.claims import accepted_total

    programme = _worked_example(user_of)
    claim = claims_page(user_of("finance-1"), programme).page[0]
    assert str(claim.claimed_eur) == "816.23" and str(accepted_total(claim)) == "526.53"
    sheet = own_timesheets(user_of("birmingham-officer-1"), programme)[0]
    assert str(sheet.hours) == "37.50"
