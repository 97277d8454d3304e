"""The list of plans at scale: a page of 25 with the count of each state over every plan,
filtered by state and by city or title, the same queries for 3 plans as for 60, and the plans
waiting for the viewer found on every page."""

import re
from itertools import cycle

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from action_plans.choices import PlanStatus
from action_plans.models import ActionPlan
from action_plans.selectors import PLANS_PER_PAGE, _visible, plans_waiting_for
from action_plans.workflow import DECISION_STEPS, steps_for
from core.roles import Role
from programmes.models import Membership, MentoringPair, Programme
from tests.factories import account_for, build_programme

pytestmark = pytest.mark.django_db


def _plans(programme, pairs, statuses):
    """A plan for each pair's implementing city, in these states (written directly: this
    measures reads)."""
    now = timezone.now()
    return ActionPlan.objects.bulk_create(
        ActionPlan(
            programme=programme,
            city=pair.implementing.city,
            pair=pair,
            title=f"Plan of {pair.implementing.city.name}",
            status=status,
            adopted_at=now if status == PlanStatus.ADOPTED else None,
        )
        for pair, status in zip(pairs, statuses, strict=False)
    )


def _get(client, url, params=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200, url
    return response.content.decode(), len(queries)


def test_the_list_is_paged_filtered_and_counts_every_plan(client):
    programme = build_programme(schemes=40)
    pairs = list(
        MentoringPair.objects.filter(scheme__programme=programme)
        .select_related("implementing__city")
        .order_by("implementing__city__name")
    )
    coordinator = Membership.objects.filter(programme=programme, role=Role.COORDINATOR).first()
    client.force_login(account_for(coordinator.person))
    url = reverse("action_plans:index", args=[programme.slug])

    _plans(programme, pairs[:3], [PlanStatus.IN_REVIEW] * 3)
    _, few = _get(client, url)
    statuses = cycle(PlanStatus.values)
    _plans(programme, pairs[3:60], [next(statuses) for _ in range(57)])
    html, many = _get(client, url)
    assert few == many, f"{few} queries for 3 plans, {many} for 60"
    assert "Plans 1 to 25 of 60, by city." in html and "Page 1 of 3" in html
    assert html.count('href="/programmes/scaled/plans/scaled-city-') >= PLANS_PER_PAGE
    # Each state's count is over every plan, not the page's.
    expected = {
        s: ActionPlan.objects.filter(programme=programme, status=s).count()
        for s in PlanStatus.values
    }
    for status, n in expected.items():
        label = PlanStatus(status).label
        assert re.search(rf">{re.escape(str(label))}</a></th><td>{n}</td>", html), label
    assert re.search(r"Total</th><td>60</td>", html)
    # Every plan in review waits for the coordinator, on whichever page it is listed.
    waiting = html.split("<h2>Waiting for you</h2>")[1].split("<h2")[0]
    in_review = ActionPlan.objects.filter(programme=programme, status=PlanStatus.IN_REVIEW)
    assert waiting.count("<li>") == in_review.count() > 3
    for plan in in_review:
        assert plan.title in waiting

    second, on_second = _get(client, url, {"page": 2})
    assert on_second == many and "Plans 26 to 50 of 60, by city." in second
    drafts, on_drafts = _get(client, url, {"status": "draft"})
    assert on_drafts == many
    assert drafts.count("<td>Draft</td>") == expected["draft"]
    found, _ = _get(client, url, {"q": pairs[10].implementing.city.name})
    assert pairs[10].implementing.city.name in found and "Page 1 of" not in found
    assert "No plan matches." in _get(client, url, {"q": "no such city"})[0]
    assert _get(client, url, {"status": "nonsense", "page": "x"})[0]


def test_the_plans_waiting_are_those_the_workflow_lets_each_person_decide():
    """The filter that spares reading the other plans keeps every plan that the workflow's
    predicates find waiting, for every person of the programme."""
    programme = Programme.objects.get(slug="cities-grow")
    pairs = list(
        MentoringPair.objects.current()
        .filter(scheme__programme=programme)
        .select_related("implementing__city")
    )
    statuses = cycle(
        [PlanStatus.IN_REVIEW, PlanStatus.SUBMITTED, PlanStatus.APPROVED, PlanStatus.DRAFT]
    )
    _plans(programme, pairs, [next(statuses) for _ in pairs])
    users = get_user_model().objects.filter(person__memberships__programme=programme).distinct()
    someone_waits = False
    for user in users:
        everything = [
            p
            for p in _visible(user, programme.pk).order_by("city__name", "pk")
            if any(step in DECISION_STEPS for step, _rule in steps_for(user, p))
        ]
        user = get_user_model().objects.get(pk=user.pk)  # a fresh viewer
        assert plans_waiting_for(user, programme) == everything, user.username
        someone_waits |= bool(everything)
    assert someone_waits
