"""Matching in the platform: build a problem from self-assessments and wishes, run the solver,
accept a run (it becomes the programme's schemes and pairs), and re-score pairs after edits.

The solver (matching.solver) knows nothing of Django; this module is the only bridge.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.choices import PHASE_ORDER, BenchmarkStatus, Phase
from assessments.models import KeyFactor, Rating, SelfAssessment, ThemeWishes
from assessments.selectors import SETTLED
from core.audit import attribute_to
from core.errors import DomainError
from core.progress import RowProgress
from core.roles import Role
from notifications.recipients import holders
from notifications.services import notify
from programmes.models import MentoringPair, Person, Programme
from programmes.pair_ending import Fate, references_settle
from programmes.permissions import require_coordinator
from programmes.services import PairsChange, PairSpec, pairs_replace

from . import notification_kinds as kinds
from .choices import RunStatus
from .models import MatchRun
from .solver import ProblemError, solve, validate_problem

logger = logging.getLogger(__name__)


@dataclass
class RunSettings:
    """What the coordinator chose for a run; city ids are slugs, themes are codes."""

    pairs: dict[str, int]
    same_country: str = "allow"
    require_all: bool = True
    forbidden: list[tuple[str, str]] = field(default_factory=list)
    locks: dict[str, tuple[str, str]] = field(default_factory=dict)  # city -> (role, theme)
    # Lock every city of today's pairs in its role and theme (`locks` take precedence).
    keep_current: bool = False
    time_limit: int = 60
    label: str = ""


@dataclass
class BuiltProblem:
    problem: dict[str, Any]
    warnings: list[str]
    cities: dict[str, dict[str, Any]]  # slug -> {"name", "illustrative"}
    factor_codes: dict[str, list[str]]  # theme code -> key factor codes, in order


def _require_coordinator(actor: Any, programme: Programme) -> None:
    require_coordinator(
        actor, programme.pk, _("Only the programme's coordinators run and accept matchings.")
    )


def factor_codes_for(
    programme: Programme, *, themes: set[str] | None = None
) -> dict[str, list[str]]:
    """Key factor codes of each theme's latest published benchmark, in benchmark order (of
    the `themes`, codes, when given), in one query."""
    factors = KeyFactor.objects.filter(
        benchmark__theme__programme=programme, benchmark__status=BenchmarkStatus.PUBLISHED
    )
    if themes is not None:
        factors = factors.filter(benchmark__theme__code__in=themes)
    rows = factors.order_by("benchmark__theme__code", "benchmark__version", "order").values_list(
        "benchmark__theme__code", "benchmark__version", "code"
    )
    latest: dict[str, int] = {}
    codes: dict[str, list[str]] = {}
    for theme, version, code in rows:
        if latest.get(theme) != version:  # a later version replaces the earlier one
            latest[theme], codes[theme] = version, []
        codes[theme].append(code)
    return codes


def city_levels(
    programme: Programme, *, cities: set[str] | None = None
) -> dict[tuple[str, str], dict[str, int]]:
    """(city slug, theme code) -> {key factor code: level} from each city's latest settled
    self-assessment of the theme (submitted or accepted; the latest phase wins); only of the
    `cities` (slugs) when given."""
    assessments = SelfAssessment.objects.filter(programme=programme, status__in=SETTLED)
    if cities is not None:
        assessments = assessments.filter(city__slug__in=cities)
    chosen: dict[tuple[str, str], tuple[int, int]] = {}  # (city, theme) -> (phase rank, pk)
    for pk, city, theme, phase in assessments.values_list(
        "pk", "city__slug", "theme__code", "phase"
    ):
        rank = PHASE_ORDER[Phase(phase)]
        if chosen.get((city, theme), (-1, 0))[0] < rank:
            chosen[(city, theme)] = (rank, pk)
    levels: dict[int, dict[str, int]] = {pk: {} for _rank, pk in chosen.values()}
    ratings = Rating.objects.filter(assessment_id__in=levels, level__isnull=False)
    rows = cast(
        "Iterable[tuple[int, str, int]]",  # level is not null: filtered above
        ratings.values_list("assessment_id", "key_factor__code", "level"),
    )
    for pk, code, level in rows:
        levels[pk][code] = level
    return {key: levels[pk] for key, (_rank, pk) in chosen.items()}


def current_pair_locks(programme: Programme) -> dict[str, tuple[str, str]]:
    """city slug -> (role, theme) of every city in today's pairs (a city is a member of one
    scheme in a programme, so it has one role and one theme)."""
    locks: dict[str, tuple[str, str]] = {}
    rows = (
        MentoringPair.objects.current()
        .filter(scheme__programme=programme)
        .values_list("scheme__theme__code", "mentor__city__slug", "implementing__city__slug")
    )
    for theme, mentor, implementing in rows:
        locks[mentor], locks[implementing] = ("mentor", theme), ("implementer", theme)
    return locks


def match_problem_build(*, programme: Programme, run_settings: RunSettings) -> BuiltProblem:
    """The solver's problem (format v1) for the programme's cities and their stated wishes.

    A wish counts only where the city has a settled self-assessment of that theme: its levels
    are the scores. Whatever cannot be used is said in `warnings`.
    """
    factor_codes = factor_codes_for(programme)
    levels = city_levels(programme)
    warnings: list[str] = []
    cities: list[dict[str, Any]] = []
    names: dict[str, dict[str, Any]] = {}
    wishes = (
        ThemeWishes.objects.filter(programme=programme)
        .select_related("city")
        .prefetch_related("mentor_themes", "implement_themes")
        .order_by("city__name")
    )
    for wish in wishes:
        city = wish.city
        lists: dict[str, list[str]] = {"mentor_themes": [], "implement_themes": []}
        scores: dict[str, list[int]] = {}
        for key, themes in (
            ("mentor_themes", wish.mentor_themes.all()),
            ("implement_themes", wish.implement_themes.all()),
        ):
            for theme in sorted(themes, key=lambda t: t.code):
                if theme.code not in factor_codes or theme.code not in run_settings.pairs:
                    continue
                rated = levels.get((city.slug, theme.code))
                if rated is None:
                    warnings.append(
                        _(
                            "%(city)s chose theme %(code)s but has no submitted self-assessment "
                            "of it: left out of that theme."
                        )
                        % {"city": city.name, "code": theme.code}
                    )
                    continue
                lists[key].append(theme.code)
                scores[theme.code] = [rated.get(code, 0) for code in factor_codes[theme.code]]
        if not lists["mentor_themes"] and not lists["implement_themes"]:
            warnings.append(
                _("%(city)s has no usable wish: it is not in the problem.") % {"city": city.name}
            )
            continue
        cities.append(
            {
                "id": city.slug,
                "country": str(city.country),
                **lists,
                "max_mentees": wish.max_mentees,
                "scores": scores,
            }
        )
        names[city.slug] = {"name": city.name, "illustrative": wish.illustrative}
    locks = current_pair_locks(programme) if run_settings.keep_current else {}
    locks.update(run_settings.locks)
    fixed = []
    for slug, (role, locked_theme) in sorted(locks.items()):
        if slug not in names or not (role or locked_theme):
            continue
        entry: dict[str, str] = {"city": slug}
        if role:
            entry["role"] = role
        if locked_theme:
            entry["theme"] = locked_theme
        fixed.append(entry)
    problem = {
        "format": "citiesgrow-match",
        "version": 1,
        "themes": [
            {"id": code, "pairs": count}
            for code, count in sorted(run_settings.pairs.items())
            if code in factor_codes
        ],
        "cities": cities,
        "constraints": {
            "same_country": run_settings.same_country,
            "require_all": run_settings.require_all,
            "forbidden_pairs": [
                [a, b] for a, b in run_settings.forbidden if a in names and b in names
            ],
            "fixed": fixed,
        },
    }
    return BuiltProblem(problem, warnings, names, factor_codes)


def match_run_create(*, actor: Any, programme: Programme, run_settings: RunSettings) -> MatchRun:
    """Freeze a problem into a new run (queued); `match_run_execute` solves it."""
    _require_coordinator(actor, programme)
    built = match_problem_build(programme=programme, run_settings=run_settings)
    if not built.problem["cities"] or not built.problem["themes"]:
        raise DomainError(
            _(
                "There is nothing to match yet: cities need stated wishes and submitted "
                "self-assessments, and themes need a published benchmark and a number of pairs."
            )
        )
    try:
        validate_problem(built.problem)
    except ProblemError as error:
        raise DomainError(
            _("The matching problem is not valid: %s")
            % "; ".join(e["message"] for e in error.errors)
        ) from error
    with transaction.atomic():
        # Locking the programme row numbers runs one at a time, even when two coordinators
        # start one at the same moment.
        Programme.objects.select_for_update().filter(pk=programme.pk).first()
        last = MatchRun.objects.filter(programme=programme).aggregate(n=Max("number"))["n"]
        run = MatchRun(
            programme=programme,
            number=(last or 0) + 1,
            label=run_settings.label,
            created_by=actor,
            problem=built.problem,
            warnings=built.warnings,
            cities=built.cities,
            time_limit=max(1, min(run_settings.time_limit, settings.MATCHING_MAX_TIME_LIMIT)),
        )
        attribute_to(run, actor, "created")
        run.save()
    return run


def match_run_execute(
    run_id: int, *, notify_starter: bool = False, resume: bool = False
) -> MatchRun:
    """Solve a queued run, recording progress as the solver improves its answer.

    With `notify_starter` (a run on the queue: nobody is watching the page), the coordinator
    who started it is told when it has finished or failed. With `resume` (the queue's next try
    of a run whose database connection was lost), a run left running is taken over too."""
    # Claiming the run in one UPDATE: only one worker ever solves it.
    claimable = [RunStatus.QUEUED, RunStatus.RUNNING] if resume else [RunStatus.QUEUED]
    claimed = MatchRun.objects.filter(pk=run_id, status__in=claimable).update(
        status=RunStatus.RUNNING, claimed_at=timezone.now()
    )
    run = MatchRun.objects.select_related("programme").get(pk=run_id)
    if not claimed:
        return run

    # The solver reports from its own threads; the run's row carries the progress to the page
    # that polls it, whichever web process serves that page.
    running = MatchRun.objects.filter(pk=run.pk, status=RunStatus.RUNNING)
    try:
        with RowProgress(running) as record:
            result = solve(run.problem, time_limit=float(run.time_limit), progress=record)
    except Exception as error:  # the run must end failed, not stay "running" forever
        logger.exception("Matching run %s failed", run.pk)
        with transaction.atomic():
            run.status, run.error = RunStatus.FAILED, f"{type(error).__name__}: {error}"
            run.save(update_fields=["status", "error"])
            if notify_starter:
                _notify_starter(run)
        return run
    run.result = result
    run.solver_status = result["status"]
    run.objective, run.bound = result.get("objective"), result.get("bound")
    run.seconds = result.get("seconds")
    run.progress = {
        "objective": run.objective,
        "bound": run.bound,
        "gap": result.get("gap"),
        "seconds": run.seconds,
    }
    run.status = RunStatus.DONE
    with transaction.atomic():
        run.save()
        if notify_starter:
            _notify_starter(run)
    return run


def match_run_fail(run_id: int, error: str) -> bool:
    """End a run that is still running as failed (its result could not be saved) and tell the
    coordinator who started it; False when it had already ended."""
    with transaction.atomic():
        ended = MatchRun.objects.filter(pk=run_id, status=RunStatus.RUNNING).update(
            status=RunStatus.FAILED, error=error
        )
        if ended:
            _notify_starter(MatchRun.objects.select_related("programme").get(pk=run_id))
    return bool(ended)


# Kept on the run for the administrators; its page says in the reader's language that it failed.
STALLED = (
    "The worker solving this run stopped before it finished (restarted, or out of memory): "
    "start the matching again."
)


def match_runs_stalled_fail(*, now: datetime | None = None) -> int:
    """End failed each run still running MATCHING_STALLED_AFTER_SECONDS past its time limit:
    the worker (or web process) solving it stopped (killed, out of memory, restarted), since a
    solve never outlives its limit. Its starter is told, to start it again; how many ended."""
    now = now or timezone.now()
    grace = timedelta(seconds=settings.MATCHING_STALLED_AFTER_SECONDS)
    running = MatchRun.objects.filter(status=RunStatus.RUNNING, claimed_at__lt=now - grace)
    stalled = [
        pk
        for pk, claimed_at, limit in running.values_list("pk", "claimed_at", "time_limit")[:200]
        if claimed_at is not None and claimed_at + timedelta(seconds=limit) + grace < now
    ]
    return sum(match_run_fail(pk, STALLED) for pk in stalled)


def _notify_starter(run: MatchRun) -> None:
    """The coordinator who started a background run: it has finished (read its result) or
    failed (start it again)."""
    if run.created_by_id is None:
        return
    starter = Person.objects.filter(user_id=run.created_by_id).first()
    if starter is None:
        return
    notify(
        kind=kinds.RUN_FAILED if run.status == RunStatus.FAILED else kinds.RUN_FINISHED,
        recipients=[starter],
        url=reverse("matching:run", args=[run.programme.slug, run.pk]),
        programme=run.programme,
        params={"number": run.number, "programme": run.programme.name},
    )


def match_run_accept(
    *, actor: Any, run: MatchRun, fates: dict[str, Fate] | None = None
) -> PairsChange:
    """Make the run's pairs the programme's current pairs (audited), and mark it accepted.

    Pairs the run keeps stay; the others end (with their events, findings and plans). `fates`
    says, per open item of an ending pair (programmes.pair_ending: a visit not yet held), whether
    to keep it on the ended pair (the default), cancel it, or transfer it to the new pair of its
    implementing city.
    """
    _require_coordinator(actor, run.programme)
    with transaction.atomic():
        run = MatchRun.objects.select_for_update().select_related("programme").get(pk=run.pk)
        if run.accepted_at is not None:
            raise DomainError(_("This run is already accepted."))
        return _accept(actor, run, fates or {})


def run_pair_specs(run: MatchRun) -> list[PairSpec]:
    """The run's pairs as the programme service takes them (theme code, city slugs)."""
    if run.status != RunStatus.DONE or not run.has_pairs or run.result is None:
        raise DomainError(_("Only a finished run with pairs can be accepted."))
    if run.result["status"] not in ("optimal", "feasible"):
        raise DomainError(_("This run found no matching to accept."))
    return [
        PairSpec(
            theme=pair["theme"],
            mentor=pair["mentor"],
            implementing=pair["implementer"],
            illustrative=any(
                run.cities.get(slug, {}).get("illustrative", False)
                for slug in (pair["mentor"], pair["implementer"])
            ),
        )
        for pair in run.result["pairs"]
    ]


