"""Recommendations for a city's gaps, and transfer provenance (an action cites a practice)."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse

from action_plans.models import PlanAction
from action_plans.services.actions import citable_practices, plan_action_save
from core.errors import DomainError
from knowledge.models import GoodPractice
from knowledge.selectors import recommendations_for_city
from tests.action_plans.builders import action_input, adopt, athens_plan

pytestmark = pytest.mark.django_db


def test_recommendations_address_the_weakest_highest_priority_factors_with_reasons(user_of):
    found = recommendations_for_city(user_of("coordinator-1"), "cities-grow", "riga")
    assert found.gaps and all(line.need > 0 for line in found.gaps)
    needs = [line.need for line in found.gaps]
    assert needs == sorted(needs, reverse=True)
    codes = {line.code for line in found.gaps}
    assert found.recommendations
    for recommendation in found.recommendations:
        factors = set(recommendation.practice.key_factors.values_list("code", flat=True))
        assert recommendation.key_factor_code in factors & codes
        assert recommendation.key_factor_code.upper() in recommendation.reason
        assert recommendation.practice.city_id != found.city.pk  # not its own practices
    # Practices of cities strong on a factor come before the others for that factor.
    for code in codes:
        flags = [r.from_strong_city for r in found.recommendations if r.key_factor_code == code]
        assert flags == sorted(flags, reverse=True)
    strong = [r for r in found.recommendations if r.from_strong_city]
    assert strong and "rates itself" in strong[0].reason


def test_an_officer_sees_reasons_only_from_assessments_they_may_read(user_of):
    coordinator = recommendations_for_city(user_of("coordinator-1"), "cities-grow", "gdansk")
    officer = recommendations_for_city(user_of("gdansk-officer-1"), "cities-grow", "gdansk")
    strong_for_coordinator = {
        r.practice.city_name for r in coordinator.recommendations if r.from_strong_city
    }
    strong_for_officer = {
        r.practice.city_name for r in officer.recommendations if r.from_strong_city
    }
    # Gdansk's officers read their own and their mentor Rotterdam's assessments, no others'.
    assert strong_for_officer <= {"Rotterdam"}
    assert strong_for_officer < strong_for_coordinator


def test_the_recommendations_page(client_of, client):
    url = reverse("knowledge:recommendations", args=["cities-grow", "riga"])
    html = client_of("riga-officer-1").get(url).content.decode()
    assert "Why:" in html and "rates itself" in html
    assert client_of("athens-officer-1").get(url).status_code == 404
    assert Client().get(url).status_code == 302


def test_an_action_cites_the_practice_it_adapts_and_the_practice_shows_its_uptake(user_of, client):
    officer = user_of("athens-officer-1")
    plan = athens_plan(user_of)
    choices = citable_practices(plan)
    munich = [p for p in choices if p.city and p.city.slug == "munich"]
    assert choices and (not munich or choices[0].city.slug == "munich")  # the mentor's first
    practice = GoodPractice.objects.get(reference="berlin-apprenticeship-alliance-young-migrants")
    assert practice in choices
    action = plan.actions.first()
    plan_action_save(
        actor=officer,
        plan=plan,
        action=action,
        expected_revision=action.revision,
        data=action_input(adapts_practice=practice.reference),
    )
    assert PlanAction.objects.get(pk=action.pk).adapts_practice == practice
    with pytest.raises(DomainError) as refused:
        plan_action_save(
            actor=officer,
            plan=plan,
            action=None,
            expected_revision=None,
            data=action_input(adapts_practice="no-such-practice"),
        )
    assert "adapts_practice" in refused.value.field_errors
    # The practice page shows where it was taken up: not while the plan is a draft...
    url = reverse("knowledge:practice", args=[practice.reference])
    assert "Athens" not in client.get(url).content.decode().split("Taken up by", 1)[1]
    # ...and once the plan is adopted and published.
    plan = adopt(user_of, plan)
    plan.published = True
    plan.save(update_fields=["published"])
    uptake = client.get(url).content.decode().split("Taken up by", 1)[1]
    assert "Athens" in uptake and "Open a youth desk" in uptake
    assert plan.versions.filter(adopted=True).first().content["actions"][0]["adapts_practice"]


def test_the_cited_practice_of_an_adopted_plan_is_frozen(user_of):
    plan = athens_plan(user_of)
    plan = adopt(user_of, plan)
    other = GoodPractice.objects.get(reference="ghent-kitchen-incubator")
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE action_plans_planaction SET adapts_practice_id = %s WHERE plan_id = %s",
            [other.pk, plan.pk],
        )
    assert not plan.actions.filter(adapts_practice__isnull=False).exists()


def test_the_recommendations_page_runs_a_bounded_number_of_queries(client_of, user_of):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from knowledge.services.practices import practice_create
    from knowledge.workflow import PracticeStep, practice_step
    from tests.knowledge.builders import practice_input

    client = client_of("riga-officer-1")
    url = reverse("knowledge:recommendations", args=["cities-grow", "riga"])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    before = count()
    editor = user_of("coordinator-1")
    for n in range(4):  # more practices on Riga's gaps (a2, c1, c4)
        practice = practice_create(
            actor=editor,
            data=practice_input(
                reference=f"gap-{n}",
                city_name=f"Town {n}",
                country="AT",
                themes=("cities-grow-a", "cities-grow-c"),
                key_factors=("a2", "c1", "c4"),
            ),
        )
        practice_step(actor=editor, practice=practice, step=PracticeStep.PUBLISH)
    assert count() == before
