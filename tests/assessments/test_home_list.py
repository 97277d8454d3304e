"""The assessments tab at scale: the self-assessments one may open a page of 25 at a time, with
each status counted over all of them, filtered by theme, phase, status and city; the same
queries for 3 assessments as for 160; a city's grid keeps to the themes it has to do with."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Benchmark, SelfAssessment
from assessments.selectors import ASSESSMENTS_PER_PAGE, REVIEWS_SHOWN
from core.roles import Role
from programmes.models import Membership, SchemeMember
from tests.factories import account_for, build_programme
from tests.html_checks import accessibility_problems
from tests.page_queries import page_and_queries as _get

pytestmark = pytest.mark.django_db


def _listed(html):
    table = html.split('<h2 id="all">')[1].split("</table>")[0]
    return re.findall(r'<tr><th scope="row">', table)


def _assess(programme, members, status="submitted"):
    """A baseline self-assessment of each member city (written directly: this measures
    reads)."""
    now = timezone.now()
    benchmarks = {}
    for m in members:
        if m.scheme.theme_id not in benchmarks:
            benchmarks[m.scheme.theme_id] = Benchmark.objects.get_or_create(
                theme=m.scheme.theme,
                version=1,
                defaults={"status": "published", "title": "B", "published_at": now},
            )[0]
    SelfAssessment.objects.bulk_create(
        SelfAssessment(
            programme=programme,
            city=m.city,
            theme_id=m.scheme.theme_id,
            benchmark=benchmarks[m.scheme.theme_id],
            phase="baseline",
            status=status,
            submitted_at=now,
        )
        for m in members
    )


def test_the_list_is_paged_filtered_and_counts_every_assessment(client):
    programme = build_programme(schemes=40)
    members = list(
        SchemeMember.objects.filter(programme=programme)
        .select_related("city", "scheme__theme")
        .order_by("city__name")
    )
    coordinator = Membership.objects.filter(programme=programme, role=Role.COORDINATOR).first()
    client.force_login(account_for(coordinator.person))
    url = reverse("assessments:home", args=[programme.slug])
    _assess(programme, members[:3])
    _, few = _get(client, url)
    _assess(programme, members[3:120])
    _assess(programme, members[120:], status="accepted")

    html, many = _get(client, url)
    assert few == many, f"{few} queries for 3 assessments, {many} for 160"
    assert accessibility_problems(html) == []
    assert len(_listed(html)) == ASSESSMENTS_PER_PAGE
    assert "Self-assessments 1 to 25 of 160, by city." in html and "Page 1 of 7" in html
    # The counts are over every assessment, not the page's; the queue names the ones waiting
    # longest and counts them all.
    assert 'Submitted for review: <a href="?status=submitted#all">120</a>' in html
    assert 'Accepted: <a href="?status=accepted#all">40</a>' in html
    queue = html.split('<h2 id="queue">')[1].split("</section>")[0]
    assert queue.count("<li>") == REVIEWS_SHOWN
    assert "All 120 self-assessments waiting for review, in the list below" in queue

    last, on_last = _get(client, url, {"page": 7})
    assert on_last == many and len(_listed(last)) == 10
    theme, on_theme = _get(client, url, {"theme": "s7"})
    assert len(_listed(theme)) == 4 and on_theme == many + 1  # the filtered list's count
    accepted, _ = _get(client, url, {"status": "accepted", "phase": "baseline"})
    assert "Self-assessments 1 to 25 of 40" in accepted and len(_listed(accepted)) == 25
    city, _ = _get(client, url, {"q": members[0].city.name})
    assert len(_listed(city)) == 1 and "Show every self-assessment" in city
    assert "None matches." in _get(client, url, {"phase": "final"})[0]
    assert _get(client, url, {"phase": "x", "status": "y", "page": "z"})[0]


def test_a_city_s_grid_shows_the_themes_it_has_to_do_with(client_of):
    """Athens sees the rows of its scheme's theme, of the themes it wishes for and of those it
    assessed: not every theme of a programme that may have a hundred."""
    from assessments.models import ThemeWishes

    html = client_of("athens-officer-1").get(reverse("assessments:home", args=["cities-grow"]))
    grid = html.content.decode().split("Self-assessments of Athens")[1].split("</table>")[0]
    expected = {
        m.scheme.theme.code for m in SchemeMember.objects.current().filter(city__slug="athens")
    }
    expected |= set(
        SelfAssessment.objects.filter(city__slug="athens").values_list("theme__code", flat=True)
    )
    for wishes in ThemeWishes.objects.filter(city__slug="athens"):
        expected |= {t.code for t in wishes.mentor_themes.all()}
        expected |= {t.code for t in wishes.implement_themes.all()}
    assert "B" in expected
    assert set(re.findall(r'<tr><th scope="row">(\w+)\. ', grid)) == expected
