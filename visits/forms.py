"""The forms of the visits screens: events, invitations, agenda, reports, the visit plan."""

from datetime import date, datetime
from typing import Any, ClassVar, cast
from zoneinfo import ZoneInfo, available_timezones

from django import forms
from django.utils.translation import gettext_lazy as _

from core.validators import validate_plain_text
from programmes.models import Programme

from . import planner
from .choices import AgendaFormat, EventFormat, FindingKind
from .services.events import DEFAULT_ZONE, EventInput
from .times import local
from .workflow import EventTransition


class VisitPlanForm(forms.Form):
    window_start = forms.DateField(
        label=_("Visits from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    window_end = forms.DateField(
        label=_("Visits until"), widget=forms.DateInput(attrs={"type": "date"})
    )
    min_gap_days = forms.IntegerField(
        label=_("Days at least between a pair's study visit and mentoring visit"),
        min_value=1,
        max_value=365,
        initial=14,
    )

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.fields["window_start"].initial = programme.start_date
        self.fields["window_end"].initial = programme.end_date

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("window_start"), data.get("window_end")
        if start and end and end <= start:
            self.add_error("window_end", _("The end must come after the start."))
        return data

    def rules(self) -> planner.Rules:
        data = self.cleaned_data
        return planner.Rules(
            window_start=data["window_start"],
            window_end=data["window_end"],
            min_gap_days=data["min_gap_days"],
        )

    def default_rules(self) -> planner.Rules:
        start: date = self.programme.start_date
        return planner.Rules(window_start=start, window_end=self.programme.end_date)


class ReportForm(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 6}),
        validators=[validate_plain_text],
    )


class FindingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("Choose…")), *FindingKind.choices])
    text = forms.CharField(
        label=_("Finding"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[validate_plain_text],
    )
    city = forms.ChoiceField(label=_("About"))
    key_factor = forms.ChoiceField(label=_("Key factor"), required=False)

    def __init__(
        self, *args: Any, cities: list[Any], key_factors: list[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        city_field = cast(forms.ChoiceField, self.fields["city"])
        city_field.choices = [(c.slug, c.name) for c in cities]
        factor_field = cast(forms.ChoiceField, self.fields["key_factor"])
        factor_field.choices = [
            ("", _("None")),
            *[(f.code, f"{f.code}. {f.title}") for f in key_factors],
        ]

    def has_changed(self) -> bool:
        # A browser sends the first city of an untouched row's select: a row without a kind or
        # a text is an empty row, left out rather than refused.
        return (
            bool(self.data.get(self.add_prefix("kind")) or self.data.get(self.add_prefix("text")))
            if self.is_bound
            else super().has_changed()
        )


FindingFormSet = forms.formset_factory(FindingForm, extra=3)


class AgendaItemForm(forms.Form):
    """Times are entered in the event's (host city's) time zone."""

    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label=_("Until"), widget=forms.TimeInput(attrs={"type": "time"}))
    title = forms.CharField(label=_("Title"), max_length=200, validators=[validate_plain_text])
    format = forms.ChoiceField(label=_("Format"), choices=AgendaFormat.choices)
    speakers = forms.CharField(
        label=_("Speakers"), max_length=300, required=False, validators=[validate_plain_text]
    )
    place = forms.CharField(
        label=_("Place"), max_length=300, required=False, validators=[validate_plain_text]
    )


class UnavailabilityForm(forms.Form):
    start = forms.DateField(label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        required=False,
        help_text=_("For example: municipal elections, summer closure."),
        validators=[validate_plain_text],
    )


def _european_zones() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(available_timezones()) if name.startswith("Europe/")]


class EventForm(forms.Form):
    """An event as the coordinator types it: days and times in the event's own time zone."""

    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)
    format = forms.ChoiceField(
        label=_("Format"), choices=[("", _("Choose…")), *EventFormat.choices]
    )
    title = forms.CharField(label=_("Title"), max_length=200, validators=[validate_plain_text])
    host_city = forms.ChoiceField(label=_("Host city"), required=False)
    timezone = forms.ChoiceField(
        label=_("Time zone"),
        required=False,
        help_text=_("Leave empty for the host city's zone (Brussels when there is none)."),
    )
    start_day = forms.DateField(
        label=_("First day"), widget=forms.DateInput(attrs={"type": "date"})
    )
    start_time = forms.TimeField(
        label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    end_day = forms.DateField(label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}))
    end_time = forms.TimeField(label=_("Ends at"), widget=forms.TimeInput(attrs={"type": "time"}))
    pair = forms.ChoiceField(
        label=_("Pair"), required=False, help_text=_("Study and mentoring visits serve one pair.")
    )
    scheme = forms.ChoiceField(
        label=_("Mentoring scheme"),
        required=False,
        help_text=_("For a workshop or webinar of one scheme; empty for the whole programme."),
    )
    venue = forms.CharField(
        label=_("Venue"), max_length=300, required=False, validators=[validate_plain_text]
    )
    online_url = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")
    objectives = forms.CharField(
        label=_("Objectives"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[validate_plain_text],
    )
    capacity = forms.IntegerField(
        label=_("Places"),
        required=False,
        min_value=1,
        max_value=10000,
        help_text=_("Leave empty for no limit."),
    )

    # Service field names → the form's, so that a refusal shows next to the right field.
    SERVICE_FIELDS: ClassVar[dict[str, str]] = {"starts_at": "start_day", "ends_at": "end_day"}

    def __init__(self, *args: Any, choices: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choices = choices
        self._set_choices("host_city", [(c.slug, c.name) for c in choices.cities], _("None"))
        self._set_choices("timezone", _european_zones(), _("The host city's"))
        self._set_choices("pair", [(str(p.pk), label) for p, label in choices.pairs], _("None"))
        self._set_choices("scheme", [(str(s.pk), str(s.theme)) for s in choices.schemes], _("None"))

    def _set_choices(self, name: str, options: list[tuple[str, str]], empty: Any) -> None:
        cast(forms.ChoiceField, self.fields[name]).choices = [("", empty), *options]

    @staticmethod
    def initial_for(event: Any) -> dict[str, Any]:
        start, end = local(event.starts_at, event.timezone), local(event.ends_at, event.timezone)
        return {
            "revision": event.revision,
            "format": event.format,
            "title": event.title,
            "host_city": event.host_city.slug if event.host_city else "",
            "timezone": event.timezone,
            "start_day": start.date(),
            "start_time": start.time(),
            "end_day": end.date(),
            "end_time": end.time(),
            "pair": str(event.pair_id or ""),
            "scheme": str(event.scheme_id or "") if not event.pair_id else "",
            "venue": event.venue,
            "online_url": event.online_url,
            "objectives": event.objectives,
            "capacity": event.capacity,
        }

    def event_input(self) -> EventInput:
        """The cleaned form as the service's input (call after is_valid)."""
        data = self.cleaned_data
        cities = {c.slug: c for c in self.choices.cities}
        pairs = {str(p.pk): p for p, _label in self.choices.pairs}
        schemes = {str(s.pk): s for s in self.choices.schemes}
        host = cities.get(data["host_city"])
        zone_name = data["timezone"] or (host.timezone if host else DEFAULT_ZONE)
        zone = ZoneInfo(zone_name)
        return EventInput(
            format=data["format"],
            title=data["title"],
            starts_at=datetime.combine(data["start_day"], data["start_time"], tzinfo=zone),
            ends_at=datetime.combine(data["end_day"], data["end_time"], tzinfo=zone),
            timezone=zone_name,
            host_city=host,
            pair=pairs.get(data["pair"]),
            scheme=schemes.get(data["scheme"]),
            venue=data["venue"],
            online_url=data["online_url"],
            objectives=data["objectives"],
            capacity=data["capacity"],
        )


class InviteForm(forms.Form):
    """Invite one member of the programme who is not invited yet: type part of their name,
    e-mail or organisation, then choose among the matches. The page lists the matches as one
    types (static/js/lookup.js); without JavaScript, submitting lists them, or invites the
    only one. The chosen person comes as `person` (a radio button of the matches)."""

    who = forms.CharField(
        label=_("Person"),
        max_length=200,
        required=False,
        help_text=_("A name, an e-mail address or an organisation."),
    )

    def __init__(self, *args: Any, lookup: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lookup = lookup
        self.matches: list[Any] = []
        self.more = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = self.data.get("person", "")
        if chosen:
            person = self.lookup.get(chosen)
            if person is None:
                self.add_error(
                    "who",
                    _(
                        "This person cannot be invited: choose a member of the programme who is "
                        "not invited yet."
                    ),
                )
            data["person"] = person
            return data
        text = (data.get("who") or "").strip()
        if not text:
            self.add_error("who", _("Type a name, an e-mail address or an organisation."))
            return data
        self.matches, self.more = self.lookup.search(text)
        if len(self.matches) == 1 and not self.more:
            data["person"] = self.matches[0]
        elif not self.matches:
            self.add_error(
                "who",
                _("Nobody who can still be invited matches “%(text)s”.") % {"text": text},
            )
        else:
            self.add_error("who", _("Several people match: choose one below."))
        return data


class StatusForm(forms.Form):
    transition = forms.ChoiceField(choices=[(t.value, t.value) for t in EventTransition])
    comment = forms.CharField(
        label=_("Reason"), max_length=1000, required=False, validators=[validate_plain_text]
    )
