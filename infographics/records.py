"""What an infographic is made of, read from the records: the cities and their roles, the theme,
key figures, the candidate strengths, challenges and future actions (visit findings, plan
actions), and the gap analysis before and after. Nothing here writes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q

from action_plans.choices import PlanStatus
from action_plans.models import ActionPlan, PlanAction
from assessments.choices import AssessmentStatus
from assessments.selectors import city_gaps
from programmes.choices import SchemeRole
from programmes.models import MentoringPair, Theme
from visits.choices import PAIR_FORMATS, EventStatus, FindingKind
from visits.models import Event, Finding
from visits.times import event_first_day, event_last_day

from .choices import ItemKind

# How many items of each kind the generated selection proposes, and how long an item may be
# on the infographic (the facilitator shortens the rest; the generated text is cut at a word).
PER_KIND = 3
MAX_TEXT = 160

FINDING_KINDS = {
    FindingKind.STRENGTH: ItemKind.STRENGTH,
    FindingKind.CHALLENGE: ItemKind.CHALLENGE,
    FindingKind.RECOMMENDATION: ItemKind.ACTION,
}


def shorten(text: str, limit: int = MAX_TEXT) -> str:
    """The first sentence if it fits, else the text cut at a word with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    sentence = text.split(". ")[0].rstrip(".") + "."
    if len(sentence) <= limit:
        return sentence
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "\u2026"


@dataclass
class Candidate:
    """A record the infographic may show: a finding or a plan action."""

    kind: str
    text: str
    finding: Finding | None = None
    plan_action: PlanAction | None = None

    @property
    def key(self) -> str:
        if self.finding is not None:
            return f"finding-{self.finding.pk}"
        return f"action-{self.plan_action.pk if self.plan_action else ''}"


@dataclass
class GapRow:
    code: str
    title: str
    before: float | None
    after: float | None


@dataclass
class Records:
    """What the records say about one pair or one scheme, at the time they are read."""

    theme: Theme
    pairs: list[MentoringPair]
    cities: list[tuple[str, str]]  # (name, role label)
    visits: int
    officers: int
    visit_days: int
    findings: int
    candidates: list[Candidate] = field(default_factory=list)
    gap_rows: list[GapRow] = field(default_factory=list)
    gap_top: int = 3
    gap_phases: tuple[str, str] = ("", "")

    def candidate(self, key: str) -> Candidate | None:
        return next((c for c in self.candidates if c.key == key), None)


def _events(pairs: list[MentoringPair]) -> list[Event]:
    return list(
        Event.objects.filter(
            pair__in=pairs,
            format__in=PAIR_FORMATS,
            status__in=(EventStatus.HELD, EventStatus.REPORTED),
        )
        .prefetch_related(
            Prefetch("participants", to_attr="attendance"),
        )
        .order_by("starts_at")
    )


def _findings(events: list[Event]) -> list[Finding]:
    return list(
        Finding.objects.filter(report__event__in=events, report__submitted_at__isnull=False)
        .select_related("city", "report__event")
        .order_by("report__event__starts_at", "order", "pk")
    )


def _plan_actions(pairs: list[MentoringPair]) -> list[PlanAction]:
    """The public actions of the implementing cities' plans, adopted plans first."""
    cities = [pair.implementing.city_id for pair in pairs]
    if not pairs:
        return []
    plans = ActionPlan.objects.filter(programme_id=pairs[0].scheme.programme_id, city_id__in=cities)
    actions = list(
        PlanAction.objects.filter(plan__in=plans, public=True)
        .select_related("plan")
        .order_by("plan__city__name", "order", "pk")
    )
    adopted = [a for a in actions if a.plan.status == PlanStatus.ADOPTED]
    return adopted or actions


