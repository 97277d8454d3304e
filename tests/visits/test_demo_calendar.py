"""The demo calendar: the programme's known meetings and a conflict-free plan of every visit."""

from datetime import date

import pytest
from django.core.management import call_command

from programmes.models import MentoringPair, Programme
from visits import planner
from visits.models import Event
from visits.services.plan import visit_plan_check

pytestmark = pytest.mark.django_db


def test_demo_calendar_holds_every_visit_without_conflict_and_loads_once(capsys):
    call_command("load_demo_events")
    assert "Demo calendar loaded: 19 events." in capsys.readouterr().out
    programme = Programme.objects.get(slug="cities-grow")
    events = list(Event.objects.filter(programme=programme))
    visits = [e for e in events if e.pair_id]
    assert len(visits) == 2 * MentoringPair.objects.filter(scheme__programme=programme).count()
    riga = next(e for e in visits if e.title == "Study visit of Riga to Barcelona")
    assert not riga.illustrative and riga.host_city.slug == "barcelona"
    assert all(e.illustrative for e in visits if e is not riga)
    assert {e.title for e in events if not e.pair_id} >= {
        "Launch meeting",
        "Integrating Cities Conference VIII",
    }
    rules = planner.Rules(
        window_start=programme.start_date, window_end=programme.end_date, min_gap_days=21
    )
    assert visit_plan_check(programme=programme, rules=rules, events=events) == []
    assert all(e.participants.exists() for e in visits)  # the delegations are invited
    call_command("load_demo_events")
    assert "nothing changed" in capsys.readouterr().out
    assert Event.objects.filter(programme=programme).count() == 19
    assert min(e.starts_at.date() for e in visits) >= date(2017, 9, 1)
