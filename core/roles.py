"""The roles a person holds through a membership, and the scope each role is granted in."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Programme coordinator")
    FACILITATOR = "facilitator", _("Facilitator")
    CITY_OFFICER = "city_officer", _("City officer")
    CITY_APPROVER = "city_approver", _("City approver")
    FINANCE_OFFICER = "finance_officer", _("Finance officer")
    AUDITOR = "auditor", _("Auditor")


# Roles scoped to a whole programme, a scheme, or one city (the Membership constraints use these).
PROGRAMME_ROLES = (Role.COORDINATOR, Role.FINANCE_OFFICER, Role.AUDITOR)
SCHEME_ROLES = (Role.FACILITATOR,)
CITY_ROLES = (Role.CITY_OFFICER, Role.CITY_APPROVER)


class ApprovalLevel(models.TextChoices):
    ADMINISTRATIVE = "administrative", _("Administrative")
    POLITICAL = "political", _("Political")
