"""The demo calendar of CITIES-GROW: the programme's known meetings from its key dates, and the
other visits proposed by the visit planner (marked illustrative)."""

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction

from programmes.models import MentoringPair, Programme

from .. import planner
from ..choices import EventFormat
from ..models import Event
from .attendance import delegation_invite
from .events import EventInput, event_create
from .plan import visit_plan_propose


@dataclass(frozen=True)
class KnownEvent:
    format: str
    title: str
    first: date
    last: date
    zone: str
    venue: str
    objectives: str
    illustrative: bool = False
    pair_of: str = ""  # the implementing city of the pair a visit serves


KNOWN = (
    KnownEvent(
        EventFormat.LAUNCH_MEETING,
        "Launch meeting",
        date(2017, 5, 15),
        date(2017, 5, 16),
        "Europe/Brussels",
        "EUROCITIES, Square de Meeûs 1, Brussels",
        "Meet the partners, agree the work plan and the self-assessment method.",
    ),
    KnownEvent(
        EventFormat.STUDY_VISIT,
        "Study visit of Riga to Barcelona",
        date(2017, 10, 17),
        date(2017, 10, 19),
        "Europe/Madrid",
        "Barcelona City Council",
        "See Barcelona's anti-discrimination office at work.",
        pair_of="riga",
    ),
    KnownEvent(
        EventFormat.CONFERENCE,
        "Integrating Cities Conference VIII",
        date(2018, 11, 7),
        date(2018, 11, 8),
        "Europe/Rome",
        "Fabbrica del Vapore, Milan",
        "Present the toolkits and the local action plans.",
    ),
    KnownEvent(
        EventFormat.FINAL_MEETING,
        "Final project meeting",
        date(2018, 11, 9),
        date(2018, 11, 9),
        "Europe/Rome",
        "Milan",
        "Take stock of the schemes and plan the follow-up.",
        illustrative=True,
    ),
)
VISIT_WINDOW = planner.Rules(
    window_start=date(2017, 9, 1), window_end=date(2018, 6, 30), min_gap_days=21
)


def demo_events_load(*, actor: Any, programme: Programme) -> int:
    """Create the demo calendar once; returns how many events it created (0: already there)."""
    if Event.objects.filter(programme=programme).exists():
        return 0
    pairs = {
        p.implementing.city.slug: p
        for p in MentoringPair.objects.current()
        .filter(scheme__programme=programme)
        .select_related("scheme", "mentor__city", "implementing__city")
    }
    created = []
    with transaction.atomic():
        for known in KNOWN:
            zone = ZoneInfo(known.zone)
            pair = pairs.get(known.pair_of)
            if known.pair_of and pair is None:
                continue  # the pairs were changed: the planner plans this visit instead
            created.append(
                event_create(
                    actor=actor,
                    programme=programme,
                    data=EventInput(
                        format=known.format,
                        title=known.title,
                        starts_at=datetime.combine(known.first, time(9), tzinfo=zone),
                        ends_at=datetime.combine(known.last, time(17), tzinfo=zone),
                        timezone=known.zone,
                        host_city=pair.mentor.city if pair else None,
                        pair=pair,
                        venue=known.venue,
                        objectives=known.objectives,
                        illustrative=known.illustrative,
                    ),
                )
            )
        planned, _conflicts = visit_plan_propose(
            actor=actor, programme=programme, rules=VISIT_WINDOW, time_limit=20.0
        )
        for event in planned:
            event.illustrative = True
            event.save(update_fields=["illustrative"])
        for event in created + planned:
            if event.pair_id:
                delegation_invite(actor=actor, event=event)
    return len(created) + len(planned)
