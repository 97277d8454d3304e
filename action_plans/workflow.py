"""The plan's workflow: one table of transitions with who may perform each, one function that
performs them. Nothing else assigns `ActionPlan.status`.

draft → in review (the implementing city's officers send it) → submitted (the facilitator or a
coordinator clears the review) → approved (the city's administrative approver) → adopted (the
city's political approver endorses it, recording the decision and its document).
Sent back to draft, with reasons: changes requested in review (mentor city, facilitator,
coordinators), returned by the administration, declined by the politicians. An adopted plan is
revised by starting its next edition as a draft.
"""

import calendar
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import attribute_to
from core.errors import DomainError
from core.roles import ApprovalLevel, Role
from core.uploads import DECISIONS, CheckedUpload, UploadRefused, upload_check, upload_store
from notifications.recipients import holders
from notifications.services import notify
from programmes.models import Person

from . import notification_kinds as kinds
from .choices import Decision, PlanStatus
from .models import ActionPlan, CheckIn, PlanTransition
from .permissions import (
    can_decide_plan,
    can_edit_plan,
    can_request_changes,
    can_review_plan,
)
from .versions import version_save

CHECK_IN_MONTHS = (6, 12)  # after the programme's end


class Step(StrEnum):
    SEND_FOR_REVIEW = "send_for_review"
    REQUEST_CHANGES = "request_changes"
    SUBMIT = "submit"
    APPROVE = "approve"
    RETURN = "return"
    ENDORSE = "endorse"
    DECLINE = "decline"
    REVISE = "revise"


def _administrative(user: Any, plan: ActionPlan) -> bool:
    return can_decide_plan(user, plan, ApprovalLevel.ADMINISTRATIVE)


def _political(user: Any, plan: ActionPlan) -> bool:
    return can_decide_plan(user, plan, ApprovalLevel.POLITICAL)


@dataclass(frozen=True)
class StepRule:
    sources: tuple[PlanStatus, ...]
    target: PlanStatus
    allowed: Callable[[Any, ActionPlan], bool]
    refusal: Any
    label: Any
    needs_comment: bool = False
    decision: Decision | None = None  # recorded with the transition (approvals and endorsement)


STEPS: dict[Step, StepRule] = {
    Step.SEND_FOR_REVIEW: StepRule(
        (PlanStatus.DRAFT,),
        PlanStatus.IN_REVIEW,
        can_edit_plan,
        gettext_lazy("Only the city's officers send their plan for review."),
        gettext_lazy("Send for review"),
    ),
    Step.REQUEST_CHANGES: StepRule(
        (PlanStatus.IN_REVIEW,),
        PlanStatus.DRAFT,
        can_request_changes,
        gettext_lazy("Only the mentor city, the facilitator and the coordinators review it."),
        gettext_lazy("Request changes"),
        needs_comment=True,
    ),
    Step.SUBMIT: StepRule(
        (PlanStatus.IN_REVIEW,),
        PlanStatus.SUBMITTED,
        can_review_plan,
        gettext_lazy("Only the facilitator and the coordinators close the review."),
        gettext_lazy("Review done: submit to the city"),
    ),
    Step.APPROVE: StepRule(
        (PlanStatus.SUBMITTED,),
        PlanStatus.APPROVED,
        _administrative,
        gettext_lazy("Only the city's administrative approver approves it."),
        gettext_lazy("Approve"),
        decision=Decision.APPROVED,
    ),
    Step.RETURN: StepRule(
        (PlanStatus.SUBMITTED,),
        PlanStatus.DRAFT,
        _administrative,
        gettext_lazy("Only the city's administrative approver returns it."),
        gettext_lazy("Return with reasons"),
        needs_comment=True,
        decision=Decision.RETURNED,
    ),
    Step.ENDORSE: StepRule(
        (PlanStatus.APPROVED,),
        PlanStatus.ADOPTED,
        _political,
        gettext_lazy("Only the city's political approver endorses it."),
        gettext_lazy("Record the political endorsement"),
        decision=Decision.ENDORSED,
    ),
    Step.DECLINE: StepRule(
        (PlanStatus.APPROVED,),
        PlanStatus.DRAFT,
        _political,
        gettext_lazy("Only the city's political approver declines it."),
        gettext_lazy("Decline with reasons"),
        needs_comment=True,
        decision=Decision.RETURNED,
    ),
    Step.REVISE: StepRule(
        (PlanStatus.ADOPTED,),
        PlanStatus.DRAFT,
        can_edit_plan,
        gettext_lazy("Only the city's officers start a revision of their plan."),
        gettext_lazy("Start a revision"),
        needs_comment=True,
    ),
}


