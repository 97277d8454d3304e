"""The money screens: the budget dashboard with its lines and reasoned transfers, exchange
rates (typed or imported, frozen once reported), staff-cost rates seen only by those allowed,
a city's days and co-financing, and the statements with their files. Each refuses bad input
next to the field, keeps what was typed, is a 404 outside its scope and runs a bounded number
of queries."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from finance.grant_rules import programme_rules
from finance.models import BudgetLine, BudgetTransfer, ExchangeRate, StaffRate, Statement
from finance.selectors import budget_overview, elapsed_share
from finance.services.budget import budget_line_create
from finance.services.demo import demo_finance_load
from finance.services.rates import staff_rate_save
from programmes.models import Person, Programme
from tests.finance.test_ledger import _month_of_hours, _worked_example

pytestmark = pytest.mark.django_db
D = Decimal


def _url(name, *args):
    return reverse(f"finance:{name}", args=["cities-grow", *args])


def _programme():
    return Programme.objects.get(slug="cities-grow")


def _demo_books(user_of):
    demo_finance_load(user_of("finance-1"), _programme())


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


# ---------------------------------------------------------------- budget


def test_the_demo_budget_stays_within_the_grant_with_its_indirect_costs(user_of):
    _demo_books(user_of)
    programme = _programme()
    overview = budget_overview(programme, today=date(2017, 1, 15))
    direct = sum(line.planned_eur for line in BudgetLine.objects.all())
    assert direct == D("590000.00")
    # 590,000 + 7% indirect, rounded per partner: 16 cities' 284.375 become 284.38.
    assert overview.total.planned == D("631300.08")
    assert overview.total.planned <= programme.total_budget
    with pytest.raises(Exception) as refused:
        budget_line_create(
            actor=user_of("finance-1"),
            programme=programme,
            partner=BudgetLine.objects.first().partner,
            category="equipment",
            planned_eur=D("20000"),  # 610,000 + 42,700 = 652,700: above 650,000
        )
    assert "above the budget of 650,000.00\u00a0EUR." in str(refused.value)


def test_the_forecast_carries_on_at_the_pace_so_far(user_of):
    programme = _programme()  # January 2017 to December 2018: 24 months
    assert elapsed_share(programme, date(2016, 12, 1)) == 0
    assert elapsed_share(programme, date(2017, 7, 10)) == D("0.25")
    assert elapsed_share(programme, date(2020, 1, 1)) == 1
    _worked_example(user_of)
    early = budget_overview(programme, today=date(2017, 7, 10))
    late = budget_overview(programme, today=date(2019, 1, 1))
    assert early.total.actual == late.total.actual == D("1923.81")
    assert early.total.forecast == D("7695.24")  # four times the first quarter's pace
    assert late.total.forecast == D("1923.81")


def test_a_transfer_moves_money_with_its_reason_in_the_audit_trail(user_of, client_of):
    _demo_books(user_of)
    client = client_of("finance-1")
    page = client.get(_url("budget"))
    assert page.status_code == 200 and "631,300.08\u00a0EUR" in page.content.decode()
    travel = BudgetLine.objects.get(category="travel", partner__role="coordinator")
    other = BudgetLine.objects.get(category="other", partner__role="coordinator")
    form = page.context["transfer_form"]
    data = {
        "source": travel.pk,
        "target_partner": "",  # the partner of the line it comes from
        "target_category": other.category,
        "amount_eur": "2500.00",
        "reason": "",
        "revisions": form.fields["revisions"].initial,
    }
    refused = client.post(_url("budget_transfer_new"), data)
    assert refused.status_code == 400
    assert "This field is required." in refused.content.decode()
    assert 'value="2500.00"' in refused.content.decode()
    too_much = client.post(
        _url("budget_transfer_new"), {**data, "amount_eur": "999999", "reason": "x"}
    )
    assert "More than the line holds." in too_much.content.decode()
    data["reason"] = "The conference moves to a larger venue."
    assert client.post(_url("budget_transfer_new"), data).status_code == 302
    travel.refresh_from_db()
    other.refresh_from_db()
    assert (travel.planned_eur, other.planned_eur) == (D("177500.00"), D("32500.00"))
    transfer = BudgetTransfer.objects.get()
    assert transfer.actor == user_of("finance-1") and transfer.reason == data["reason"]
    assert travel.history.filter(
        history_change_reason=f"transfer: {data['reason']}", history_user=user_of("finance-1")
    ).exists()
    # The same form sent again is stale: the lines changed since it was drawn.
    stale = client.post(_url("budget_transfer_new"), data)
    assert stale.status_code == 409 and BudgetTransfer.objects.count() == 1
    assert "The conference moves to a larger venue." in client.get(_url("budget")).content.decode()


def test_indirect_costs_are_never_typed(user_of, client_of):
    _demo_books(user_of)
    partner = BudgetLine.objects.first().partner
    response = client_of("finance-1").post(
        _url("budget_line_new"),
        {"partner": partner.pk, "category": "indirect", "planned_eur": "100"},
    )
    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()
    assert not BudgetLine.objects.filter(category="indirect").exists()


def test_the_budget_is_read_by_the_programme_wide_roles_only(user_of, client_of):
    _demo_books(user_of)
    for key in ("coordinator-1", "auditor-1", "finance-1"):
        assert client_of(key).get(_url("budget")).status_code == 200, key
    for key in ("athens-officer-1", "athens-approver-admin", "facilitator-a"):
        assert client_of(key).get(_url("budget")).status_code == 404, key
    auditor = client_of("auditor-1").get(_url("budget"))
    assert auditor.context["transfer_form"] is None and auditor.context["line_form"] is None


# ---------------------------------------------------------------- exchange rates


def _csv(text, name="rates.csv"):
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def test_rates_are_recorded_and_imported_and_a_bad_file_writes_nothing(client_of):
    client = client_of("finance-1")
    ok = client.post(_url("rates"), {"currency": "GBP", "month": "2017-03", "rate": "0.85553"})
    assert ok.status_code == 302
    assert ExchangeRate.objects.get().rate == D("0.855530")
    bad = client.post(_url("rates"), {"currency": "GBP", "month": "March", "rate": "-1"})
    assert bad.status_code == 400 and 'value="March"' in bad.content.decode()
    broken = (
        "currency;month;rate\nGBP;2017-04;0,86\nXXX;2017-05;1\nPLN;2017-13;4.3\nPLN;2017-05;-2\n"
    )
    refused = client.post(_url("rates_import"), {"file": _csv(broken)})
    html = refused.content.decode()
    assert refused.status_code == 400
    for line in (3, 4, 5):
        assert f"Line {line}:" in html
    assert ExchangeRate.objects.count() == 1
    good = "currency,month,rate\nGBP,2017-03,0.85553\nGBP,2017-04,0.8606\nPLN,2017-04,4.2247\n"
    assert client.post(_url("rates_import"), {"file": _csv(good)}).status_code == 302
    assert ExchangeRate.objects.count() == 3
    page = client.get(_url("rates")).content.decode()
    assert "2 rates recorded, 1 already known." in page and "4.224700" in page


def test_the_rates_of_a_reported_month_are_frozen(user_of, client_of):
    _worked_example(user_of)
    Statement.objects.create(
        programme=_programme(),
        kind="interim",
        period_end=date(2017, 6, 30),
        **programme_rules(_programme()).as_statement_fields(),
    )
    client = client_of("finance-1")
    refused = client.post(_url("rates"), {"currency": "GBP", "month": "2017-03", "rate": "0.9"})
    assert refused.status_code == 400 and "are frozen" in refused.content.decode()
    assert (
        client.post(
            _url("rates"), {"currency": "GBP", "month": "2017-07", "rate": "0.9"}
        ).status_code
        == 302
    )


# ---------------------------------------------------------------- staff-cost rates


def _salary(user_of, key, cost="41000.00"):
    return staff_rate_save(
        actor=user_of("finance-1"),
        programme=_programme(),
        person=Person.objects.get(user=user_of(key)),
        year=2017,
        currency="EUR",
        annual_cost=D(cost),
    )


def test_salaries_are_seen_only_by_the_person_their_finance_contact_finance_and_audit(
    user_of, client_of, monkeypatch
):
    from finance import selectors

    monkeypatch.setattr(selectors, "STAFF_RATES_PER_PAGE", 1000)  # everyone on one page
    _salary(user_of, "athens-officer-1", "41234.00")
    _salary(user_of, "munich-officer-1", "55555.00")
    sees = {
        "athens-officer-1": ("41,234.00",),
        "athens-approver-admin": ("41,234.00",),
        "finance-1": ("41,234.00", "55,555.00"),
        "auditor-1": ("41,234.00", "55,555.00"),
    }
    hidden = {
        "athens-officer-1": ("55,555.00",),
        "athens-officer-2": ("41,234.00", "55,555.00"),
        "athens-approver-political": ("41,234.00", "55,555.00"),
        "athens-approver-admin": ("55,555.00",),
        "coordinator-1": ("41,234.00", "55,555.00"),
        "facilitator-a": ("41,234.00", "55,555.00"),
    }
    for key in sees.keys() | hidden.keys():
        html = client_of(key).get(_url("salaries")).content.decode()
        for amount in sees.get(key, ()):
            assert amount in html, (key, amount)
        for amount in hidden.get(key, ()):
            assert amount not in html, (key, amount)


def test_a_city_finance_contact_sets_a_rate_and_other_hours_need_a_reason(user_of, client_of):
    client = client_of("athens-approver-admin")
    officer = Person.objects.get(user=user_of("athens-officer-1"))
    data = {
        "person": officer.pk,
        "year": 2017,
        "currency": "EUR",
        "annual_cost": "38000",
        "productive_hours": "1600",
        "justification": "",
    }
    refused = client.post(_url("salaries"), data)
    assert refused.status_code == 400
    assert "need a justification" in refused.content.decode()
    assert 'value="38000"' in refused.content.decode()
    data["justification"] = "Contract of 36 hours a week."
    assert client.post(_url("salaries"), data).status_code == 302
    rate = StaffRate.objects.get()
    assert rate.hourly_rate == D("23.75") and rate.history.first().history_user == user_of(
        "athens-approver-admin"
    )
    # Not for another city's officer, and not for an officer themselves.
    munich = Person.objects.get(user=user_of("munich-officer-1"))
    assert client.post(_url("salaries"), {**data, "person": munich.pk}).status_code in (400, 404)
    assert client_of("athens-officer-1").post(_url("salaries"), data).status_code == 400
    assert StaffRate.objects.count() == 1


# ---------------------------------------------------------------- a city's page


def test_a_citys_page_shows_its_days_and_only_to_its_members_the_money(user_of, client_of):
    _worked_example(user_of)
    url = _url("city", "birmingham")
    officer = client_of("birmingham-officer-1").get(url).content.decode()
    assert "<svg" in officer and "polyline" in officer
    assert "4.69" in officer  # 37.5 hours at 8 hours a day, of 30 days
    assert "1,009.49" not in officer  # the co-financing euros: for its finance contact
    contact = client_of("birmingham-approver-admin").get(url).content.decode()
    assert "1,009.49\u00a0EUR of the city" in contact
    assert "1,009.49\u00a0EUR" in client_of("finance-1").get(url).content.decode()
    for key in ("athens-officer-1", "gdansk-approver-admin"):
        assert client_of(key).get(url).status_code == 404, key


# ---------------------------------------------------------------- statements


def _download(response):
    assert response.status_code == 200 and response.streaming, response.status_code
    return b"".join(response.streaming_content)


def test_a_statement_is_prepared_on_screen_and_links_to_its_records(
    user_of, client_of, django_capture_on_commit_callbacks
):
    _worked_example(user_of)
    client = client_of("finance-1")
    refused = client.post(_url("statements"), {"kind": "interim", "period_end": "2017-02-28"})
    assert refused.status_code == 400 and "nothing new to report" in refused.content.decode()
    with django_capture_on_commit_callbacks() as enqueued:
        response = client.post(_url("statements"), {"kind": "interim", "period_end": "2017-06-30"})
    assert response.status_code == 302
    statement = Statement.objects.get()
    # Its files wait for the queue: the page and the file's address say so, no link yet.
    page = client.get(_url("statement", statement.pk)).content.decode()
    assert "waiting for the task queue" in page
    assert _url("statement_file", statement.pk, "xlsx") not in page
    waiting = client.get(_url("statement_file", statement.pk, "xlsx"))
    assert not waiting.streaming and "waiting for the task queue" in waiting.content.decode()
    for callback in enqueued:  # the queue runs (immediate in tests)
        callback()
    page = client.get(_url("statement", statement.pk)).content.decode()
    assert _url("statement_file", statement.pk, "xlsx") in page
    assert "1,923.81\u00a0EUR" in page and "652.39\u00a0EUR" in page
    for sheet_id in statement.programme.timesheets.values_list("pk", flat=True):
        assert _url("timesheet", sheet_id) in page
    claim = statement.programme.claims.get()
    receipt = claim.lines.filter(decision="accepted").first().receipts.get()
    assert _url("claim", claim.pk) in page and _url("receipt", claim.pk, receipt.pk) in page
    xlsx = _download(client.get(_url("statement_file", statement.pk, "xlsx")))
    book = load_workbook(io.BytesIO(xlsx))
    staff_links = [row[-1] for row in book["Staff"].iter_rows(min_row=2, values_only=True)]
    assert all("/finance/time/sheets/" in link for link in staff_links) and staff_links
    assert _download(client.get(_url("statement_file", statement.pk, "pdf"))).startswith(b"%PDF")
    assert client.get(_url("statement_file", statement.pk, "docx")).status_code == 404
    for key in ("birmingham-officer-1", "birmingham-approver-admin"):
        assert client_of(key).get(_url("statement", statement.pk)).status_code == 404
        assert client_of(key).get(_url("statement_file", statement.pk, "xlsx")).status_code == 404


# ---------------------------------------------------------------- bounded queries


def _more_birmingham_officers(count):
    from programmes.models import City, Membership

    birmingham = City.objects.get(slug="birmingham")
    colleague = Membership.objects.filter(city=birmingham, role="city_officer").first()
    for n in range(count):
        person = Person.objects.create(
            first_name="Extra",
            last_name=f"Officer {n}",
            email=f"extra-{n}@birmingham.demo.invalid",
            organisation=colleague.person.organisation,
        )
        Membership.objects.create(
            person=person, role="city_officer", programme=_programme(), city=birmingham
        )


def test_the_money_pages_run_a_bounded_number_of_queries(user_of, client_of):
    _demo_books(user_of)
    finance = Client()
    finance.force_login(user_of("finance-1"))
    contact = Client()
    contact.force_login(user_of("birmingham-approver-admin"))
    pages = [
        (finance, _url("budget")),
        (finance, _url("rates")),
        (finance, _url("salaries")),
        (contact, _url("salaries")),
        (finance, _url("city", "birmingham")),
        (finance, _url("statements")),
        (finance, _url("home")),
        (finance, _url("inbox")),
    ]
    before = [_count(client, url) for client, url in pages]
    # More of everything: people in Birmingham, months of hours with rates, claims, statements.
    _more_birmingham_officers(3)
    _worked_example(user_of)
    for key in ("athens-officer-1", "athens-officer-2"):
        _salary(user_of, key)
    _month_of_hours(user_of, "athens-officer-1", "athens-approver-admin", "6", range(13, 16))
    _month_of_hours(user_of, "athens-officer-2", "athens-approver-admin", "6", range(13, 16))
    statement = finance.post(_url("statements"), {"kind": "interim", "period_end": "2017-06-30"})
    assert statement.status_code == 302
    after = [_count(client, url) for client, url in pages]
    assert before == after, list(zip([u for _c, u in pages], before, after, strict=True))
    detail = Statement.objects.get().pk
    assert _count(finance, _url("statement", detail)) <= 20


def test_a_city_finance_contact_never_sets_their_own_rate(user_of, client_of):
    from finance.permissions import can_set_salary

    contact = Person.objects.get(user=user_of("athens-approver-admin"))
    officer = Person.objects.get(user=user_of("athens-officer-1"))
    assert not can_set_salary(user_of("athens-approver-admin"), _programme(), contact)
    assert can_set_salary(user_of("athens-approver-admin"), _programme(), officer)
    assert can_set_salary(user_of("finance-1"), _programme(), contact)
    form = client_of("athens-approver-admin").get(_url("salaries")).context["form"]
    assert contact.pk not in dict(form.fields["person"].choices)
