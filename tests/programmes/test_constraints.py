"""The database itself rejects invalid programme structures (run on SQLite and PostgreSQL)."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from core.errors import DomainError
from core.roles import Role
from programmes.choices import SchemeRole
from programmes.models import Membership, MentoringPair, Programme, SchemeMember
from programmes.services import pair_create, scheme_member_add
from tests.factories import (
    CityFactory,
    PersonFactory,
    ProgrammeFactory,
    SchemeFactory,
    SchemeMemberFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(user_of):
    """A platform admin, who passes every rule (coordinators are checked below)."""
    return user_of("platform-admin")


@pytest.fixture
def two_schemes():
    programme = ProgrammeFactory()
    scheme_a = SchemeFactory(theme=ThemeFactory(programme=programme, code="A"))
    scheme_b = SchemeFactory(theme=ThemeFactory(programme=programme, code="B"))
    return programme, scheme_a, scheme_b


def _rejected(message_part, create):
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        create()
    assert message_part in str(error.value)


def test_pair_of_cities_in_different_schemes_is_rejected(two_schemes, admin):
    _, scheme_a, scheme_b = two_schemes
    mentor = SchemeMemberFactory(scheme=scheme_a, role=SchemeRole.MENTOR)
    implementing = SchemeMemberFactory(scheme=scheme_b, role=SchemeRole.IMPLEMENTING)
    _rejected(
        "pair_implementing_is_implementing",
        lambda: MentoringPair.objects.create(
            scheme=scheme_a, mentor=mentor, implementing=implementing
        ),
    )
    with pytest.raises(
        DomainError, match="implementing city must be an implementing city in the same scheme"
    ):
        pair_create(actor=admin, scheme=scheme_a, mentor=mentor, implementing=implementing)


def test_pair_of_two_mentors_is_rejected(two_schemes):
    _, scheme_a, _ = two_schemes
    first = SchemeMemberFactory(scheme=scheme_a, role=SchemeRole.MENTOR)
    second = SchemeMemberFactory(scheme=scheme_a, role=SchemeRole.MENTOR)
    _rejected(
        "pair_implementing_is_implementing",
        lambda: MentoringPair.objects.create(scheme=scheme_a, mentor=first, implementing=second),
    )


def test_pair_of_two_implementing_cities_is_rejected(two_schemes, admin):
    _, scheme_a, _ = two_schemes
    first = SchemeMemberFactory(scheme=scheme_a, role=SchemeRole.IMPLEMENTING)
    second = SchemeMemberFactory(scheme=scheme_a, role=SchemeRole.IMPLEMENTING)
    _rejected(
        "pair_mentor_is_mentor",
        lambda: MentoringPair.objects.create(scheme=scheme_a, mentor=first, implementing=second),
    )
    with pytest.raises(DomainError, match="mentor city must be a mentor"):
        pair_create(actor=admin, scheme=scheme_a, mentor=first, implementing=second)


def test_valid_pair_is_accepted(two_schemes, admin):
    _, scheme_a, _ = two_schemes
    mentor = SchemeMemberFactory(scheme=scheme_a, role=SchemeRole.MENTOR)
    implementing = SchemeMemberFactory(scheme=scheme_a, role=SchemeRole.IMPLEMENTING)
    pair = pair_create(actor=admin, scheme=scheme_a, mentor=mentor, implementing=implementing)
    assert pair.pk and pair.history.count() == 1


def test_implementing_city_has_one_mentor_only(two_schemes, admin):
    _, scheme_a, _ = two_schemes
    mentors = [SchemeMemberFactory(scheme=scheme_a, role=SchemeRole.MENTOR) for _ in range(2)]
    implementing = SchemeMemberFactory(scheme=scheme_a, role=SchemeRole.IMPLEMENTING)
    pair_create(actor=admin, scheme=scheme_a, mentor=mentors[0], implementing=implementing)
    with pytest.raises(DomainError, match="already has a mentor"):
        pair_create(actor=admin, scheme=scheme_a, mentor=mentors[1], implementing=implementing)


def test_city_in_two_schemes_of_one_programme_is_rejected(two_schemes, admin):
    _, scheme_a, scheme_b = two_schemes
    city = CityFactory()
    SchemeMemberFactory(scheme=scheme_a, city=city)
    _rejected(
        "city_id",
        lambda: SchemeMember.objects.create(
            programme=scheme_b.programme, scheme=scheme_b, city=city, role=SchemeRole.MENTOR
        ),
    )
    with pytest.raises(DomainError, match="already in a scheme of this programme"):
        scheme_member_add(actor=admin, scheme=scheme_b, city=city, role=SchemeRole.MENTOR)


def test_city_may_take_part_in_two_programmes(admin):
    city = CityFactory()
    for _ in range(2):
        scheme_member_add(actor=admin, scheme=SchemeFactory(), city=city, role=SchemeRole.MENTOR)
    assert SchemeMember.objects.filter(city=city).count() == 2


def test_member_cannot_carry_another_programme(two_schemes):
    _, scheme_a, _ = two_schemes
    other = ProgrammeFactory()
    _rejected(
        "member_programme_of_scheme",
        lambda: SchemeMember.objects.create(
            programme=other, scheme=scheme_a, city=CityFactory(), role=SchemeRole.MENTOR
        ),
    )


def test_city_in_a_pair_cannot_change_role(two_schemes):
    _, scheme_a, _ = two_schemes
    mentor = SchemeMemberFactory(scheme=scheme_a, role=SchemeRole.MENTOR)
    implementing = SchemeMemberFactory(scheme=scheme_a, role=SchemeRole.IMPLEMENTING)
    MentoringPair.objects.create(scheme=scheme_a, mentor=mentor, implementing=implementing)
    mentor.role = SchemeRole.IMPLEMENTING
    _rejected("member_in_pair_keeps_role", mentor.save)


def test_membership_scope_must_match_role():
    programme = ProgrammeFactory()
    person = PersonFactory()
    # a city officer without a city
    _rejected(
        "membership_scope_matches_role",
        lambda: Membership.objects.create(
            person=person, role=Role.CITY_OFFICER, programme=programme
        ),
    )
    # an approver without a level
    _rejected(
        "membership_approval_level",
        lambda: Membership.objects.create(
            person=person, role=Role.CITY_APPROVER, programme=programme, city=CityFactory()
        ),
    )


def test_programme_dates_and_rates_are_checked():
    _rejected(
        "programme_ends_after_start",
        lambda: ProgrammeFactory(
            start_date=datetime.date(2020, 1, 1), end_date=datetime.date(2019, 1, 1)
        ),
    )
    _rejected("programme_eu_rate_in_0_1", lambda: ProgrammeFactory(max_eu_rate="1.5"))
    assert not Programme.objects.filter(max_eu_rate__gt=1).exists()


def test_only_coordinators_manage_pairs(user_of):
    from programmes.models import MentoringScheme

    scheme = MentoringScheme.objects.get(theme__code="B", programme__slug="cities-grow")
    mentor = scheme.members.get(city__slug="utrecht")
    tampere = scheme.members.get(city__slug="tampere")
    MentoringPair.objects.filter(implementing=tampere).delete()
    with pytest.raises(DomainError, match="Only the programme's coordinators"):
        pair_create(
            actor=user_of("athens-officer-1"), scheme=scheme, mentor=mentor, implementing=tampere
        )
    pair = pair_create(
        actor=user_of("coordinator-1"), scheme=scheme, mentor=mentor, implementing=tampere
    )
    assert pair.history.get().history_user == user_of("coordinator-1")
