"""The dashboard's figures on the living demo (month 18), checked against the records: each
expected value is computed here from the models (or by the app's own page for a city's days), not
through the dashboard's selectors. The page shows them, linked to lists that open for the viewer,
and each role sees its own part."""

import re
from collections import Counter
from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from action_plans.models import ActionPlan
from assessments.choices import AssessmentStatus, Phase
from assessments.models import SelfAssessment
from dashboard.selectors import dashboard_for
from finance.choices import ClaimStatus
from finance.models import ExpenseClaim
from finance.selectors import city_workload, co_financing
from programmes.models import City, MentoringPair, Programme, SchemeMember
from tests.conftest import email_of
from tests.html_checks import accessibility_problems
from visits.choices import PAIR_FORMATS
from visits.models import Event
from workplan.models import Deliverable
from workplan.months import month_end

SLUG = "cities-grow"


@pytest.fixture
def user(living_demo, django_user_model):
    def get(key: str):
        return django_user_model.objects.get(username=email_of(key))

    return get


@pytest.fixture
def page_of(living_demo, client, django_user_model):
    def get(key: str, query: str = ""):
        client.force_login(django_user_model.objects.get(username=email_of(key)))
        response = client.get(reverse("dashboard:programme", args=[SLUG]) + query)
        assert response.status_code == 200
        return response

    return get


def _programme():
    return Programme.objects.get(slug=SLUG)


def _all_rows(key, user):
    """Every city row of the dashboard, page after page."""
    from dashboard.selectors import Filters

    board = dashboard_for(user(key), SLUG)
    rows = list(board.rows)
    while board.page.has_next():
        board = dashboard_for(user(key), SLUG, Filters(page=str(board.page.next_page_number())))
        rows += board.rows
    return board, rows


def test_coordinator_sees_every_city_of_the_four_schemes(user):
    board, rows = _all_rows("coordinator-1", user)
    programme = _programme()
    members = SchemeMember.objects.current().filter(programme=programme)
    assert {r.member.city_id for r in rows} == set(members.values_list("city_id", flat=True))
    assert len(rows) == 16
    assert sorted(s.scheme.theme.code for s in board.summaries) == ["A", "B", "C", "D"]
    assert sum(s.cities for s in board.summaries) == 16


def test_needs_analysis_counts_the_assessments_the_coordinator_may_open(user):
    """Drafts are their city's alone: the coordinator's figures count the submitted, returned
    and accepted self-assessments, per city and phase."""
    board, rows = _all_rows("coordinator-1", user)
    expected = Counter(
        (a.city_id, a.phase, str(AssessmentStatus(a.status).label))
        for a in SelfAssessment.objects.filter(programme=_programme()).exclude(
            status=AssessmentStatus.DRAFT
        )
    )
    shown = Counter()
    for row in rows:
        for phase, cell in zip(Phase, row.phases, strict=True):
            for label, n in cell.by_status:
                shown[(row.member.city_id, phase.value, label)] += n
    assert shown == expected
    assert sum(expected.values()) > 0
    # Per scheme: the cities with a submitted or accepted baseline.
    for summary in board.summaries:
        settled_cities = {
            a.city_id
            for a in SelfAssessment.objects.filter(
                programme=_programme(),
                phase=Phase.BASELINE,
                status__in=(AssessmentStatus.SUBMITTED, AssessmentStatus.ACCEPTED),
                city__scheme_memberships__scheme=summary.scheme,
                city__scheme_memberships__ended_on__isnull=True,
            )
        }
        assert summary.assessed.get(Phase.BASELINE, 0) == len(settled_cities)


