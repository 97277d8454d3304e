"""A deliverable's states: one derivation (`standing`) and one table of the steps a coordinator
records (`TRANSITIONS`), performed by one function (`deliverable_step`).

planned → in progress → [complete] → submitted → accepted, or returned → submitted again.

The state is never stored. Until something is submitted, a deliverable the platform holds
follows its records (workplan.sources): planned while none has begun, in progress once one has,
complete when the target count is reached (the day the last one counted); a deliverable of files
moves to in progress when a coordinator records that work started. Submitted, accepted and
returned are facts only the coordinators know (the funder's portal): each is a recorded step
with its date and evidence, a file or a link (or, for a deliverable the platform holds, the
records it counted then). A deliverable is overdue when its due month has ended and it is
neither submitted nor accepted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.audit import attribute_to
from core.errors import DomainError
from core.uploads import DELIVERABLES, CheckedUpload, UploadRefused, upload_check, upload_store

from .choices import CLASSIFIED, DeliverableState, Source, Step
from .models import Deliverable, DeliverableStep
from .months import month_end
from .permissions import can_record_deliverable
from .sources import Tally, records_for, tally

S = DeliverableState


@dataclass(frozen=True)
class Transition:
    from_states: frozenset[DeliverableState]
    to_state: DeliverableState
    records_allowed: bool = True  # may a deliverable counted from records take this step?


TRANSITIONS: dict[Step, Transition] = {
    # Work on a deliverable of files starts when a coordinator says so; records say it for the
    # others.
    Step.START: Transition(frozenset({S.PLANNED}), S.IN_PROGRESS, records_allowed=False),
    Step.SUBMIT: Transition(
        frozenset({S.PLANNED, S.IN_PROGRESS, S.COMPLETE, S.RETURNED}), S.SUBMITTED
    ),
    Step.ACCEPT: Transition(frozenset({S.SUBMITTED}), S.ACCEPTED),
    Step.RETURN: Transition(frozenset({S.SUBMITTED}), S.RETURNED),
}
_STATE_AFTER = {step: t.to_state for step, t in TRANSITIONS.items()}
NOT_DELIVERED = frozenset({S.PLANNED, S.IN_PROGRESS, S.COMPLETE, S.RETURNED})


@dataclass(frozen=True)
class Standing:
    """Where a deliverable stands on a given day, and why."""

    state: DeliverableState
    since: date | None  # the day the current state began, when known
    count: int | None  # records counted (None: a deliverable of files)
    underway: int  # records begun, not yet counted
    due_on: date  # the last day of its due month
    overdue: bool
    last_step: DeliverableStep | None
    submission: DeliverableStep | None  # the latest submission, with its evidence
    tally: Tally | None

    @property
    def state_label(self) -> str:
        return str(self.state.label)


def standing(
    deliverable: Deliverable,
    *,
    programme_start: date,
    steps: list[DeliverableStep],
    found: Tally | None,
    today: date,
) -> Standing:
    """The deliverable's state from its recorded steps (in the order recorded) and, for one the
    platform holds, its records' tally."""
    last = steps[-1] if steps else None
    submission = next((s for s in reversed(steps) if s.step == Step.SUBMIT), None)
    since: date | None
    if last is not None and last.step != Step.START:
        state, since = _STATE_AFTER[Step(last.step)], last.on
    elif found is not None:
        if found.count >= deliverable.target:
            state, since = S.COMPLETE, found.reached_on(deliverable.target)
        elif found.count or found.underway:
            state, since = S.IN_PROGRESS, found.started_on
        else:
            state, since = S.PLANNED, None
    elif last is not None:
        state, since = S.IN_PROGRESS, last.on
    else:
        state, since = S.PLANNED, None
    due_on = month_end(programme_start, deliverable.due_month)
    return Standing(
        state=state,
        since=since,
        count=found.count if found is not None else None,
        underway=found.underway if found is not None else 0,
        due_on=due_on,
        overdue=today > due_on and state in NOT_DELIVERED,
        last_step=last,
        submission=submission,
        tally=found,
    )


def steps_open(deliverable: Deliverable, current: Standing) -> list[Step]:
    """The steps that may be recorded now, in the table's order."""
    return [
        step
        for step, t in TRANSITIONS.items()
        if current.state in t.from_states and (t.records_allowed or not deliverable.from_records)
    ]


