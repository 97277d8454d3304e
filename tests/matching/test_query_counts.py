"""Matching pages run the same number of SQL queries for CITIES-GROW and for a programme ten
times its size (160 cities, 40 themes, a finished run each)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.roles import Role
from matching.services import RunSettings, match_run_create, match_run_execute
from programmes.models import Membership, Programme
from tests.assessments.builders import assess_every_member, publish_benchmarks
from tests.factories import account_for, build_programme

pytestmark = pytest.mark.django_db


def _finished_run(programme, user):
    pairs = {t.code: 2 for t in programme.themes.all()}
    run = match_run_create(actor=user, programme=programme, run_settings=RunSettings(pairs=pairs))
    return match_run_execute(run.pk)


def _count(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("page", ["home", "run", "compare"])
def test_matching_page_queries_do_not_grow_with_programme_size(page, client, user_of):
    big = build_programme(schemes=40, slug="scaled")
    publish_benchmarks(big)
    assess_every_member(big)
    big_user = account_for(
        Membership.objects.filter(programme=big, role=Role.COORDINATOR).first().person
    )
    small = Programme.objects.get(slug="cities-grow")
    counts = []
    for programme, user in ((small, user_of("coordinator-1")), (big, big_user)):
        run = _finished_run(programme, user)
        assert run.solver_status == "optimal"
        client.force_login(user)
        url = {
            "home": reverse("matching:home", args=[programme.slug]),
            "run": reverse("matching:run", args=[programme.slug, run.pk]),
            "compare": reverse("matching:compare", args=[programme.slug]) + f"?run={run.pk}",
        }[page]
        counts.append(_count(client, url))
    assert counts[0] == counts[1], (
        f"{page}: {counts[0]} queries for CITIES-GROW, {counts[1]} at 10x"
    )
    assert counts[1] <= 25
