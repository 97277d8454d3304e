"""Forms: they parse and check input; the services decide."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from core.uploads import MultipleUploadField
from core.validators import validate_plain_text
from programmes.models import RatingLevel, Theme

from .choices import Priority
from .models import KeyFactor, Rating


class SelfAssessmentForm(forms.Form):
    """One group of fields per key factor: level, priority, evidence, files.

    Field names carry the key factor's code (`level_a1`), so the service's field errors land
    next to the right field.
    """

    revision = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        ratings: list[Rating],
        scale: list[RatingLevel],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.ratings = ratings
        self.saved: dict[str, Rating] = {}  # after a conflict: what a colleague saved
        level_choices = [(str(r.level), f"{r.level} \u2013 {r.label}") for r in scale]
        priority_choices = [("", _("Choose…")), *[(str(v), label) for v, label in Priority.choices]]
        for rating in ratings:
            code = rating.key_factor.code
            self.fields[f"level_{code}"] = forms.TypedChoiceField(
                label=_("Rating"),
                choices=level_choices,
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[f"priority_{code}"] = forms.TypedChoiceField(
                label=_("Priority for your city"),
                choices=priority_choices,
                coerce=int,
                empty_value=None,
                required=False,
            )
            self.fields[f"evidence_{code}"] = forms.CharField(
                label=_("Evidence"),
                help_text=_("What shows this level: policies, services, figures, sources."),
                required=False,
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 3}),
                validators=[validate_plain_text],
            )
            self.fields[f"files_{code}"] = MultipleUploadField(
                label=_("Add documents"), policy="attachments", required=False
            )
            if not self.is_bound:
                self.initial.update(
                    {
                        f"level_{code}": rating.level,
                        f"priority_{code}": rating.priority,
                        f"evidence_{code}": rating.evidence,
                    }
                )

    def groups(self) -> list[dict[str, Any]]:
        """The fields of each key factor together, for the template."""
        return [
            {
                "rating": rating,
                "level": self[f"level_{rating.key_factor.code}"],
                "priority": self[f"priority_{rating.key_factor.code}"],
                "evidence": self[f"evidence_{rating.key_factor.code}"],
                "files": self[f"files_{rating.key_factor.code}"],
                "saved": self.saved.get(rating.key_factor.code),
            }
            for rating in self.ratings
        ]

    def entries(self) -> dict[str, tuple[int | None, int | None, str]]:
        data = self.cleaned_data
        return {
            r.key_factor.code: (
                data.get(f"level_{r.key_factor.code}"),
                data.get(f"priority_{r.key_factor.code}"),
                data.get(f"evidence_{r.key_factor.code}", ""),
            )
            for r in self.ratings
        }

    def uploads(self) -> dict[str, list[Any]]:
        return {
            r.key_factor.code: files
            for r in self.ratings
            if (files := self.cleaned_data.get(f"files_{r.key_factor.code}"))
        }


class ReviewForm(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept")), ("return", _("Return to the city for changes"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comments for the city"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when you return it: say what to change."),
        validators=[validate_plain_text],
    )


class ThemeWishesForm(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)
    mentor_themes = forms.ModelMultipleChoiceField(
        label=_("Themes in which the city offers to mentor"),
        queryset=Theme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    implement_themes = forms.ModelMultipleChoiceField(
        label=_("Themes in which the city wants to implement"),
        queryset=Theme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    max_mentees = forms.TypedChoiceField(
        label=_("Cities it can mentor at most"),
        choices=[(str(n), str(n)) for n in range(1, 6)],
        coerce=int,
        initial="1",
        help_text=_("Used only where the city mentors."),
    )

    def __init__(self, *args: Any, themes: list[Theme], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ids = [t.pk for t in themes]
        for name in ("mentor_themes", "implement_themes"):
            field = cast(forms.ModelMultipleChoiceField, self.fields[name])
            field.queryset = Theme.objects.filter(pk__in=ids).order_by("code")


class BenchmarkForm(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label=_("Title"), max_length=300, validators=[validate_plain_text])
    introduction = forms.CharField(
        label=_("Introduction"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[validate_plain_text],
    )


class KeyFactorForm(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput)
    code = forms.SlugField(
        label=_("Code"), max_length=10, help_text=_("Short and unique in the benchmark, e.g. a3.")
    )
    title = forms.CharField(label=_("Title"), max_length=300, validators=[validate_plain_text])
    why_and_how = forms.CharField(
        label=_("Why and how"),
        max_length=6000,
        widget=forms.Textarea(attrs={"rows": 6}),
        validators=[validate_plain_text],
    )
    questions = forms.CharField(
        label=_("Guiding questions"),
        help_text=_("One question per line."),
        max_length=6000,
        widget=forms.Textarea(attrs={"rows": 5}),
        validators=[validate_plain_text],
    )
    position = forms.IntegerField(
        label=_("Position in the benchmark"), min_value=1, max_value=99, required=False
    )

    def clean_questions(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["questions"].splitlines()]
        questions = [line for line in lines if line]
        if not questions:
            raise forms.ValidationError(_("Write at least one guiding question."))
        too_long = [q for q in questions if len(q) > 500]
        if too_long:
            raise forms.ValidationError(_("Keep each question under 500 characters."))
        return questions

    @staticmethod
    def initial_for(factor: KeyFactor, revision: int) -> dict[str, Any]:
        return {
            "revision": revision,
            "code": factor.code,
            "title": factor.title,
            "why_and_how": factor.why_and_how,
            "questions": "\n".join(q.text for q in factor.questions.all()),
            "position": factor.order,
        }


class AdditionalFactorForm(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label=_("Title"), max_length=300, validators=[validate_plain_text])
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[validate_plain_text],
    )


class RevisionForm(forms.Form):
    """For buttons that act on a draft (publish, remove): the revision the person saw."""

    revision = forms.IntegerField(widget=forms.HiddenInput)
