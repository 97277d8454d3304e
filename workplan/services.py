"""Changing a programme's work plan: its coordinators add and change work packages, tasks,
deliverables and milestones. Each save is checked (a message next to the field), refused when
the item changed since the form was drawn (its `revision`), and audited (simple-history, with
the actor and the reason). What a deliverable's steps record is in workplan.workflow.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import attribute_to
from core.errors import ConcurrentEditError, DomainError
from programmes.models import Programme, ProgrammePartner, Theme

from .choices import CLASSIFIED, SOURCE_KIND, DeliverableKind, Dissemination, Source
from .models import MAX_MONTH, Deliverable, DeliverableStep, Milestone, Task, WorkPackage
from .permissions import can_edit_workplan


def _stale() -> str:
    return _(
        "Someone else saved this item while you were editing it. Your values are still in the "
        "form below; compare them with the saved ones and save again."
    )


@dataclass(frozen=True)
class WorkPackageInput:
    number: int
    title: str
    lead_id: int
    start_month: int
    end_month: int
    description: str = ""


@dataclass(frozen=True)
class TaskInput:
    number: int
    title: str
    lead_id: int
    start_month: int
    end_month: int
    theme_id: int | None = None
    description: str = ""


@dataclass(frozen=True)
class DeliverableInput:
    number: int
    title: str
    lead_id: int
    kind: str
    target: int
    due_month: int
    dissemination: str
    source: str = Source.UPLOAD
    task_id: int | None = None
    theme_id: int | None = None
    description: str = ""


@dataclass(frozen=True)
class MilestoneInput:
    number: int
    title: str
    lead_id: int
    due_month: int
    dissemination: str
    verification: str = ""
    reached_on: date | None = None
    evidence_link: str = ""


def _require_editor(actor: Any, programme: Programme) -> None:
    decision = can_edit_workplan(actor, programme.pk)
    if not decision:
        raise DomainError(decision.reason)


def _check_months(errors: dict[str, str], start: int, end: int) -> None:
    if start < 1:
        errors["start_month"] = _("Months are counted from 1 (the programme's first month).")
    if end > MAX_MONTH:
        errors["end_month"] = _("At most month %(n)d.") % {"n": MAX_MONTH}
    elif end < start:
        errors["end_month"] = _("The end month cannot come before the start month.")


def _check_due(errors: dict[str, str], due: int) -> None:
    if not 1 <= due <= MAX_MONTH:
        errors["due_month"] = _("A month from 1 to %(n)d.") % {"n": MAX_MONTH}


def _lead(errors: dict[str, str], programme: Programme, lead_id: int) -> ProgrammePartner | None:
    lead = ProgrammePartner.objects.filter(programme=programme, pk=lead_id).first()
    if lead is None:
        errors["lead_id"] = _("Choose one of the programme's partners.")
    return lead


def _theme(errors: dict[str, str], programme: Programme, theme_id: int | None) -> Theme | None:
    if theme_id is None:
        return None
    theme = Theme.objects.filter(programme=programme, pk=theme_id).first()
    if theme is None:
        errors["theme_id"] = _("Choose one of the programme's schemes.")
    return theme


def _number_taken(
    errors: dict[str, str], queryset: Any, number: int, instance: Any, label: str
) -> None:
    if number < 1:
        errors["number"] = _("Numbers start at 1.")
    elif queryset.filter(number=number).exclude(pk=getattr(instance, "pk", None)).exists():
        errors["number"] = _("%(code)s exists already: choose another number.") % {"code": label}


def _store(
    *,
    actor: Any,
    model: Any,
    instance: Any,
    expected_revision: int | None,
    values: dict[str, Any],
    reason: str,
) -> Any:
    """Create, or update if anything differs, refusing a stale copy; audited."""
    if instance is None:
        created = model(**values)
        attribute_to(created, actor, reason)
        created.save()
        return created
    locked = model.objects.select_for_update().get(pk=instance.pk)
    if expected_revision is not None and locked.revision != expected_revision:
        raise ConcurrentEditError(_stale())
    changed = [name for name, value in values.items() if getattr(locked, name) != value]
    if not changed:
        return locked
    for name in changed:
        setattr(locked, name, values[name])
    locked.revision += 1
    attribute_to(locked, actor, reason)
    locked.save()
    return locked


def _refuse(errors: dict[str, str]) -> None:
    if errors:
        raise DomainError(_("Please correct the marked fields."), field_errors=errors)


# ---------------------------------------------------------------- work packages


def work_package_save(
    *,
    actor: Any,
    programme: Programme,
    data: WorkPackageInput,
    work_package: WorkPackage | None = None,
    expected_revision: int | None = None,
) -> WorkPackage:
    """Add a work package (`work_package` None) or change one; its tasks stay inside its
    months."""
    _require_editor(actor, programme)
    errors: dict[str, str] = {}
    with transaction.atomic():
        _number_taken(
            errors,
            WorkPackage.objects.filter(programme=programme),
            data.number,
            work_package,
            f"WP{data.number}",
        )
        _check_months(errors, data.start_month, data.end_month)
        lead = _lead(errors, programme, data.lead_id)
        if work_package is not None and not errors:
            outside = work_package.tasks.exclude(
                start_month__gte=data.start_month, end_month__lte=data.end_month
            ).first()
            if outside is not None:
                errors["start_month"] = _(
                    "Task %(task)s runs from month %(start)d to %(end)d: the work package must "
                    "cover it."
                ) % {"task": outside.code, "start": outside.start_month, "end": outside.end_month}
        _refuse(errors)
        values = {
            "programme": programme,
            "number": data.number,
            "title": data.title.strip(),
            "description": data.description.strip(),
            "lead": lead,
            "start_month": data.start_month,
            "end_month": data.end_month,
        }
        return _store(
            actor=actor,
            model=WorkPackage,
            instance=work_package,
            expected_revision=expected_revision,
            values=values,
            reason="work package saved" if work_package else "work package added",
        )


# ---------------------------------------------------------------- tasks


def task_save(
    *,
    actor: Any,
    work_package: WorkPackage,
    data: TaskInput,
    task: Task | None = None,
    expected_revision: int | None = None,
) -> Task:
    """Add a task to a work package or change one; it lies within the work package's months."""
    programme = work_package.programme
    _require_editor(actor, programme)
    errors: dict[str, str] = {}
    with transaction.atomic():
        _number_taken(
            errors,
            Task.objects.filter(work_package=work_package),
            data.number,
            task,
            f"T{work_package.number}.{data.number}",
        )
        _check_months(errors, data.start_month, data.end_month)
        if "start_month" not in errors and data.start_month < work_package.start_month:
            errors["start_month"] = _("%(wp)s starts in month %(n)d.") % {
                "wp": work_package.code,
                "n": work_package.start_month,
            }
        if "end_month" not in errors and data.end_month > work_package.end_month:
            errors["end_month"] = _("%(wp)s ends in month %(n)d.") % {
                "wp": work_package.code,
                "n": work_package.end_month,
            }
        lead = _lead(errors, programme, data.lead_id)
        theme = _theme(errors, programme, data.theme_id)
        _refuse(errors)
        values = {
            "work_package": work_package,
            "number": data.number,
            "title": data.title.strip(),
            "description": data.description.strip(),
            "lead": lead,
            "theme": theme,
            "start_month": data.start_month,
            "end_month": data.end_month,
        }
        return _store(
            actor=actor,
            model=Task,
            instance=task,
            expected_revision=expected_revision,
            values=values,
            reason="task saved" if task else "task added",
        )


