"""The actions of a plan, with their indicators and their links to key factors and findings;
each save keeps a version of the plan and is refused when made on a stale copy of the action."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, Q, When
from django.utils.translation import gettext as _

from assessments.models import KeyFactor
from core.audit import attribute_to
from core.errors import ConcurrentEditError, DomainError
from knowledge.choices import PracticeState
from knowledge.models import GoodPractice
from visits.models import Finding

from ..choices import FundingSource
from ..models import ActionPlan, Indicator, PlanAction
from ..versions import ACTION_FIELDS, version_save
from .plans import require_draft_editor

MAX_EUR = Decimal("9999999999.99")


@dataclass(frozen=True)
class IndicatorInput:
    name: str
    target: Decimal | None
    unit: str = ""
    baseline: Decimal | None = None


@dataclass(frozen=True)
class ActionInput:
    title: str
    start: date
    end: date
    description: str = ""
    lead_department: str = ""
    partners: str = ""
    budget_eur: Decimal = Decimal("0")
    staff_days: Decimal = Decimal("0")
    funding_source: str = ""
    public: bool = True
    indicators: list[IndicatorInput] = field(default_factory=list)
    key_factor_ids: list[int] = field(default_factory=list)
    finding_ids: list[int] = field(default_factory=list)
    adapts_practice: str = ""  # the reference of the good practice the action adapts


def citable_practices(plan: ActionPlan, limit: int = 300) -> list[GoodPractice]:
    """Published practices an action may cite: the mentor city's first, then those that
    illustrate the plan theme's key factors."""
    if plan.pair is None:
        return []
    mentor_city_id = plan.pair.mentor.city_id
    factor_codes = [k.code for k in linkable_key_factors(plan)]
    return list(
        GoodPractice.objects.filter(state=PracticeState.PUBLISHED)
        .filter(Q(city_id=mentor_city_id) | Q(key_factors__code__in=factor_codes))
        .annotate(from_mentor=Case(When(city_id=mentor_city_id, then=0), default=1))
        .distinct()
        .order_by("from_mentor", "title")[:limit]
    )


def linkable_key_factors(plan: ActionPlan) -> list[KeyFactor]:
    """The key factors of the published benchmarks of the plan's theme."""
    if plan.pair is None:
        return []
    return list(
        KeyFactor.objects.filter(
            benchmark__theme_id=plan.pair.scheme.theme_id, benchmark__status="published"
        ).order_by("benchmark__version", "order")
    )


def linkable_findings(plan: ActionPlan) -> list[Finding]:
    """The findings about the plan's city in the programme's visit reports."""
    return list(
        Finding.objects.filter(city_id=plan.city_id, report__event__programme_id=plan.programme_id)
        .select_related("report__event")
        .order_by("report__event__starts_at", "order")
    )


def _errors(plan: ActionPlan, data: ActionInput) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not data.title.strip():
        errors["title"] = _("Give the action a title.")
    if data.end < data.start:
        errors["end"] = _("The end must not come before the start.")
    if data.budget_eur < 0:
        errors["budget_eur"] = _("The budget cannot be negative.")
    elif data.budget_eur > MAX_EUR:
        errors["budget_eur"] = _("The budget is too large.")
    if data.staff_days < 0:
        errors["staff_days"] = _("Staff days cannot be negative.")
    if data.funding_source and data.funding_source not in FundingSource.values:
        errors["funding_source"] = _("Choose one of the funding sources.")
    for index, indicator in enumerate(data.indicators):
        if not indicator.name.strip():
            errors[f"indicators-{index}-name"] = _("Name the indicator.")
        if indicator.target is None:
            errors[f"indicators-{index}-target"] = _("Give the indicator a target.")
    factors = {k.pk for k in linkable_key_factors(plan)}
    if set(data.key_factor_ids) - factors:
        errors["key_factors"] = _("Choose key factors of the plan's theme.")
    findings = {f.pk for f in linkable_findings(plan)}
    if set(data.finding_ids) - findings:
        errors["findings"] = _("Choose findings about the city.")
    if data.adapts_practice and not _published_practice(data.adapts_practice):
        errors["adapts_practice"] = _("Choose a published good practice.")
    return errors


def _published_practice(reference: str) -> GoodPractice | None:
    return GoodPractice.objects.filter(reference=reference, state=PracticeState.PUBLISHED).first()


def plan_action_save(
    *,
    actor: Any,
    plan: ActionPlan,
    action: PlanAction | None,
    expected_revision: int | None,
    data: ActionInput,
) -> PlanAction:
    """Add an action (`action` None) or change one; its indicators are replaced."""
    require_draft_editor(actor, plan)
    errors = _errors(plan, data)
    if errors:
        raise DomainError(_("The action could not be saved."), field_errors=errors)
    with transaction.atomic():
        ActionPlan.objects.select_for_update().get(pk=plan.pk)  # one writer of a plan at a time
        if action is None:
            last = plan.actions.order_by("-order").values_list("order", flat=True).first() or 0
            current = PlanAction(plan=plan, order=last + 1)
        else:
            current = PlanAction.objects.select_for_update().get(pk=action.pk, plan=plan)
            if current.revision != expected_revision:
                raise ConcurrentEditError(
                    _(
                        "Someone else saved this action while you were editing it. Your text is "
                        "still in the form below; check the saved action and save again."
                    )
                )
            current.revision += 1
        for name in (*ACTION_FIELDS, "public"):
            value = getattr(data, name)
            setattr(current, name, value.strip() if isinstance(value, str) else value)
        current.adapts_practice = (
            _published_practice(data.adapts_practice) if data.adapts_practice else None
        )
        attribute_to(current, actor, "saved")
        try:
            current.full_clean(exclude=["plan"])
        except ValidationError as error:
            raise DomainError(
                _("The action could not be saved."),
                field_errors={name: messages[0] for name, messages in error.message_dict.items()},
            ) from error
        current.save()
        current.indicators.all().delete()
        for indicator in data.indicators:
            Indicator.objects.create(
                action=current,
                name=indicator.name.strip(),
                unit=indicator.unit.strip(),
                baseline=indicator.baseline,
                target=indicator.target or Decimal("0"),  # never None: checked above
            )
        current.key_factors.set(data.key_factor_ids)
        current.findings.set(data.finding_ids)
        version_save(
            plan=plan, actor=actor, note=_("Action saved: %(title)s") % {"title": current.title}
        )
    return current


def plan_action_remove(*, actor: Any, plan: ActionPlan, action: PlanAction) -> None:
    require_draft_editor(actor, plan)
    with transaction.atomic():
        ActionPlan.objects.select_for_update().get(pk=plan.pk)
        title = action.title
        attribute_to(action, actor, "removed")
        action.delete()
        version_save(plan=plan, actor=actor, note=_("Action removed: %(title)s") % {"title": title})
