"""Each page runs the same number of SQL queries for CITIES-GROW and for a programme ten times
its size (40 schemes, 160 cities, 80 pairs, 640 city people)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.roles import Role
from programmes.models import City, Membership
from tests.factories import account_for, build_programme

pytestmark = pytest.mark.django_db

PAGES = {
    "overview": lambda p, city: reverse("programmes:overview", args=[p]),
    "scheme": lambda p, city: reverse(
        "programmes:scheme", args=[p, city.scheme_memberships.get().scheme.theme.code]
    ),
    "city": lambda p, city: reverse("programmes:city", args=[p, city.slug]),
    "city_edit": lambda p, city: reverse("programmes:city_edit", args=[p, city.slug]),
    "people": lambda p, city: reverse("programmes:people", args=[p]),
    "people_page_2": lambda p, city: reverse("programmes:people", args=[p]) + "?page=2",
    "history": lambda p, city: reverse("programmes:history", args=[p, "city", city.pk]),
    "home": lambda p, city: reverse("portal:home"),
    "profile": lambda p, city: reverse("accounts:profile"),
}


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.fixture
def scaled():
    programme = build_programme(schemes=40, slug="scaled")
    assert City.objects.filter(scheme_memberships__programme=programme).count() == 160
    return programme


# City officers have no history tab (it is a 404 for them), so that pair is not measured.
CASES = [
    (page, role)
    for page in PAGES
    for role in (Role.COORDINATOR, Role.CITY_OFFICER)
    if not (page == "history" and role == Role.CITY_OFFICER)
]


@pytest.mark.parametrize(("page", "role"), CASES)
def test_page_queries_do_not_grow_with_programme_size(page, role, client, user_of, scaled):
    if role == Role.COORDINATOR:
        small_user, small_city = user_of("coordinator-1"), City.objects.get(slug="athens")
        big_person = Membership.objects.filter(programme=scaled, role=role).first().person
        big_city = City.objects.filter(
            scheme_memberships__programme=scaled, scheme_memberships__role="implementing"
        ).first()
    else:
        small_user, small_city = user_of("athens-officer-1"), City.objects.get(slug="athens")
        membership = Membership.objects.filter(
            programme=scaled, role=role, city__scheme_memberships__role="implementing"
        ).first()
        big_person, big_city = membership.person, membership.city
    big_user = account_for(big_person)

    client.force_login(small_user)
    small = _count(client, PAGES[page]("cities-grow", small_city))
    client.force_login(big_user)
    big = _count(client, PAGES[page]("scaled", big_city))
    assert small == big, f"{page} as {role}: {small} queries for CITIES-GROW, {big} at 10x"
    assert big <= 20, f"{page}: {big} queries"
