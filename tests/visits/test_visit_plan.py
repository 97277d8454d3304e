"""The planner on CITIES-GROW: 8 pairs give 16 visits with no conflict, saved as events."""

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest

from core.errors import DomainError
from programmes.models import City, Programme
from visits import planner
from visits.choices import EventFormat
from visits.models import CityUnavailability, Event
from visits.services.plan import visit_plan_check, visit_plan_propose

pytestmark = pytest.mark.django_db
WINDOW = planner.Rules(window_start=date(2017, 3, 1), window_end=date(2018, 6, 30))


def _programme():
    return Programme.objects.get(slug="cities-grow")


def test_cities_grow_gets_16_visits_without_conflict(user_of):
    created, conflicts = visit_plan_propose(
        actor=user_of("coordinator-1"), programme=_programme(), rules=WINDOW
    )
    assert len(created) == 16 and conflicts == []
    assert visit_plan_check(programme=_programme(), rules=WINDOW, events=created) == []
    for event in created:
        zone = ZoneInfo(event.host_city.timezone)
        start, end = event.starts_at.astimezone(zone), event.ends_at.astimezone(zone)
        assert (start.hour, end.hour) == (9, 17)  # local office hours in the host city
        days = [start.date() + timedelta(d) for d in range((end.date() - start.date()).days + 1)]
        assert len(days) == 3 and all(d.weekday() < 5 for d in days)
        country = holidays.country_holidays(str(event.host_city.country), years=[2017, 2018])
        assert not any(d in country for d in days), event
    by_pair = {}
    for event in created:
        by_pair.setdefault(event.pair_id, {})[event.format] = event
    for visits in by_pair.values():
        study, mentoring = visits[EventFormat.STUDY_VISIT], visits[EventFormat.MENTORING_VISIT]
        assert study.host_city == study.pair.mentor.city  # the implementing city travels first
        assert mentoring.starts_at > study.ends_at + timedelta(days=14)
    # Planning again keeps the saved visits and adds nothing.
    again, _ = visit_plan_propose(
        actor=user_of("coordinator-1"), programme=_programme(), rules=WINDOW
    )
    assert again == [] and Event.objects.count() == 16


def test_declared_unavailable_dates_are_avoided(user_of):
    athens = City.objects.get(slug="athens")
    CityUnavailability.objects.create(
        programme=_programme(), city=athens, start=date(2017, 3, 1), end=date(2017, 12, 31)
    )
    created, _ = visit_plan_propose(
        actor=user_of("coordinator-1"), programme=_programme(), rules=WINDOW
    )
    for event in created:
        if athens in (event.pair.mentor.city, event.pair.implementing.city):
            assert event.starts_at.date() > date(2017, 12, 31)


def test_a_hand_moved_visit_onto_a_holiday_is_explained(user_of):
    created, _ = visit_plan_propose(
        actor=user_of("coordinator-1"), programme=_programme(), rules=WINDOW
    )
    helsinki = next(
        e
        for e in created
        if e.format == EventFormat.MENTORING_VISIT and e.host_city.slug == "helsinki"
    )
    zone = ZoneInfo("Europe/Helsinki")
    # 6 December 2017 is Finland's Independence Day (a Wednesday).
    helsinki.starts_at = helsinki.starts_at.replace(year=2017, month=12, day=5).astimezone(zone)
    helsinki.ends_at = helsinki.ends_at.replace(year=2017, month=12, day=7).astimezone(zone)
    conflicts = visit_plan_check(programme=_programme(), rules=WINDOW, events=created)
    assert any(c.code == "holiday" and "Independence Day" in c.message for c in conflicts)


def test_too_short_a_window_is_explained_not_saved(user_of):
    short = planner.Rules(window_start=date(2017, 3, 1), window_end=date(2017, 3, 10))
    created, conflicts = visit_plan_propose(
        actor=user_of("coordinator-1"), programme=_programme(), rules=short
    )
    assert created == [] and conflicts
    assert Event.objects.count() == 0
    with pytest.raises(DomainError):
        visit_plan_propose(actor=user_of("athens-officer-1"), programme=_programme(), rules=WINDOW)
    outside = planner.Rules(window_start=date(2016, 3, 1), window_end=date(2017, 6, 30))
    with pytest.raises(DomainError, match="within the programme"):
        visit_plan_propose(actor=user_of("coordinator-1"), programme=_programme(), rules=outside)