# The steps that wait on someone other than the plan's authors: the review and approval inbox.
DECISION_STEPS = frozenset(
    {Step.REQUEST_CHANGES, Step.SUBMIT, Step.APPROVE, Step.RETURN, Step.ENDORSE, Step.DECLINE}
)


@dataclass(frozen=True)
class Endorsement:
    """The political decision: which body, when, its reference, and the signed document."""

    body: str
    decided_on: date | None
    reference: str
    document: Any  # an uploaded file


def steps_for(user: Any, plan: ActionPlan) -> list[tuple[Step, StepRule]]:
    """The steps this person may take now (the buttons of the plan page)."""
    return [
        (step, rule)
        for step, rule in STEPS.items()
        if plan.status in rule.sources and rule.allowed(user, plan)
    ]


def _endorsement_errors(
    endorsement: Endorsement | None,
) -> tuple[dict[str, str], CheckedUpload | None]:
    """What is missing or wrong in the decision, and its document as the upload policy took it."""
    if endorsement is None:
        return {"body": _("Record the decision that adopts the plan.")}, None
    errors = {}
    document = None
    if not endorsement.body.strip():
        errors["body"] = _("Name the body that decided (for example: the city council).")
    if endorsement.decided_on is None:
        errors["decided_on"] = _("Give the date of the decision.")
    elif endorsement.decided_on > timezone.localdate():
        errors["decided_on"] = _("The decision cannot be in the future.")
    if not endorsement.reference.strip():
        errors["reference"] = _("Give the decision's reference.")
    if endorsement.document is None:
        errors["document"] = _("Upload the decision document.")
    else:
        try:
            document = upload_check(endorsement.document, DECISIONS)
        except UploadRefused as refusal:
            errors["document"] = refusal.message
    return errors, document


def _completeness_errors(plan: ActionPlan) -> dict[str, str]:
    """What a plan needs before review: its three sections and at least one action, each
    measured by an indicator."""
    errors = {}
    for name, label in (
        ("context", _("the context")),
        ("vision", _("the vision")),
        ("objectives", _("the objectives")),
    ):
        if not getattr(plan, name).strip():
            errors[name] = _("Write %(section)s before sending the plan.") % {"section": label}
    actions = list(plan.actions.prefetch_related("indicators"))
    if not actions:
        errors["actions"] = _("Add at least one action before sending the plan.")
    for action in actions:
        if not action.indicators.all():
            errors["actions"] = _("Give “%(action)s” at least one indicator.") % {
                "action": action.title
            }
    return errors


def plan_step(
    *,
    actor: Any,
    plan: ActionPlan,
    step: Step,
    comment: str = "",
    endorsement: Endorsement | None = None,
) -> ActionPlan:
    """Take one step of the workflow: checked, locked, logged with its comment, audited."""
    rule = STEPS[step]
    if not rule.allowed(actor, plan):
        raise DomainError(str(rule.refusal))
    comment = comment.strip()
    errors: dict[str, str] = {}
    document: CheckedUpload | None = None
    if rule.needs_comment and not comment:
        errors["comment"] = _("Give your reasons: the city's officers read them.")
    if step is Step.ENDORSE:
        endorsement_errors, document = _endorsement_errors(endorsement)
        errors |= endorsement_errors
    if errors:
        raise DomainError(_("This step needs more information."), field_errors=errors)
    with transaction.atomic():
        locked = (
            ActionPlan.objects.select_for_update(of=("self",))
            .select_related("programme", "city", "pair__mentor")
            .get(pk=plan.pk)
        )
        if locked.status not in rule.sources:
            raise DomainError(
                _("The plan is “%(status)s”: this step is not possible now.")
                % {"status": locked.get_status_display()}
            )
        if step is Step.SEND_FOR_REVIEW:
            incomplete = _completeness_errors(locked)
            if incomplete:
                raise DomainError(
                    _("The plan is not complete yet: %(what)s")
                    % {"what": " ".join(incomplete.values())},
                    field_errors=incomplete,
                )
        log = PlanTransition(
            plan=locked,
            edition=locked.edition,
            transition=step.value,
            from_status=locked.status,
            to_status=rule.target,
            actor=actor,
            comment=comment,
            decision=rule.decision or "",
        )
        if step is Step.ENDORSE and endorsement is not None and document is not None:
            log.body, log.reference = endorsement.body.strip(), endorsement.reference.strip()
            log.decided_on = endorsement.decided_on
            upload_store(log.document, document)
            log.document_name = document.name
            # The adopted text, kept as it stood when the politicians decided.
            version_save(plan=locked, actor=actor, note=_("Adopted"), adopted=True)
        log.save()
        locked.status = rule.target
        locked.revision += 1
        if step is Step.ENDORSE:
            locked.adopted_at = timezone.now()
        if step is Step.REVISE:
            locked.edition += 1
        attribute_to(locked, actor, reason=f"{step.value}: {comment}"[:100])
        locked.save()
        if step is Step.ENDORSE:
            _schedule_check_ins(locked)
        _notify(actor, locked, step, comment)
    plan.status, plan.revision, plan.edition = locked.status, locked.revision, locked.edition
    plan.adopted_at = locked.adopted_at
    return plan


