from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _


class FeedbackForm(forms.Form):
    page = forms.CharField(
        label=_("Which page, document or video?"),
        max_length=300,
        required=False,
        help_text=_("Its address or its title; filled in with the page you came from."),
    )
    problem = forms.CharField(
        label=_("What is the problem, or what do you need?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "For example: a button you cannot reach with the keyboard, text you cannot read, or "
            "a document you need in another format."
        ),
    )
    name = forms.CharField(label=_("Your name (optional)"), max_length=150, required=False)
    email = forms.EmailField(
        label=_("Your e-mail address (optional)"),
        required=False,
        help_text=_("Only to answer you. Without it, we cannot reply."),
    )


class TranslationReportForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of the wrong text"), choices=())
    page = forms.CharField(
        label=_("Where did you read it?"),
        max_length=300,
        required=False,
        help_text=_("The page's address or title, or the e-mail or document."),
    )
    problem = forms.CharField(
        label=_("Which text is wrong, and what should it say?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    name = FeedbackForm.base_fields["name"]
    email = FeedbackForm.base_fields["email"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [  # type: ignore[attr-defined]
            (code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES
        ]


class AnswerForm(forms.Form):
    answer_note = forms.CharField(
        label=_("What was done"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Kept with the feedback; write to the person yourself if they left an address."
        ),
    )
