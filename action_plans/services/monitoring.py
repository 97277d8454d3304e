"""After adoption: the city reports how each action is going (state, % done, evidence), marks
milestones, chooses what the public page shows, and holds the follow-up check-ins."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import attribute_to
from core.errors import DomainError
from core.uploads import EVIDENCE, CheckedUpload, UploadRefused, upload_check, upload_store

from ..choices import ActionState
from ..models import ActionPlan, CheckIn, Milestone, PlanAction, ProgressUpdate
from ..permissions import can_edit_plan, can_monitor_plan


@dataclass(frozen=True)
class ProgressInput:
    on: date
    state: str
    percent: int
    note: str = ""
    evidence: Any = None  # an uploaded file, optional


def _require_monitor(actor: Any, plan: ActionPlan) -> None:
    if not can_monitor_plan(actor, plan):
        raise DomainError(_("Only the city's officers and the coordinators report progress."))
    if plan.adopted_at is None:
        raise DomainError(_("Progress is reported once the plan has been adopted."))


def progress_update_add(*, actor: Any, action: PlanAction, data: ProgressInput) -> ProgressUpdate:
    """A dated report on an action of an adopted plan."""
    plan = action.plan
    _require_monitor(actor, plan)
    errors = {}
    if data.state not in ActionState.values:
        errors["state"] = _("Choose how the action is going.")
    if not 0 <= data.percent <= 100:
        errors["percent"] = _("Give a percentage between 0 and 100.")
    if data.state == ActionState.DONE and data.percent != 100:
        errors["percent"] = _("A finished action has its progress at 100.")
    if data.on > timezone.localdate():
        errors["on"] = _("Report what has happened: the date cannot be in the future.")
    evidence: CheckedUpload | None = None
    if data.evidence is not None:
        try:
            evidence = upload_check(data.evidence, EVIDENCE)
        except UploadRefused as refusal:
            errors["evidence"] = refusal.message
    if errors:
        raise DomainError(_("The progress could not be saved."), field_errors=errors)
    update = ProgressUpdate(
        action=action,
        on=data.on,
        state=data.state,
        percent=data.percent,
        note=data.note.strip(),
        author=actor,
    )
    if evidence is not None:
        upload_store(update.evidence, evidence)
        update.evidence_name = evidence.name
    attribute_to(update, actor, "progress reported")
    update.save()
    return update


def milestone_add(*, actor: Any, action: PlanAction, title: str, due_on: date) -> Milestone:
    _require_monitor(actor, action.plan)
    if not title.strip():
        raise DomainError(
            _("Name the milestone."), field_errors={"title": _("Name the milestone.")}
        )
    milestone = Milestone(action=action, title=title.strip(), due_on=due_on)
    attribute_to(milestone, actor, "planned")
    milestone.save()
    return milestone


def milestone_reach(*, actor: Any, milestone: Milestone, on: date) -> Milestone:
    _require_monitor(actor, milestone.action.plan)
    if on > timezone.localdate():
        raise DomainError(_("A milestone is reached on a past day or today."))
    milestone.done_on = on
    attribute_to(milestone, actor, "reached")
    milestone.save()
    return milestone


def check_in_hold(*, actor: Any, check_in: CheckIn, summary: str) -> CheckIn:
    _require_monitor(actor, check_in.plan)
    if not summary.strip():
        raise DomainError(
            _("Summarise where the plan stands."),
            field_errors={"summary": _("Summarise where the plan stands.")},
        )
    check_in.summary, check_in.done_at = summary.strip(), timezone.now()
    attribute_to(check_in, actor, "held")
    check_in.save()
    return check_in


def action_plan_publication_set(
    *, actor: Any, plan: ActionPlan, published: bool, public_action_ids: set[int]
) -> ActionPlan:
    """The city's choice: whether the adopted plan is on the public site, and which actions."""
    if not can_edit_plan(actor, plan):
        raise DomainError(_("Only the city's officers choose what is published."))
    with transaction.atomic():
        plan.published = published
        attribute_to(plan, actor, "publication")
        plan.save(update_fields=["published"])
        for action in plan.actions.all():
            public = action.pk in public_action_ids
            if action.public != public:
                action.public = public
                attribute_to(action, actor, "publication")
                action.save(update_fields=["public"])
    return plan