def _gaps(actor: Any, theme: Theme, pairs: list[MentoringPair]) -> tuple[list[GapRow], int, tuple]:
    """Each key factor's mean level among the implementing cities: at their first settled
    self-assessment of the theme (before) and at their latest later one (after)."""
    before: dict[str, list[int]] = {}
    after: dict[str, list[int]] = {}
    titles: dict[str, str] = {}
    order: list[str] = []
    top = 3
    phases = ["", ""]
    for pair in pairs:
        city = pair.implementing.city
        gaps = city_gaps(actor, theme.programme.slug, city.slug)
        top = gaps.top or top
        for theme_gaps in gaps.themes:
            if theme_gaps.theme.pk != theme.pk:
                continue
            settled = [
                a.phase
                for a in theme_gaps.assessments
                if a.status in (AssessmentStatus.SUBMITTED, AssessmentStatus.ACCEPTED)
            ]
            if not settled:
                continue
            first, last = settled[0], settled[-1]
            phases[0] = phases[0] or first
            if last != first:
                phases[1] = phases[1] or last
            for line in theme_gaps.lines:
                if line.code not in titles:
                    titles[line.code] = line.title
                    order.append(line.code)
                if (level := line.levels.get(first)) is not None:
                    before.setdefault(line.code, []).append(level)
                if last != first and (level := line.levels.get(last)) is not None:
                    after.setdefault(line.code, []).append(level)

    def mean(values: list[int] | None) -> float | None:
        return round(sum(values) / len(values), 1) if values else None

    rows = [
        GapRow(
            code=code,
            title=titles[code],
            before=mean(before.get(code)),
            after=mean(after.get(code)),
        )
        for code in order
    ]
    return rows, top, (phases[0], phases[1])


def records_for(actor: Any, *, theme: Theme, pair: MentoringPair | None) -> Records:
    """The records of one pair, or of every pair of the theme's scheme (current and past)."""
    if pair is not None:
        pairs = [pair]
    else:
        pairs = list(
            MentoringPair.objects.filter(scheme__theme=theme)
            .select_related("mentor__city", "implementing__city", "scheme")
            .order_by("implementing__city__name")
        )
    if pair is not None:
        cities = [
            (pair.mentor.city.name, str(SchemeRole.MENTOR.label)),
            (pair.implementing.city.name, str(SchemeRole.IMPLEMENTING.label)),
        ]
    else:
        members = theme.scheme.members.filter(Q(ended_on__isnull=True)).select_related("city")
        cities = [
            (m.city.name, m.get_role_display())
            for m in sorted(members, key=lambda m: (m.role != SchemeRole.MENTOR, m.city.name))
        ]
    events = _events(pairs)
    findings = _findings(events)
    officers = {p.person_id for e in events for p in e.attendance if p.attended}  # type: ignore[attr-defined]
    days = sum((event_last_day(e) - event_first_day(e)).days + 1 for e in events)
    candidates = [
        Candidate(kind=FINDING_KINDS[FindingKind(f.kind)], text=f.text, finding=f) for f in findings
    ]
    candidates += [
        Candidate(kind=ItemKind.ACTION, text=a.title, plan_action=a) for a in _plan_actions(pairs)
    ]
    rows, top, phases = _gaps(actor, theme, pairs)
    return Records(
        theme=theme,
        pairs=pairs,
        cities=cities,
        visits=len(events),
        officers=len(officers),
        visit_days=days,
        findings=len(findings),
        candidates=candidates,
        gap_rows=rows,
        gap_top=top,
        gap_phases=phases,
    )


def generated_selection(records: Records) -> list[Candidate]:
    """The starting point: up to PER_KIND strengths and challenges from the visit findings, and
    the future actions from the plan's actions (the visits' recommended actions when no plan has
    actions yet), in the order of the records."""
    chosen: list[Candidate] = []
    for kind in (ItemKind.STRENGTH, ItemKind.CHALLENGE):
        chosen += [c for c in records.candidates if c.kind == kind][:PER_KIND]
    plan = [c for c in records.candidates if c.plan_action is not None]
    recommended = [c for c in records.candidates if c.kind == ItemKind.ACTION and c.finding]
    chosen += (plan or recommended)[:PER_KIND]
    return chosen
