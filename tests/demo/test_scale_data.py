"""The scale data set: a small one built through the command has the shape and the records the
benchmark relies on, every step made by the services; a second run is refused and changes
nothing; the same seed makes the same data."""

from collections import Counter

import pytest
from django.core.management import CommandError, call_command

from action_plans.choices import PlanStatus
from action_plans.models import ActionPlan
from assessments.models import SelfAssessment
from finance.choices import ClaimStatus
from finance.models import ExpenseClaim, Statement, Timesheet
from programmes.models import City, Membership, MentoringPair, MentoringScheme, Programme
from visits.choices import EventStatus
from visits.models import Event, VisitReport

pytestmark = pytest.mark.django_db

CITIES = 8


def _counts(slug: str) -> dict[str, int]:
    programme = {"programme__slug": slug}
    return {
        "cities": City.objects.filter(slug__startswith=f"{slug}-").count(),
        "schemes": MentoringScheme.objects.filter(**programme).count(),
        "pairs": MentoringPair.objects.filter(scheme__programme__slug=slug).count(),
        "memberships": Membership.objects.filter(**programme).count(),
        "assessments": SelfAssessment.objects.filter(**programme).count(),
        "events": Event.objects.filter(**programme).count(),
        "reports": VisitReport.objects.filter(event__programme__slug=slug).count(),
        "plans": ActionPlan.objects.filter(**programme).count(),
        "claims": ExpenseClaim.objects.filter(**programme).count(),
        "timesheets": Timesheet.objects.filter(**programme).count(),
        "statements": Statement.objects.filter(**programme).count(),
    }


def test_scale_data_builds_the_programme_through_the_services(capsys):
    call_command("load_scale_data", cities=CITIES, seed=3, slug="scale-test")

    counts = _counts("scale-test")
    schemes = CITIES // 4
    assert counts == {
        "cities": CITIES,
        "schemes": schemes,
        "pairs": 2 * schemes,
        # 4 per city, a facilitator per scheme, 2 coordinators, 2 finance officers, an auditor
        "memberships": 4 * CITIES + schemes + 5,
        # every city's baseline, and a mid-term one for the implementing cities of every
        # other scheme
        "assessments": CITIES + 2 * ((schemes + 1) // 2),
        # launch, conference, final meeting; two visits per pair; two events per scheme
        "events": 3 + 2 * 2 * schemes + 2 * schemes,
        "reports": 2 * schemes + 2 * (schemes // 2),
        "plans": 2 * schemes,
        "claims": CITIES,
        "timesheets": CITIES,
        "statements": 1,
    }
    programme = Programme.objects.get(slug="scale-test")
    claims = ExpenseClaim.objects.filter(programme=programme).values_list("status", flat=True)
    assert Counter(claims) == {
        ClaimStatus.SUBMITTED: 2,
        ClaimStatus.CHECKED: 2,
        ClaimStatus.APPROVED: 2,
        ClaimStatus.REIMBURSED: 2,
    }
    plans = set(ActionPlan.objects.filter(programme=programme).values_list("status", flat=True))
    assert {PlanStatus.DRAFT, PlanStatus.IN_REVIEW, PlanStatus.SUBMITTED} <= plans
    assert Event.objects.filter(programme=programme, status=EventStatus.REPORTED).exists()
    # Every person of the scale programme logs in (with the demo password).
    assert not Membership.objects.filter(programme=programme, person__user__isnull=True).exists()
    assert "Scale programme 'scale-test' created" in capsys.readouterr().out

    with pytest.raises(CommandError, match="exists already"):
        call_command("load_scale_data", cities=CITIES, seed=3, slug="scale-test")
    assert _counts("scale-test") == counts


def test_scale_data_is_the_same_for_the_same_seed():
    call_command("load_scale_data", cities=CITIES, seed=5, slug="scale-a")
    call_command("load_scale_data", cities=CITIES, seed=5, slug="scale-b")

    def shape(slug: str) -> list[tuple[str, ...]]:
        names = sorted(
            (c.slug.removeprefix(slug), c.name, c.country)
            for c in City.objects.filter(slug__startswith=f"{slug}-")
        )
        amounts = sorted(
            str(amount)
            for amount in ExpenseClaim.objects.filter(programme__slug=slug).values_list(
                "lines__amount", flat=True
            )
        )
        return [*names, tuple(amounts)]

    assert shape("scale-a") == shape("scale-b")


def test_scale_data_refuses_a_size_it_cannot_shape():
    with pytest.raises(CommandError, match="multiple of 4"):
        call_command("load_scale_data", cities=10)
