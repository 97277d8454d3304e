"""Drafting a plan: versions, concurrent saves, bad input, comments, and the adopted plan frozen
at every layer (service and database)."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.http import Http404

from action_plans.choices import CommentStatus, PlanStatus
from action_plans.models import ActionPlan, Indicator, PlanAction, PlanRisk, PlanVersion
from action_plans.selectors import action_plan_get
from action_plans.services.actions import IndicatorInput, plan_action_remove, plan_action_save
from action_plans.services.comments import plan_comment_add, plan_comment_resolve
from action_plans.services.plans import PlanSections, RiskInput, action_plan_save
from action_plans.versions import ACTION_FIELDS, versions_compare
from action_plans.workflow import Step, plan_step
from assessments.models import KeyFactor
from core.errors import ConcurrentEditError, DomainError
from tests.action_plans.builders import SECTIONS, action_input, adopt, athens_plan

pytestmark = pytest.mark.django_db


def _sections(**changes):
    return PlanSections(**{**SECTIONS.__dict__, **changes})


def test_two_stale_copies_the_second_is_refused_and_nothing_is_lost(user_of):
    plan = athens_plan(user_of)
    stale = plan.revision
    first, second = user_of("athens-officer-1"), user_of("athens-officer-2")
    action_plan_save(
        actor=first,
        plan=plan,
        expected_revision=stale,
        sections=_sections(vision="Vision written by the first officer."),
        risks=[],
    )
    with pytest.raises(ConcurrentEditError, match="Someone else saved the plan"):
        action_plan_save(
            actor=second,
            plan=plan,
            expected_revision=stale,
            sections=_sections(vision="Vision written by the second officer."),
            risks=[],
        )
    plan.refresh_from_db()
    assert plan.vision == "Vision written by the first officer."
    kept = PlanVersion.objects.get(plan=plan, conflict=True)
    assert kept.content["vision"] == "Vision written by the second officer."
    assert kept.saved_by == second


def test_two_stale_copies_of_an_action(user_of):
    plan = athens_plan(user_of)
    action = plan.actions.get()
    officer = user_of("athens-officer-1")
    plan_action_save(
        actor=officer,
        plan=plan,
        action=action,
        expected_revision=action.revision,
        data=action_input("First title"),
    )
    with pytest.raises(ConcurrentEditError):
        plan_action_save(
            actor=user_of("athens-officer-2"),
            plan=plan,
            action=action,
            expected_revision=action.revision,
            data=action_input("Second title"),
        )
    assert PlanAction.objects.get(pk=action.pk).title == "First title"


def test_every_save_keeps_a_version_and_two_compare_side_by_side(user_of):
    plan = athens_plan(user_of)
    officer = user_of("athens-officer-1")
    action_plan_save(
        actor=officer,
        plan=plan,
        expected_revision=plan.revision,
        sections=_sections(vision="Every young newcomer has a job within three months."),
        risks=[],
    )
    numbers = list(plan.versions.values_list("number", flat=True))
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) == 4
    old, new = plan.versions.get(number=2), plan.versions.get(number=4)
    names = ("title", "context", "vision", "objectives", "risks", "key_factors", "indicators")
    labels = {n: n for n in (*names, *ACTION_FIELDS)}
    rows = {r.label: r for r in versions_compare(old.content, new.content, labels)}
    vision = rows["vision"]
    assert vision.changed
    assert "<del>six</del>" in vision.left and "<ins>three</ins>" in vision.right
    assert not rows["context"].changed
    assert rows["risks"].changed  # the risk was removed


def test_text_is_escaped_in_the_comparison(user_of):
    from action_plans.versions import diff_texts

    row = diff_texts("x", "<b>old</b>", "<script>alert(1)</script>")
    assert "<script>" not in row.right and "&lt;script&gt;" in row.right


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"start": date(2019, 1, 1), "end": date(2018, 1, 1)}, "end"),
        ({"budget_eur": Decimal("-1")}, "budget_eur"),
        ({"staff_days": Decimal("-0.5")}, "staff_days"),
        ({"indicators": [IndicatorInput("Placed", None)]}, "indicators-0-target"),
        ({"indicators": [IndicatorInput(" ", Decimal("1"))]}, "indicators-0-name"),
        ({"title": ""}, "title"),
        ({"funding_source": "lottery"}, "funding_source"),
        ({"key_factor_ids": [999999]}, "key_factors"),
        ({"finding_ids": [999999]}, "findings"),
    ],
)
def test_bad_action_input_is_named_and_nothing_is_written(user_of, changes, field):
    plan = athens_plan(user_of, actions=0)
    with pytest.raises(DomainError) as refused:
        plan_action_save(
            actor=user_of("athens-officer-1"),
            plan=plan,
            action=None,
            expected_revision=None,
            data=action_input(**changes),
        )
    assert field in refused.value.field_errors
    assert not plan.actions.exists()


def test_an_action_links_key_factors_of_its_theme(user_of):
    plan = athens_plan(user_of, actions=0)
    b1 = KeyFactor.objects.get(benchmark__theme__code="B", code="b1")
    a1 = KeyFactor.objects.get(benchmark__theme__code="A", code="a1")
    officer = user_of("athens-officer-1")
    action = plan_action_save(
        actor=officer,
        plan=plan,
        action=None,
        expected_revision=None,
        data=action_input(key_factor_ids=[b1.pk]),
    )
    assert list(action.key_factors.all()) == [b1]
    with pytest.raises(DomainError):
        plan_action_save(
            actor=officer,
            plan=plan,
            action=None,
            expected_revision=None,
            data=action_input(key_factor_ids=[a1.pk]),
        )


def test_only_the_city_officers_edit_and_only_drafts(user_of):
    plan = athens_plan(user_of)
    for key in ("munich-officer-1", "facilitator-b", "coordinator-1", "athens-approver-admin"):
        with pytest.raises(DomainError, match="Only the city's officers edit"):
            action_plan_save(
                actor=user_of(key),
                plan=plan,
                expected_revision=plan.revision,
                sections=_sections(),
                risks=[],
            )
    plan_step(actor=user_of("athens-officer-1"), plan=plan, step=Step.SEND_FOR_REVIEW)
    with pytest.raises(DomainError, match="edited again once it is back to draft"):
        plan_action_save(
            actor=user_of("athens-officer-1"),
            plan=plan,
            action=None,
            expected_revision=None,
            data=action_input(),
        )


def test_an_adopted_plan_is_frozen_for_services_and_the_database(user_of):
    plan = adopt(user_of, athens_plan(user_of))
    officer = user_of("athens-officer-1")
    action = plan.actions.get()
    with pytest.raises(DomainError):
        action_plan_save(
            actor=officer,
            plan=plan,
            expected_revision=plan.revision,
            sections=_sections(vision="Changed"),
            risks=[],
        )
    with pytest.raises(DomainError):
        plan_action_save(
            actor=officer,
            plan=plan,
            action=action,
            expected_revision=action.revision,
            data=action_input("Changed"),
        )
    with pytest.raises(DomainError):
        plan_action_remove(actor=officer, plan=plan, action=action)
    # Beneath the services, the database refuses too.
    attempts = [
        lambda: ActionPlan.objects.filter(pk=plan.pk).update(vision="Changed"),
        lambda: ActionPlan.objects.filter(pk=plan.pk).update(status="draft"),
        lambda: PlanAction.objects.filter(pk=action.pk).update(budget_eur=Decimal("1")),
        lambda: PlanAction.objects.create(
            plan=plan, title="New", start=date(2018, 1, 1), end=date(2018, 2, 1)
        ),
        lambda: Indicator.objects.create(action=action, name="New", target=Decimal("1")),
        lambda: PlanRisk.objects.create(
            plan=plan, description="New", likelihood="low", impact="low"
        ),
        lambda: action.key_factors.add(
            KeyFactor.objects.get(benchmark__theme__code="B", code="b2")
        ),
        lambda: PlanVersion.objects.filter(plan=plan).update(note="Rewritten"),
    ]
    for attempt in attempts:
        with pytest.raises(IntegrityError), transaction.atomic():
            attempt()
    plan.refresh_from_db()
    assert plan.vision == SECTIONS.vision and plan.status == PlanStatus.ADOPTED
    # What the city chooses to publish may still change.
    ActionPlan.objects.filter(pk=plan.pk).update(published=True)
    PlanAction.objects.filter(pk=action.pk).update(public=False)


def test_a_revision_opens_the_next_edition_and_keeps_the_adopted_text(user_of):
    plan = adopt(user_of, athens_plan(user_of))
    officer = user_of("athens-officer-1")
    plan_step(actor=officer, plan=plan, step=Step.REVISE, comment="New national law")
    plan.refresh_from_db()
    assert (plan.status, plan.edition) == (PlanStatus.DRAFT, 2)
    action_plan_save(
        actor=officer,
        plan=plan,
        expected_revision=plan.revision,
        sections=_sections(vision="Revised vision"),
        risks=[],
    )
    adopted = plan.versions.get(adopted=True)
    assert adopted.edition == 1 and adopted.content["vision"] == SECTIONS.vision


def test_comments_threads_answers_and_resolution(user_of):
    plan = athens_plan(user_of)
    action = plan.actions.get()
    mentor = user_of("munich-officer-1")
    thread = plan_comment_add(
        actor=mentor,
        plan=plan,
        section="action",
        action=action,
        body="Add the chamber of commerce as a partner.",
        suggestion="Partners: Chamber of commerce, NGO Ergani",
    )
    answer = plan_comment_add(
        actor=user_of("athens-officer-1"), plan=plan, parent=thread, body="Done in version 5."
    )
    assert (answer.section, answer.action) == ("action", action)
    with pytest.raises(DomainError):
        plan_comment_add(
            actor=user_of("rotterdam-officer-1"), plan=plan, section="vision", body="x"
        )
    with pytest.raises(DomainError) as refused:
        plan_comment_add(actor=mentor, plan=plan, section="nowhere", body=" ")
    assert set(refused.value.field_errors) == {"section", "body"}
    with pytest.raises(DomainError):
        plan_comment_resolve(actor=user_of("facilitator-b"), comment=thread)
    plan_comment_resolve(actor=user_of("athens-officer-1"), comment=thread)
    thread.refresh_from_db()
    assert thread.status == CommentStatus.RESOLVED and thread.resolved_by is not None


@pytest.mark.parametrize(
    ("key", "visible"),
    [
        ("athens-officer-1", True),
        ("athens-approver-political", True),
        ("munich-officer-1", True),  # the mentor city reads the draft to comment on it
        ("facilitator-b", True),
        ("coordinator-1", True),
        ("auditor-1", True),
        ("rotterdam-officer-1", False),  # another city's draft is a 404
        ("munich-approver-political", False),
        ("facilitator-a", False),
    ],
)
def test_who_reads_a_draft_plan(user_of, key, visible):
    athens_plan(user_of)
    if visible:
        assert action_plan_get(user_of(key), "cities-grow", "athens").city.slug == "athens"
    else:
        with pytest.raises(Http404):
            action_plan_get(user_of(key), "cities-grow", "athens")


def test_risks_are_validated(user_of):
    plan = athens_plan(user_of)
    with pytest.raises(DomainError) as refused:
        action_plan_save(
            actor=user_of("athens-officer-1"),
            plan=plan,
            expected_revision=plan.revision,
            sections=_sections(),
            risks=[RiskInput("", "huge", "low")],
        )
    assert set(refused.value.field_errors) == {"risks-0-description", "risks-0-likelihood"}
