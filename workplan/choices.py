from django.db import models
from django.utils.translation import gettext_lazy as _


class DeliverableKind(models.TextChoices):
    ACTION_PLAN = "action_plan", _("Action plan")
    TOOLKIT = "toolkit", _("Toolkit")
    INFOGRAPHIC = "infographic", _("Infographic")
    VIDEO = "video", _("Video")
    EVENT = "event", _("Event")
    REPORT = "report", _("Report")
    OTHER = "other", _("Other")


class Dissemination(models.TextChoices):
    """The dissemination levels of EU grants (the grant agreement's codes)."""

    PUBLIC = "PU", _("PU: public")
    SENSITIVE = "SEN", _("SEN: sensitive, limited under the grant agreement")
    CONFIDENTIAL = "CO", _("CO: confidential, the consortium and the Commission only")
    EU_RESTRICTED = "R-UE/EU-R", _("R-UE/EU-R: EU RESTRICTED (classified)")
    EU_CONFIDENTIAL = "C-UE/EU-C", _("C-UE/EU-C: EU CONFIDENTIAL (classified)")
    EU_SECRET = "S-UE/EU-S", _("S-UE/EU-S: EU SECRET (classified)")


# EU-classified information may not be held on this (unaccredited) platform: such a deliverable
# is tracked here, its content is kept in an accredited registry and named by reference only.
CLASSIFIED = (Dissemination.EU_RESTRICTED, Dissemination.EU_CONFIDENTIAL, Dissemination.EU_SECRET)


class Source(models.TextChoices):
    """Where a deliverable's count and evidence come from. A deliverable the platform holds
    follows its records (never typed twice); the others take a file or a link."""

    UPLOAD = "upload", _("A file or a link recorded here")
    ADOPTED_PLANS = "adopted_plans", _("The local action plans adopted on the platform")
    PUBLISHED_TOOLKITS = "published_toolkits", _("The toolkits published on the platform")
    HELD_CONFERENCE = "held_conference", _("The conference held on the platform's calendar")


# The deliverable kind each source counts.
SOURCE_KIND = {
    Source.ADOPTED_PLANS: DeliverableKind.ACTION_PLAN,
    Source.PUBLISHED_TOOLKITS: DeliverableKind.TOOLKIT,
    Source.HELD_CONFERENCE: DeliverableKind.EVENT,
}


class DeliverableState(models.TextChoices):
    """Where a deliverable stands; computed (workplan.states), never stored."""

    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETE = "complete", _("Complete, not yet submitted")
    SUBMITTED = "submitted", _("Submitted to the funder")
    ACCEPTED = "accepted", _("Accepted by the funder")
    RETURNED = "returned", _("Returned by the funder")


class Step(models.TextChoices):
    """What a coordinator records on a deliverable (workplan.workflow)."""

    START = "start", _("Work started")
    SUBMIT = "submit", _("Submitted to the funder")
    ACCEPT = "accept", _("Accepted by the funder")
    RETURN = "return", _("Returned by the funder")