# Who must act after each step, and what they are told. A revision (the officers reopen their
# own adopted plan) waits on nobody else and tells nobody.
STEP_KINDS: dict[Step, str] = {
    Step.SEND_FOR_REVIEW: kinds.IN_REVIEW,
    Step.REQUEST_CHANGES: kinds.CHANGES_REQUESTED,
    Step.SUBMIT: kinds.SUBMITTED,
    Step.APPROVE: kinds.APPROVED,
    Step.RETURN: kinds.RETURNED,
    Step.ENDORSE: kinds.ADOPTED,
    Step.DECLINE: kinds.DECLINED,
}


def step_recipients(plan: ActionPlan, step: Step) -> list[Person]:
    """The people who may take the plan's next step (the same roles as the permissions):
    in review, its reviewers (the scheme's facilitator, the coordinators) and the mentor city's
    officers, who may request changes; submitted, the city's administrative approvers;
    approved, its political approvers; sent back to draft, the city's officers; adopted or
    declined, the city's officers and the coordinators."""
    programme_id, city_id = plan.programme_id, plan.city_id
    if step is Step.SEND_FOR_REVIEW:
        if plan.pair is None:
            return holders(programme_id, Role.COORDINATOR)
        reviewers = holders(
            programme_id, Role.COORDINATOR, Role.FACILITATOR, scheme_id=plan.pair.scheme_id
        )
        mentors = holders(programme_id, Role.CITY_OFFICER, city_id=plan.pair.mentor.city_id)
        return reviewers + mentors
    if step is Step.SUBMIT:
        level = ApprovalLevel.ADMINISTRATIVE
        return holders(programme_id, Role.CITY_APPROVER, city_id=city_id, approval_level=level)
    if step is Step.APPROVE:
        level = ApprovalLevel.POLITICAL
        return holders(programme_id, Role.CITY_APPROVER, city_id=city_id, approval_level=level)
    if step in (Step.ENDORSE, Step.DECLINE):
        return holders(programme_id, Role.CITY_OFFICER, Role.COORDINATOR, city_id=city_id)
    return holders(programme_id, Role.CITY_OFFICER, city_id=city_id)


def _notify(actor: Any, plan: ActionPlan, step: Step, comment: str) -> None:
    kind = STEP_KINDS.get(step)
    if kind is None:
        return
    notify(
        kind=kind,
        recipients=step_recipients(plan, step),
        url=reverse("action_plans:plan", args=[plan.programme.slug, plan.city.slug]),
        programme=plan.programme,
        actor=actor,
        params={"plan": plan.title, "city": plan.city.name},
        message=comment,
    )


def _schedule_check_ins(plan: ActionPlan) -> None:
    """The follow-up 6 and 12 months after the programme ends (kept if already scheduled)."""
    end = plan.programme.end_date
    for months in CHECK_IN_MONTHS:
        month_index = end.month - 1 + months
        year, month = end.year + month_index // 12, month_index % 12 + 1
        due = date(year, month, min(end.day, calendar.monthrange(year, month)[1]))
        CheckIn.objects.get_or_create(plan=plan, months_after_end=months, defaults={"due_on": due})
