"""The finance officers' settings screen: the grant's total budget, maximum EU rate and flat
rate of indirect costs. Saved through its form (every rendered field posted), audited with the
actor, closed to the other roles, bad input refused next to the field with the typed values
kept, a stale save refused (409); a statement keeps its own rules when they change, and the
budget never drops below the plan."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from finance.grant_rules import programme_rules
from finance.models import Statement
from finance.services.budget import budget_line_create
from programmes.models import Programme, ProgrammePartner
from tests.programmes.test_settings_screens import rendered

pytestmark = pytest.mark.django_db
D = Decimal
SETTINGS = reverse("finance:settings", args=["cities-grow"])


def _programme():
    return Programme.objects.get(slug="cities-grow")


def test_the_finance_home_links_the_screen_for_finance_officers_only(client_of):
    home = reverse("finance:home", args=["cities-grow"])
    assert SETTINGS in client_of("finance-1").get(home).content.decode()
    for key in ("coordinator-1", "auditor-1", "athens-officer-1"):
        assert SETTINGS not in client_of(key).get(home).content.decode()


def test_finance_officer_changes_the_money_rules_and_it_is_audited(client_of, user_of):
    client = client_of("finance-1")
    before = _programme()
    page = client.get(SETTINGS)
    assert page.status_code == 200
    assert page.context["form"]["max_eu_rate"].value() == D("90")  # shown as a percentage
    response = client.post(
        SETTINGS,
        rendered(page, total_budget="700000.00", max_eu_rate="85", indirect_cost_rate="7.5"),
    )
    assert response.status_code == 302
    after = _programme()
    assert (after.total_budget, after.max_eu_rate, after.indirect_cost_rate) == (
        D("700000.00"),
        D("0.85"),
        D("0.075"),
    )
    assert after.version == before.version + 1
    record = after.history.latest()
    assert (record.history_user, record.history_change_reason) == (
        user_of("finance-1"),
        "money rules changed",
    )


@pytest.mark.parametrize(
    ("key", "status"),
    [("coordinator-1", 403), ("auditor-1", 403), ("athens-officer-1", 404), ("facilitator-b", 404)],
)
def test_other_roles_cannot_change_the_money_rules(client_of, key, status):
    programme = _programme()
    data = {
        "total_budget": "1",
        "max_eu_rate": "100",
        "indirect_cost_rate": "25",
        "version": programme.version,
    }
    assert client_of(key).post(SETTINGS, data).status_code == status
    assert _programme().max_eu_rate == programme.max_eu_rate


def test_bad_rate_is_shown_at_the_field_and_nothing_is_lost(client_of):
    client = client_of("finance-1")
    page = client.get(SETTINGS)
    response = client.post(SETTINGS, rendered(page, total_budget="612345.67", max_eu_rate="150"))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_max_eu_rate_error"' in html
    assert 'value="150"' in html and 'value="612345.67"' in html
    assert _programme().max_eu_rate == D("0.9")


def test_stale_save_is_refused_with_the_saved_values_shown(client_of):
    client = client_of("finance-1")
    page = client.get(SETTINGS)
    stale = rendered(page, indirect_cost_rate="6")
    assert client.post(SETTINGS, rendered(page, indirect_cost_rate="5")).status_code == 302
    response = client.post(SETTINGS, stale)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else saved the programme" in html
    assert response.context["form"]["indirect_cost_rate"].value() == "6"
    assert response.context["saved"]["indirect_cost_rate"] == D("5")
    assert _programme().indirect_cost_rate == D("0.05")
    assert client.post(SETTINGS, response.context["form"].data).status_code == 302
    assert _programme().indirect_cost_rate == D("0.06")


def test_a_coordinators_period_change_makes_an_open_form_stale(client_of):
    """One version for the programme's settings: no save overwrites another unseen."""
    page = client_of("finance-1").get(SETTINGS)
    stale = rendered(page, max_eu_rate="80")
    coordinator = client_of("coordinator-1")
    period_page = coordinator.get(reverse("programmes:settings", args=["cities-grow"]))
    period = rendered(period_page, end_date="2019-06-30")
    assert coordinator.post(period_page.wsgi_request.path, period).status_code == 302
    assert client_of("finance-1").post(SETTINGS, stale).status_code == 409


def test_rates_change_after_a_statement_which_keeps_its_own(client_of):
    statement = Statement.objects.create(
        programme=_programme(),
        kind="interim",
        period_end=date(2017, 6, 30),
        **programme_rules(_programme()).as_statement_fields(),
    )
    client = client_of("finance-1")
    page = client.get(SETTINGS)
    assert "never changes a statement already prepared" in page.content.decode()
    response = client.post(
        SETTINGS, rendered(page, max_eu_rate="80", indirect_cost_rate="8", total_budget="660000")
    )
    assert response.status_code == 302
    after = _programme()
    assert (after.max_eu_rate, after.indirect_cost_rate, after.total_budget) == (
        D("0.8"),
        D("0.08"),
        D("660000"),
    )
    statement.refresh_from_db()
    assert (statement.eu_rate, statement.indirect_rate) == (D("0.9"), D("0.07"))


def test_budget_cannot_drop_below_the_plan_with_its_indirect_costs(client_of, user_of):
    programme = _programme()
    partner = ProgrammePartner.objects.filter(programme=programme).first()
    budget_line_create(
        actor=user_of("finance-1"),
        programme=programme,
        partner=partner,
        category="staff",
        planned_eur=D("100000"),
    )
    client = client_of("finance-1")
    page = client.get(SETTINGS)
    response = client.post(SETTINGS, rendered(page, total_budget="100000"))  # + 7,000 indirect
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_total_budget_error"' in html and "107,000.00" in html
    # a higher flat rate that would push the plan above the budget is refused the same way
    response = client.post(SETTINGS, rendered(page, total_budget="107000", indirect_cost_rate="8"))
    assert response.status_code == 400 and 'id="id_total_budget_error"' in response.content.decode()
    assert client.post(SETTINGS, rendered(page, total_budget="107000")).status_code == 302
    assert _programme().total_budget == D("107000")


def test_the_working_day_and_the_days_per_city_drive_each_citys_workload(client_of, user_of):
    from finance.selectors import city_workload
    from programmes.models import City
    from tests.finance.test_ledger import _worked_example

    _worked_example(user_of)  # Birmingham: 37.5 hours signed in March 2017
    birmingham = City.objects.get(slug="birmingham")
    assert city_workload(_programme(), birmingham).used_days == D("4.69")  # days of 8 hours
    client = client_of("finance-1")
    page = client.get(SETTINGS)
    assert page.context["form"]["hours_per_day"].value() == D("8")
    assert page.context["form"]["officer_days_per_city"].value() == 30
    response = client.post(
        SETTINGS, rendered(page, hours_per_day="7.5", officer_days_per_city="40")
    )
    assert response.status_code == 302
    workload = city_workload(_programme(), birmingham)
    assert (workload.used_days, workload.allocation_days) == (D("5.00"), D("40"))
    assert _programme().history.latest().history_change_reason == "money rules changed"
    # A day of 25 hours is refused at its field, the other typed values kept.
    page = client.get(SETTINGS)
    response = client.post(SETTINGS, rendered(page, hours_per_day="25", total_budget="651000"))
    html = response.content.decode()
    assert response.status_code == 400 and 'id="id_hours_per_day_error"' in html
    assert 'value="651000"' in html
    assert _programme().hours_per_day == D("7.5")
