"""Every change to programme data is recorded: who, when, before and after."""

import pytest
from django.urls import reverse

from programmes.models import City
from programmes.services import city_update

pytestmark = pytest.mark.django_db


def test_change_in_admin_is_audited_with_before_and_after(client_of, user_of):
    admin_client = client_of("platform-admin")
    city = City.objects.get(slug="athens")
    before = city.population
    url = reverse("admin:programmes_city_change", args=[city.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data["population"] = 700001
    data["charter_signatory"] = "on" if city.charter_signatory else ""
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    latest = city.history.latest()
    assert latest.history_user == user_of("platform-admin")
    delta = latest.diff_against(latest.prev_record)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [("population", before, 700001)]


def test_change_by_service_is_audited_and_shown_to_coordinators(client_of, user_of):
    officer = user_of("athens-officer-1")
    city = City.objects.get(slug="athens")
    city_update(
        actor=officer,
        programme=city.scheme_memberships.get().programme,
        city=city,
        expected_version=city.version,
        description="Labour-market services for newcomers.",
    )
    latest = city.history.latest()
    assert latest.history_user == officer
    assert latest.history_type == "~"

    page = (
        client_of("coordinator-1")
        .get(reverse("programmes:history", args=["cities-grow", "city", city.pk]))
        .content.decode()
    )
    assert "Labour-market services for newcomers." in page
    assert officer.get_full_name() in page
    assert "Description" in page


def test_history_tab_is_not_shown_to_city_officers(client_of):
    city = City.objects.get(slug="athens")
    client = client_of("athens-officer-1")
    assert (
        "History of changes"
        not in client.get(
            reverse("programmes:city", args=["cities-grow", "athens"])
        ).content.decode()
    )
    assert (
        client.get(reverse("programmes:history", args=["cities-grow", "city", city.pk])).status_code
        == 404
    )


def test_every_programme_model_keeps_a_history():
    from django.apps import apps

    models = [
        m
        for m in apps.get_app_config("programmes").get_models()
        if not m.__name__.startswith("Historical") and not m._meta.auto_created
    ]
    unaudited = [m.__name__ for m in models if not hasattr(m, "history")]
    assert unaudited == []


def test_deleting_a_pair_is_audited(user_of):
    from core.audit import attribute_to
    from programmes.models import MentoringPair

    pair = MentoringPair.objects.get(implementing__city__slug="tampere")
    pk = pair.pk
    attribute_to(pair, user_of("coordinator-1"))
    pair.delete()
    record = MentoringPair.history.filter(id=pk).latest()
    assert record.history_type == "-"
    assert record.history_user == user_of("coordinator-1")
