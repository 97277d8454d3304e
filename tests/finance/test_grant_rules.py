"""The grant's rules as programme data: each co-financing model on the same records, the base of
the flat rate, a statement keeping its own rules, and the money rules screen (every rule saved
and audited, bad values at their field, a stale save refused, fewer productive hours than
recorded refused) with the partners' own co-financing figures.

The records are the worked example of tests/finance/test_ledger.py, by hand:
Birmingham officer: 41,000.00 GBP / 1,720 h -> 23.84 GBP/h; 37.5 h -> 894.00 GBP -> 1,009.49 EUR.
Gdansk officer: 96,000.00 PLN / 1,720 h -> 55.81 PLN/h; 20 h -> 1,116.20 PLN -> 261.93 EUR.
Travel (the coordinator pays it): 508.13 + 18.40 = 526.53 EUR.
Indirect costs at 7% of the direct costs: Birmingham 70.6643 -> 70.66, Gdansk 18.3351 -> 18.34,
coordinator 36.8571 -> 36.86.
Partners' totals: Birmingham 1,009.49 + 70.66 = 1,080.15; Gdansk 261.93 + 18.34 = 280.27;
coordinator 526.53 + 36.86 = 563.39. Eligible costs 1,923.81; 90% of them 1,731.429 -> 1,731.43.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from core.errors import DomainError
from finance.grant_rules import programme_rules
from finance.models import PartnerCoFinancing, Statement
from finance.selectors import budget_overview, co_financing
from finance.services.budget import budget_line_create
from finance.services.settings import planned_with_indirect, programme_money_rules_update
from finance.services.statements import statement_content, statement_create
from finance.services.timesheets import EntryInput, timesheet_open, timesheet_save
from programmes.models import Programme, ProgrammePartner
from tests.finance.test_ledger import _worked_example
from tests.programmes.test_settings_screens import rendered

pytestmark = pytest.mark.django_db
D = Decimal
SETTINGS = reverse("finance:settings", args=["cities-grow"])
PARTNERS = reverse("finance:co_financing_partners", args=["cities-grow"])


def _programme():
    return Programme.objects.get(slug="cities-grow")


def _partner(programme, word):
    return next(
        p
        for p in ProgrammePartner.objects.filter(programme=programme).select_related("organisation")
        if word in p.organisation.name or (word == "coordinator" and p.role == "coordinator")
    )


def _under(programme, model, **rules):
    Programme.objects.filter(pk=programme.pk).update(co_financing_model=model, **rules)
    programme.refresh_from_db()
    return programme


def _fixed_contributions(programme):
    """Birmingham contributes 500.00, Gdansk 400.00 (more than its 280.27 of costs)."""
    for word, amount in (("Birmingham", "500.00"), ("Gda", "400.00")):
        PartnerCoFinancing.objects.create(
            programme=programme, partner=_partner(programme, word), fixed_contribution_eur=D(amount)
        )


def _prepare(user_of, programme):
    return statement_create(
        actor=user_of("finance-1"),
        programme=programme,
        kind="interim",
        period_end=date(2017, 6, 30),
    )


def _by_partner(content, programme):
    split = content.split
    return tuple(
        split.by_partner.get(_partner(programme, word).pk, D("0"))
        for word in ("Birmingham", "Gda", "coordinator")
    )


# ---------------------------------------------------------------- the three models


def test_city_staff_model_counts_the_cities_staff_costs(user_of):
    programme = _under(_worked_example(user_of), "city_staff")
    content = statement_content(_prepare(user_of, programme))
    # Co-financing: the cities' staff costs, 1,009.49 + 261.93 = 1,271.42 (the coordinator's
    # travel is no co-financing). EU: min(1,731.43, 1,923.81 - 1,271.42 = 652.39) = 652.39.
    assert content.total == D("1923.81")
    assert _by_partner(content, programme) == (D("1009.49"), D("261.93"), D("0"))
    assert (content.co_financing, content.eu_contribution) == (D("1271.42"), D("652.39"))
    assert content.split.profit == D("0.00")
    ledger = co_financing(programme)  # the dashboard, on the same records and rules
    assert (ledger.eligible_eur, ledger.co_financing_eur, ledger.eu_contribution_eur) == (
        D("1923.81"),
        D("1271.42"),
        D("652.39"),
    )
    row = next(r for r in ledger.rows if r.city.slug == "birmingham")
    assert (row.staff_cost_eur, row.costs_eur, row.co_financing_eur) == (
        D("1009.49"),
        D("1080.15"),
        D("1009.49"),
    )
    # An equal share: (650,000.00 - 90% of it) / 16 cities = 65,000.00 / 16 = 4,062.50.
    assert row.share_eur == D("4062.50")


def test_eu_rate_model_reimburses_every_cost_at_the_rate(user_of):
    programme = _under(_worked_example(user_of), "eu_rate")
    content = statement_content(_prepare(user_of, programme))
    # Each partner paid 90% of its costs, rounded per partner; the rest is its co-financing:
    # Birmingham 1,080.15 x 0.9 = 972.135 -> 972.14, co-financing 1,080.15 - 972.14 = 108.01;
    # Gdansk 280.27 x 0.9 = 252.243 -> 252.24, co-financing 28.03;
    # coordinator 563.39 x 0.9 = 507.051 -> 507.05, co-financing 56.34.
    # Co-financing 108.01 + 28.03 + 56.34 = 192.38; EU 972.14 + 252.24 + 507.05 = 1,731.43.
    assert _by_partner(content, programme) == (D("108.01"), D("28.03"), D("56.34"))
    assert (content.co_financing, content.eu_contribution) == (D("192.38"), D("1731.43"))
    assert content.eu_contribution + content.co_financing == D("1923.81")
    ledger = co_financing(programme)
    assert (ledger.co_financing_eur, ledger.eu_contribution_eur) == (D("192.38"), D("1731.43"))
    row = next(r for r in ledger.rows if r.city.slug == "gdansk")
    assert (row.staff_cost_eur, row.co_financing_eur) == (D("261.93"), D("28.03"))


def test_fixed_model_counts_each_partners_contribution_up_to_its_costs(user_of):
    programme = _under(_worked_example(user_of), "fixed")
    _fixed_contributions(programme)
    content = statement_content(_prepare(user_of, programme))
    # Birmingham 500.00 (below its 1,080.15); Gdansk 400.00 capped at its costs of 280.27; the
    # coordinator none. Co-financing 500.00 + 280.27 = 780.27.
    # EU: min(1,731.43, 1,923.81 - 780.27 = 1,143.54) = 1,143.54.
    assert _by_partner(content, programme) == (D("500.00"), D("280.27"), D("0"))
    assert (content.co_financing, content.eu_contribution) == (D("780.27"), D("1143.54"))
    ledger = co_financing(programme)
    assert (ledger.co_financing_eur, ledger.eu_contribution_eur) == (D("780.27"), D("1143.54"))


def test_targets_per_partner_replace_the_equal_share(user_of):
    programme = _under(_worked_example(user_of), "eu_rate", co_financing_split="per_partner")
    PartnerCoFinancing.objects.create(
        programme=programme, partner=_partner(programme, "Birmingham"), target_eur=D("40000.00")
    )
    rows = {r.city.slug: r for r in co_financing(programme).rows}
    # Birmingham: 108.01 of its own 40,000.00 target = 0.27 % -> 0.3 %; Athens has none set.
    assert (rows["birmingham"].share_eur, rows["birmingham"].percent_of_share) == (
        D("40000.00"),
        D("0.3"),
    )
    assert rows["athens"].share_eur == D("0")


# ---------------------------------------------------------------- the base of the flat rate


def test_the_flat_rate_on_staff_costs_only(user_of):
    programme = _under(_worked_example(user_of), "city_staff", indirect_cost_base="staff")
    rows = {
        (r.partner.role, r.partner.organisation.name, r.category): r
        for r in budget_overview(programme).rows
    }
    coordinator = next(r for k, r in rows.items() if k[0] == "coordinator" and k[2] == "indirect")
    birmingham = next(r for k, r in rows.items() if "Birmingham" in k[1] and k[2] == "indirect")
    # The coordinator has travel only: no staff costs, so no indirect costs (36.86 on direct).
    assert coordinator.spent == D("0.00")
    assert birmingham.spent == D("70.66")  # 7% of 1,009.49 staff = 70.6643
    content = statement_content(_prepare(user_of, programme))
    # Eligible costs 1,923.81 - 36.86 = 1,886.95; co-financing 1,271.42;
    # EU min(1,886.95 x 0.9 = 1,698.255 -> 1,698.26, 1,886.95 - 1,271.42 = 615.53) = 615.53.
    assert (content.total, content.co_financing, content.eu_contribution) == (
        D("1886.95"),
        D("1271.42"),
        D("615.53"),
    )
    assert co_financing(programme).eligible_eur == D("1886.95")


def test_the_budget_plan_takes_the_flat_rate_on_its_base(user_of):
    programme = _programme()
    partner = _partner(programme, "Birmingham")
    finance = user_of("finance-1")
    budget_line_create(
        actor=finance,
        programme=programme,
        partner=partner,
        category="staff",
        planned_eur=D("10000"),
    )
    # Staff 10,000 and travel 5,000: on all direct costs 7% of 15,000 = 1,050 -> 16,050;
    # on staff only 7% of 10,000 = 700 -> 15,700.
    direct_rules = programme_rules(programme)
    staff_programme = _under(
        programme, "city_staff", indirect_cost_base="staff", total_budget=15700
    )
    staff_rules = programme_rules(staff_programme)
    budget_line_create(
        actor=finance,
        programme=staff_programme,
        partner=partner,
        category="travel",
        planned_eur=D("5000"),
    )
    assert planned_with_indirect(staff_programme, staff_rules) == D("15700.00")
    assert planned_with_indirect(staff_programme, direct_rules) == D("16050.00")
    # On all direct costs the same plan would pass the 15,700 budget: a new line is refused.
    direct_programme = _under(staff_programme, "city_staff", indirect_cost_base="direct")
    with pytest.raises(DomainError, match="16,0"):
        budget_line_create(
            actor=finance,
            programme=direct_programme,
            partner=partner,
            category="other",
            planned_eur=D("0"),
        )


# ---------------------------------------------------------------- a statement keeps its rules


def test_changing_the_rules_after_a_statement_leaves_it_as_it_was(user_of, client_of):
    programme = _under(_worked_example(user_of), "city_staff")
    statement = _prepare(user_of, programme)
    page = client_of("finance-1").get(
        reverse("finance:statement", args=[programme.slug, statement.pk])
    )
    assert "652.39\u00a0EUR" in page.content.decode()
    programme_money_rules_update(
        actor=user_of("finance-1"),
        programme=programme,
        expected_version=programme.version,
        **{
            **{
                name: getattr(programme, name)
                for name in (
                    "total_budget",
                    "co_financing_split",
                    "default_productive_hours",
                    "hours_per_day",
                    "officer_days_per_city",
                    "eligible_from",
                    "eligible_until",
                    "ineligible_costs",
                    "event_travel_margin_days",
                    "overspend_warning_percent",
                    "separate_duties",
                )
            },
            "max_eu_rate": D("0.8"),
            "indirect_cost_rate": D("0.1"),
            "indirect_cost_base": "staff",
            "co_financing_model": "eu_rate",
        },
    )
    # The dashboard follows the new rules: indirect 10% of staff, Birmingham 100.949 -> 100.95,
    # Gdansk 26.193 -> 26.19, coordinator 0: totals 1,110.44, 288.12 and 526.53 = 1,925.09.
    # EU at 80% per partner: 888.352 -> 888.35, 230.496 -> 230.50, 421.224 -> 421.22;
    # co-financing 222.09 + 57.62 + 105.31 = 385.02; EU 1,540.07.
    ledger = co_financing(_programme())
    assert (ledger.eligible_eur, ledger.co_financing_eur, ledger.eu_contribution_eur) == (
        D("1925.09"),
        D("385.02"),
        D("1540.07"),
    )
    # The statement keeps the rules it was prepared with, on its page and in its content.
    statement.refresh_from_db()
    content = statement_content(statement)
    assert (content.rules.eu_rate, content.rules.co_financing_model) == (D("0.9"), "city_staff")
    assert (content.total, content.co_financing, content.eu_contribution) == (
        D("1923.81"),
        D("1271.42"),
        D("652.39"),
    )
    html = client_of("finance-1").get(page.wsgi_request.path).content.decode()
    assert "1,923.81\u00a0EUR" in html and "652.39\u00a0EUR" in html and "1,271.42\u00a0EUR" in html
    assert "1,540.07" not in html


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("eu_rate", "0.5"),
        ("indirect_rate", "0.2"),
        ("indirect_base", "'staff'"),
        ("co_financing_model", "'eu_rate'"),
        ("contributions", '\'{"1": "5.00"}\''),
    ],
)
def test_the_database_refuses_changing_a_statements_rules(user_of, column, value):
    statement = _prepare(user_of, _worked_example(user_of))
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE finance_statement SET {column} = {value} WHERE id = %s",  # noqa: S608
            [statement.pk],
        )
    assert Statement.objects.get(pk=statement.pk).eu_rate == D("0.9")


# ---------------------------------------------------------------- the money rules screen


NEW_RULES = {
    "total_budget": "660000.00",
    "max_eu_rate": "85",
    "indirect_cost_rate": "7.5",
    "indirect_cost_base": "staff",
    "co_financing_model": "eu_rate",
    "co_financing_split": "per_partner",
    "default_productive_hours": "1680",
    "hours_per_day": "7.5",
    "officer_days_per_city": "40",
    "eligible_from": "2016-10-01",
    "eligible_until": "2019-02-28",
    "ineligible_costs": "flag",
    "event_travel_margin_days": "3",
    "overspend_warning_percent": "80",
    "separate_duties": None,  # unticked
}


def test_every_rule_is_saved_and_audited(client_of, user_of):
    client = client_of("finance-1")
    before = _programme()
    page = client.get(SETTINGS)
    html = page.content.decode()
    assert 'type="radio"' in html
    assert "what the EU does not pay is the partner" in html  # each model explained
    response = client.post(SETTINGS, rendered(page, **NEW_RULES))
    assert response.status_code == 302
    after = _programme()
    assert (
        after.total_budget,
        after.max_eu_rate,
        after.indirect_cost_rate,
        after.indirect_cost_base,
        after.co_financing_model,
        after.co_financing_split,
        after.default_productive_hours,
        after.hours_per_day,
        after.officer_days_per_city,
        after.eligible_from,
        after.eligible_until,
        after.ineligible_costs,
        after.event_travel_margin_days,
        after.overspend_warning_percent,
        after.separate_duties,
    ) == (
        D("660000.00"),
        D("0.85"),
        D("0.075"),
        "staff",
        "eu_rate",
        "per_partner",
        D("1680"),
        D("7.5"),
        40,
        date(2016, 10, 1),
        date(2019, 2, 28),
        "flag",
        3,
        80,
        False,
    )
    assert (after.eligibility_start, after.eligibility_end) == (
        date(2016, 10, 1),
        date(2019, 2, 28),
    )
    assert after.version == before.version + 1
    record = after.history.latest()
    assert (record.history_user, record.history_change_reason) == (
        user_of("finance-1"),
        "money rules changed",
    )
    assert record.prev_record.co_financing_model == "city_staff"
    # No target per partner set yet: the officer is warned that they do not add up.
    assert "not the programme" in client.get(SETTINGS).content.decode()
    # Blank eligible dates are the programme's own.
    page = client.get(SETTINGS)
    assert (
        client.post(SETTINGS, rendered(page, eligible_from="", eligible_until="")).status_code
        == 302
    )
    after = _programme()
    assert after.eligible_from is None
    assert (after.eligibility_start, after.eligibility_end) == (after.start_date, after.end_date)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"eligible_from": "2018-06-01", "eligible_until": "2018-01-31"},
            "eligible_until",
            "end after",
        ),
        ({"eligible_from": "2010-01-01"}, "eligible_from", "Give a date between"),
        ({"eligible_until": "2030-01-01"}, "eligible_until", "Give a date between"),
        ({"co_financing_model": "everything"}, "co_financing_model", "valid choice"),
        ({"default_productive_hours": "4000"}, "default_productive_hours", "3000"),
        ({"overspend_warning_percent": "0"}, "overspend_warning_percent", "1"),
        ({"event_travel_margin_days": "40"}, "event_travel_margin_days", "14"),
    ],
)
def test_a_bad_rule_is_shown_at_its_field_and_the_typed_values_are_kept(
    client_of, changes, field, message
):
    client = client_of("finance-1")
    page = client.get(SETTINGS)
    response = client.post(SETTINGS, rendered(page, total_budget="612345.67", **changes))
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert message in str(response.context["form"].errors[field])
    assert 'value="612345.67"' in html
    for value in changes.values():
        if value[0].isdigit():
            assert f'value="{value}"' in html
    assert _programme().total_budget == D("650000")


def test_a_stale_save_of_the_rules_is_refused(client_of):
    client = client_of("finance-1")
    page = client.get(SETTINGS)
    stale = rendered(page, co_financing_model="fixed")
    assert client.post(SETTINGS, rendered(page, co_financing_model="eu_rate")).status_code == 302
    response = client.post(SETTINGS, stale)
    assert response.status_code == 409
    assert response.context["form"]["co_financing_model"].value() == "fixed"
    html = response.content.decode()
    assert "Someone else saved the programme" in html
    assert response.context["saved"]["co_financing_model"] == "eu_rate"
    assert _programme().co_financing_model == "eu_rate"


def test_fewer_productive_hours_than_recorded_are_refused(client_of, user_of):
    """Athens' officer has no staff-cost rate in 2017: the programme's default is their cap."""
    officer = user_of("athens-officer-1")
    sheet = timesheet_open(actor=officer, programme=_programme(), month=date(2017, 3, 1))
    entries = [EntryInput(date(2017, 3, d), "visit", D("6")) for d in (13, 14, 15)]
    timesheet_save(
        actor=officer,
        timesheet=sheet,
        entries=entries,
        days=[e.day for e in entries],
        revision=sheet.revision,
    )
    client = client_of("finance-1")
    page = client.get(SETTINGS)
    response = client.post(SETTINGS, rendered(page, default_productive_hours="17"))
    assert response.status_code == 400
    errors = str(response.context["form"].errors["default_productive_hours"])
    assert "18 hours recorded" in errors and "2017" in errors
    assert _programme().default_productive_hours == D("1720")
    assert client.post(SETTINGS, rendered(page, default_productive_hours="18")).status_code == 302
    assert _programme().default_productive_hours == D("18")


def test_other_roles_cannot_open_the_partners_figures(client_of):
    for key, status in (("coordinator-1", 403), ("auditor-1", 403), ("athens-officer-1", 404)):
        assert client_of(key).get(PARTNERS).status_code == status
        assert client_of(key).post(PARTNERS, {"revisions": ""}).status_code == status
    assert not PartnerCoFinancing.objects.exists()


def test_the_partners_targets_and_contributions_are_saved_audited_and_checked(client_of, user_of):
    programme = _under(_programme(), "fixed", co_financing_split="per_partner")
    birmingham, coordinator = _partner(programme, "Birmingham"), _partner(programme, "coordinator")
    client = client_of("finance-1")
    page = client.get(PARTNERS)
    assert page.status_code == 200
    form = page.context["form"]
    assert f"target_{coordinator.pk}" not in form.fields  # targets are the cities' only
    data = {"revisions": form["revisions"].value()}
    stale = {**data, f"fixed_{birmingham.pk}": "100.00"}
    data.update({f"target_{birmingham.pk}": "40000.00", f"fixed_{birmingham.pk}": "500.00"})
    data[f"fixed_{coordinator.pk}"] = "-5"
    refused = client.post(PARTNERS, data)
    assert refused.status_code == 400
    assert f'id="id_fixed_{coordinator.pk}_error"' in refused.content.decode()
    assert 'value="40000.00"' in refused.content.decode()
    data[f"fixed_{coordinator.pk}"] = ""
    saved = client.post(PARTNERS, data, follow=True)
    assert saved.status_code == 200
    # 40,000.00 of the 65,000.00 target: the officer is told the targets do not add up.
    assert "add up to 40,000.00" in saved.content.decode()
    row = PartnerCoFinancing.objects.get(partner=birmingham)
    assert (row.target_eur, row.fixed_contribution_eur, row.revision) == (
        D("40000.00"),
        D("500.00"),
        1,
    )
    record = row.history.latest()
    assert (record.history_user, record.history_change_reason) == (
        user_of("finance-1"),
        "co-financing figures changed",
    )
    assert programme_rules(_programme()).contributions == {birmingham.pk: D("500.00")}
    # A form drawn before that save is stale: refused (409), what was typed kept.
    conflict = client.post(PARTNERS, stale)
    assert conflict.status_code == 409
    assert "Someone else saved the partners" in conflict.content.decode()
    assert conflict.context["form"][f"fixed_{birmingham.pk}"].value() == "100.00"
    assert PartnerCoFinancing.objects.get(partner=birmingham).fixed_contribution_eur == D("500.00")
