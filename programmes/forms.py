from typing import Any

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.roles import CITY_ROLES, ApprovalLevel, Role
from core.validators import validate_plain_text

from .models import (
    City,
    InvitationLanguage,
    InvitationState,
    Membership,
    MentoringScheme,
    Organisation,
    Programme,
)

MAX_POPULATION = 50_000_000


class CityProfileForm(forms.ModelForm):
    """What a city's officers keep up to date themselves. `version` detects concurrent edits."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = City
        fields = ["population", "charter_signatory", "charter_signed_on", "description"]
        widgets = {
            "charter_signed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "population": _("Residents of the municipality, a whole number."),
            "charter_signed_on": _("Leave empty if the city has not signed the charter."),
            "description": _("Up to 4,000 characters of plain text."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["description"].validators.append(validate_plain_text)
        # Larger than any city, and well inside the database column's range.
        self.fields["population"].validators.append(MaxValueValidator(MAX_POPULATION))
        self.fields["population"].widget.attrs["max"] = MAX_POPULATION

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("charter_signed_on") and not data.get("charter_signatory"):
            self.add_error(
                "charter_signed_on", _("Tick “signatory” or leave the signature date empty.")
            )
        return data


class PeopleFilterForm(forms.Form):
    q = forms.CharField(label=_("Name, organisation or city"), required=False, max_length=100)
    role = forms.ChoiceField(
        label=_("Role"), required=False, choices=[("", _("All roles")), *Role.choices]
    )


class _RoleScopeForm(forms.Form):
    """A role and its scope in a programme: the city, scheme and approval level it needs."""

    role = forms.ChoiceField(label=_("Role"), choices=[("", "—"), *Role.choices])
    city = forms.ModelChoiceField(
        label=_("City"),
        queryset=City.objects.none(),
        required=False,
        help_text=_("For a city officer or a city approver."),
    )
    scheme = forms.ModelChoiceField(
        label=_("Scheme"),
        queryset=MentoringScheme.objects.none(),
        required=False,
        help_text=_("For a facilitator."),
    )
    approval_level = forms.ChoiceField(
        label=_("Approval level"),
        choices=[("", "—"), *ApprovalLevel.choices],
        required=False,
        help_text=_("For a city approver."),
    )

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cities = City.objects.filter(scheme_memberships__programme=programme).distinct()
        self.fields["city"].queryset = cities.order_by("name")  # type: ignore[attr-defined]
        self.fields["scheme"].queryset = MentoringScheme.objects.filter(  # type: ignore[attr-defined]
            programme=programme
        ).select_related("theme")


class InvitationForm(_RoleScopeForm):
    """Whom to invite, to which role and scope, and in which language to write to them."""

    field_order = [
        "email",
        "first_name",
        "last_name",
        "organisation",
        "role",
        "city",
        "scheme",
        "approval_level",
        "language",
    ]

    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("Leave empty for a city role: the city's administration is used."),
    )
    # The inviter's own language until they choose the invitee's.
    language = forms.ChoiceField(
        label=_("Language of the e-mail"), choices=InvitationLanguage.choices, initial=get_language
    )

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, programme=programme, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.order_by("name")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        city = data.get("city")
        if data.get("role") in CITY_ROLES and city is None:
            self.add_error("city", _("Choose one of the programme's cities for this role."))
        elif not data.get("organisation"):
            if city is not None:
                data["organisation"] = city.organisation
            else:
                self.add_error("organisation", _("Choose the person's organisation."))
        return data


class MembershipEndForm(forms.Form):
    ended_on = forms.DateField(
        label=_("Ends on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("From this day, the role grants nothing."),
    )
    reason = forms.CharField(label=_("Why it ends"), max_length=200)


class MembershipChangeForm(_RoleScopeForm):
    """The new role and scope, from today."""

    role = forms.ChoiceField(label=_("New role"), choices=[("", "—"), *Role.choices])


class TeamProposalForm(forms.Form):
    """Whom a city's officer proposes for their city's team (the city is the page's)."""

    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    role = forms.ChoiceField(
        label=_("Role"), choices=[("", "—"), *[(r.value, r.label) for r in CITY_ROLES]]
    )
    approval_level = forms.ChoiceField(
        label=_("Approval level"),
        choices=[("", "—"), *ApprovalLevel.choices],
        required=False,
        help_text=_("For a city approver."),
    )
    # The inviter's own language until they choose the invitee's.
    language = forms.ChoiceField(
        label=_("Language of the e-mail"), choices=InvitationLanguage.choices, initial=get_language
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("role") == Role.CITY_APPROVER and not data.get("approval_level"):
            self.add_error("approval_level", _("Choose the approval level of a city approver."))
        return data


class ProposalDeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the proposal is declined"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The officer who proposed the person reads it."),
    )


class TeamRulesForm(forms.Form):
    """The programme's rule for the cities' teams. `version` detects a concurrent save; the
    prefix keeps its ids apart from the period form's on the same page."""

    prefix = "team"

    officers_propose_team = forms.BooleanField(
        label=_("City officers may propose people for their own city's team"),
        required=False,
        help_text=_(
            "Each proposal waits for a coordinator's confirmation before the e-mail leaves."
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    @classmethod
    def for_programme(cls, programme: Programme) -> "TeamRulesForm":
        return cls(
            initial={
                "officers_propose_team": programme.officers_propose_team,
                "version": programme.version,
            }
        )


class InvitationStateFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("All states")), *InvitationState.choices]
    )


class _ShownItemsField(forms.CharField):
    """The keys of the items the page lists. What comes back is checked against the list at the
    time of the save (a stale page is refused); what is rendered is always the list the page
    shows now, so a refused form, shown again with the new list, can be confirmed."""

    widget = forms.HiddenInput

    def bound_data(self, data: Any, initial: Any) -> Any:
        return initial


class HandoverEndForm(MembershipEndForm):
    """Ending a role; for a city officer who still takes part in work ahead, optionally handing
    it to another current officer of the city (`successor`). `handover` carries the keys of the
    items shown, so a stale page is refused."""

    successor = forms.ModelChoiceField(
        label=_("Hand the work over to"),
        queryset=Membership.objects.none(),
        required=False,
        empty_label=_("No one (the events keep the leaving officer)"),
        help_text=_(
            "Another current officer of the same city: they take the places listed above and "
            "are notified."
        ),
    )
    handover = _ShownItemsField(required=False)

    def __init__(
        self, *args: Any, successors: list[Membership], shown_keys: str, **kwargs: Any
    ) -> None:
        kwargs.setdefault("initial", {})["handover"] = shown_keys
        super().__init__(*args, **kwargs)
        # Offered when there is something to hand over and someone to take it; a form sent back
        # keeps the choice, so that one whose list emptied meanwhile is refused, not ignored.
        if not successors or not (shown_keys or self.is_bound):
            del self.fields["successor"]
            return
        field = self.fields["successor"]
        field.queryset = (  # type: ignore[attr-defined]
            Membership.objects.filter(pk__in=[m.pk for m in successors])
            .select_related("person")
            .order_by("person__last_name", "person__first_name", "pk")
        )
        field.label_from_instance = lambda m: m.person.full_name  # type: ignore[attr-defined]

    def handover_keys(self) -> set[str]:
        return {k for k in (self.cleaned_data.get("handover") or "").split(",") if k}