# ---------------------------------------------------------------- deliverables


def deliverable_save(
    *,
    actor: Any,
    work_package: WorkPackage,
    data: DeliverableInput,
    deliverable: Deliverable | None = None,
    expected_revision: int | None = None,
) -> Deliverable:
    """Add a deliverable or change one. A source of records counts its own kind; a deliverable
    whose files are stored here cannot become EU-classified (never held on the platform)."""
    programme = work_package.programme
    _require_editor(actor, programme)
    errors: dict[str, str] = {}
    with transaction.atomic():
        _number_taken(
            errors,
            Deliverable.objects.filter(work_package=work_package),
            data.number,
            deliverable,
            f"D{work_package.number}.{data.number}",
        )
        _check_due(errors, data.due_month)
        if data.target < 1:
            errors["target"] = _("At least 1.")
        if data.kind not in DeliverableKind.values:
            errors["kind"] = _("Choose a kind.")
        if data.dissemination not in Dissemination.values:
            errors["dissemination"] = _("Choose a dissemination level.")
        if data.source not in Source.values:
            errors["source"] = _("Choose where the count comes from.")
        elif data.source in SOURCE_KIND and SOURCE_KIND[Source(data.source)] != data.kind:
            errors["source"] = _("These records count deliverables of the kind “%(kind)s”.") % {
                "kind": SOURCE_KIND[Source(data.source)].label
            }
        lead = _lead(errors, programme, data.lead_id)
        theme = _theme(errors, programme, data.theme_id)
        if theme is not None and data.source == Source.UPLOAD:
            errors["theme_id"] = _(
                "Only a deliverable counted from records is narrowed to a scheme."
            )
        task = None
        if data.task_id is not None:
            task = Task.objects.filter(work_package=work_package, pk=data.task_id).first()
            if task is None:
                errors["task_id"] = _("Choose a task of %(wp)s.") % {"wp": work_package.code}
        if (
            deliverable is not None
            and data.dissemination in CLASSIFIED
            and DeliverableStep.objects.filter(deliverable=deliverable)
            .exclude(file="", link="")
            .exists()
        ):
            errors["dissemination"] = _(
                "Files or links of this deliverable are recorded here, and EU-classified content "
                "may not be: it cannot become classified."
            )
        _refuse(errors)
        values = {
            "work_package": work_package,
            "task": task,
            "number": data.number,
            "title": data.title.strip(),
            "description": data.description.strip(),
            "lead": lead,
            "kind": data.kind,
            "target": data.target,
            "due_month": data.due_month,
            "dissemination": data.dissemination,
            "source": data.source,
            "theme": theme,
        }
        return _store(
            actor=actor,
            model=Deliverable,
            instance=deliverable,
            expected_revision=expected_revision,
            values=values,
            reason="deliverable saved" if deliverable else "deliverable added",
        )