def deliverable_standing(deliverable: Deliverable, *, today: date | None = None) -> Standing:
    """One deliverable's standing, read afresh (three queries)."""
    programme = deliverable.work_package.programme
    found = None
    if deliverable.from_records:
        records = records_for(programme, [deliverable.source])[Source(deliverable.source)]
        found = tally(records, deliverable.theme_id)
    return standing(
        deliverable,
        programme_start=programme.start_date,
        steps=list(deliverable.steps.order_by("at", "pk")),
        found=found,
        today=today or timezone.localdate(),
    )


@dataclass(frozen=True)
class StepInput:
    on: date
    file: Any = None  # an upload, checked here again
    link: str = ""
    comment: str = ""


_REASON = {
    Step.START: "work started",
    Step.SUBMIT: "submitted to the funder",
    Step.ACCEPT: "accepted by the funder",
    Step.RETURN: "returned by the funder",
}


def deliverable_step(
    *,
    actor: Any,
    deliverable: Deliverable,
    step: Step,
    data: StepInput,
    today: date | None = None,
) -> DeliverableStep:
    """Record one step with its date and evidence; refused with the reason next to the field."""
    programme = deliverable.work_package.programme
    decision = can_record_deliverable(actor, programme.pk)
    if not decision:
        raise DomainError(decision.reason)
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = (
            Deliverable.objects.select_for_update()
            .select_related("work_package__programme")
            .get(pk=deliverable.pk)
        )
        current = deliverable_standing(locked, today=today)
        transition = TRANSITIONS[step]
        if current.state not in transition.from_states or (
            locked.from_records and not transition.records_allowed
        ):
            raise DomainError(
                _("This deliverable is “%(state)s”: “%(step)s” cannot be recorded now.")
                % {"state": current.state.label, "step": step.label}
            )
        errors, checked = _check(locked, step, data, current, today)
        if errors:
            raise DomainError(_("Please correct the marked fields."), field_errors=errors)
        record = DeliverableStep(
            deliverable=locked,
            step=step,
            on=data.on,
            link=data.link.strip(),
            comment=data.comment.strip(),
            counted=current.count if step == Step.SUBMIT else None,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
        )
        if checked is not None:
            upload_store(record.file, checked)
            record.file_name = checked.name
        attribute_to(record, actor, _REASON[step])
        record.save()
    return record


def _check(
    deliverable: Deliverable, step: Step, data: StepInput, current: Standing, today: date
) -> tuple[dict[str, str], CheckedUpload | None]:
    errors: dict[str, str] = {}
    programme = deliverable.work_package.programme
    if data.on > today:
        errors["on"] = _("The date cannot be in the future.")
    elif current.last_step is not None and data.on < current.last_step.on:
        errors["on"] = _("The date cannot be before the previous step (%(day)s).") % {
            "day": date_format(current.last_step.on, "DATE_FORMAT")
        }
    elif data.on < programme.start_date:
        errors["on"] = _("The date cannot be before the programme started (%(day)s).") % {
            "day": date_format(programme.start_date, "DATE_FORMAT")
        }
    link = data.link.strip()
    if link:
        try:
            URLValidator(schemes=["http", "https"])(link)
        except ValidationError:
            errors["link"] = _("Enter a web address starting with https:// or http://.")
    comment = data.comment.strip()
    classified = deliverable.dissemination in CLASSIFIED
    if classified:
        refusal = _(
            "EU-classified content is never stored on the platform: name the registry "
            "reference where it is kept in the comment."
        )
        if data.file:
            errors["file"] = refusal
        if link:
            errors["link"] = refusal
        if step == Step.SUBMIT and not comment:
            errors["comment"] = _("Name the registry reference where the deliverable is kept.")
    elif step == Step.SUBMIT and not deliverable.from_records and not data.file and not link:
        errors["file"] = _("Add the deliverable's file, or a link to it below.")
    if (
        step == Step.SUBMIT
        and current.count is not None
        and current.count < deliverable.target
        and not comment
    ):
        errors["comment"] = _(
            "Only %(count)d of %(target)d are done: say why in the comment, the funder reads "
            "it as a deviation."
        ) % {"count": current.count, "target": deliverable.target}
    if step == Step.RETURN and not comment:
        errors["comment"] = _("Write the funder's reasons for returning it.")
    checked = None
    if data.file and "file" not in errors:
        try:
            checked = upload_check(data.file, DELIVERABLES)
        except UploadRefused as refusal:
            errors["file"] = refusal.message
    return errors, checked
