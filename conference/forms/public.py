"""The public registration form (the fields the organiser asks for, one choice of workshop per
time slot) and a city's delegation form (one row per delegate, blank rows ignored).

The workshops running at the same time form one slot, offered as one group of radio buttons, so
a delegate cannot choose two rooms at once and sees which ones are full (they then wait)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from visits.times import time_range

from ..choices import DelegateKind, GovernmentLevel, OptionalField
from ..models import Conference, Session
from ..services import DelegateInput

# The optional fields of the form, by the organiser's OptionalField value.
_OPTIONAL_NAMES = {
    OptionalField.ORGANISATION: "organisation",
    OptionalField.ROLE: "role",
    OptionalField.LEVEL: "level",
    OptionalField.COUNTRY: "country",
    OptionalField.DIETARY: "dietary_needs",
    OptionalField.ACCESS: "access_needs",
}


@dataclass(frozen=True)
class Slot:
    """Sessions to choose from that overlap in time: a delegate takes at most one."""

    number: int
    sessions: tuple[Session, ...]

    @property
    def field_name(self) -> str:
        return f"slot_{self.number}"


def slots_of(sessions: list[Session]) -> list[Slot]:
    """Group the sessions (sorted by start) whose times overlap, in one pass."""
    groups: list[list[Session]] = []
    ends_at = None
    for session in sorted(sessions, key=lambda s: (s.starts_at, s.title)):
        if groups and ends_at is not None and session.starts_at < ends_at:
            groups[-1].append(session)
            ends_at = max(ends_at, session.ends_at)
        else:
            groups.append([session])
            ends_at = session.ends_at
    return [Slot(number, tuple(group)) for number, group in enumerate(groups, start=1)]


def _session_label(session: Session, full: bool) -> str:
    label = session.title + (f" ({session.room})" if session.room else "")
    if full:
        label += " – " + str(_("full: you join the waiting list"))  # noqa: RUF001
    return label


def _optional_fields() -> dict[str, forms.Field]:
    return {
        "organisation": forms.CharField(label=_("Organisation"), max_length=200, required=False),
        "role": forms.CharField(label=_("Role"), max_length=200, required=False),
        "level": forms.ChoiceField(
            label=_("Level of government"),
            choices=[("", _("Choose…")), *GovernmentLevel.choices],
            required=False,
        ),
        "country": forms.ChoiceField(
            label=_("Country"),
            choices=lambda: [("", _("Choose…")), *((c.code, c.name) for c in countries)],
            required=False,
        ),
        "dietary_needs": forms.CharField(
            label=_("Dietary needs"),
            max_length=500,
            required=False,
            help_text=_("For example vegetarian, halal, allergies."),
        ),
        "access_needs": forms.CharField(
            label=_("Access needs"),
            max_length=500,
            required=False,
            help_text=_("For example step-free access, a sign language interpreter."),
        ),
    }


class RegistrationForm(forms.Form):
    """A delegate's registration: name and e-mail always, the organiser's optional fields, a
    workshop per slot, the two consents (both optional, both off by default)."""

    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    email = forms.EmailField(
        label=_("E-mail"), help_text=_("Your confirmation and your private link go here.")
    )
    language = forms.ChoiceField(
        label=_("Language of our e-mails"), choices=settings.LANGUAGES, initial=get_language
    )

    def __init__(
        self,
        *args: Any,
        conference: Conference,
        sessions: list[Session],
        taken: dict[int, int],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.conference = conference
        self.fields["language"].initial = (get_language() or "en")[:2]
        optional = _optional_fields()
        for value in conference.asked_fields:
            name = _OPTIONAL_NAMES.get(value)
            if name:
                self.fields[name] = optional[name]
        self.slots = slots_of(sessions)
        for slot in self.slots:
            first = slot.sessions[0]
            self.fields[slot.field_name] = forms.TypedChoiceField(
                label=_("Workshop or visit at %(time)s") % {"time": _local_time(first, conference)},
                choices=[
                    ("", _("None")),
                    *(
                        (
                            s.pk,
                            _session_label(
                                s, s.capacity is not None and taken.get(s.pk, 0) >= s.capacity
                            ),
                        )
                        for s in slot.sessions
                    ),
                ],
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
            )
        self.fields["consent_listed"] = forms.BooleanField(
            label=_("List my name and organisation among the participants"),
            help_text=_("The list goes to the participants and to the funder."),
            required=False,
        )
        self.fields["consent_photos"] = forms.BooleanField(
            label=_("I agree to appear in the conference's photos and videos"), required=False
        )

    def session_ids(self) -> tuple[int, ...]:
        return tuple(
            self.cleaned_data[slot.field_name]
            for slot in self.slots
            if self.cleaned_data.get(slot.field_name)
        )

    def delegate(self) -> DelegateInput:
        data = self.cleaned_data
        return DelegateInput(
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            language=data["language"],
            organisation=data.get("organisation", ""),
            role=data.get("role", ""),
            level=data.get("level", ""),
            country=data.get("country", "") or "",
            dietary_needs=data.get("dietary_needs", ""),
            access_needs=data.get("access_needs", ""),
            consent_listed=data["consent_listed"],
            consent_photos=data["consent_photos"],
            session_ids=self.session_ids(),
        )


class SessionChoicesForm(forms.Form):
    """A delegate changes their workshops through their private link (one per slot)."""

    def __init__(
        self,
        *args: Any,
        conference: Conference,
        sessions: list[Session],
        taken: dict[int, int],
        held: set[int],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        helper = RegistrationForm(conference=conference, sessions=sessions, taken=taken)
        self.slots = helper.slots
        for slot in self.slots:
            field = helper.fields[slot.field_name]
            field.initial = next((s.pk for s in slot.sessions if s.pk in held), None)
            self.fields[slot.field_name] = field

    def session_ids(self) -> tuple[int, ...]:
        return tuple(
            self.cleaned_data[slot.field_name]
            for slot in self.slots
            if self.cleaned_data.get(slot.field_name)
        )


class ConsentsForm(forms.Form):
    consent_listed = forms.BooleanField(
        label=_("List my name and organisation among the participants"), required=False
    )
    consent_photos = forms.BooleanField(
        label=_("I agree to appear in the conference's photos and videos"), required=False
    )


def _local_time(session: Session, conference: Conference) -> str:
    return time_range(session.starts_at, session.ends_at, conference.event.timezone)


# ---------------------------------------------------------------- a city's delegation


class DelegateRowForm(forms.Form):
    """One delegate of a city's delegation: someone of the city's staff (their name and e-mail
    come from their profile) or anyone else typed in."""

    person = forms.TypedChoiceField(
        label=_("From the city's staff"), coerce=int, empty_value=None, required=False
    )
    delegate_kind = forms.ChoiceField(
        label=_("Delegate"), choices=[("", _("Choose…")), *DelegateKind.choices], required=False
    )
    first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    role = forms.CharField(label=_("Role"), max_length=200, required=False)
    dietary_needs = forms.CharField(label=_("Dietary needs"), max_length=500, required=False)
    access_needs = forms.CharField(label=_("Access needs"), max_length=500, required=False)

    def __init__(self, *args: Any, people: dict[int, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = people
        self.fields["person"].choices = [  # type: ignore[attr-defined]
            ("", _("Someone else (type below)")),
            *((pk, f"{person.first_name} {person.last_name}") for pk, person in people.items()),
        ]

    def is_blank(self) -> bool:
        """A row left as it came (the extra rows the form offers): ignored."""
        data = getattr(self, "cleaned_data", {})
        return not any(data.get(name) for name in self.fields)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.is_blank():
            return data
        person = self.people.get(data.get("person") or 0)
        if person is not None:
            data["first_name"] = data.get("first_name") or person.first_name
            data["last_name"] = data.get("last_name") or person.last_name
            data["email"] = data.get("email") or person.email
        required = {
            "delegate_kind": _("Say who this delegate is."),
            "first_name": _("Enter the first name."),
            "last_name": _("Enter the last name."),
            "email": _("Enter the e-mail address."),
        }
        for name, message in required.items():
            if not data.get(name) and name not in self.errors:
                self.add_error(name, message)
        return data

    def delegate(self, organisation: str, country: str) -> DelegateInput:
        data = self.cleaned_data
        return DelegateInput(
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            organisation=organisation,
            role=data.get("role", ""),
            level="local",
            country=country,
            dietary_needs=data.get("dietary_needs", ""),
            access_needs=data.get("access_needs", ""),
            delegate_kind=data["delegate_kind"],
            person_id=data.get("person"),
        )


class BaseDelegationFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        emails = [
            form.cleaned_data["email"].lower()
            for form in self.forms
            if not form.is_blank() and form.cleaned_data.get("email")
        ]
        if len(emails) != len(set(emails)):
            raise forms.ValidationError(_("Each delegate needs their own e-mail address."))

    def refuse(self, message: str) -> None:
        """Show a service's refusal above the rows (it concerns the delegation as a whole)."""
        self._non_form_errors = self.error_class([message])

    def filled(self) -> list[DelegateRowForm]:
        return [form for form in self.forms if not form.is_blank()]


def delegation_formset(rows: int) -> type[BaseDelegationFormSet]:
    """One blank row per place left; the page's script may add more, and the service, not the
    formset, then refuses a delegation over its quota with a message that says so."""
    return forms.formset_factory(  # type: ignore[return-value]
        DelegateRowForm, formset=BaseDelegationFormSet, extra=rows, max_num=rows + 20
    )