# ---------------------------------------------------------------- milestones


def milestone_save(
    *,
    actor: Any,
    work_package: WorkPackage,
    data: MilestoneInput,
    milestone: Milestone | None = None,
    expected_revision: int | None = None,
) -> Milestone:
    """Add or change a milestone; recording the day it was reached (never in the future) and
    the evidence marks it reached."""
    programme = work_package.programme
    _require_editor(actor, programme)
    errors: dict[str, str] = {}
    with transaction.atomic():
        _number_taken(
            errors,
            Milestone.objects.filter(work_package=work_package),
            data.number,
            milestone,
            f"MS{work_package.number}.{data.number}",
        )
        _check_due(errors, data.due_month)
        if data.dissemination not in Dissemination.values:
            errors["dissemination"] = _("Choose a dissemination level.")
        if data.reached_on is not None:
            if data.reached_on > timezone.localdate():
                errors["reached_on"] = _("The date cannot be in the future.")
            elif data.reached_on < programme.start_date:
                errors["reached_on"] = _("The date cannot be before the programme started.")
        lead = _lead(errors, programme, data.lead_id)
        _refuse(errors)
        values = {
            **{k: v for k, v in asdict(data).items() if k != "lead_id"},
            "title": data.title.strip(),
            "verification": data.verification.strip(),
            "evidence_link": data.evidence_link.strip(),
            "work_package": work_package,
            "lead": lead,
        }
        return _store(
            actor=actor,
            model=Milestone,
            instance=milestone,
            expected_revision=expected_revision,
            values=values,
            reason="milestone saved" if milestone else "milestone added",
        )
