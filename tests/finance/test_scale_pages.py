"""The finance pages at the scale of hundreds of cities: the budget a page of partners at a
time (found by name or city) with its totals over every partner, the staff-cost rates a page of
people at a time, and the claim form's event found by typing rather than chosen among every
event of the programme. Each keeps its forms working, what was typed on a refusal, and the same
queries however much data there is."""

from datetime import datetime
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape
from django.utils.http import urlencode

from finance import selectors
from finance.choices import DIRECT_CATEGORIES
from finance.models import BudgetLine, BudgetTransfer, ExpenseClaim, StaffRate
from finance.services.demo import demo_finance_load
from programmes.models import Person, Programme, ProgrammePartner
from tests.finance.test_money_screens import _more_birmingham_officers
from tests.html_checks import accessibility_problems
from visits.models import Event

pytestmark = pytest.mark.django_db
SLUG = "cities-grow"


def _url(name, *args):
    return reverse(f"finance:{name}", args=[SLUG, *args])


def _programme():
    return Programme.objects.get(slug=SLUG)


def _queries(client, url, data=None):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, data or {})
    assert response.status_code == 200, url
    return len(captured)


# ---------------------------------------------------------------- the budget


def test_the_budget_is_paged_by_partner_and_its_totals_count_every_partner(
    user_of, client_of, monkeypatch
):
    monkeypatch.setattr(selectors, "BUDGET_PARTNERS_PER_PAGE", 5)
    demo_finance_load(user_of("finance-1"), _programme())
    partners = ProgrammePartner.objects.filter(programme=_programme()).count()
    pages = -(-partners // 5)
    client = client_of("finance-1")
    first = client.get(_url("budget"))
    html = first.content.decode()
    assert f"Page 1 of {pages}" in html and f"{partners} partners listed." in html
    assert html.count('scope="rowgroup"') == 5
    assert accessibility_problems(html) == []
    # The programme's totals are those of the whole budget, on every page.
    for page in range(1, pages + 1):
        assert "631,300.08\u00a0EUR" in client.get(_url("budget"), {"page": page}).content.decode()
    # The forms offer the lines of the partners shown, never the whole budget's.
    shown = {p.pk for p in first.context["budget"].partners}
    offered = dict(first.context["transfer_form"].fields["source"].choices)
    assert set(offered) == set(
        BudgetLine.objects.filter(partner_id__in=shown).values_list("pk", flat=True)
    )
    assert len(offered) < BudgetLine.objects.count()
    # Found by its city: Birmingham's partner alone, with its co-financing row; the links
    # between pages keep the search.
    found = client.get(_url("budget"), {"q": "birmingham"}).content.decode()
    assert found.count('scope="rowgroup"') == 1 and "City of Birmingham" in found
    assert _url("city", "birmingham") in found and _url("city", "athens") not in found
    assert "631,300.08\u00a0EUR" in found
    nothing = client.get(_url("budget"), {"q": "Atlantis"}).content.decode()
    assert "No partner matches “Atlantis”." in nothing
    last = client.get(_url("budget"), {"page": pages}).content.decode()
    assert "page=" in last and f"Page {pages} of {pages}" in last


def test_a_transfer_on_a_searched_page_comes_back_to_it(user_of, client_of):
    demo_finance_load(user_of("finance-1"), _programme())
    client = client_of("finance-1")
    coordinator = ProgrammePartner.objects.get(programme=_programme(), role="coordinator")
    name = coordinator.organisation.name
    page = client.get(_url("budget"), {"q": name})
    form = page.context["transfer_form"]
    source, target = BudgetLine.objects.filter(partner=coordinator).order_by("category")[:2]
    query = urlencode({"q": name})
    action = f"{_url('budget_transfer_new')}?{query}"
    assert f'action="{escape(action)}"' in page.content.decode()
    data = {
        "source": source.pk,
        "target_partner": name,
        "target_category": target.category,
        "amount_eur": "100.00",
        "reason": "",
        "revisions": form.fields["revisions"].initial,
    }
    refused = client.post(action, data)
    assert refused.status_code == 400 and 'value="100.00"' in refused.content.decode()
    assert refused.context["budget"].query == name
    data["reason"] = "Fewer trips, more expertise."
    done = client.post(action, data)
    assert done.status_code == 302 and done["Location"] == f"{_url('budget')}?{query}"
    assert BudgetTransfer.objects.get().reason == data["reason"]
    # The line it goes to may be any partner's, typed: Munich is not on the page.
    munich = BudgetLine.objects.filter(partner__organisation__city__slug="munich").first()
    munich_name = munich.partner.organisation.name
    planned = munich.planned_eur
    # The page drawn again: the source line changed with the first transfer.
    data["revisions"] = (
        client.get(_url("budget"), {"q": name}).context["transfer_form"]["revisions"].initial
    )
    moved = client.post(
        action,
        {**data, "target_partner": munich_name.lower(), "target_category": munich.category},
    )
    assert moved.status_code == 302
    munich.refresh_from_db()
    assert munich.planned_eur == planned + D("100.00")
    assert BudgetTransfer.objects.latest("pk").target == munich
    # A partner's name mistyped, or a category it has no line in: said next to the field,
    # with what was typed kept; nothing moves.
    typo = client.post(action, {**data, "target_partner": munich_name[:-1] + "xx"})
    html = typo.content.decode()
    assert typo.status_code == 400 and "No partner of the programme is called" in html
    assert f"Did you mean “{munich_name}" in html
    assert f'value="{escape(munich_name[:-1])}xx"' in html
    unopened = BudgetLine.objects.filter(partner__organisation__city__slug="munich")
    missing = next(c for c in DIRECT_CATEGORIES if not unopened.filter(category=c).exists())
    none = client.post(
        action, {**data, "target_partner": munich_name, "target_category": missing.value}
    )
    assert none.status_code == 400
    assert "This partner has no line in this category: open it first." in none.content.decode()
    assert BudgetTransfer.objects.count() == 2


def test_partners_are_suggested_to_finance_officers_only(user_of, client_of):
    demo_finance_load(user_of("finance-1"), _programme())
    found = client_of("finance-1").get(_url("partners"), {"q": "munich"}).json()
    assert [r["label"] for r in found["results"]] == ["City of Munich (DE)"]
    assert found["results"][0]["id"] == str(
        ProgrammePartner.objects.get(organisation__city__slug="munich").pk
    )
    assert client_of("auditor-1").get(_url("partners"), {"q": "munich"}).status_code == 404
    assert client_of("athens-officer-1").get(_url("partners"), {"q": "mu"}).status_code == 404


def test_the_budget_takes_the_same_queries_for_one_partner_page_or_many(user_of, client_of):
    client = client_of("finance-1")
    empty = [_queries(client, _url("budget"), q) for q in ({}, {"q": "birmingham"})]
    demo_finance_load(user_of("finance-1"), _programme())
    full = [_queries(client, _url("budget"), q) for q in ({}, {"q": "birmingham"})]
    assert empty == full


# ---------------------------------------------------------------- staff-cost rates


def test_the_staff_rates_are_paged_and_found_by_name_and_the_form_offers_the_page(
    user_of, client_of, monkeypatch
):
    monkeypatch.setattr(selectors, "STAFF_RATES_PER_PAGE", 3)
    client = client_of("finance-1")
    first = client.get(_url("salaries"))
    html = first.content.decode()
    assert "Page 1 of" in html and accessibility_problems(html) == []
    people = first.context["rates"].people
    assert len(people) == 3
    assert {pk for pk, _label in first.context["form"].fields["person"].choices} == {
        p.pk for p in people
    }
    officer = Person.objects.get(user=user_of("munich-officer-1"))
    found = client.get(_url("salaries"), {"q": f"{officer.first_name} {officer.last_name}"})
    assert [p.pk for p in found.context["rates"].people] == [officer.pk]
    assert "Nobody matches “Atlantis”." in (
        client.get(_url("salaries"), {"q": "Atlantis"}).content.decode()
    )
    # Someone of another page: the rate is recorded; refused, the choice is kept.
    data = {
        "person": officer.pk,
        "year": 2017,
        "currency": "EUR",
        "annual_cost": "",
        "productive_hours": "1720",
        "justification": "",
    }
    refused = client.post(_url("salaries"), data)
    assert refused.status_code == 400
    assert f'<option value="{officer.pk}" selected>' in refused.content.decode()
    assert client.post(_url("salaries"), {**data, "annual_cost": "43000"}).status_code == 302
    assert StaffRate.objects.get().person == officer


def test_the_staff_rates_take_the_same_queries_however_many_people(user_of, client_of):
    finance, contact = client_of("finance-1"), client_of("birmingham-approver-admin")
    found = {"q": "birmingham"}  # by e-mail: a few of them, then more than a page
    pages = [(finance, {}), (finance, found), (contact, {}), (contact, found)]
    before = [_queries(c, _url("salaries"), q) for c, q in pages]
    _more_birmingham_officers(30)  # more than a page of them
    for c, q in pages:  # the caches the new memberships emptied are filled again
        c.get(_url("salaries"), q)
    assert [_queries(c, _url("salaries"), q) for c, q in pages] == before


# ---------------------------------------------------------------- the claim's event


def _event(title, day, venue=""):
    return Event.objects.create(
        programme=_programme(),
        format="final_meeting",
        title=title,
        venue=venue,
        starts_at=datetime(2017, 3, day, 9, tzinfo=ZoneInfo("Europe/Brussels")),
        ends_at=datetime(2017, 3, day, 17, tzinfo=ZoneInfo("Europe/Brussels")),
    )


def test_the_claims_event_is_found_by_typing_and_without_javascript_too(user_of, client_of):
    alpha, beta = _event("Zzyzx study visit", 6), _event("Zzyzx peer review", 7, "Zzyzx hall")
    client = client_of("birmingham-officer-1")
    home = client.get(_url("home")).content.decode()
    assert accessibility_problems(home) == []
    assert f'data-lookup="{_url("claimable_events")}"' in home
    assert "Zzyzx" not in home  # no list of every event
    # Several match: listed to choose from, what was typed kept.
    several = client.post(_url("claim_new"), {"purpose": "Peer review", "event_search": "zzyzx"})
    html = several.content.decode()
    assert several.status_code == 400 and "Several events match: choose one below." in html
    assert 'value="zzyzx"' in html and 'value="Peer review"' in html
    assert f'id="event-{alpha.pk}"' in html and f'id="event-{beta.pk}"' in html
    assert accessibility_problems(html) == []
    none = client.post(_url("claim_new"), {"purpose": "Peer review", "event_search": "Atlantis"})
    assert none.status_code == 400
    assert "No event of the programme matches “Atlantis”." in none.content.decode()
    # The only match is taken; a chosen one (its radio button) too.
    only = client.post(_url("claim_new"), {"purpose": "Review", "event_search": "zzyzx hall"})
    assert only.status_code == 302 and ExpenseClaim.objects.get().event == beta
    chosen = client.post(
        _url("claim_new"), {"purpose": "Visit", "event_search": "zzyzx", "event": alpha.pk}
    )
    assert chosen.status_code == 302
    assert ExpenseClaim.objects.get(purpose="Visit").event == alpha
    # No event typed: a claim without one; an event of nowhere is refused.
    assert client.post(_url("claim_new"), {"purpose": "Train"}).status_code == 302
    assert ExpenseClaim.objects.get(purpose="Train").event is None
    stray = client.post(_url("claim_new"), {"purpose": "Ghost", "event": "999999"})
    assert stray.status_code == 400 and "Choose an event of the programme." in (
        stray.content.decode()
    )


def test_the_events_to_claim_for_are_searched_within_the_programme(user_of, client_of):
    for day in range(1, 23):
        _event(f"Qwerty visit {day}", day)
    url = _url("claimable_events")
    client = client_of("athens-officer-1")
    answer = client.get(url, {"q": "qwerty"}).json()
    assert len(answer["results"]) == selectors.EVENT_MATCHES_SHOWN and answer["more"] is True
    assert answer["results"][0]["label"].startswith("Qwerty visit 1 (")
    one = client.get(url, {"q": "qwerty visit 22"}).json()
    assert [r["label"][:17] for r in one["results"]] == ["Qwerty visit 22 ("]
    assert one["more"] is False
    assert client.get(url).json() == {"results": [], "more": False}
    assert client.get(reverse("finance:claimable_events", args=["nowhere"])).status_code == 404


def test_the_conference_rule_still_refuses_a_chosen_conference_and_keeps_the_choice(
    user_of, client_of
):
    from tests.conference.builders import icc

    conference = icc()
    response = client_of("birmingham-officer-1").post(
        _url("claim_new"), {"purpose": "ICC VIII", "event": conference.event_id}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Travel to the conference is paid for the programme cities&#x27; delegates" in html
    assert f'value="{conference.event_id}" id="event-{conference.event_id}" checked' in html


def test_the_finance_home_takes_the_same_queries_however_many_events(user_of, client_of):
    client = client_of("birmingham-officer-1")
    before = _queries(client, _url("home"))
    for day in range(1, 29):
        _event(f"Visit {day}", day)
    assert _queries(client, _url("home")) == before  # no event listed: typing finds them


# ---------------------------------------------------------------- a city's co-financing


@pytest.mark.parametrize("split", ["equal", "per_partner"])
def test_a_citys_co_financing_read_alone_is_the_budgets_row(user_of, client_of, split):
    from finance.models import PartnerCoFinancing, Timesheet
    from tests.finance.test_ledger import _worked_example

    programme = _worked_example(user_of)  # approved months of city and network staff
    if split == "per_partner":
        Programme.objects.filter(pk=programme.pk).update(co_financing_split=split)
        programme.refresh_from_db()
        for n, partner in enumerate(ProgrammePartner.objects.filter(programme=programme)):
            PartnerCoFinancing.objects.create(
                programme=programme, partner=partner, target_eur=D(1000 + n)
            )
    # An approved month without a staff rate: counted for its partner, its cost unknown.
    sheet = Timesheet.objects.filter(
        programme=programme, status="approved", person__organisation__city__isnull=False
    ).first()
    organisation = sheet.person.organisation
    StaffRate.objects.filter(person=sheet.person, year=sheet.month.year).delete()
    budget = selectors.co_financing(programme)
    rows = {r.city.pk: r for r in budget.rows}
    assert budget.rows and any(r.co_financing_eur for r in budget.rows)
    without = [r for r in budget.rows if r.months_without_rate]
    assert [r.partner.organisation_id for r in without] == [organisation.pk]
    # Read from what was spent alone (the dashboard's way), the figures are the budget's.
    full = selectors.co_financing(programme, selectors.budget_overview(programme))
    assert full.rows == budget.rows
    assert (full.eligible_eur, full.eu_contribution_eur) == (
        budget.eligible_eur,
        budget.eu_contribution_eur,
    )
    for row in budget.rows:
        alone = selectors.city_co_financing(programme, row.city)
        assert alone == rows[row.city.pk]
    city = without[0].city
    html = client_of("finance-1").get(_url("city", city.slug)).content.decode()
    assert f"{rows[city.pk].co_financing_eur:,}\u00a0EUR" in html


# ---------------------------------------------------------------- statements


def test_a_statement_pages_its_lines_and_keeps_its_totals(user_of, client_of, monkeypatch):
    from finance.services import statements
    from tests.finance.test_statement_sign_off import _prepared

    statement = _prepared(user_of)  # the worked example: two staff months, two travel lines
    content = statements.statement_content(statement)
    monkeypatch.setattr(statements, "STATEMENT_LINES_PER_PAGE", 1)
    client = client_of("auditor-1")
    url = reverse("finance:statement", args=[statement.programme.slug, statement.pk])

    def page(**numbers):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, numbers)
        assert response.status_code == 200
        return response.content.decode(), len(queries)

    first, first_queries = page()
    last, last_queries = page(staff_page=2, travel_page=2)
    assert first_queries == last_queries
    for html in (first, last):
        # The totals are the whole statement's on every page.
        assert f"{content.total:,}\u00a0EUR" in html
        assert "of 2; every line is in the XLSX and PDF files" in html
        assert accessibility_problems(html) == []
    staff = [f"{r.person}" for r in content.staff]
    travel = [f"#{r.line.claim_id} " for r in content.travel]
    shown_first = [name for name in staff if name in first.split("Travel costs")[0]]
    assert len(staff) == 2 and staff[0] in first and "(lines 1 to 1 of 2;" in first
    assert "(lines 2 to 2 of 2;" in last
    # Each list's links keep the other list's page.
    assert 'href="?staff_page=2"' in first and 'href="?travel_page=2"' in first
    assert 'href="?travel_page=2&amp;staff_page=1"' in last
    assert 'href="?staff_page=2&amp;travel_page=1"' in last
    assert 'aria-label="Staff lines"' in first and 'aria-label="Travel lines"' in first
    # The partners' table too, a page at a time, keeping the lists' pages.
    partners = len(content.partners)
    assert partners > 1 and f"(partners 1 to 1 of {partners};" in first
    assert 'href="?staff_page=2&amp;travel_page=2&amp;partners_page=2"' in last
    assert shown_first and travel[0] in first


def test_a_partners_statement_names_its_partner_by_typing(user_of, client_of):
    from finance.models import Statement, Timesheet
    from tests.finance.test_ledger import _worked_example

    programme = _worked_example(user_of)
    client = client_of("finance-1")
    url = reverse("finance:statements", args=[programme.slug])
    worked = Timesheet.objects.filter(programme=programme, status="approved").first()
    partner = ProgrammePartner.objects.get(
        programme=programme, organisation=worked.person.organisation
    )
    name = partner.organisation.name
    data = {"kind": "interim", "period_end": "2017-06-30", "partner": name[:-2] + "zz"}
    typo = client.post(url, data)
    html = typo.content.decode()
    assert typo.status_code == 400 and "No partner of the programme is called" in html
    assert f'value="{escape(data["partner"])}"' in html and Statement.objects.count() == 0
    assert 'list="finance-partners"' in html and 'data-suggest="' in html
    done = client.post(url, {**data, "partner": name.upper()})
    assert done.status_code == 302
    assert Statement.objects.get().partner == partner
