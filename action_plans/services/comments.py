"""Comments and suggestions on a plan's sections and actions, answered and resolved."""

from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import attribute_to
from core.errors import DomainError
from core.roles import Role
from notifications.recipients import holders
from notifications.services import notify

from .. import notification_kinds as kinds
from ..choices import CommentStatus, Section
from ..models import ActionPlan, PlanAction, PlanComment
from ..permissions import can_comment_plan, can_edit_plan
from ..versions import version_save
from .plans import require_draft_editor

# The sections whose whole text a suggestion may replace.
TEXT_SECTIONS = (Section.CONTEXT, Section.VISION, Section.OBJECTIVES)


def suggestion_applicable(comment: PlanComment) -> bool:
    """A suggested text for a text section, not applied yet (whether the plan still allows it is
    checked when it is applied)."""
    return bool(comment.suggestion) and comment.section in TEXT_SECTIONS and not comment.applied_at


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
    """A new thread on a section or an action, or (`parent`) an answer in a thread. A suggested
    text waits for the city's officers, who apply it or not: they are told."""
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
    about = parent.section if parent else section
    suggestion = suggestion.strip()
    comment = PlanComment(
        plan=plan,
        edition=plan.edition,
        section=about,
        action=parent.action if parent else action,
        parent=parent,
        author=actor,
        body=body.strip(),
        suggestion=suggestion,
        # What the suggestion is based on, so that applying it never overwrites a later edit.
        suggestion_base=getattr(plan, about) if suggestion and about in TEXT_SECTIONS else None,
    )
    attribute_to(comment, actor, "answered" if parent else "commented")
    with transaction.atomic():
        comment.save()
        if suggestion:
            notify(
                kind=kinds.SUGGESTION,
                recipients=holders(plan.programme_id, Role.CITY_OFFICER, city_id=plan.city_id),
                url=reverse("action_plans:plan", args=[plan.programme.slug, plan.city.slug]),
                programme=plan.programme,
                actor=actor,
                params={
                    "plan": plan.title,
                    "city": plan.city.name,
                    "person": getattr(getattr(actor, "person", None), "full_name", ""),
                    "section_label": Section(about).label,
                },
                message=comment.body,
            )
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


def plan_comment_apply(*, actor: Any, comment: PlanComment) -> PlanComment:
    """Apply a comment's suggested text to its section: a normal edit of the draft (a new
    revision and version, audited with the comment named), refused if the section changed since
    the suggestion was made, so that nobody's later text is overwritten."""
    if not suggestion_applicable(comment):
        if comment.applied_at is not None:
            raise DomainError(_("This suggestion is already applied."))
        raise DomainError(_("Only a suggested text for the context, vision or objectives applies."))
    with transaction.atomic():
        plan = ActionPlan.objects.select_for_update().get(pk=comment.plan_id)
        require_draft_editor(actor, plan)
        locked = PlanComment.objects.select_for_update().get(pk=comment.pk)
        if locked.applied_at is not None:
            raise DomainError(_("This suggestion is already applied."))
        if locked.edition != plan.edition:
            raise DomainError(_("This suggestion was made on an earlier edition of the plan."))
        section = Section(locked.section)
        if locked.suggestion_base is None or locked.suggestion_base != getattr(plan, section):
            raise DomainError(
                _(
                    "The section “%(section)s” changed since this suggestion was made: edit "
                    "the text yourself, or ask for a new suggestion."
                )
                % {"section": section.label}
            )
        setattr(plan, section, locked.suggestion)
        plan.revision += 1
        attribute_to(plan, actor, f"suggestion of comment {locked.pk} applied")
        plan.save()
        version_save(
            plan=plan,
            actor=actor,
            note=_("Suggestion of comment %(number)s applied to “%(section)s”")
            % {"number": locked.pk, "section": section.label},
        )
        locked.applied_by, locked.applied_at = actor, timezone.now()
        attribute_to(locked, actor, "suggestion applied")
        locked.save()
    comment.applied_by, comment.applied_at = locked.applied_by, locked.applied_at
    return locked
