"""Assessment pages run the same number of SQL queries for CITIES-GROW and for a programme ten
times its size (160 cities, each with an accepted baseline self-assessment)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.roles import Role
from programmes.models import City, Membership
from tests.assessments.builders import assess_every_member, publish_benchmarks
from tests.factories import account_for, build_programme

pytestmark = pytest.mark.django_db


def _theme(city, programme):
    return city.scheme_memberships.get(programme__slug=programme).scheme.theme.code


PAGES = {
    "home": lambda p, city: reverse("assessments:home", args=[p]),
    "benchmark": lambda p, city: reverse("assessments:benchmark", args=[p, _theme(city, p)]),
    "assessment": lambda p, city: reverse(
        "assessments:assessment", args=[p, city.slug, _theme(city, p), "baseline"]
    ),
    "city_gaps": lambda p, city: reverse("assessments:city_gaps", args=[p, city.slug]),
    "theme_gaps": lambda p, city: reverse("assessments:theme_gaps", args=[p, _theme(city, p)]),
    "wishes": lambda p, city: reverse("assessments:wishes", args=[p, city.slug]),
}


def _count(client, url):
    client.get(url)  # warm per-process caches (content types, translations)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.fixture
def scaled():
    programme = build_programme(schemes=40, slug="scaled")
    publish_benchmarks(programme)
    assess_every_member(programme)
    return programme


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.CITY_OFFICER])
@pytest.mark.parametrize("page", PAGES)
def test_assessment_page_queries_do_not_grow_with_programme_size(
    page, role, client, user_of, scaled
):
    small_city = City.objects.get(slug="athens")
    if role == Role.COORDINATOR:
        small_user = user_of("coordinator-1")
        big_person = Membership.objects.filter(programme=scaled, role=role).first().person
        big_city = City.objects.filter(
            scheme_memberships__programme=scaled, scheme_memberships__role="implementing"
        ).first()
    else:
        small_user = user_of("athens-officer-1")
        membership = Membership.objects.filter(
            programme=scaled, role=role, city__scheme_memberships__role="implementing"
        ).first()
        big_person, big_city = membership.person, membership.city
    client.force_login(small_user)
    small = _count(client, PAGES[page]("cities-grow", small_city))
    client.force_login(account_for(big_person))
    big = _count(client, PAGES[page]("scaled", big_city))
    assert small == big, f"{page} as {role}: {small} queries for CITIES-GROW, {big} at 10x"
    assert big <= 25, f"{page}: {big} queries"


def _draft_with_evidence(user, city, theme):
    """A started mid-term draft with one evidence file on every key factor."""
    from django.core.files.base import ContentFile

    from assessments.models import Attachment
    from assessments.services import self_assessment_start

    assessment = self_assessment_start(
        actor=user, programme=theme.programme, city=city, theme=theme, phase="mid_term"
    )
    for rating in assessment.ratings.all():
        attachment = Attachment(rating=rating, name="note.pdf", size=4, uploaded_by=user)
        attachment.file.save("note.pdf", ContentFile(b"%PDF"), save=False)
        attachment.save()
    return assessment


def test_editable_assessment_form_queries_do_not_grow(client, user_of, scaled):
    small_user, small_city = user_of("athens-officer-1"), City.objects.get(slug="athens")
    membership = Membership.objects.filter(
        programme=scaled, role=Role.CITY_OFFICER, city__scheme_memberships__role="implementing"
    ).first()
    big_user, big_city = account_for(membership.person), membership.city
    counts = []
    for user, city, slug in (
        (small_user, small_city, "cities-grow"),
        (big_user, big_city, "scaled"),
    ):
        theme = city.scheme_memberships.get(programme__slug=slug).scheme.theme
        _draft_with_evidence(user, city, theme)
        client.force_login(user)
        url = reverse("assessments:assessment", args=[slug, city.slug, theme.code, "mid_term"])
        counts.append(_count(client, url))
    assert counts[0] == counts[1], f"{counts[0]} queries for CITIES-GROW, {counts[1]} at 10x"
    assert counts[1] <= 25
