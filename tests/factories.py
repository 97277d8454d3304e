"""Factories for programme data, and a builder for a programme of any size shaped like
CITIES-GROW (schemes of 4 cities, 2 mentors and 2 implementing, 2 pairs, 4 people per city)."""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from core.roles import ApprovalLevel, Role
from programmes.choices import OrganisationKind, PartnerRole, SchemeRole
from programmes.models import (
    CharterCommitment,
    City,
    KeyDate,
    Membership,
    MentoringPair,
    MentoringScheme,
    Organisation,
    Person,
    Programme,
    ProgrammePartner,
    RatingLevel,
    SchemeMember,
    Theme,
)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    slug = factory.Sequence(lambda n: f"org-{n}")
    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = OrganisationKind.OTHER
    country = "BE"


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    slug = factory.Sequence(lambda n: f"programme-{n}")
    name = factory.Sequence(lambda n: f"Programme {n}")
    funder = "AMIF"
    grant_reference = factory.Sequence(lambda n: f"GRANT-{n}")
    start_date = datetime.date(2020, 1, 1)
    end_date = datetime.date(2021, 12, 31)
    total_budget = Decimal("650000.00")
    max_eu_rate = Decimal("0.9000")


class CityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = City

    organisation = factory.SubFactory(OrganisationFactory, kind=OrganisationKind.CITY)
    slug = factory.Sequence(lambda n: f"city-{n}")
    name = factory.Sequence(lambda n: f"City {n}")
    country = "FR"
    currency = "EUR"
    population = 100000
    latitude = Decimal("48.00")
    longitude = Decimal("2.00")
    charter_signatory = False


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    programme = factory.SubFactory(ProgrammeFactory)
    code = factory.Sequence(lambda n: f"T{n}")
    title = factory.Sequence(lambda n: f"Theme {n}")
    facilitator = factory.SubFactory(OrganisationFactory, kind=OrganisationKind.EXPERT_PARTNER)


class SchemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MentoringScheme

    theme = factory.SubFactory(ThemeFactory)
    programme = factory.SelfAttribute("theme.programme")


class SchemeMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchemeMember

    scheme = factory.SubFactory(SchemeFactory)
    programme = factory.SelfAttribute("scheme.programme")
    city = factory.SubFactory(CityFactory)
    role = SchemeRole.MENTOR


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Person{n}")
    email = factory.Sequence(lambda n: f"person{n}@test.invalid")
    organisation = factory.SubFactory(OrganisationFactory)


def build_programme(*, schemes: int, slug: str = "scaled") -> Programme:
    """A programme with `schemes` schemes of 4 cities and 2 pairs each, 4 people per city,
    2 coordinators, a finance officer, an auditor and a facilitator per scheme."""
    programme = ProgrammeFactory(slug=slug, name=f"Programme {slug}")
    for level, label in enumerate(["Not in place", "Emerging", "Partly", "Fully"]):
        RatingLevel.objects.create(programme=programme, level=level, label=label)
    for index in range(5):
        KeyDate.objects.create(
            programme=programme,
            title=f"Date {index}",
            start_date=datetime.date(2020, 3, 1 + index),
            end_date=datetime.date(2020, 3, 2 + index),
        )
    network = OrganisationFactory(slug=f"{slug}-network", kind=OrganisationKind.COORDINATOR)
    ProgrammePartner.objects.create(
        programme=programme, organisation=network, role=PartnerRole.COORDINATOR
    )
    people: list[Person] = []
    memberships: list[Membership] = []

    def person(organisation: Organisation, label: str) -> Person:
        p = Person(
            first_name="P",
            last_name=label,
            email=f"{label}@{slug}.test.invalid",
            organisation=organisation,
        )
        people.append(p)
        return p

    staff = [(person(network, f"coord{i}"), Role.COORDINATOR) for i in range(2)] + [
        (person(network, "finance"), Role.FINANCE_OFFICER),
        (person(network, "auditor"), Role.AUDITOR),
    ]
    city_people: list[tuple[Person, Role, City, str]] = []
    facilitators: list[tuple[Person, MentoringScheme]] = []
    for s in range(schemes):
        expert = OrganisationFactory(
            slug=f"{slug}-expert-{s}", kind=OrganisationKind.EXPERT_PARTNER
        )
        scheme = SchemeFactory(
            theme=ThemeFactory(programme=programme, code=f"S{s}", facilitator=expert)
        )
        scheme.theme.commitments.set(CharterCommitment.objects.all()[:3])
        facilitators.append((person(expert, f"fac{s}"), scheme))
        members = []
        for c, role in enumerate(
            [SchemeRole.MENTOR, SchemeRole.MENTOR, SchemeRole.IMPLEMENTING, SchemeRole.IMPLEMENTING]
        ):
            city = CityFactory(
                slug=f"{slug}-city-{s}-{c}",
                name=f"{slug} city {s}-{c}",
                organisation__slug=f"{slug}-cityorg-{s}-{c}",
            )
            members.append(
                SchemeMember.objects.create(
                    programme=programme, scheme=scheme, city=city, role=role
                )
            )
            for k, (prole, level) in enumerate(
                [
                    (Role.CITY_OFFICER, ""),
                    (Role.CITY_OFFICER, ""),
                    (Role.CITY_APPROVER, ApprovalLevel.ADMINISTRATIVE),
                    (Role.CITY_APPROVER, ApprovalLevel.POLITICAL),
                ]
            ):
                city_people.append((person(city.organisation, f"c{s}-{c}-{k}"), prole, city, level))
        MentoringPair.objects.create(scheme=scheme, mentor=members[0], implementing=members[2])
        MentoringPair.objects.create(scheme=scheme, mentor=members[1], implementing=members[3])
    Person.objects.bulk_create(people)
    memberships += [Membership(person=p, role=r, programme=programme) for p, r in staff]
    memberships += [
        Membership(person=p, role=Role.FACILITATOR, programme=programme, scheme=s)
        for p, s in facilitators
    ]
    memberships += [
        Membership(person=p, role=r, programme=programme, city=c, approval_level=lv)
        for p, r, c, lv in city_people
    ]
    Membership.objects.bulk_create(memberships)
    return programme


def account_for(person: Person):
    user = get_user_model().objects.create_user(person.email, person.email, "a-long-test-password")
    person.user = user
    person.save()
    return user
