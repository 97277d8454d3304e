"""Comments and suggestions on a plan's sections and actions, answered and resolved."""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import attribute_to
from core.errors import DomainError

from ..choices import CommentStatus, Section
from ..models import ActionPlan, PlanAction, PlanComment
from ..permissions import can_comment_plan, can_edit_plan


def plan_comment_add(
    *,
    actor: Any,
    plan: ActionPlan,
    body: str,
    section: str = "",
    action: PlanAction | None = None,
    suggestion: str = "",
    parent: PlanComment | None = None,
) -> PlanComment:
    """A new thread on a section or an action, or (`parent`) an answer in a thread."""
    if not (can_comment_plan(actor, plan) or can_edit_plan(actor, plan)):
        raise DomainError(_("Only the pair, the facilitator and the coordinators comment."))
    errors = {}
    if not body.strip():
        errors["body"] = _("Write your comment.")
    if parent is None and section not in Section.values:
        errors["section"] = _("Choose the part of the plan you comment on.")
    if parent is None and section == Section.ACTION and action is None:
        errors["action"] = _("Choose the action you comment on.")
    if action is not None and action.plan_id != plan.pk:
        errors["action"] = _("This action is not in the plan.")
    if parent is not None and (parent.plan_id != plan.pk or parent.parent_id is not None):
        errors["body"] = _("Answer a comment of this plan.")
    if errors:
        raise DomainError(_("The comment could not be saved."), field_errors=errors)
    comment = PlanComment(
        plan=plan,
        edition=plan.edition,
        section=parent.section if parent else section,
        action=parent.action if parent else action,
        parent=parent,
        author=actor,
        body=body.strip(),
        suggestion=suggestion.strip(),
    )
    attribute_to(comment, actor, "answered" if parent else "commented")
    comment.save()
    return comment


def plan_comment_resolve(*, actor: Any, comment: PlanComment) -> PlanComment:
    """Close a thread: its author, or the plan's editors once they have dealt with it."""
    plan = comment.plan
    if comment.author_id != getattr(actor, "pk", None) and not can_edit_plan(actor, plan):
        raise DomainError(_("The comment's author or the city's officers resolve it."))
    if comment.parent_id is not None:
        raise DomainError(_("Resolve the thread from its first comment."))
    comment.status = CommentStatus.RESOLVED
    comment.resolved_by, comment.resolved_at = actor, timezone.now()
    attribute_to(comment, actor, "resolved")
    comment.save()
    return comment
