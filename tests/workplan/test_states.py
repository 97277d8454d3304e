"""A deliverable's count and state follow the platform's records with nobody typing them: an
adopted plan, a published toolkit, the conference held. What only the coordinators know (the
funder's portal) is recorded as steps with a date and evidence; past its due month and not
submitted, a deliverable is flagged overdue (on a fixed "today")."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.errors import DomainError
from knowledge.workflow import ToolkitStep, toolkit_step
from tests.action_plans.builders import adopt, athens_plan
from tests.visits.lifecycle import hold
from tests.workplan.builders import composed_toolkit, conference, deliverable
from workplan.choices import DeliverableState, Step
from workplan.models import DeliverableStep
from workplan.services import DeliverableInput, deliverable_save
from workplan.workflow import StepInput, deliverable_standing, deliverable_step

pytestmark = pytest.mark.django_db

S = DeliverableState
TODAY = date(2018, 6, 15)  # month 18 of CITIES-GROW


def _standing(code, today=TODAY):
    return deliverable_standing(deliverable(code), today=today)


def pdf(name="interim-report.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n% the interim report\n", "application/pdf")


def test_adopting_a_plan_counts_it_towards_the_eight_action_plans(user_of):
    before = _standing("D2.1")
    assert (before.state, before.count) == (S.PLANNED, 0)
    plan = athens_plan(user_of)
    drafting = _standing("D2.1")
    assert (drafting.state, drafting.count, drafting.underway) == (S.IN_PROGRESS, 0, 1)
    adopt(user_of, plan)
    after = _standing("D2.1")
    assert (after.state, after.count, after.underway) == (S.IN_PROGRESS, 1, 0)
    assert after.tally.done[0].title.startswith("Athens")
    # Counted from the council's decision, not the day someone pressed a button.
    assert after.since == date(2018, 10, 1)


def test_publishing_a_toolkit_counts_it_towards_the_four_toolkits(user_of):
    toolkit = composed_toolkit(user_of)
    assert (_standing("D3.1").state, _standing("D3.1").count) == (S.IN_PROGRESS, 0)
    toolkit_step(
        actor=user_of("facilitator-b"),
        toolkit=toolkit,
        step=ToolkitStep.PUBLISH,
        accept_empty_factors=True,
    )
    assert _standing("D3.1").count == 1
    # Final toolkits still count; a deliverable narrowed to another scheme does not.
    toolkit_step(actor=user_of("facilitator-b"), toolkit=toolkit, step=ToolkitStep.FINALISE)
    assert _standing("D3.1").count == 1


def test_holding_the_conference_completes_its_deliverable_with_the_participant_list(user_of):
    event = conference(user_of)
    planned = _standing("D4.3", today=date(2018, 11, 1))
    assert (planned.state, planned.count, planned.underway) == (S.IN_PROGRESS, 0, 1)
    hold(event)
    held = _standing("D4.3", today=date(2018, 11, 20))
    assert (held.state, held.count) == (S.COMPLETE, 1)
    assert held.since == date(2018, 11, 8)  # its last day, in Milan
    assert held.tally.done[0].attended == 1
    # Complete is not submitted: past its due month (November 2018) it is overdue until the
    # coordinators record the submission, whose evidence is the held event.
    assert not held.overdue
    assert _standing("D4.3", today=date(2018, 12, 1)).overdue
    deliverable_step(
        actor=user_of("coordinator-1"),
        deliverable=deliverable("D4.3"),
        step=Step.SUBMIT,
        data=StepInput(on=date(2018, 12, 3)),
        today=date(2018, 12, 5),
    )
    submitted = _standing("D4.3", today=date(2018, 12, 5))
    assert (submitted.state, submitted.overdue) == (S.SUBMITTED, False)
    assert submitted.submission.counted == 1


def test_a_deliverable_past_its_due_month_and_not_submitted_is_overdue(user_of):
    # The interim report is due in month 14: February 2018.
    assert not _standing("D5.1", today=date(2018, 2, 28)).overdue
    late = _standing("D5.1", today=date(2018, 3, 1))
    assert (late.state, late.overdue, late.due_on) == (S.PLANNED, True, date(2018, 2, 28))
    coordinator = user_of("coordinator-1")
    deliverable_step(
        actor=coordinator,
        deliverable=deliverable("D5.1"),
        step=Step.START,
        data=StepInput(on=date(2018, 1, 8)),
        today=date(2018, 3, 1),
    )
    assert _standing("D5.1", today=date(2018, 3, 1)).state == S.IN_PROGRESS
    assert _standing("D5.1", today=date(2018, 3, 1)).overdue
    deliverable_step(
        actor=coordinator,
        deliverable=deliverable("D5.1"),
        step=Step.SUBMIT,
        data=StepInput(on=date(2018, 3, 5), file=pdf()),
        today=date(2018, 3, 5),
    )
    assert not _standing("D5.1", today=date(2018, 3, 6)).overdue
    # Returned by the funder: late again until it is submitted anew.
    deliverable_step(
        actor=coordinator,
        deliverable=deliverable("D5.1"),
        step=Step.RETURN,
        data=StepInput(on=date(2018, 4, 2), comment="The indicators table is missing."),
        today=date(2018, 4, 2),
    )
    returned = _standing("D5.1", today=date(2018, 4, 3))
    assert (returned.state, returned.overdue) == (S.RETURNED, True)
    deliverable_step(
        actor=coordinator,
        deliverable=deliverable("D5.1"),
        step=Step.SUBMIT,
        data=StepInput(on=date(2018, 4, 20), link="https://ec.europa.eu/portal/report/123"),
        today=date(2018, 4, 20),
    )
    deliverable_step(
        actor=coordinator,
        deliverable=deliverable("D5.1"),
        step=Step.ACCEPT,
        data=StepInput(on=date(2018, 5, 14)),
        today=date(2018, 5, 14),
    )
    accepted = _standing("D5.1", today=TODAY)
    assert (accepted.state, accepted.since, accepted.overdue) == (
        S.ACCEPTED,
        date(2018, 5, 14),
        False,
    )
    # Each step is audited with who recorded it.
    steps = DeliverableStep.objects.filter(deliverable=deliverable("D5.1"))
    assert [s.step for s in steps] == ["start", "submit", "return", "submit", "accept"]
    assert {s.history.get().history_user_id for s in steps} == {coordinator.pk}


@pytest.mark.parametrize(
    ("step", "data", "field", "words"),
    [
        (Step.SUBMIT, StepInput(on=date(2018, 3, 5)), "file", "file, or a link"),
        (Step.SUBMIT, StepInput(on=date(2018, 3, 9), file=pdf()), "on", "in the future"),
        (Step.SUBMIT, StepInput(on=date(2016, 3, 5), file=pdf()), "on", "before the programme"),
        (
            Step.SUBMIT,
            StepInput(on=date(2018, 3, 5), file=SimpleUploadedFile("r.pdf", b"MZ\x90")),
            "file",
            "does not contain",
        ),
        (
            Step.SUBMIT,
            StepInput(on=date(2018, 3, 5), link="javascript:alert(1)"),
            "link",
            "https://",
        ),
    ],
)
def test_a_refused_step_says_why_next_to_the_field(user_of, step, data, field, words):
    with pytest.raises(DomainError) as refusal:
        deliverable_step(
            actor=user_of("coordinator-1"),
            deliverable=deliverable("D5.1"),
            step=step,
            data=data,
            today=date(2018, 3, 8),
        )
    assert words in refusal.value.field_errors[field]
    assert not DeliverableStep.objects.exists()


def test_steps_follow_the_table_and_only_coordinators_record_them(user_of):
    interim = deliverable("D5.1")
    for key in ("auditor-1", "finance-1", "athens-officer-1", "facilitator-b"):
        with pytest.raises(DomainError):
            deliverable_step(
                actor=user_of(key),
                deliverable=interim,
                step=Step.START,
                data=StepInput(on=date(2018, 1, 8)),
            )
    with pytest.raises(DomainError, match="cannot be recorded now"):
        deliverable_step(
            actor=user_of("coordinator-1"),
            deliverable=interim,
            step=Step.ACCEPT,
            data=StepInput(on=date(2018, 1, 8)),
        )
    # A deliverable the platform holds starts with its records, never by hand.
    with pytest.raises(DomainError, match="cannot be recorded now"):
        deliverable_step(
            actor=user_of("coordinator-1"),
            deliverable=deliverable("D2.1"),
            step=Step.START,
            data=StepInput(on=date(2018, 1, 8)),
        )
    # Submitted short of its target, it needs the reason (a deviation for the funder).
    with pytest.raises(DomainError) as refusal:
        deliverable_step(
            actor=user_of("coordinator-1"),
            deliverable=deliverable("D2.1"),
            step=Step.SUBMIT,
            data=StepInput(on=date(2018, 1, 8)),
        )
    assert "0 of 8" in refusal.value.field_errors["comment"]
    assert not DeliverableStep.objects.exists()


def test_eu_classified_content_is_never_stored(user_of):
    coordinator = user_of("coordinator-1")
    interim = deliverable("D5.1")
    deliverable_save(
        actor=coordinator,
        work_package=interim.work_package,
        deliverable=interim,
        expected_revision=interim.revision,
        data=DeliverableInput(
            number=1,
            title=interim.title,
            lead_id=interim.lead_id,
            kind="report",
            target=1,
            due_month=14,
            dissemination="R-UE/EU-R",
        ),
    )
    with pytest.raises(DomainError) as refusal:
        deliverable_step(
            actor=coordinator,
            deliverable=deliverable("D5.1"),
            step=Step.SUBMIT,
            data=StepInput(on=date(2018, 3, 5), file=pdf(), link="https://example.org/r"),
            today=date(2018, 3, 8),
        )
    assert set(refusal.value.field_errors) == {"file", "link", "comment"}
    deliverable_step(
        actor=coordinator,
        deliverable=deliverable("D5.1"),
        step=Step.SUBMIT,
        data=StepInput(on=date(2018, 3, 5), comment="Registry ref. EU-R/2018/044"),
        today=date(2018, 3, 8),
    )
    assert _standing("D5.1").state == S.SUBMITTED
