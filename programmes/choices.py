from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    EXPERT_PARTNER = "expert_partner", _("Expert partner")
    CITY = "city", _("City")
    OTHER = "other", _("Other")


class PartnerRole(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    EXPERT_PARTNER = "expert_partner", _("Expert partner")
    CITY = "city", _("City partner")
    OTHER = "other", _("Other")


class SchemeRole(models.TextChoices):
    MENTOR = "mentor", _("Mentor city")
    IMPLEMENTING = "implementing", _("Implementing city")


# Currencies of the EU, EEA and candidate countries; extend here when a programme needs another.
class Currency(models.TextChoices):
    EUR = "EUR", _("Euro (EUR)")
    GBP = "GBP", _("Pound sterling (GBP)")
    PLN = "PLN", _("Polish złoty (PLN)")
    SEK = "SEK", _("Swedish krona (SEK)")
    DKK = "DKK", _("Danish krone (DKK)")
    CZK = "CZK", _("Czech koruna (CZK)")
    HUF = "HUF", _("Hungarian forint (HUF)")
    RON = "RON", _("Romanian leu (RON)")
    BGN = "BGN", _("Bulgarian lev (BGN)")
    NOK = "NOK", _("Norwegian krone (NOK)")
    CHF = "CHF", _("Swiss franc (CHF)")
    ISK = "ISK", _("Icelandic króna (ISK)")


# The grant's money rules a programme chooses (docs/finance.md explains each with an example).
class IndirectCostBase(models.TextChoices):
    DIRECT = "direct", _("All eligible direct costs")
    STAFF = "staff", _("Staff costs only")


class CoFinancingModel(models.TextChoices):
    CITY_STAFF = "city_staff", _("Cities' staff costs are their co-financing (the EU funds none)")
    EU_RATE = "eu_rate", _("Every cost reimbursed at the EU rate; the remainder is co-financing")
    FIXED = "fixed", _("A fixed contribution per partner")


class CoFinancingSplit(models.TextChoices):
    EQUAL = "equal", _("Shared equally between the city partners")
    PER_PARTNER = "per_partner", _("A target per partner")


class IneligibleCosts(models.TextChoices):
    REFUSE = "refuse", _("Refused")
    FLAG = "flag", _("Accepted and flagged for the check")
