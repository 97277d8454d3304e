"""A complete draft of Athens' plan (implementing city of pair B, mentored by Munich)."""

from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from action_plans.services.actions import ActionInput, IndicatorInput, plan_action_save
from action_plans.services.plans import PlanSections, RiskInput, action_plan_save, action_plan_start
from action_plans.workflow import Endorsement, Step, plan_step
from programmes.models import City, Programme

SECTIONS = PlanSections(
    title="Youth into work: Athens' local action plan",
    context="One young migrant in three is neither in work nor in training.",
    vision="Every young newcomer has a job or a course within six months.",
    objectives="Open a youth desk; match 300 young people a year with employers.",
)


def athens_plan(user_of, *, actions=1):
    officer = user_of("athens-officer-1")
    plan = action_plan_start(
        actor=officer,
        programme=Programme.objects.get(slug="cities-grow"),
        city=City.objects.get(slug="athens"),
    )
    plan = action_plan_save(
        actor=officer,
        plan=plan,
        expected_revision=plan.revision,
        sections=SECTIONS,
        risks=[RiskInput("Employers do not take part", "medium", "high", "Chamber of commerce")],
    )
    for number in range(1, actions + 1):
        plan_action_save(
            actor=officer,
            plan=plan,
            action=None,
            expected_revision=None,
            data=action_input(f"Action {number}: open a youth desk"),
        )
    return plan


def action_input(title="Open a youth desk", **changes):
    data = {
        "title": title,
        "start": date(2018, 1, 1),
        "end": date(2019, 12, 31),
        "description": "A desk in the job centre for young newcomers.",
        "lead_department": "Employment department",
        "budget_eur": Decimal("120000.00"),
        "staff_days": Decimal("240"),
        "funding_source": "municipal",
        "indicators": [
            IndicatorInput("Young people placed", Decimal("300"), "people", Decimal("0"))
        ],
        **changes,
    }
    return ActionInput(**data)


def decision_pdf(name="council-decision.pdf", content=b"%PDF-1.4\n% council decision\n"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def endorsement(**changes):
    data = {
        "body": "Athens City Council",
        "decided_on": date(2018, 10, 1),
        "reference": "Decision 412/2018",
        "document": decision_pdf(),
        **changes,
    }
    return Endorsement(**data)


def adopt(user_of, plan):
    """Walk the plan through review, approval and endorsement."""
    plan_step(actor=user_of("athens-officer-1"), plan=plan, step=Step.SEND_FOR_REVIEW)
    plan_step(actor=user_of("facilitator-b"), plan=plan, step=Step.SUBMIT)
    plan_step(actor=user_of("athens-approver-admin"), plan=plan, step=Step.APPROVE)
    return plan_step(
        actor=user_of("athens-approver-political"),
        plan=plan,
        step=Step.ENDORSE,
        endorsement=endorsement(),
    )
