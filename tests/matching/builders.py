"""A matching run of the demo programme, as the tests start one: four themes of two pairs."""

from matching.models import MatchRun
from matching.services import RunSettings, match_run_create, match_run_execute
from programmes.models import Programme

FOUR_BY_TWO = {"A": 2, "B": 2, "C": 2, "D": 2}


def queued_run(user_of, **overrides) -> MatchRun:
    """Created by the coordinator and waiting for a worker."""
    settings = RunSettings(**{"pairs": dict(FOUR_BY_TWO), **overrides})
    return match_run_create(
        actor=user_of("coordinator-1"),
        programme=Programme.objects.get(slug="cities-grow"),
        run_settings=settings,
    )


def solved_run(user_of, **overrides) -> MatchRun:
    return match_run_execute(queued_run(user_of, **overrides).pk)
