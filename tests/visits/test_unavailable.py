"""A city's unavailable dates: declared by its officers, checked, and used by the planner."""

from datetime import date

import pytest
from django.urls import reverse

from programmes.models import Programme
from tests.html_checks import accessibility_problems
from visits import planner
from visits.models import CityUnavailability
from visits.services.plan import plan_inputs

pytestmark = pytest.mark.django_db


def test_officers_declare_dates_that_the_planner_receives(client_of):
    client = client_of("athens-officer-1")
    url = reverse("visits:unavailable", args=["cities-grow", "athens"])
    page = client.get(url)
    assert accessibility_problems(page.content.decode()) == []
    data = {"start": "2017-08-01", "end": "2017-08-31", "reason": "Summer closure"}
    assert client.post(url, data).status_code == 302
    row = CityUnavailability.objects.get(city__slug="athens")
    inputs = plan_inputs(Programme.objects.get(slug="cities-grow"))
    athens = next(c for c in inputs.cities if c.id == "athens")
    assert athens.unavailable == ((date(2017, 8, 1), date(2017, 8, 31)),)
    assert isinstance(athens, planner.City)
    backwards = client.post(url, {"start": "2017-09-10", "end": "2017-09-01", "reason": "Kept"})
    assert backwards.status_code == 400
    html = backwards.content.decode()
    assert "The last day cannot come before the first." in html and "Kept" in html
    outside = client.post(url, {"start": "2019-01-01", "end": "2019-01-05"})
    assert "Choose dates within the programme" in outside.content.decode()
    # Another city's officer cannot remove them.
    remove = reverse("visits:unavailable_remove", args=["cities-grow", "athens", row.pk])
    client_of("munich-officer-1").post(remove)
    assert CityUnavailability.objects.filter(pk=row.pk).exists()
    client_of("athens-officer-1").post(remove)
    assert not CityUnavailability.objects.filter(pk=row.pk).exists()
