"""The forms of the plan screens; each turns into a service's input."""

from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from core.uploads import UploadField
from core.validators import validate_plain_text

from .choices import ActionState, FundingSource, Level, Section
from .services.actions import ActionInput, IndicatorInput
from .services.monitoring import ProgressInput
from .services.plans import PlanSections, RiskInput
from .versions import marked_changes
from .workflow import Endorsement

SECTION_FIELDS = ("title", "language", "context", "vision", "objectives")


@dataclass(frozen=True)
class SavedBeside:
    """What another person saved in a field, shown beside what this person typed after a save
    refused as concurrent; `text` marks the words that differ from the typed ones."""

    text: SafeString
    who: str


class PlanSectionsForm(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label=_("Title"), max_length=200, validators=[validate_plain_text])
    language = forms.ChoiceField(label=_("Language of the plan"), choices=settings.LANGUAGES)
    context = forms.CharField(
        label=_("Context"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("The situation today: the gap the self-assessment found, and why it matters."),
        validators=[validate_plain_text],
    )
    vision = forms.CharField(
        label=_("Vision"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[validate_plain_text],
    )
    objectives = forms.CharField(
        label=_("Objectives"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 5}),
        validators=[validate_plain_text],
    )

    # After a refused concurrent save: the field name → what the other person saved, where it
    # differs from what this person typed.
    saved: dict[str, SavedBeside]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.saved = {}

    @classmethod
    def for_plan(cls, plan: Any) -> "PlanSectionsForm":
        return cls(
            initial={"revision": plan.revision, **{n: getattr(plan, n) for n in SECTION_FIELDS}}
        )

    def show_saved(self, plan: Any, who: str) -> None:
        """After a refused concurrent save: keep the typed text, carry the revision saved now
        (saving again, having compared, then works) and set what `who` saved beside each field
        that differs."""
        data = self.data.copy()  # type: ignore[attr-defined]  # a QueryDict when bound
        data["revision"] = str(plan.revision)
        self.data = data
        languages = dict(settings.LANGUAGES)
        for name in SECTION_FIELDS:
            typed, theirs = str(self.data.get(name, "")).strip(), str(getattr(plan, name))
            if name == "language":
                typed, theirs = str(languages.get(typed, typed)), str(languages.get(theirs, theirs))
            if typed.split() != theirs.split():
                self.saved[name] = SavedBeside(marked_changes(typed, theirs), who)

    def field_rows(self) -> list[tuple[Any, SavedBeside | None]]:
        """Each visible field with what another person saved in it (None if nothing to show)."""
        return [(field, self.saved.get(field.name)) for field in self.visible_fields()]

    def sections(self) -> PlanSections:
        data = self.cleaned_data
        return PlanSections(
            title=data["title"],
            context=data["context"],
            vision=data["vision"],
            objectives=data["objectives"],
            language=data["language"],
        )


LEVEL_CHOICES = [("", "—"), *Level.choices]


class RiskForm(forms.Form):
    """One row of the risks. A row whose text fields are empty is an empty row (removed, or the
    blank one to add a risk), whatever its selects send: a browser always sends a select's value.
    A row with text needs its description and both levels."""

    description = forms.CharField(
        label=_("Risk"), max_length=500, required=False, validators=[validate_plain_text]
    )
    likelihood = forms.ChoiceField(label=_("Likelihood"), choices=LEVEL_CHOICES, required=False)
    impact = forms.ChoiceField(label=_("Impact"), choices=LEVEL_CHOICES, required=False)
    mitigation = forms.CharField(
        label=_("Mitigation"), max_length=500, required=False, validators=[validate_plain_text]
    )
    TEXT_FIELDS = ("description", "mitigation")

    def has_changed(self) -> bool:
        """An extra row counts as filled only once text is typed in it (its selects do not)."""
        if not self.is_bound:
            return False
        return any(
            str(self.data.get(self.add_prefix(name), "")).strip() for name in self.TEXT_FIELDS
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(str(data.get(name) or "").strip() for name in self.TEXT_FIELDS):
            return {**data, "description": ""}  # an empty row: left out
        if not str(data.get("description") or "").strip() and "description" not in self.errors:
            self.add_error("description", _("Describe the risk."))
        for name in ("likelihood", "impact"):
            if not data.get(name) and name not in self.errors:
                self.add_error(name, _("Choose low, medium or high."))
        return data


RiskFormSet = forms.formset_factory(RiskForm, extra=1)


def filled_rows(formset: Any, field: str) -> list[Any]:
    """The rows of a valid formset in which `field` is filled: the others are left out (an empty
    row removes it). Their order is the order the service gets them in, and names errors by."""
    return [form for form in formset if form.cleaned_data.get(field)]


def risks_of(rows: list[Any]) -> list[RiskInput]:
    return [RiskInput(**form.cleaned_data) for form in rows]


def risk_formset_for(plan: Any) -> Any:
    """The plan's risks as rows, and one blank row to add one."""
    return RiskFormSet(
        prefix="risks",
        initial=[
            {
                "description": r.description,
                "likelihood": r.likelihood,
                "impact": r.impact,
                "mitigation": r.mitigation,
            }
            for r in plan.risks.order_by("order")
        ],
    )


def risks_text(risks: list[Any]) -> str:
    """Risks as one line each, to compare two sets of them."""
    return "\n".join(
        f"{r['description']} ({r['likelihood'] or '—'}/{r['impact'] or '—'})"
        + (f": {r['mitigation']}" if r["mitigation"] else "")
        for r in risks
    )


def risks_saved_beside(formset: Any, plan_risks: list[Any], who: str) -> SavedBeside | None:
    """After a refused concurrent save: the risks another person saved, if they differ."""
    typed = [form.cleaned_data for form in filled_rows(formset, "description")]
    theirs = [
        {
            "description": r.description,
            "likelihood": r.likelihood,
            "impact": r.impact,
            "mitigation": r.mitigation,
        }
        for r in plan_risks
    ]
    typed_text, their_text = risks_text(typed), risks_text(theirs)
    if typed_text.split() == their_text.split():
        return None
    return SavedBeside(marked_changes(typed_text, their_text), who)


class ActionForm(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label=_("Action"), max_length=200, validators=[validate_plain_text])
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[validate_plain_text],
    )
    lead_department = forms.CharField(
        label=_("Lead department"), max_length=200, required=False, validators=[validate_plain_text]
    )
    partners = forms.CharField(
        label=_("Partners"), max_length=500, required=False, validators=[validate_plain_text]
    )
    start = forms.DateField(label=_("Start"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("End"), widget=forms.DateInput(attrs={"type": "date"}))
    budget_eur = forms.DecimalField(
        label=_("Budget (EUR)"), max_digits=12, decimal_places=2, min_value=0, initial=0
    )
    staff_days = forms.DecimalField(
        label=_("Staff days"), max_digits=7, decimal_places=1, min_value=0, initial=0
    )
    funding_source = forms.ChoiceField(
        label=_("Funding source"),
        required=False,
        choices=[("", _("Not decided yet")), *FundingSource.choices],
    )
    key_factors = forms.MultipleChoiceField(
        label=_("Key factors it answers"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    findings = forms.MultipleChoiceField(
        label=_("Visit findings it answers"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    public = forms.BooleanField(
        label=_("Show this action on the public page once the plan is adopted"),
        required=False,
        initial=True,
    )

    adapts_practice = forms.ChoiceField(
        label=_("Good practice it adapts"),
        required=False,
        help_text=_("Transfer: the practice (often the mentor city's) this action takes up."),
    )

    def __init__(
        self,
        *args: Any,
        key_factors: list[Any],
        findings: list[Any],
        practices: list[Any] = (),  # type: ignore[assignment]
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["adapts_practice"]).choices = [
            ("", _("None")),
            *((p.reference, f"{p.title} ({p.city_name})") for p in practices),
        ]
        cast(forms.MultipleChoiceField, self.fields["key_factors"]).choices = [
            (str(k.pk), f"{k.code}. {k.title}") for k in key_factors
        ]
        cast(forms.MultipleChoiceField, self.fields["findings"]).choices = [
            (str(f.pk), f"{f.get_kind_display()}: {f.text[:120]}") for f in findings
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end must not come before the start."))
        return data

    def action_input(self, indicators: list[IndicatorInput]) -> ActionInput:
        data = self.cleaned_data
        return ActionInput(
            title=data["title"],
            start=data["start"],
            end=data["end"],
            description=data["description"],
            lead_department=data["lead_department"],
            partners=data["partners"],
            budget_eur=data["budget_eur"],
            staff_days=data["staff_days"],
            funding_source=data["funding_source"],
            public=data["public"],
            indicators=indicators,
            key_factor_ids=[int(v) for v in data["key_factors"]],
            finding_ids=[int(v) for v in data["findings"]],
            adapts_practice=data.get("adapts_practice", ""),
        )


class IndicatorForm(forms.Form):
    name = forms.CharField(
        label=_("Indicator"), max_length=200, required=False, validators=[validate_plain_text]
    )
    unit = forms.CharField(
        label=_("Unit"), max_length=60, required=False, validators=[validate_plain_text]
    )
    baseline = forms.DecimalField(
        label=_("Baseline"), max_digits=14, decimal_places=2, required=False
    )
    target = forms.DecimalField(label=_("Target"), max_digits=14, decimal_places=2, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        named = bool(data.get("name"))
        if named and data.get("target") is None and "target" not in self.errors:
            self.add_error("target", _("Give the indicator a target."))
        if not named and (data.get("target") is not None or data.get("baseline") is not None):
            self.add_error("name", _("Name the indicator."))
        return data


IndicatorFormSet = forms.formset_factory(IndicatorForm, extra=2)


def indicators_of(rows: list[Any]) -> list[IndicatorInput]:
    return [
        IndicatorInput(
            name=form.cleaned_data["name"],
            unit=form.cleaned_data["unit"],
            baseline=form.cleaned_data["baseline"],
            target=form.cleaned_data["target"],
        )
        for form in rows
    ]


class StepForm(forms.Form):
    """A workflow step: a comment (reasons where needed) and, to endorse, the decision."""

    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[validate_plain_text],
    )

    def __init__(self, *args: Any, endorse: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if endorse:
            self.fields["body"] = forms.CharField(
                label=_("Decision-making body"),
                max_length=200,
                required=False,
                help_text=_("For example: the city council, the mayor's board."),
                validators=[validate_plain_text],
            )
            self.fields["decided_on"] = forms.DateField(
                label=_("Date of the decision"),
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}),
            )
            self.fields["reference"] = forms.CharField(
                label=_("Decision reference"),
                max_length=100,
                required=False,
                validators=[validate_plain_text],
            )
            self.fields["document"] = UploadField(
                label=_("Decision document"), policy="decisions", required=False
            )

    def endorsement(self) -> Endorsement | None:
        if "body" not in self.fields:
            return None
        data = self.cleaned_data
        return Endorsement(
            body=data["body"],
            decided_on=data["decided_on"],
            reference=data["reference"],
            document=data["document"],
        )


class CommentForm(forms.Form):
    section = forms.ChoiceField(label=_("About"), choices=Section.choices, required=False)
    action = forms.ChoiceField(label=_("Action"), required=False)
    parent = forms.IntegerField(widget=forms.HiddenInput, required=False)
    body = forms.CharField(
        label=_("Comment"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[validate_plain_text],
    )
    suggestion = forms.CharField(
        label=_("Suggested text (optional)"),
        help_text=_(
            "For the context, vision or objectives: the whole new text of the section, which "
            "the city's officers can apply in one click."
        ),
        required=False,
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[validate_plain_text],
    )

    def __init__(self, *args: Any, actions: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["action"]).choices = [
            ("", _("None")),
            *[(str(a.pk), a.title) for a in actions],
        ]


class ProgressForm(forms.Form):
    on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    state = forms.ChoiceField(label=_("How it is going"), choices=ActionState.choices)
    percent = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    note = forms.CharField(
        label=_("What happened"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[validate_plain_text],
    )
    evidence = UploadField(label=_("Evidence (optional)"), policy="evidence", required=False)

    def progress(self) -> ProgressInput:
        data = self.cleaned_data
        return ProgressInput(
            on=data["on"],
            state=data["state"],
            percent=data["percent"],
            note=data["note"],
            evidence=data["evidence"],
        )


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=200, validators=[validate_plain_text])
    due_on = forms.DateField(label=_("Due"), widget=forms.DateInput(attrs={"type": "date"}))
