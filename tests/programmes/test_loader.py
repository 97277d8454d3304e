import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from programmes.models import City, Membership, MentoringPair, MentoringScheme, Programme
from programmes.services import programme_load_file
from tests.conftest import DATA_FILE

pytestmark = pytest.mark.django_db


def test_cities_grow_is_loaded_as_described():
    programme = Programme.objects.get(slug="cities-grow")
    assert programme.total_budget == 650000
    assert programme.max_eu_contribution == 585000
    assert City.objects.filter(scheme_memberships__programme=programme).count() == 16
    schemes = MentoringScheme.objects.filter(programme=programme)
    assert schemes.count() == 4
    for scheme in schemes:
        roles = sorted(scheme.members.values_list("role", flat=True))
        assert roles == ["implementing", "implementing", "mentor", "mentor"]
    pairs = MentoringPair.objects.filter(scheme__programme=programme)
    assert pairs.count() == 8
    athens = pairs.get(implementing__city__slug="athens")
    assert (athens.mentor.city.slug, athens.scheme.theme.code, athens.illustrative) == (
        "munich",
        "B",
        False,
    )
    riga = pairs.get(implementing__city__slug="riga")
    assert (riga.mentor.city.slug, riga.illustrative) == ("barcelona", False)
    assert pairs.filter(illustrative=True).count() == 6
    for city in City.objects.filter(scheme_memberships__programme=programme):
        assert Membership.objects.filter(city=city, role="city_officer").count() == 2
    assert {c.currency for c in City.objects.filter(slug__in=["birmingham", "brighton-hove"])} == {
        "GBP"
    }
    assert City.objects.get(slug="gdansk").currency == "PLN"


def test_loading_twice_changes_nothing():
    history_before = City.history.count() + MentoringPair.history.count()
    users_before = get_user_model().objects.count()
    report = programme_load_file(DATA_FILE, with_demo_accounts=True)
    assert not report.changed_anything, (report.created, report.updated)
    assert City.history.count() + MentoringPair.history.count() == history_before
    assert get_user_model().objects.count() == users_before


def test_command_prints_demo_logins(capsys):
    call_command("load_programme", "--demo-accounts")
    out = capsys.readouterr().out
    assert "already up to date" in out
    assert "cities-grow-demo" in out
    assert "isabelle.vermeulen@eurocities.demo.invalid" in out


def test_command_reports_unreadable_file(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Cannot read the programme data file"):
        call_command("load_programme", str(bad))


def test_reloading_keeps_what_officers_edited(user_of):
    from programmes.services import city_update

    city = City.objects.get(slug="athens")
    city_update(
        actor=user_of("athens-officer-1"),
        programme=Programme.objects.get(slug="cities-grow"),
        city=city,
        expected_version=city.version,
        population=700001,
    )
    report = programme_load_file(DATA_FILE)
    assert not report.changed_anything
    assert City.objects.get(slug="athens").population == 700001


def test_loader_output_does_not_depend_on_the_language():
    from django.utils import translation

    with translation.override("fr"):
        report = programme_load_file(DATA_FILE)
    assert not report.changed_anything