def test_pairs_and_visits_match_the_calendar(user):
    board, _rows = _all_rows("coordinator-1", user)
    pairs = MentoringPair.objects.current().filter(scheme__programme=_programme())
    assert sum(s.pairs for s in board.summaries) == pairs.count() == 8
    for summary in board.summaries:
        visits = Event.objects.filter(pair__in=pairs, pair__scheme=summary.scheme).filter(
            format__in=PAIR_FORMATS
        )
        assert summary.planned == visits.filter(status__in=("planned", "confirmed")).count()
        assert summary.held == visits.filter(status="held").count()
        assert summary.reported == visits.filter(status="reported").count()
    total_held = sum(s.held + s.reported for s in board.summaries)
    assert total_held > 0
    # Per pair: its own visits, and a link to its timeline.
    assert {row.pair.pk for row in board.pairs} == set(pairs.values_list("pk", flat=True))
    for row in board.pairs:
        visits = Event.objects.filter(pair=row.pair, format__in=PAIR_FORMATS)
        assert row.planned == visits.filter(status__in=("planned", "confirmed")).count()
        assert row.held == visits.filter(status="held").count()
        assert row.reported == visits.filter(status="reported").count()
        assert row.url == reverse("visits:pair", args=[SLUG, row.pair.pk])


def test_plans_by_state_match_the_plans(user):
    board, rows = _all_rows("coordinator-1", user)
    expected = Counter(
        ActionPlan.objects.filter(programme=_programme()).values_list("status", flat=True)
    )
    assert {
        value: figure.value for value, _label, figure in board.plans_by_state if figure.value
    } == dict(expected)
    assert expected["adopted"] == 2  # Athens and Riga
    assert sum(s.adopted for s in board.summaries) == 2
    shown = {r.member.city.slug: r.plan_status for r in rows if r.plan_status}
    assert shown == dict(
        ActionPlan.objects.filter(programme=_programme()).values_list("city__slug", "status")
    )


def test_officer_days_and_co_financing_match_the_finance_pages(user):
    programme = _programme()
    _board, rows = _all_rows("coordinator-1", user)
    money = {r.city.pk: r for r in co_financing(programme).rows}
    used_somewhere = False
    for row in rows:
        workload = city_workload(programme, row.member.city)
        assert row.days_used == workload.used_days, row.member.city.name
        assert row.days_left == workload.left_days
        assert row.allocation == 30
        used_somewhere |= workload.used_days > 0
        if row.member.city_id in money:
            assert row.money.staff_cost_eur == money[row.member.city_id].staff_cost_eur
            assert row.money.share_eur == money[row.member.city_id].share_eur
    assert used_somewhere


def test_claims_waiting_match_the_claims(user):
    board = dashboard_for(user("finance-1"), SLUG)
    expected = Counter(
        ExpenseClaim.objects.filter(
            programme=_programme(),
            status__in=(ClaimStatus.SUBMITTED, ClaimStatus.CHECKED, ClaimStatus.APPROVED),
        ).values_list("status", flat=True)
    )
    shown = {label: n for label, n, _eur in board.claims.by_status if n}
    assert shown == {str(ClaimStatus(s).label): n for s, n in expected.items()}
    assert board.claims.total == 2
    assert board.claims.url == reverse("finance:inbox", args=[SLUG])


def test_deliverables_due_in_the_next_90_days(user):
    programme = _programme()
    today = timezone.localdate()
    board = dashboard_for(user("coordinator-1"), SLUG, today=today)
    expected = {
        d.pk
        for d in Deliverable.objects.filter(work_package__programme=programme)
        if today <= month_end(programme.start_date, d.due_month) <= today + timedelta(days=90)
    }
    assert {row.deliverable.pk for row in board.due} == expected
    # On the demo's month 18 (a fixed day), the interim report's month is past and the next
    # months' deliverables are due.
    day = month_end(programme.start_date, 18)
    board = dashboard_for(user("coordinator-1"), SLUG, today=day)
    expected = {
        d.pk
        for d in Deliverable.objects.filter(work_package__programme=programme)
        if day <= month_end(programme.start_date, d.due_month) <= day + timedelta(days=90)
    }
    assert {row.deliverable.pk for row in board.due} == expected


def _links(html):
    return set(re.findall(r'href="(/programmes/[^"#]*)"', unescape(html)))


@pytest.mark.parametrize(
    "key",
    [
        "coordinator-1",
        "auditor-1",
        "finance-1",
        "facilitator-b",
        "athens-officer-1",
        "athens-approver-admin",
    ],
)
def test_every_link_of_the_dashboard_opens_for_its_viewer(key, page_of, client):
    response = page_of(key)
    html = response.content.decode()
    assert accessibility_problems(html) == []
    links = _links(html)
    assert links
    for url in sorted(links):
        assert client.get(url).status_code == 200, url


