"""The dashboard in the browser: the coordinator opens it from the programme, narrows it to one
scheme, and follows figures to the records behind them (a city's baseline self-assessment, the
scheme's page); Athens' officer sees Athens' row only."""

import re

import pytest
from playwright.sync_api import expect

from assessments.models import SelfAssessment
from tests.e2e.test_assessment_to_matching import log_in, log_out

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_coordinator_follows_a_figure_of_the_dashboard_to_its_records(page):
    log_in(page, "coordinator-1")
    page.goto("/programmes/cities-grow/")
    page.get_by_role("navigation", name="Programme sections").get_by_role(
        "link", name="Dashboard"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dashboard")
    schemes = page.get_by_role("table", name=re.compile("Each scheme's cities"))
    expect(schemes.get_by_role("row")).to_have_count(5)  # a header and the 4 schemes

    # Scheme B only.
    page.get_by_label("Scheme", exact=True).select_option("B")
    page.get_by_role("button", name="Filter").click()
    expect(schemes.get_by_role("row")).to_have_count(2)
    needs = page.get_by_role("table", name=re.compile("Needs analysis"))
    athens = needs.get_by_role("row", name=re.compile("Athens"))
    expect(athens).to_be_visible()
    expect(needs.get_by_role("row", name=re.compile("Riga"))).to_have_count(0)

    # Athens' baseline: the figure opens the self-assessments it counts (its page when there
    # is one, the assessments tab that lists them when there are several).
    baselines = SelfAssessment.objects.filter(city__slug="athens", phase="baseline").exclude(
        status="draft"
    )
    assert baselines.count() > 1
    athens.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("self-assessments")
    listed = page.get_by_role("table", name="Self-assessments you can open")
    for baseline in baselines:
        name = re.compile(f"Athens {baseline.theme.code} Baseline")
        expect(listed.get_by_role("row", name=name)).to_have_count(1)

    # Back: the scheme's number of cities opens the scheme's page.
    page.go_back()
    schemes.get_by_role("row", name=re.compile("^B ")).get_by_role("link").nth(1).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("B")
    log_out(page)

    # Athens' officer: Athens' part only.
    log_in(page, "athens-officer-1")
    page.goto("/programmes/cities-grow/dashboard/")
    needs = page.get_by_role("table", name=re.compile("Needs analysis"))
    expect(needs.get_by_role("row")).to_have_count(2)
    expect(needs.get_by_role("row", name=re.compile("Athens"))).to_be_visible()


def test_the_coordinator_pages_and_filters_the_cities_of_the_overview(page):
    """A programme grown past one page of cities: the overview's table shows 25 at a time, its
    Next link opens the next, and the scheme filter and the name search narrow it."""
    from programmes.models import MentoringScheme, Programme, SchemeMember
    from tests.factories import CityFactory

    programme = Programme.objects.get(slug="cities-grow")
    scheme = MentoringScheme.objects.get(programme=programme, theme__code="B")
    for n in range(40):
        SchemeMember.objects.create(
            programme=programme,
            scheme=scheme,
            role="implementing",
            city=CityFactory(slug=f"newtown-{n:02d}", name=f"Newtown {n:02d}"),
        )
    total = SchemeMember.objects.current().filter(programme=programme).count()
    assert 50 < total <= 75

    log_in(page, "coordinator-1")
    page.goto("/programmes/cities-grow/")
    cities = page.get_by_role("table", name="Cities, their scheme and their role")
    expect(cities.get_by_role("row")).to_have_count(26)  # a header and 25 cities
    expect(page.get_by_text(f"Cities 1 to 25 of {total}, by scheme and role.")).to_be_visible()
    pages = page.get_by_role("navigation", name="Pages")
    expect(pages).to_contain_text("Page 1 of 3")
    pages.get_by_role("link", name="Next").click()
    expect(page.get_by_text(f"Cities 26 to 50 of {total}")).to_be_visible()
    page.get_by_role("navigation", name="Pages").get_by_role("link", name="Next").click()
    expect(page.get_by_text(f"Cities 51 to {total} of {total}")).to_be_visible()
    expect(cities.get_by_role("row")).to_have_count(total - 50 + 1)

    # Scheme B and a part of a name: the cities that match, on one page.
    page.get_by_label("Scheme", exact=True).select_option("B")
    page.get_by_label("City", exact=True).fill("Newtown 1")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"scheme=B&q=Newtown\+1"))
    expect(cities.get_by_role("row")).to_have_count(11)  # Newtown 10 to 19
    expect(cities.get_by_role("rowheader", name="Newtown 13")).to_be_visible()
    expect(page.get_by_role("navigation", name="Pages")).to_have_count(0)
    page.get_by_role("link", name="Show every city").click()
    expect(cities.get_by_role("row")).to_have_count(26)
