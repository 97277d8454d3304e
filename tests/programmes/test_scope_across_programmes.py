"""A role held in one programme never opens another programme's objects."""

import pytest
from django.urls import reverse

from core.roles import Role
from programmes.choices import PartnerRole, SchemeRole
from programmes.models import City, Membership, MentoringPair, Person, ProgrammePartner
from tests.factories import CityFactory, ProgrammeFactory, SchemeFactory, ThemeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_programme():
    """prog-b pairs Athens (mentor) with Lisbon (implementing)."""
    programme = ProgrammeFactory(slug="prog-b")
    scheme = SchemeFactory(theme=ThemeFactory(programme=programme, code="X"))
    athens = scheme.members.create(
        programme=programme, city=City.objects.get(slug="athens"), role=SchemeRole.MENTOR
    )
    lisbon = scheme.members.create(
        programme=programme, city=City.objects.get(slug="lisbon"), role=SchemeRole.IMPLEMENTING
    )
    MentoringPair.objects.create(scheme=scheme, mentor=athens, implementing=lisbon)
    return programme


def test_pair_in_another_programme_does_not_open_a_city_here(second_programme, client_of):
    client = client_of("athens-officer-1")  # a role in CITIES-GROW only
    lisbon = reverse("programmes:city", args=["cities-grow", "lisbon"])
    assert client.get(lisbon).status_code == 404
    people = client.get(reverse("programmes:people", args=["cities-grow"]), {"q": "lisbon"})
    assert "lisbon.demo.invalid" not in people.content.decode()
    # nor is the other programme itself open to them
    assert client.get(reverse("programmes:overview", args=["prog-b"])).status_code == 404


def test_coordinator_here_does_not_see_another_programmes_team(second_programme, client_of):
    coordinator = Person.objects.get(user__username__startswith="isabelle.vermeulen")
    Membership.objects.create(
        person=coordinator,
        role=Role.CITY_OFFICER,
        programme=second_programme,
        city=City.objects.get(slug="athens"),
    )
    client = client_of("coordinator-1")
    page = client.get(reverse("programmes:city", args=["prog-b", "lisbon"]))
    assert page.status_code == 200  # Athens' partner in prog-b: allowed as Athens officer there
    other = CityFactory(slug="porto", name="Porto")
    second_programme.schemes.get().members.create(
        programme=second_programme, city=other, role=SchemeRole.IMPLEMENTING
    )
    assert client.get(reverse("programmes:city", args=["prog-b", "porto"])).status_code == 404


def test_partner_city_not_yet_in_a_scheme_is_open_to_coordinators(client_of):
    from programmes.models import Programme

    city = CityFactory(slug="vienna", name="Vienna")
    ProgrammePartner.objects.create(
        programme=Programme.objects.get(slug="cities-grow"),
        organisation=city.organisation,
        role=PartnerRole.CITY,
    )
    url = reverse("programmes:city", args=["cities-grow", "vienna"])
    assert client_of("coordinator-1").get(url).status_code == 200
    assert client_of("athens-officer-1").get(url).status_code == 404