def acceptance_reason(run: MatchRun) -> str:
    """The audit trail's reason for every change an acceptance makes."""
    return f"matching accepted: run #{run.number}"


def _accept(actor: Any, run: MatchRun, fates: dict[str, Fate]) -> PairsChange:
    specs = run_pair_specs(run)
    reason = acceptance_reason(run)
    change = pairs_replace(
        actor=actor, programme=run.programme, pairs=specs, run_number=run.number, reason=reason
    )
    references_settle(
        actor=actor,
        ending=change.ending,
        fates=fates,
        new_pair_for=lambda pair: change.new_pair_for(pair.implementing.city_id),
        reason=reason,
    )
    for other in MatchRun.objects.filter(programme=run.programme, accepted_at__isnull=False):
        other.accepted_at, other.accepted_by = None, None
        attribute_to(other, actor, "superseded").save()
    run.accepted_at, run.accepted_by = timezone.now(), actor
    attribute_to(run, actor, "accepted").save()
    _notify_accepted(actor, run, change)
    return change


def _notify_accepted(actor: Any, run: MatchRun, change: PairsChange) -> None:
    """The pairs change: the other coordinators, and the officers of every city in a pair that
    ends or starts (a kept pair changes nothing for its cities), who now plan their work with
    their new partner. The programme's overview, which every member opens, shows the pairs."""
    changed: list[MentoringPair] = [*change.ending, *change.created]
    city_ids = {pair.mentor.city_id for pair in changed} | {
        pair.implementing.city_id for pair in changed
    }
    programme = run.programme
    officers = [
        person
        for city_id in sorted(city_ids)
        for person in holders(programme.pk, Role.CITY_OFFICER, city_id=city_id)
    ]
    notify(
        kind=kinds.RUN_ACCEPTED,
        recipients=[*holders(programme.pk, Role.COORDINATOR), *officers],
        url=reverse("programmes:overview", args=[programme.slug]),
        programme=programme,
        actor=actor,
        params={"number": run.number, "programme": programme.name},
    )
