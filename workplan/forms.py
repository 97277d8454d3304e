"""The coordinators' forms: work packages, tasks, deliverables, milestones, and a deliverable's
steps. Each form is built from its object (`for_...`) and gives the service its input
(`to_input`); `revision` is the object's revision when the form was drawn."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.uploads import UploadField
from core.validators import validate_plain_text

from .choices import DeliverableKind, Dissemination, Source, Step
from .models import MAX_MONTH, Deliverable, Milestone, Task, WorkPackage
from .services import DeliverableInput, MilestoneInput, TaskInput, WorkPackageInput
from .workflow import StepInput

_MONTH_HELP = _("A month of the programme: 1 is the month it starts.")


def _text(label: Any, max_length: int = 200, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label, max_length=max_length, validators=[validate_plain_text], **kwargs
    )


def _long_text(label: Any, max_length: int = 4000, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[validate_plain_text],
        **kwargs,
    )


def _month(label: Any) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=1, max_value=MAX_MONTH, help_text=_MONTH_HELP)


def _optional_pk(value: Any) -> int | None:
    return int(value) if value not in (None, "") else None


class _ItemForm(forms.Form):
    number = forms.IntegerField(label=_("Number"), min_value=1, max_value=99)
    title = _text(_("Title"))
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, partners: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead_id"] = forms.TypedChoiceField(
            label=_("Lead partner"), choices=[("", "—"), *partners], coerce=int
        )
        # The lead after the title, as people read an item.
        order = ["number", "title", "lead_id"]
        self.order_fields(order + [n for n in self.fields if n not in order])


class WorkPackageForm(_ItemForm):
    description = _long_text(_("Description"))
    start_month = _month(_("Start month"))
    end_month = _month(_("End month"))

    @classmethod
    def for_work_package(cls, wp: WorkPackage, **kwargs: Any) -> WorkPackageForm:
        return cls(
            initial={
                "number": wp.number,
                "title": wp.title,
                "lead_id": wp.lead_id,
                "description": wp.description,
                "start_month": wp.start_month,
                "end_month": wp.end_month,
                "revision": wp.revision,
            },
            **kwargs,
        )

    def to_input(self) -> WorkPackageInput:
        d = self.cleaned_data
        return WorkPackageInput(
            number=d["number"],
            title=d["title"],
            lead_id=d["lead_id"],
            start_month=d["start_month"],
            end_month=d["end_month"],
            description=d["description"],
        )


class TaskForm(_ItemForm):
    description = _long_text(_("Description"))
    start_month = _month(_("Start month"))
    end_month = _month(_("End month"))

    def __init__(self, *args: Any, themes: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["theme_id"] = forms.ChoiceField(
            label=_("Mentoring scheme"),
            choices=[("", _("None: the whole programme")), *themes],
            required=False,
        )

    @classmethod
    def for_task(cls, task: Task, **kwargs: Any) -> TaskForm:
        return cls(
            initial={
                "number": task.number,
                "title": task.title,
                "lead_id": task.lead_id,
                "theme_id": task.theme_id or "",
                "description": task.description,
                "start_month": task.start_month,
                "end_month": task.end_month,
                "revision": task.revision,
            },
            **kwargs,
        )

    def to_input(self) -> TaskInput:
        d = self.cleaned_data
        return TaskInput(
            number=d["number"],
            title=d["title"],
            lead_id=d["lead_id"],
            start_month=d["start_month"],
            end_month=d["end_month"],
            theme_id=_optional_pk(d["theme_id"]),
            description=d["description"],
        )


class DeliverableForm(_ItemForm):
    description = _long_text(_("Description"))
    kind = forms.ChoiceField(label=_("Kind"), choices=DeliverableKind.choices)
    target = forms.IntegerField(
        label=_("Target count"),
        min_value=1,
        max_value=999,
        help_text=_("How many the grant promises, e.g. 8 action plans."),
    )
    due_month = _month(_("Due month"))
    dissemination = forms.ChoiceField(
        label=_("Dissemination level"),
        choices=Dissemination.choices,
        help_text=_(
            "Public deliverables appear on the public site once submitted. EU-classified "
            "content is never stored on the platform."
        ),
    )
    source = forms.ChoiceField(
        label=_("Count and evidence from"),
        choices=Source.choices,
        help_text=_(
            "A deliverable the platform holds follows its records: nobody types its count."
        ),
    )

    def __init__(
        self,
        *args: Any,
        themes: list[tuple[int, str]],
        tasks: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["task_id"] = forms.ChoiceField(
            label=_("Task"), choices=[("", _("None")), *tasks], required=False
        )
        self.fields["theme_id"] = forms.ChoiceField(
            label=_("Only the records of the scheme"),
            choices=[("", _("Every scheme")), *themes],
            required=False,
            help_text=_("For a deliverable counted from records: count one scheme's only."),
        )

    @classmethod
    def for_deliverable(cls, d: Deliverable, **kwargs: Any) -> DeliverableForm:
        return cls(
            initial={
                "number": d.number,
                "title": d.title,
                "lead_id": d.lead_id,
                "task_id": d.task_id or "",
                "description": d.description,
                "kind": d.kind,
                "target": d.target,
                "due_month": d.due_month,
                "dissemination": d.dissemination,
                "source": d.source,
                "theme_id": d.theme_id or "",
                "revision": d.revision,
            },
            **kwargs,
        )

    def to_input(self) -> DeliverableInput:
        d = self.cleaned_data
        return DeliverableInput(
            number=d["number"],
            title=d["title"],
            lead_id=d["lead_id"],
            kind=d["kind"],
            target=d["target"],
            due_month=d["due_month"],
            dissemination=d["dissemination"],
            source=d["source"],
            task_id=_optional_pk(d["task_id"]),
            theme_id=_optional_pk(d["theme_id"]),
            description=d["description"],
        )


class MilestoneForm(_ItemForm):
    verification = _long_text(_("Means of verification"), max_length=2000)
    due_month = _month(_("Due month"))
    dissemination = forms.ChoiceField(label=_("Dissemination level"), choices=Dissemination.choices)
    reached_on = forms.DateField(
        label=_("Reached on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Leave empty until it is reached."),
    )
    evidence_link = forms.URLField(
        label=_("Link to the evidence"), required=False, max_length=500, assume_scheme="https"
    )

    @classmethod
    def for_milestone(cls, m: Milestone, **kwargs: Any) -> MilestoneForm:
        return cls(
            initial={
                "number": m.number,
                "title": m.title,
                "lead_id": m.lead_id,
                "verification": m.verification,
                "due_month": m.due_month,
                "dissemination": m.dissemination,
                "reached_on": m.reached_on,
                "evidence_link": m.evidence_link,
                "revision": m.revision,
            },
            **kwargs,
        )

    def to_input(self) -> MilestoneInput:
        d = self.cleaned_data
        return MilestoneInput(
            number=d["number"],
            title=d["title"],
            lead_id=d["lead_id"],
            due_month=d["due_month"],
            dissemination=d["dissemination"],
            verification=d["verification"],
            reached_on=d["reached_on"],
            evidence_link=d["evidence_link"],
        )


class StepForm(forms.Form):
    """One step of a deliverable: the day it happened and its evidence."""

    on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    file = UploadField(label=_("File"), policy="deliverables", required=False)
    link = forms.URLField(
        label=_("Link"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("Where it is published or stored, e.g. the funder's portal or a video."),
    )
    comment = _long_text(_("Comment"))

    def __init__(self, *args: Any, step: Step, classified: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = {
            Step.START: _("Day work started"),
            Step.SUBMIT: _("Day it was submitted to the funder"),
            Step.ACCEPT: _("Day of the funder's acceptance"),
            Step.RETURN: _("Day the funder returned it"),
        }
        self.fields["on"].label = labels[step]
        if step == Step.SUBMIT:
            self.fields["file"].label = _("The deliverable as submitted")
        elif step in (Step.ACCEPT, Step.RETURN):
            self.fields["file"].label = _("The funder's letter")
        if step == Step.RETURN:
            self.fields["comment"].label = _("The funder's reasons")
        if classified:
            # EU-classified content is never stored: the comment names its registry reference.
            del self.fields["file"]
            del self.fields["link"]
            self.fields["comment"].label = _("Registry reference and comment")

    def to_input(self) -> StepInput:
        d = self.cleaned_data
        return StepInput(
            on=d["on"], file=d.get("file"), link=d.get("link") or "", comment=d["comment"]
        )
