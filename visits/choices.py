from django.db import models
from django.utils.translation import gettext_lazy as _


class EventFormat(models.TextChoices):
    LAUNCH_MEETING = "launch_meeting", _("Launch meeting")
    STUDY_VISIT = "study_visit", _("Study visit")
    MENTORING_VISIT = "mentoring_visit", _("Mentoring visit")
    WEBINAR = "webinar", _("Webinar or call")
    TRAINING_WORKSHOP = "training_workshop", _("Training workshop")
    PEER_REVIEW = "peer_review", _("Peer review")
    CONFERENCE = "conference", _("Conference")
    FINAL_MEETING = "final_meeting", _("Final meeting")


# Visits serve one pair; the other formats serve a scheme or the whole programme.
PAIR_FORMATS = (EventFormat.STUDY_VISIT, EventFormat.MENTORING_VISIT)


class EventStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    CONFIRMED = "confirmed", _("Confirmed")
    HELD = "held", _("Held")
    REPORTED = "reported", _("Reported")
    CANCELLED = "cancelled", _("Cancelled")


class Invitation(models.TextChoices):
    INVITED = "invited", _("Invited")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class AgendaFormat(models.TextChoices):
    TECHNICAL = "technical", _("Technical meeting")
    POLITICAL = "political", _("Political meeting")
    SITE_VISIT = "site_visit", _("Site visit")
    STAKEHOLDER = "stakeholder", _("Stakeholder meeting")


class FindingKind(models.TextChoices):
    STRENGTH = "strength", _("Strength")
    CHALLENGE = "challenge", _("Challenge")
    RECOMMENDATION = "recommendation", _("Recommended action")
