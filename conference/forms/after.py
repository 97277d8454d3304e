"""The feedback survey's form: two scores from 1 to 5 (radio buttons, each labelled) and an
optional comment. The same form for the whole conference and for each session."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..services.after import COMMENT_MAX, FeedbackInput

OVERALL_LABELS = (
    (1, _("1 – Very poor")),  # noqa: RUF001
    (2, _("2 – Poor")),  # noqa: RUF001
    (3, _("3 – Fair")),  # noqa: RUF001
    (4, _("4 – Good")),  # noqa: RUF001
    (5, _("5 – Very good")),  # noqa: RUF001
)
USEFULNESS_LABELS = (
    (1, _("1 – Not useful")),  # noqa: RUF001
    (2, _("2 – Slightly useful")),  # noqa: RUF001
    (3, _("3 – Fairly useful")),  # noqa: RUF001
    (4, _("4 – Very useful")),  # noqa: RUF001
    (5, _("5 – Extremely useful")),  # noqa: RUF001
)


class FeedbackForm(forms.Form):
    overall = forms.TypedChoiceField(
        label=_("Overall, how was it?"),
        choices=OVERALL_LABELS,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a score from 1 to 5.")},
    )
    usefulness = forms.TypedChoiceField(
        label=_("How useful was it for your work?"),
        choices=USEFULNESS_LABELS,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a score from 1 to 5.")},
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        help_text=_("Please do not write your name: the answers are anonymous."),
        max_length=COMMENT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def to_input(self) -> FeedbackInput:
        data = self.cleaned_data
        return FeedbackInput(
            overall=data["overall"], usefulness=data["usefulness"], comment=data["comment"]
        )
