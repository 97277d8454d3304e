"""The work plan's pages run the same number of queries for CITIES-GROW (16 cities) and for a
programme of 400 cities with 200 adopted plans: the records are counted per source for the
whole programme, and a deliverable's page lists them a page at a time."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from action_plans.choices import PlanStatus
from action_plans.models import ActionPlan, PlanTransition
from core.roles import Role
from programmes.models import City, Membership, Programme, SchemeMember
from programmes.services.loading import DATA_DIR, LoadReport
from tests.factories import account_for, build_programme
from workplan.loading import work_plan_load
from workplan.models import Deliverable

pytestmark = pytest.mark.django_db


def _adopt_every_implementing_city(programme):
    """Plans adopted for every implementing city (written directly: this measures reads)."""
    now = timezone.now()
    members = SchemeMember.objects.filter(programme=programme, role="implementing").select_related(
        "city"
    )
    plans = ActionPlan.objects.bulk_create(
        ActionPlan(
            programme=programme,
            city=m.city,
            title=f"Plan of {m.city.name}",
            status=PlanStatus.ADOPTED,
            adopted_at=now,
        )
        for m in members
    )
    PlanTransition.objects.bulk_create(
        PlanTransition(
            plan=plan,
            edition=1,
            transition="endorse",
            from_status=PlanStatus.APPROVED,
            to_status=PlanStatus.ADOPTED,
            decided_on=now.date(),
        )
        for plan in plans
    )
    return len(plans)


def _scaled_work_plan(programme):
    """CITIES-GROW's work plan, led by the scaled programme's coordinating partner."""
    import json

    section = json.loads((DATA_DIR / "cities-grow.json").read_text(encoding="utf-8"))["work_plan"]
    lead = programme.partners.get().organisation.slug
    for wp in section["work_packages"]:
        for item in [
            wp,
            *wp.get("tasks", []),
            *wp.get("deliverables", []),
            *wp.get("milestones", []),
        ]:
            item["lead"] = lead
            item.pop("theme", None)
    work_plan_load(LoadReport(), programme, section)


@pytest.fixture
def scaled():
    programme = build_programme(schemes=100, slug="scaled")
    assert City.objects.filter(scheme_memberships__programme=programme).count() == 400
    _scaled_work_plan(programme)
    assert _adopt_every_implementing_city(programme) == 200
    return programme


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def _pages(slug):
    plans = Deliverable.objects.get(
        work_package__programme__slug=slug, work_package__number=2, number=1
    )
    return {
        "plan": reverse("workplan:plan", args=[slug]),
        "plan_filtered": reverse("workplan:plan", args=[slug]) + "?overdue=1&wp=2",
        "deliverable": reverse("workplan:deliverable", args=[slug, plans.pk]),
        "deliverable_page_2": reverse("workplan:deliverable", args=[slug, plans.pk]) + "?page=2",
    }


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.CITY_OFFICER])
def test_work_plan_queries_do_not_grow_with_the_number_of_cities(role, client, user_of, scaled):
    small = Programme.objects.get(slug="cities-grow")
    _adopt_every_implementing_city(small)
    if role == Role.COORDINATOR:
        small_user = user_of("coordinator-1")
    else:
        small_user = user_of("athens-officer-1")
    big_user = account_for(Membership.objects.filter(programme=scaled, role=role).first().person)
    small_pages, big_pages = _pages("cities-grow"), _pages("scaled")
    for name in small_pages:
        if name == "deliverable_page_2":
            continue  # CITIES-GROW's 8 plans fit on one page
        client.force_login(small_user)
        few = _count(client, small_pages[name])
        client.force_login(big_user)
        many = _count(client, big_pages[name])
        assert few == many, f"{name} as {role}: {few} queries at 16 cities, {many} at 400"
        assert many <= 25, f"{name}: {many} queries"
    client.force_login(big_user)
    page = client.get(big_pages["deliverable_page_2"]).context["page"]
    assert page.records.number == 2 and len(page.record_lines) == 25
    assert page.standing.count == 200
