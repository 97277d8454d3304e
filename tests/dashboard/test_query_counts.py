"""The dashboard runs the same number of SQL queries for a programme of 16 cities and for one of
400 (100 schemes, 200 pairs), every city with the same records: self-assessments, visits, a plan
for each implementing city, signed hours, a waiting claim and a co-financing share."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from action_plans.models import ActionPlan
from assessments.models import Benchmark, SelfAssessment
from core.roles import Role
from finance.models import ExpenseClaim, TimeEntry, Timesheet
from programmes.choices import PartnerRole
from programmes.models import City, Membership, MentoringPair, ProgrammePartner, SchemeMember
from tests.factories import account_for, build_programme
from visits.models import Event

pytestmark = pytest.mark.django_db


def _seed(programme):
    """The same records for every city (written directly: this measures reads)."""
    now = timezone.now()
    members = list(SchemeMember.objects.filter(programme=programme).select_related("city"))
    ProgrammePartner.objects.bulk_create(
        ProgrammePartner(
            programme=programme, organisation_id=m.city.organisation_id, role=PartnerRole.CITY
        )
        for m in members
    )
    benchmarks = {
        b.theme_id: b
        for b in Benchmark.objects.bulk_create(
            Benchmark(
                theme=m.scheme.theme, version=1, status="published", title="B", published_at=now
            )
            for m in members
            if m.role == "mentor" and m.city.slug.endswith("-0")
        )
    }
    SelfAssessment.objects.bulk_create(
        SelfAssessment(
            programme=programme,
            city=m.city,
            theme_id=m.scheme.theme_id,
            benchmark=benchmarks[m.scheme.theme_id],
            phase="baseline",
            status="submitted",
            submitted_at=now,
        )
        for m in members
    )
    pairs = list(MentoringPair.objects.filter(scheme__programme=programme).select_related("mentor"))
    start = datetime.datetime(2017, 5, 2, 9, tzinfo=datetime.UTC)
    Event.objects.bulk_create(
        Event(
            programme=programme,
            format=fmt,
            title="Visit",
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=8),
            pair=pair,
            scheme_id=pair.scheme_id,
            host_city_id=pair.mentor.city_id,
            status=status,
        )
        for pair in pairs
        for fmt, status in (("study_visit", "held"), ("mentoring_visit", "planned"))
    )
    ActionPlan.objects.bulk_create(
        ActionPlan(programme=programme, city=m.city, title="Plan", pair=None)
        for m in members
        if m.role == "implementing"
    )
    officers = list(Membership.objects.filter(programme=programme, role=Role.CITY_OFFICER))
    sheets = Timesheet.objects.bulk_create(
        Timesheet(
            person_id=o.person_id,
            programme=programme,
            month=datetime.date(2017, 5, 1),
        )
        for o in officers
    )
    TimeEntry.objects.bulk_create(
        TimeEntry(timesheet=s, day=datetime.date(2017, 5, 2), activity="visit", hours=Decimal("6"))
        for s in sheets
    )
    Timesheet.objects.filter(pk__in=[s.pk for s in sheets]).update(status="signed", signed_at=now)
    ExpenseClaim.objects.bulk_create(
        ExpenseClaim(
            programme=programme,
            traveller_id=o.person_id,
            purpose="Visit",
            status="submitted",
            submitted_at=now,
        )
        for o in officers
    )


@pytest.fixture
def programmes():
    small, big = build_programme(schemes=4, slug="small"), build_programme(schemes=100, slug="big")
    assert City.objects.filter(scheme_memberships__programme=small).count() == 16
    assert City.objects.filter(scheme_memberships__programme=big).count() == 400
    _seed(small)
    _seed(big)
    return small, big


def _user(programme, role):
    """The first person of the programme with this role, with an account."""
    membership = (
        Membership.objects.filter(programme=programme, role=role)
        .order_by("pk")
        .select_related("person")
        .first()
    )
    person = membership.person
    return person.user if person.user_id else account_for(person)


def _count(client, user, programme, query=""):
    client.force_login(user)
    url = reverse("dashboard:programme", args=[programme.slug]) + query
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries), response


CASES = [
    (Role.COORDINATOR, ""),
    (Role.COORDINATOR, "?page=2"),
    (Role.COORDINATOR, "?q=city&scheme=S1"),
    (Role.FINANCE_OFFICER, ""),
    (Role.AUDITOR, ""),
    (Role.FACILITATOR, ""),
    (Role.CITY_OFFICER, ""),
    (Role.CITY_APPROVER, ""),
]


def test_dashboard_queries_do_not_grow_with_the_number_of_cities(client, programmes):
    """One test for every role (building 400 cities takes a while): the counts are printed."""
    small, big = programmes
    counts = {}
    for role, query in CASES:
        small_count, _page = _count(client, _user(small, role), small, query)
        big_count, big_page = _count(client, _user(big, role), big, query)
        counts[(role, query)] = (small_count, big_count)
        if role == Role.COORDINATOR and not query:
            # The figures are there: 400 cities, 25 on a page; 200 pairs with a held visit each.
            board = big_page.context["board"]
            assert board.page.paginator.count == 400 and len(board.rows) == 25
            # The schemes of the page's cities are summed up, each over all of its cities.
            assert board.scheme_count == 100
            assert {s.scheme.pk for s in board.summaries} == {m.scheme_id for m in board.page}
            assert 1 < len(board.summaries) < 100
            for summary in board.summaries:
                assert (summary.cities, summary.pairs) == (4, 2)
                assert summary.held == summary.planned == 2
                assert summary.assessed["baseline"] == 4
            html = big_page.content.decode()
            assert f"this page: {len(board.summaries)} of 100." in html
            assert board.claims.total == 800
            assert all(r.days_used == Decimal("0.75") * 2 for r in board.rows)
    print("queries at 16 and 400 cities:", counts)
    grown = {case: n for case, n in counts.items() if n[0] != n[1]}
    assert not grown, f"queries grew with the number of cities: {grown}"
    assert max(big for _small, big in counts.values()) <= 50, counts
