"""The CITIES-GROW work plan as loaded with the programme, and the records it counts."""

from datetime import datetime
from zoneinfo import ZoneInfo

from programmes.models import Programme
from tests.knowledge.test_toolkits import _composed
from visits.choices import EventFormat
from visits.services import EventInput, event_create
from workplan.models import Deliverable


def deliverable(code: str) -> Deliverable:
    """A deliverable of CITIES-GROW by its code, "D4.3"."""
    wp, number = code[1:].split(".")
    return Deliverable.objects.select_related("work_package__programme").get(
        work_package__programme__slug="cities-grow",
        work_package__number=int(wp),
        number=int(number),
    )


def conference(user_of):
    """The Integrating Cities Conference VIII (Milan), planned on the calendar."""
    milan = ZoneInfo("Europe/Rome")
    return event_create(
        actor=user_of("coordinator-1"),
        programme=Programme.objects.get(slug="cities-grow"),
        data=EventInput(
            format=EventFormat.CONFERENCE,
            title="Integrating Cities Conference VIII",
            starts_at=datetime(2018, 11, 7, 9, tzinfo=milan),
            ends_at=datetime(2018, 11, 8, 17, tzinfo=milan),
            timezone="Europe/Rome",
            venue="Fabbrica del Vapore, Milan",
        ),
    )


def composed_toolkit(user_of):
    return _composed(user_of)