def test_the_page_shows_the_figures(page_of):
    html = unescape(page_of("coordinator-1").content.decode())
    plans_url = reverse("action_plans:index", args=[SLUG])
    assert re.search(rf'<th scope="row">Adopted</th>\s*<td><a href="{plans_url}">2</a>', html)
    athens = City.objects.get(slug="athens")
    assert reverse("action_plans:plan", args=[SLUG, athens.slug]) in html
    assert reverse("finance:city", args=[SLUG, athens.slug]) in html


def test_athens_officer_sees_athens_only(user, page_of):
    board, rows = _all_rows("athens-officer-1", user)
    assert [r.member.city.slug for r in rows] == ["athens"]
    assert [s.scheme.theme.code for s in board.summaries] == ["B"]
    assert all(
        "athens" in (p.pair.mentor.city.slug, p.pair.implementing.city.slug) for p in board.pairs
    )
    # Athens' own drafts count for Athens (as on its assessments tab).
    own = SelfAssessment.objects.filter(programme=_programme(), city__slug="athens").count()
    assert sum(cell.total for cell in rows[0].phases) == own
    html = page_of("athens-officer-1").content.decode()
    assert "Munich" in html  # Athens' mentor, in its pair's row
    assert "Riga" not in html and "Rotterdam" not in html
    assert "Co-financing reached" not in html  # euros: the city's finance contact's


def test_facilitator_sees_their_scheme_only(user):
    board, rows = _all_rows("facilitator-b", user)
    assert [s.scheme.theme.code for s in board.summaries] == ["B"]
    scheme_b = SchemeMember.objects.current().filter(
        programme=_programme(), scheme__theme__code="B"
    )
    assert {r.member.city_id for r in rows} == set(scheme_b.values_list("city_id", flat=True))
    assert not board.sees_days and not board.sees_money  # finance is not theirs


def test_auditor_reads_everything_and_changes_nothing(user, page_of):
    _board, rows = _all_rows("auditor-1", user)
    assert len(rows) == 16
    html = page_of("auditor-1").content.decode()
    main = re.search(r"<main.*</main>", html, re.S).group(0)
    assert "<form" in main  # the filters, sent by GET
    assert 'method="post"' not in main.lower()
    assert "/edit/" not in main and "/new/" not in main


def test_filters_by_scheme_and_city(user, page_of):
    from dashboard.selectors import Filters

    board = dashboard_for(user("coordinator-1"), SLUG, Filters(scheme="b"))
    assert {r.member.scheme.theme.code for r in board.rows} == {"B"}
    assert [s.scheme.theme.code for s in board.summaries] == ["B"]
    board = dashboard_for(user("coordinator-1"), SLUG, Filters(search="ath"))
    assert [r.member.city.slug for r in board.rows] == ["athens"]
    html = page_of("coordinator-1", "?scheme=B&q=ath").content.decode()
    assert accessibility_problems(html) == []


def test_outsiders_get_404_and_anonymous_visitors_log_in(living_demo, client, django_user_model):
    url = reverse("dashboard:programme", args=[SLUG])
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    outsider = django_user_model.objects.create_user("nobody@test.invalid", "nobody@test.invalid")
    client.force_login(outsider)
    assert client.get(url).status_code == 404


def test_the_page_lists_the_deliverables_due_and_links_them(page_of, monkeypatch):
    """On 15 January 2018 (month 13) the interim report (D5.1, due in month 14) is due within
    90 days: the page lists it with its due day and links its page."""
    from datetime import date

    from dashboard import selectors

    monkeypatch.setattr(selectors, "_today", lambda: date(2018, 1, 15))
    interim = Deliverable.objects.get(
        work_package__programme__slug=SLUG, work_package__number=5, number=1
    )
    html = unescape(page_of("coordinator-1").content.decode())
    link = reverse("workplan:deliverable", args=[SLUG, interim.pk])
    assert re.search(rf'<a href="{link}">D5\.1 [^<]*</a>', html)
    assert "28 February 2018" in html
    assert "Due by 15 April 2018." in html
