"""Plain HTML forms of the knowledge screens: labelled fields, errors next to them."""

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from .choices import (
    PRACTICE_LANGUAGES,
    BudgetRange,
    LinkKind,
    PracticeStatus,
    SourceKind,
    TargetGroup,
)
from .services.practices import LinkInput, PracticeInput

LINK_ROWS = 3


class PracticeForm(forms.Form):
    """A practice on one page; codes come from reference data chosen in lists."""

    title = forms.CharField(label=_("Title"), max_length=200)
    reference = forms.SlugField(
        label=_("Reference"),
        max_length=80,
        help_text=_("A short, unique name for links and files, e.g. ghent-kitchen-incubator."),
    )
    city_name = forms.CharField(label=_("City"), max_length=120)
    country = forms.ChoiceField(label=_("Country"), choices=[("", "---------"), *countries])
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Two or three sentences: what the city does, for whom, with what result."),
    )
    description = forms.CharField(
        label=_("Full description"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "Paragraphs, lists, bold, italics and links are kept (HTML tags p, ul, li, "
            "strong, em, a); anything else is removed."
        ),
    )
    themes = forms.MultipleChoiceField(
        label=_("Themes"), widget=forms.CheckboxSelectMultiple, choices=()
    )
    key_factors = forms.MultipleChoiceField(
        label=_("Key factors it illustrates"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=(),
    )
    commitments = forms.MultipleChoiceField(
        label=_("Charter commitments"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=(),
    )
    european_module = forms.TypedChoiceField(
        label=_("European module"), required=False, coerce=int, empty_value=None, choices=()
    )
    target_groups = forms.MultipleChoiceField(
        label=_("Target groups"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=TargetGroup.choices,
    )
    start_year = forms.IntegerField(
        label=_("Start year"), required=False, min_value=1900, max_value=2100
    )
    status = forms.ChoiceField(label=_("Status"), choices=PracticeStatus.choices)
    results = forms.CharField(
        label=_("Results"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    evidence = forms.CharField(
        label=_("Evidence of the results"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    budget_range = forms.ChoiceField(label=_("Budget"), choices=BudgetRange.choices)
    contact_name = forms.CharField(label=_("Contact person"), max_length=200, required=False)
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)
    contact_consent = forms.BooleanField(
        label=_("The contact person agrees to be shown on the public page"), required=False
    )
    language = forms.ChoiceField(
        label=_("Language of the text"), choices=PRACTICE_LANGUAGES, initial=get_language
    )
    source_kind = forms.ChoiceField(label=_("Source"), choices=SourceKind.choices)
    source_name = forms.CharField(
        label=_("Name of the toolkit or project"), max_length=200, required=False
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, choices: dict[str, list[Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("themes", "key_factors", "commitments"):
            self.fields[name].choices = choices[name]  # type: ignore[attr-defined]
        self.fields["european_module"].choices = [("", "---------"), *choices["modules"]]  # type: ignore[attr-defined]
        for number in range(LINK_ROWS):
            self.fields[f"link_{number}_kind"] = forms.ChoiceField(
                label=_("Kind"), required=False, choices=[("", "---------"), *LinkKind.choices]
            )
            self.fields[f"link_{number}_url"] = forms.URLField(
                label=_("Address"), required=False, max_length=500, assume_scheme="https"
            )
            self.fields[f"link_{number}_title"] = forms.CharField(
                label=_("Title"), required=False, max_length=200
            )
            self.fields[f"link_{number}_description"] = forms.CharField(
                label=_("Description (for an image: what it shows)"),
                required=False,
                max_length=500,
            )

    def link_rows(self) -> list[list[Any]]:
        return [
            [self[f"link_{n}_{part}"] for part in ("kind", "url", "title", "description")]
            for n in range(LINK_ROWS)
        ]

    def main_fields(self) -> list[Any]:
        return [f for f in self.visible_fields() if not f.name.startswith("link_")]

    def to_input(self, *, illustrative: bool = False) -> PracticeInput:
        data = self.cleaned_data
        links = tuple(
            LinkInput(
                kind=data.get(f"link_{n}_kind") or "",
                url=data.get(f"link_{n}_url") or "",
                title=data.get(f"link_{n}_title") or "",
                description=data.get(f"link_{n}_description") or "",
            )
            for n in range(LINK_ROWS)
            if data.get(f"link_{n}_url") or data.get(f"link_{n}_title")
        )
        return PracticeInput(
            reference=data["reference"],
            title=data["title"],
            city_name=data["city_name"],
            country=data["country"],
            organisation=data["organisation"],
            summary=data["summary"],
            description=data["description"],
            themes=tuple(data["themes"]),
            key_factors=tuple(data["key_factors"]),
            commitments=tuple(data["commitments"]),
            european_module=data["european_module"],
            target_groups=tuple(data["target_groups"]),
            start_year=data["start_year"],
            status=data["status"],
            results=data["results"],
            evidence=data["evidence"],
            budget_range=data["budget_range"],
            contact_name=data["contact_name"],
            contact_email=data["contact_email"],
            contact_consent=data["contact_consent"],
            links=links,
            language=data["language"],
            source_kind=data["source_kind"],
            source_name=data["source_name"],
            illustrative=illustrative,
        )


def practice_initial(data: PracticeInput, revision: int) -> dict[str, Any]:
    initial = {k: v for k, v in vars(data).items() if k != "links"}
    for name in ("themes", "key_factors", "commitments", "target_groups"):
        initial[name] = list(initial[name])
    for number, link in enumerate(data.links[:LINK_ROWS]):
        for part, value in vars(link).items():
            initial[f"link_{number}_{part}"] = value
    initial["revision"] = revision
    return initial


class StepForm(forms.Form):
    comment = forms.CharField(
        label=_("Reasons or comment"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ToolkitCreateForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    theme = forms.ChoiceField(label=_("Theme"), choices=())

    def __init__(self, *args: Any, themes: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = [("", "---------"), *themes]  # type: ignore[attr-defined]


class ToolkitForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    introduction = forms.CharField(
        label=_("Introduction"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Paragraphs, lists, bold, italics and links are kept."),
    )
    language = forms.ChoiceField(
        label=_("Language of the toolkit"), choices=settings.LANGUAGES, initial=get_language
    )
    revision = forms.IntegerField(widget=forms.HiddenInput)


class RecommendationForm(forms.Form):
    key_factor = forms.ChoiceField(label=_("Key factor"), required=False, choices=())
    text = forms.CharField(
        label=_("Recommendation"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, factors: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["key_factor"].choices = [("", _("All key factors")), *factors]  # type: ignore[attr-defined]


class ToolkitPracticeForm(forms.Form):
    practice = forms.CharField(
        label=_("Practice (its reference)"),
        max_length=80,
        help_text=_("The reference shown on the practice's page, or pick one suggested below."),
    )
    key_factor = forms.ChoiceField(label=_("Key factor it illustrates"), required=False, choices=())
    note = forms.CharField(
        label=_("Why it is here"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, factors: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["key_factor"].choices = [("", _("All key factors")), *factors]  # type: ignore[attr-defined]


class FeedbackForm(forms.Form):
    city = forms.ChoiceField(label=_("City"), choices=())
    key_factor = forms.ChoiceField(label=_("Key factor"), required=False, choices=())
    text = forms.CharField(
        label=_("What did piloting the toolkit teach you?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, cities: list[Any], factors: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["city"].choices = cities  # type: ignore[attr-defined]
        self.fields["key_factor"].choices = [("", _("The toolkit as a whole")), *factors]  # type: ignore[attr-defined]
