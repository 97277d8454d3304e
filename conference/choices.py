from django.db import models
from django.utils.translation import gettext_lazy as _


class SessionKind(models.TextChoices):
    PLENARY = "plenary", _("Plenary")
    PANEL = "panel", _("Panel")
    WORKSHOP = "workshop", _("Parallel workshop")
    SITE_VISIT = "site_visit", _("Site visit")
    NETWORKING = "networking", _("Networking")
    FINAL_MEETING = "final_meeting", _("Final project meeting")


# Sessions a delegate chooses (and that fill up); the others are open to every delegate.
CHOSEN_KINDS = (SessionKind.WORKSHOP, SessionKind.SITE_VISIT)


class GovernmentLevel(models.TextChoices):
    EU = "eu", _("European Union")
    NATIONAL = "national", _("National")
    REGIONAL = "regional", _("Regional")
    LOCAL = "local", _("Local")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    MIGRANT_ORGANISATION = "migrant_organisation", _("Migrant organisation")
    OTHER = "other", _("Other")


class SpeakerRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    SPEAKER = "speaker", _("Speaker")


class PlaceStatus(models.TextChoices):
    """A registration's (or a session choice's) place: confirmed, waiting for one, or given up."""

    CONFIRMED = "confirmed", _("Confirmed")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class DelegateKind(models.TextChoices):
    """Who a programme city sends (the concept note: officers, a politician, a stakeholder)."""

    OFFICER = "officer", _("City officer")
    POLITICIAN = "politician", _("Politician")
    STAKEHOLDER = "stakeholder", _("Local stakeholder")


class OptionalField(models.TextChoices):
    """The registration form's fields the organiser may ask for (name and e-mail always)."""

    ORGANISATION = "organisation", _("Organisation")
    ROLE = "role", _("Role")
    LEVEL = "level", _("Level of government")
    COUNTRY = "country", _("Country")
    DIETARY = "dietary", _("Dietary needs")
    ACCESS = "access", _("Access needs")
