"""The events waiting for a person are counted in the database with the report and status
screens' predicates written as filters: for every member of the living demo, the counts (and
the event, when it is the only one) agree with `can_write_report` and `can_confirm_event`
applied event by event."""

import pytest
from django.contrib.auth import get_user_model

from programmes.models import Programme
from visits.choices import EventStatus
from visits.models import Event
from visits.permissions import can_confirm_event, can_write_report
from visits.selectors import events_waiting


@pytest.fixture(scope="module")
def demo(living_demo):
    return living_demo


def test_the_filters_agree_with_the_predicates_for_every_member(demo):
    programme = Programme.objects.get(slug="cities-grow")
    events = list(
        Event.objects.filter(programme=programme)
        .select_related("pair__mentor__city", "pair__implementing__city", "host_city")
        .order_by("starts_at", "pk")
    )
    held = [e for e in events if e.status == EventStatus.HELD]
    planned = [e for e in events if e.status == EventStatus.PLANNED]
    assert held and planned, "the demo has events to report and to confirm"
    users = get_user_model().objects.filter(person__memberships__programme=programme).distinct()
    seen = set()
    for user in users:
        to_report = [e.pk for e in held if can_write_report(user, e)]
        to_confirm = [e.pk for e in planned if can_confirm_event(user, e)]
        waiting = events_waiting(user, programme)
        assert (waiting.to_report, waiting.only_to_report) == (
            len(to_report),
            to_report[0] if len(to_report) == 1 else None,
        ), user.username
        assert (waiting.to_confirm, waiting.only_to_confirm) == (
            len(to_confirm),
            to_confirm[0] if len(to_confirm) == 1 else None,
        ), user.username
        seen.add((len(to_report) > 0, len(to_confirm) > 0))
    # Both with and without work of each kind among the members.
    assert {r for r, _ in seen} == {True, False} and {c for _, c in seen} == {True, False}
