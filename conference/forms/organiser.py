"""The organisers' forms: the conference's settings, a session, a speaker, a city's quota and
the registrations' filters. Days and hours are typed in the conference's zone (the host
city's clocks) and become aware datetimes here."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar, cast
from zoneinfo import ZoneInfo

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from core.validators import validate_plain_text
from visits.times import local

from ..choices import GovernmentLevel, OptionalField, PlaceStatus, SessionKind
from ..models import Conference, Session, Speaker
from ..services.organising import ConferenceInput, SessionInput, SpeakerInput

_DATE = forms.DateInput(attrs={"type": "date"})
_TIME = forms.TimeInput(attrs={"type": "time"})


def _ids(values: Any) -> tuple[int, ...]:
    return tuple(int(v) for v in values or ())


class ConferenceForm(forms.Form):
    """The conference's settings; `events` (id, label) adds the choice of event (creating)."""

    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)
    event = forms.ChoiceField(label=_("Conference event"))
    slug = forms.SlugField(
        label=_("Short name"),
        max_length=60,
        help_text=_("In the conference's address: letters, digits and hyphens."),
    )
    introduction = forms.CharField(
        label=_("Introduction"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        validators=[validate_plain_text],
    )
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=100000)
    registration_open = forms.BooleanField(label=_("Registration open"), required=False)
    closes_day = forms.DateField(label=_("Registration closes on"), required=False, widget=_DATE)
    closes_time = forms.TimeField(
        label=_("Registration closes at"),
        required=False,
        widget=_TIME,
        help_text=_("In the conference's time zone; leave both empty to close it by hand."),
    )
    asked_fields = forms.MultipleChoiceField(
        label=_("Fields asked on the registration form"),
        choices=OptionalField.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Name and e-mail are always asked."),
    )
    delegation_quota = forms.IntegerField(
        label=_("Delegates per programme city"), min_value=0, max_value=1000
    )
    retention_until = forms.DateField(
        label=_("Personal data kept until"),
        widget=_DATE,
        help_text=_("After the conference's last day; the delegates' data is erased then."),
    )

    def __init__(
        self,
        *args: Any,
        zone: str,
        events: list[tuple[int, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.zone = zone
        if events is None:
            del self.fields["event"]
        else:
            cast(forms.ChoiceField, self.fields["event"]).choices = [
                ("", _("Choose…")),
                *[(str(pk), label) for pk, label in events],
            ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("closes_day")) != bool(data.get("closes_time")):
            self.add_error(
                "closes_time" if data.get("closes_day") else "closes_day",
                _("Give both the day and the hour registration closes, or neither."),
            )
        return data

    @staticmethod
    def initial_for(conference: Conference) -> dict[str, Any]:
        closes = conference.registration_closes_at
        closes_local = local(closes, conference.event.timezone) if closes else None
        return {
            "revision": conference.revision,
            "slug": conference.slug,
            "introduction": conference.introduction,
            "capacity": conference.capacity,
            "registration_open": conference.registration_open,
            "closes_day": closes_local.date() if closes_local else None,
            "closes_time": closes_local.time() if closes_local else None,
            "asked_fields": list(conference.asked_fields),
            "delegation_quota": conference.delegation_quota,
            "retention_until": conference.retention_until,
        }

    def to_input(self) -> ConferenceInput:
        data = self.cleaned_data
        closes = None
        if data.get("closes_day") and data.get("closes_time"):
            closes = datetime.combine(
                data["closes_day"], data["closes_time"], tzinfo=ZoneInfo(self.zone)
            )
        return ConferenceInput(
            slug=data["slug"],
            introduction=data.get("introduction") or "",
            capacity=data["capacity"],
            registration_open=bool(data.get("registration_open")),
            registration_closes_at=closes,
            asked_fields=tuple(data.get("asked_fields") or ()),
            delegation_quota=data["delegation_quota"],
            retention_until=data["retention_until"],
            revision=data.get("revision"),
        )


class SessionForm(forms.Form):
    """A session as the organiser types it: its day and hours in the conference's zone."""

    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("Choose…")), *SessionKind.choices])
    title = forms.CharField(label=_("Title"), max_length=200, validators=[validate_plain_text])
    description = forms.CharField(
        label=_("Description"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[validate_plain_text],
    )
    day = forms.DateField(label=_("Day"), widget=_DATE)
    start = forms.TimeField(label=_("Starts at"), widget=_TIME)
    end = forms.TimeField(label=_("Ends at"), widget=_TIME)
    room = forms.CharField(
        label=_("Room"), max_length=120, required=False, validators=[validate_plain_text]
    )
    track = forms.CharField(
        label=_("Track"), max_length=120, required=False, validators=[validate_plain_text]
    )
    capacity = forms.IntegerField(
        label=_("Places"),
        required=False,
        min_value=1,
        max_value=10000,
        help_text=_("Workshops and site visits only; leave empty for no limit."),
    )
    chairs = forms.MultipleChoiceField(label=_("Chairs"), required=False)
    speakers = forms.MultipleChoiceField(label=_("Speakers"), required=False)
    practices = forms.MultipleChoiceField(label=_("Practices presented"), required=False)
    toolkits = forms.MultipleChoiceField(label=_("Toolkits presented"), required=False)
    plans = forms.MultipleChoiceField(label=_("Action plans presented"), required=False)

    # Service field names → the form's, so that a refusal shows next to the right field.
    SERVICE_FIELDS: ClassVar[dict[str, str]] = {"starts_at": "day", "ends_at": "end"}

    def __init__(self, *args: Any, zone: str, choices: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.zone = zone
        for name, options in (
            ("chairs", choices.speakers),
            ("speakers", choices.speakers),
            ("practices", choices.practices),
            ("toolkits", choices.toolkits),
            ("plans", choices.plans),
        ):
            field = cast(forms.MultipleChoiceField, self.fields[name])
            field.choices = [(str(pk), label) for pk, label in options]
            field.widget.attrs["size"] = min(max(len(options), 2), 8)

    @staticmethod
    def initial_for(session: Session, zone: str) -> dict[str, Any]:
        starts, ends = local(session.starts_at, zone), local(session.ends_at, zone)
        roles = list(session.roles.all())
        return {
            "kind": session.kind,
            "title": session.title,
            "description": session.description,
            "day": starts.date(),
            "start": starts.time(),
            "end": ends.time(),
            "room": session.room,
            "track": session.track,
            "capacity": session.capacity,
            "chairs": [str(r.speaker_id) for r in roles if r.role == "chair"],
            "speakers": [str(r.speaker_id) for r in roles if r.role == "speaker"],
            "practices": [str(p.pk) for p in session.practices.all()],
            "toolkits": [str(t.pk) for t in session.toolkits.all()],
            "plans": [str(p.pk) for p in session.plans.all()],
        }

    def to_input(self) -> SessionInput:
        data = self.cleaned_data
        zone = ZoneInfo(self.zone)
        return SessionInput(
            kind=data["kind"],
            title=data["title"],
            description=data.get("description") or "",
            starts_at=datetime.combine(data["day"], data["start"], tzinfo=zone),
            ends_at=datetime.combine(data["day"], data["end"], tzinfo=zone),
            room=data.get("room") or "",
            track=data.get("track") or "",
            capacity=data.get("capacity"),
            chair_ids=_ids(data.get("chairs")),
            speaker_ids=_ids(data.get("speakers")),
            practice_ids=_ids(data.get("practices")),
            toolkit_ids=_ids(data.get("toolkits")),
            plan_ids=_ids(data.get("plans")),
        )


class SpeakerForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, validators=[validate_plain_text])
    affiliation = forms.CharField(
        label=_("Affiliation"), max_length=200, required=False, validators=[validate_plain_text]
    )
    level = forms.ChoiceField(
        label=_("Level of government"), choices=[("", _("Choose…")), *GovernmentLevel.choices]
    )
    country = forms.ChoiceField(label=_("Country"), required=False)
    biography = forms.CharField(
        label=_("Biography"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        validators=[validate_plain_text],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["country"]).choices = [
            ("", _("Not given")),
            *[(code, name) for code, name in countries],
        ]

    @staticmethod
    def initial_for(speaker: Speaker) -> dict[str, Any]:
        return {
            "name": speaker.name,
            "affiliation": speaker.affiliation,
            "level": speaker.level,
            "country": str(speaker.country or ""),
            "biography": speaker.biography,
        }

    def to_input(self) -> SpeakerInput:
        data = self.cleaned_data
        return SpeakerInput(
            name=data["name"],
            affiliation=data.get("affiliation") or "",
            level=data["level"],
            country=data.get("country") or "",
            biography=data.get("biography") or "",
        )


class QuotaForm(forms.Form):
    """One city's quota (a row of the delegations' table)."""

    city = forms.IntegerField(widget=forms.HiddenInput)
    quota = forms.IntegerField(label=_("Quota"), min_value=0, max_value=1000)


class RegistrationFilterForm(forms.Form):
    q = forms.CharField(label=_("Name, e-mail or organisation"), required=False, max_length=200)
    status = forms.ChoiceField(
        label=_("Place"), required=False, choices=[("", _("All")), *PlaceStatus.choices]
    )
    city = forms.TypedChoiceField(
        label=_("Delegation"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, cities: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["city"]).choices = [
            ("", _("All")),
            *[(str(pk), name) for pk, name in cities],
        ]
