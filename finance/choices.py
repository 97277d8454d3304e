from django.db import models
from django.utils.translation import gettext_lazy as _


class CostCategory(models.TextChoices):
    """The cost categories of an EU action grant; indirect costs are a computed flat rate."""

    STAFF = "staff", _("Staff")
    TRAVEL = "travel", _("Travel and subsistence")
    EQUIPMENT = "equipment", _("Equipment")
    CONSUMABLES = "consumables", _("Consumables")
    SUBCONTRACTING = "subcontracting", _("Subcontracting")
    OTHER = "other", _("Other direct costs")
    INDIRECT = "indirect", _("Indirect costs (flat rate)")


DIRECT_CATEGORIES = [c for c in CostCategory if c != CostCategory.INDIRECT]


class Activity(models.TextChoices):
    """What staff time is spent on (a visit or an event names the event itself)."""

    NEEDS_ANALYSIS = "needs_analysis", _("Needs analysis and self-assessment")
    VISIT = "visit", _("Study or mentoring visit")
    ACTION_PLANNING = "action_planning", _("Action planning")
    WEBINAR = "webinar", _("Webinar")
    CONFERENCE = "conference", _("Conference")
    MANAGEMENT = "management", _("Project management")


# The activity an event's hours count as (a visit, a webinar, the conference, management).
_ACTIVITY_OF_FORMAT = {
    "study_visit": Activity.VISIT,
    "mentoring_visit": Activity.VISIT,
    "peer_review": Activity.VISIT,
    "webinar": Activity.WEBINAR,
    "training_workshop": Activity.WEBINAR,
    "conference": Activity.CONFERENCE,
}


def activity_of_event(event_format: str) -> str:
    return _ACTIVITY_OF_FORMAT.get(event_format, Activity.MANAGEMENT)


class TimesheetStatus(models.TextChoices):
    """A month of one person's hours: they sign it, their supervisor approves it; a signed
    month is locked until it is reopened with a reason."""

    OPEN = "open", _("Open")
    SIGNED = "signed", _("Signed by the person")
    APPROVED = "approved", _("Approved by the supervisor")


class ClaimStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    CHECKED = "checked", _("Checked")
    APPROVED = "approved", _("Approved")
    REIMBURSED = "reimbursed", _("Reimbursed")


class ExpenseKind(models.TextChoices):
    TRAVEL = "travel", _("Travel")
    ACCOMMODATION = "accommodation", _("Accommodation")
    SUBSISTENCE = "subsistence", _("Subsistence")


class LineDecision(models.TextChoices):
    PENDING = "pending", _("Not checked yet")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
