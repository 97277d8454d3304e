"""Starting a plan and saving its sections and risks: every save keeps a version; a save made
on a stale copy is refused, and its text kept as a conflicting version so nothing is lost."""

from dataclasses import asdict, dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import attribute_to
from core.errors import ConcurrentEditError, DomainError
from core.rules import Action
from programmes.access import viewer_for
from programmes.models import City, MentoringPair, Programme

from ..choices import Level, PlanStatus
from ..models import ActionPlan, PlanRisk
from ..permissions import can_edit_plan
from ..versions import plan_content, version_save


@dataclass(frozen=True)
class RiskInput:
    description: str
    likelihood: str
    impact: str
    mitigation: str = ""


@dataclass(frozen=True)
class PlanSections:
    title: str
    context: str
    vision: str
    objectives: str
    language: str = "en"


def action_plan_start(*, actor: Any, programme: Programme, city: City) -> ActionPlan:
    """Open the plan of an implementing city (its officers, or a coordinator on their behalf)."""
    pair = (
        MentoringPair.objects.current()
        .filter(scheme__programme=programme, implementing__city=city)
        .select_related("scheme__theme", "mentor__city")
        .first()
    )
    if pair is None:
        raise DomainError(_("Only an implementing city of a mentoring pair writes a plan."))
    viewer = viewer_for(actor)
    if not (
        viewer.reaches(Action.EDIT_PLAN, programme_id=programme.pk, city_id=city.pk)
        or viewer.can(Action.MANAGE_SCHEMES, programme_id=programme.pk)
    ):
        raise DomainError(_("Only the city's officers start its action plan."))
    with transaction.atomic():
        plan, created = ActionPlan.objects.get_or_create(
            programme=programme,
            city=city,
            defaults={
                "pair": pair,
                "title": _("Local action plan of %(city)s: %(theme)s")
                % {"city": city.name, "theme": pair.scheme.theme.title},
            },
        )
        if created:
            version_save(plan=plan, actor=actor, note=_("Started"))
    return plan


def require_draft_editor(actor: Any, plan: ActionPlan) -> None:
    """Refuse unless the person may edit and the plan is a draft."""
    if not can_edit_plan(actor, plan):
        raise DomainError(_("Only the city's officers edit the plan; others comment on it."))
    if plan.status != PlanStatus.DRAFT:
        raise DomainError(
            _("The plan is “%(status)s”: it is edited again once it is back to draft.")
            % {"status": plan.get_status_display()}
        )


def _risk_errors(risks: list[RiskInput]) -> dict[str, str]:
    errors = {}
    for index, risk in enumerate(risks):
        if not risk.description.strip():
            errors[f"risks-{index}-description"] = _("Describe the risk.")
        for name in ("likelihood", "impact"):
            if getattr(risk, name) not in Level.values:
                errors[f"risks-{index}-{name}"] = _("Choose low, medium or high.")
    return errors


def action_plan_save(
    *,
    actor: Any,
    plan: ActionPlan,
    expected_revision: int,
    sections: PlanSections,
    risks: list[RiskInput],
) -> ActionPlan:
    """Save the plan's sections and risks as a new version."""
    errors = _risk_errors(risks)
    if not sections.title.strip():
        errors["title"] = _("Give the plan a title.")
    if errors:
        raise DomainError(_("The plan could not be saved."), field_errors=errors)
    with transaction.atomic():
        current = ActionPlan.objects.select_for_update().get(pk=plan.pk)
        require_draft_editor(actor, current)
        stale = current.revision != expected_revision
        if not stale:
            for name, value in asdict(sections).items():
                setattr(current, name, value.strip() if name != "language" else value)
            current.revision += 1
            attribute_to(current, actor, "saved")
            current.save()
            current.risks.all().delete()
            PlanRisk.objects.bulk_create(
                PlanRisk(plan=current, order=order, **asdict(risk))
                for order, risk in enumerate(risks, start=1)
            )
            version_save(plan=current, actor=actor, note=_("Sections saved"))
    if stale:
        _keep_refused(actor, current, {**asdict(sections), "risks": [asdict(r) for r in risks]})
    return current


def _keep_refused(actor: Any, plan: ActionPlan, attempted: dict[str, Any]) -> None:
    """Keep the refused text as a conflicting version (both texts are kept), then refuse."""
    version_save(
        plan=plan,
        actor=actor,
        note=_("Refused: saved on a stale copy"),
        content={**plan_content(plan), **attempted},
        conflict=True,
    )
    raise ConcurrentEditError(
        _(
            "Someone else saved the plan while you were editing it. Your text is still in the "
            "form below and kept as a version; compare it with the saved plan and save again."
        )
    )
