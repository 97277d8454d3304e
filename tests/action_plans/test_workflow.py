"""The plan's workflow: every step x every role, the states each step starts from, the audit
trail, and the endorsement's record."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from action_plans.choices import PlanStatus
from action_plans.models import CheckIn, PlanTransition
from action_plans.workflow import STEPS, Step, plan_step
from core.errors import DomainError
from tests.action_plans.builders import adopt, athens_plan, endorsement
from tests.conftest import email_of

pytestmark = pytest.mark.django_db

PEOPLE = [
    "coordinator-1",
    "facilitator-b",
    "facilitator-a",
    "athens-officer-1",
    "munich-officer-1",
    "rotterdam-officer-1",
    "athens-approver-admin",
    "athens-approver-political",
    "munich-approver-political",
    "finance-1",
    "auditor-1",
    "platform-admin",
]
# Platform admins reach every object, as everywhere on the platform; decisions are personal.
ALLOWED = {
    Step.SEND_FOR_REVIEW: {"athens-officer-1", "platform-admin"},
    Step.REQUEST_CHANGES: {"coordinator-1", "facilitator-b", "munich-officer-1", "platform-admin"},
    Step.SUBMIT: {"coordinator-1", "facilitator-b", "platform-admin"},
    Step.APPROVE: {"athens-approver-admin"},
    Step.RETURN: {"athens-approver-admin"},
    Step.ENDORSE: {"athens-approver-political"},
    Step.DECLINE: {"athens-approver-political"},
    Step.REVISE: {"athens-officer-1", "platform-admin"},
}
# How to bring a fresh plan into each state.
PATH = [
    (Step.SEND_FOR_REVIEW, "athens-officer-1"),
    (Step.SUBMIT, "facilitator-b"),
    (Step.APPROVE, "athens-approver-admin"),
    (Step.ENDORSE, "athens-approver-political"),
]
ORDER = [
    PlanStatus.DRAFT,
    PlanStatus.IN_REVIEW,
    PlanStatus.SUBMITTED,
    PlanStatus.APPROVED,
    PlanStatus.ADOPTED,
]


def _plan_in(user_of, status):
    plan = athens_plan(user_of)
    for step, key in PATH[: ORDER.index(status)]:
        plan_step(
            actor=user_of(key),
            plan=plan,
            step=step,
            endorsement=endorsement() if step is Step.ENDORSE else None,
        )
    assert plan.status == status
    return plan


def _take(user_of, plan, step, key):
    return plan_step(
        actor=user_of(key),
        plan=plan,
        step=step,
        comment="Reasons given",
        endorsement=endorsement() if step is Step.ENDORSE else None,
    )


@pytest.mark.parametrize("key", PEOPLE)
@pytest.mark.parametrize("step", list(Step))
def test_each_step_by_each_role(user_of, step, key):
    rule = STEPS[step]
    plan = _plan_in(user_of, rule.sources[0])
    if key in ALLOWED[step]:
        _take(user_of, plan, step, key)
        plan.refresh_from_db()
        assert plan.status == rule.target
        log = PlanTransition.objects.filter(plan=plan).last()
        assert (log.transition, log.actor.username, log.comment) == (
            step.value,
            email_of(key),
            "Reasons given",
        )
    else:
        before = PlanTransition.objects.filter(plan=plan).count()
        with pytest.raises(DomainError):
            _take(user_of, plan, step, key)
        plan.refresh_from_db()
        assert plan.status == rule.sources[0]
        assert PlanTransition.objects.filter(plan=plan).count() == before


@pytest.mark.parametrize("status", ORDER)
def test_a_step_only_starts_from_its_states(user_of, status):
    plan = _plan_in(user_of, status)
    for step, rule in STEPS.items():
        if status in rule.sources:
            continue
        key = sorted(ALLOWED[step] - {"platform-admin"})[0]
        with pytest.raises(DomainError, match="not possible now"):
            _take(user_of, plan, step, key)
    plan.refresh_from_db()
    assert plan.status == status


def test_the_whole_path_is_in_the_audit_trail(user_of):
    plan = athens_plan(user_of)
    plan_step(actor=user_of("athens-officer-1"), plan=plan, step=Step.SEND_FOR_REVIEW)
    plan_step(
        actor=user_of("munich-officer-1"),
        plan=plan,
        step=Step.REQUEST_CHANGES,
        comment="Name a lead department for every action.",
    )
    adopt(user_of, plan)
    log = list(PlanTransition.objects.filter(plan=plan).order_by("at", "pk"))
    assert [(t.transition, t.from_status, t.to_status) for t in log] == [
        ("send_for_review", "draft", "in_review"),
        ("request_changes", "in_review", "draft"),
        ("send_for_review", "draft", "in_review"),
        ("submit", "in_review", "submitted"),
        ("approve", "submitted", "approved"),
        ("endorse", "approved", "adopted"),
    ]
    assert log[1].comment == "Name a lead department for every action."
    assert all(t.at is not None and t.actor is not None for t in log)
    endorsed = log[-1]
    assert (endorsed.body, endorsed.reference, endorsed.decided_on) == (
        "Athens City Council",
        "Decision 412/2018",
        date(2018, 10, 1),
    )
    with endorsed.document.open("rb") as document:
        assert document.read().startswith(b"%PDF")
    # The simple-history trail of the plan holds each status with its actor.
    statuses = [h.status for h in plan.history.order_by("history_id")]
    assert statuses[-1] == "adopted" and "in_review" in statuses
    assert plan.versions.filter(adopted=True).count() == 1


def test_sending_needs_a_complete_plan(user_of):
    plan = athens_plan(user_of, actions=0)
    with pytest.raises(DomainError) as refused:
        plan_step(actor=user_of("athens-officer-1"), plan=plan, step=Step.SEND_FOR_REVIEW)
    assert "actions" in refused.value.field_errors
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_reasons_are_required_to_send_back(user_of):
    plan = _plan_in(user_of, PlanStatus.IN_REVIEW)
    with pytest.raises(DomainError) as refused:
        plan_step(actor=user_of("facilitator-b"), plan=plan, step=Step.REQUEST_CHANGES)
    assert "comment" in refused.value.field_errors


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"body": " "}, "body", "Name the body"),
        ({"decided_on": None}, "decided_on", "Give the date"),
        ({"decided_on": date(2099, 1, 1)}, "decided_on", "cannot be in the future"),
        ({"reference": ""}, "reference", "reference"),
        ({"document": None}, "document", "Upload the decision document"),
        (
            {"document": SimpleUploadedFile("decision.pdf", b"MZ\x90\x00" + b"\x00" * 200)},
            "document",
            "does not contain what its name says",
        ),
        (
            {"document": SimpleUploadedFile("decision.exe", b"MZ\x90\x00" + b"\x00" * 200)},
            "document",
            "not an accepted kind of file",
        ),
        (
            {"document": SimpleUploadedFile("big.pdf", b"%PDF-1.4" + b"0" * (10 * 1024 * 1024))},
            "document",
            "larger than 10 MB",
        ),
    ],
)
def test_the_endorsement_records_a_real_decision(user_of, changes, field, message):
    plan = _plan_in(user_of, PlanStatus.APPROVED)
    with pytest.raises(DomainError) as refused:
        plan_step(
            actor=user_of("athens-approver-political"),
            plan=plan,
            step=Step.ENDORSE,
            endorsement=endorsement(**changes),
        )
    assert message in refused.value.field_errors[field]
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED


def test_adoption_schedules_the_check_ins(user_of):
    plan = adopt(user_of, athens_plan(user_of))
    due = sorted(CheckIn.objects.filter(plan=plan).values_list("months_after_end", "due_on"))
    assert due == [(6, date(2019, 6, 30)), (12, date(2019, 12, 31))]
