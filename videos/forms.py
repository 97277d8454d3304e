"""The video screens' forms: a video (its file or link), its captions, a person filmed and their
consent, a withdrawal, taking a video off. Each gives its service its input (`to_input`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.conf.global_settings import LANGUAGES as ALL_LANGUAGES
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.uploads import UploadField
from core.validators import validate_plain_text

from .choices import Scope
from .models import Video
from .services import AppearanceInput, VideoInput


def language_choices() -> list[tuple[str, str]]:
    """The platform's languages first, then every other language Django knows."""
    ours = [(code, str(name)) for code, name in settings.LANGUAGES]
    known = {code for code, _name in ours}
    return ours + sorted(
        ((code, str(name)) for code, name in ALL_LANGUAGES if code not in known),
        key=lambda item: item[1],
    )


class VideoForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, validators=[validate_plain_text])
    summary = forms.CharField(
        label=_("Summary"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[validate_plain_text],
    )
    language = forms.ChoiceField(
        label=_("Spoken language"), choices=language_choices, initial=get_language
    )
    duration_seconds = forms.IntegerField(
        label=_("Duration (seconds)"), min_value=0, max_value=86_400, required=False
    )
    file = UploadField(label=_("Video file"), policy="videos", required=False)
    external_url = forms.URLField(
        label=_("Or an external link"),
        required=False,
        assume_scheme="https",
        help_text=_("A YouTube or Vimeo address; give a file or a link, not both."),
    )
    transcript = forms.CharField(
        label=_("Transcript"),
        max_length=100_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        validators=[validate_plain_text],
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        cities: list[tuple[int, str]],
        themes: list[tuple[int, str]],
        practices: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["city_id"] = forms.TypedChoiceField(
            label=_("City"), choices=[("", "—"), *cities], coerce=int, required=False
        )
        self.fields["theme_id"] = forms.TypedChoiceField(
            label=_("Theme"), choices=[("", "—"), *themes], coerce=int, required=False
        )
        self.fields["practice_ids"] = forms.TypedMultipleChoiceField(
            label=_("Good practices shown"),
            choices=practices,
            coerce=int,
            required=False,
            widget=forms.SelectMultiple(attrs={"size": 8}),
        )
        order = ["title", "summary", "city_id", "theme_id", "practice_ids", "language"]
        self.order_fields(order + [n for n in self.fields if n not in order])

    @staticmethod
    def initial_for(video: Video) -> dict[str, Any]:
        return {
            "title": video.title,
            "summary": video.summary,
            "language": video.language,
            "duration_seconds": video.duration_seconds,
            "external_url": video.external_url,
            "transcript": video.transcript,
            "city_id": video.city_id,
            "theme_id": video.theme_id,
            "practice_ids": [p.pk for p in video.practices.all()],
            "revision": video.revision,
        }

    def to_input(self) -> VideoInput:
        data = self.cleaned_data
        return VideoInput(
            title=data["title"],
            summary=data["summary"],
            language=data["language"],
            city_id=data.get("city_id") or None,
            theme_id=data.get("theme_id") or None,
            practice_ids=tuple(data.get("practice_ids") or ()),
            duration_seconds=data.get("duration_seconds") or 0,
            external_url=data.get("external_url") or "",
            file=data.get("file") or None,
            transcript=data.get("transcript") or "",
            revision=data.get("revision"),
        )


class SubtitleForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language of the captions"), choices=language_choices, initial=get_language
    )
    file = UploadField(label=_("Subtitle file"), policy="subtitles")


class AppearanceForm(forms.Form):
    name = forms.CharField(
        label=_("Name or pseudonym"), max_length=200, validators=[validate_plain_text]
    )
    show_name_publicly = forms.BooleanField(
        label=_("Their name may be shown publicly"), required=False
    )
    scopes = forms.MultipleChoiceField(
        label=_("They agreed to"),
        choices=Scope.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    signed_on = forms.DateField(
        label=_("Signed on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    expires_on = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty when the consent has no end date."),
    )
    consent_form = UploadField(label=_("Signed consent form"), policy="consents", required=False)

    def to_input(self) -> AppearanceInput:
        data = self.cleaned_data
        scopes = set(data.get("scopes") or ())
        return AppearanceInput(
            name=data["name"],
            show_name_publicly=bool(data.get("show_name_publicly")),
            scope_recording=Scope.RECORDING in scopes,
            scope_portal=Scope.PORTAL in scopes,
            scope_social=Scope.SOCIAL in scopes,
            scope_toolkits=Scope.TOOLKITS in scopes,
            signed_on=data.get("signed_on"),
            expires_on=data.get("expires_on"),
            consent_form=data.get("consent_form") or None,
        )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[validate_plain_text],
    )
