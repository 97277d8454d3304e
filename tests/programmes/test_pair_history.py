"""Pairs (and the memberships they name) have a history: replacing a programme's pairs ends the
old ones instead of deleting them, and the pairing rules hold among the current ones only."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError
from programmes.choices import SchemeRole
from programmes.models import MentoringPair, SchemeMember
from programmes.services import PairSpec, pair_create, pairs_replace
from tests.factories import CityFactory, ProgrammeFactory, SchemeFactory, ThemeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(user_of):
    return user_of("platform-admin")


@pytest.fixture
def programme():
    """A programme of two themes (A with its scheme, B without one yet) and six cities."""
    programme = ProgrammeFactory()
    SchemeFactory(theme=ThemeFactory(programme=programme, code="A"))
    ThemeFactory(programme=programme, code="B")
    for slug in ("m1", "m2", "m3", "i1", "i2", "i3"):
        CityFactory(slug=slug, name=slug.upper())
    return programme


def _replace(admin, programme, *pairs, run=None):
    return pairs_replace(
        actor=admin,
        programme=programme,
        pairs=[PairSpec(*p) for p in pairs],
        run_number=run,
        reason=f"matching accepted: run #{run}",
    )


def _rejected(code, create):
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        create()
    assert any(part in str(error.value) for part in code)


def test_replacing_keeps_an_unchanged_pair_and_ends_the_others(admin, programme):
    first = _replace(admin, programme, ("A", "m1", "i1"), ("A", "m2", "i2"), run=1)
    kept, replaced = sorted(first.created, key=lambda p: p.implementing.city.slug)
    second = _replace(admin, programme, ("A", "m1", "i1"), ("A", "m1", "i2"), run=2)
    assert [p.pk for p in second.kept] == [kept.pk]
    assert [p.pk for p in second.ending] == [replaced.pk]
    replaced.refresh_from_db()
    assert (replaced.ended_on, replaced.ended_by_run) == (timezone.localdate(), 2)
    assert replaced.end_reason == "matching accepted: run #2"
    assert MentoringPair.objects.get(pk=kept.pk).ended_on is None
    assert second.created[0].created_by_run == 2
    assert MentoringPair.objects.current().filter(scheme__programme=programme).count() == 2


def test_an_implementing_city_has_one_current_mentor_and_any_number_of_past_ones(admin, programme):
    _replace(admin, programme, ("A", "m1", "i1"), ("A", "m2", "i2"), run=1)
    _replace(admin, programme, ("A", "m2", "i1"), ("A", "m1", "i2"), run=2)
    _replace(admin, programme, ("A", "m1", "i1"), ("A", "m2", "i2"), run=3)
    i1 = SchemeMember.objects.current().get(city__slug="i1")
    assert MentoringPair.objects.filter(implementing=i1).count() == 3
    assert MentoringPair.objects.current().filter(implementing=i1).count() == 1
    m2 = SchemeMember.objects.current().get(city__slug="m2")
    _rejected(
        ("implementing_id", "pair_one_current_mentor"),
        lambda: MentoringPair.objects.create(scheme=i1.scheme, mentor=m2, implementing=i1),
    )
    with pytest.raises(DomainError, match="already has a mentor"):
        pair_create(actor=admin, scheme=i1.scheme, mentor=m2, implementing=i1)


def test_a_city_whose_role_changes_gets_a_new_membership_and_its_past_pair_keeps_the_old(
    admin, programme
):
    (pair,) = _replace(admin, programme, ("A", "m1", "i1"), run=1).created
    # m1 now implements, in theme B: its mentor membership ends, a new one starts.
    _replace(admin, programme, ("B", "m2", "m1"), run=2)
    old = SchemeMember.objects.get(pk=pair.mentor_id)
    assert old.ended_on == timezone.localdate() and old.role == SchemeRole.MENTOR
    new = SchemeMember.objects.current().get(city__slug="m1")
    assert (new.scheme.theme.code, new.role) == ("B", SchemeRole.IMPLEMENTING)
    # i1, in no pair of the run, has a past pair: its membership ends, it is not deleted.
    i1 = SchemeMember.objects.get(city__slug="i1")
    assert i1.ended_on is not None and not SchemeMember.objects.current().filter(city=i1.city)
    # m3 was never paired: it is simply not a member (nothing to keep).
    assert not SchemeMember.objects.filter(city__slug="m3").exists()


def test_a_member_never_paired_moves_in_place(admin, programme):
    member = SchemeMember.objects.create(
        programme=programme,
        scheme=programme.themes.get(code="A").scheme,
        city=CityFactory(slug="free"),
        role=SchemeRole.MENTOR,
    )
    _replace(admin, programme, ("A", "m1", "i1"), ("A", "i2", "free"), run=1)
    member.refresh_from_db()
    assert (member.role, member.ended_on) == (SchemeRole.IMPLEMENTING, None)
    assert SchemeMember.objects.filter(city__slug="free").count() == 1


def test_the_database_keeps_past_pairs_consistent(admin, programme):
    (pair,) = _replace(admin, programme, ("A", "m1", "i1"), run=1).created
    mentor = SchemeMember.objects.get(pk=pair.mentor_id)
    # A member of a current pair cannot end before it.
    mentor.ended_on = timezone.localdate()
    _rejected(("member_ends_after_its_pairs",), mentor.save)
    # A member named by a past pair still keeps its role (the past pair would lie otherwise).
    pair.ended_on = timezone.localdate()
    pair.save()
    mentor.refresh_from_db()
    mentor.role = SchemeRole.IMPLEMENTING
    _rejected(("member_in_pair_keeps_role",), mentor.save)
    # A current pair joins current members only.
    mentor.refresh_from_db()
    mentor.ended_on = timezone.localdate()
    mentor.save()
    implementing = SchemeMember.objects.get(pk=pair.implementing_id)
    _rejected(
        ("pair_members_current",),
        lambda: MentoringPair.objects.create(
            scheme=pair.scheme, mentor=mentor, implementing=implementing
        ),
    )
    # One current membership per city and programme; ended ones do not count.
    SchemeMember.objects.create(
        programme=programme, scheme=pair.scheme, city=mentor.city, role=SchemeRole.MENTOR
    )
    _rejected(
        ("schememember_one_scheme_per_programme", "programme_id, programmes_schememember.city_id"),
        lambda: SchemeMember.objects.create(
            programme=programme, scheme=pair.scheme, city=mentor.city, role=SchemeRole.MENTOR
        ),
    )


def _end_pairs_of_athens_scheme(admin, times):
    """Re-pair Athens's scheme `times` times (each time the two mentors swap), by the service."""
    athens = SchemeMember.objects.current().get(city__slug="athens")
    pairs = list(MentoringPair.objects.current().filter(scheme=athens.scheme))
    programme = athens.programme
    others = [
        (p.scheme.theme.code, p.mentor.city.slug, p.implementing.city.slug)
        for p in MentoringPair.objects.current()
        .filter(scheme__programme=programme)
        .exclude(scheme=athens.scheme)
        .select_related("scheme__theme", "mentor__city", "implementing__city")
    ]
    mine = [(p.scheme.theme.code, p.mentor.city.slug, p.implementing.city.slug) for p in pairs]
    for run in range(1, times + 1):
        mine = [(t, mine[(n + 1) % len(mine)][1], i) for n, (t, _m, i) in enumerate(mine)]
        pairs_replace(
            actor=admin,
            programme=programme,
            pairs=[PairSpec(*p) for p in others + mine],
            run_number=run,
            reason=f"matching accepted: run #{run}",
        )
    return athens.scheme


def test_the_scheme_page_lists_past_pairs_with_their_end(admin, client_of):
    scheme = _end_pairs_of_athens_scheme(admin, 1)
    page = client_of("coordinator-1").get(
        reverse("programmes:scheme", args=["cities-grow", scheme.theme.code])
    )
    html = page.content.decode()
    current, past = html.split("Past pairs")
    for pair in (
        MentoringPair.objects.current().filter(scheme=scheme).select_related("implementing__city")
    ):
        assert pair.implementing.city.name in current
    assert "Matching run 1 was accepted." in past
    assert past.count("mentored") == 2
    assert "No pair yet." not in current


def test_scheme_page_queries_stay_bounded_with_past_pairs(admin, client_of):
    client = client_of("coordinator-1")
    scheme = _end_pairs_of_athens_scheme(admin, 1)
    url = reverse("programmes:scheme", args=["cities-grow", scheme.theme.code])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    _end_pairs_of_athens_scheme(admin, 4)
    assert MentoringPair.objects.past().filter(scheme=scheme).count() == 10
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.content.decode().count("mentored") == 10
    assert len(many) == len(few)
