from django.db import models
from django.utils.translation import gettext_lazy as _


class PracticeState(models.TextChoices):
    """Editorial state: an author drafts, a facilitator reviews, publishing makes it public."""

    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")


class PracticeStatus(models.TextChoices):
    ONGOING = "ongoing", _("Ongoing")
    ENDED = "ended", _("Ended")


class SourceKind(models.TextChoices):
    TOOLKIT = "toolkit", _("Toolkit")
    PROJECT = "project", _("Project")


class BudgetRange(models.TextChoices):
    UNDER_10K = "under-10k", _("Under 10,000 EUR")
    FROM_10K = "10k-50k", _("10,000 to 50,000 EUR")
    FROM_50K = "50k-250k", _("50,000 to 250,000 EUR")
    FROM_250K = "250k-1m", _("250,000 to 1 million EUR")
    OVER_1M = "over-1m", _("Over 1 million EUR")
    UNKNOWN = "unknown", _("Not known")


class TargetGroup(models.TextChoices):
    NEWCOMERS = "newcomers", _("Newly arrived migrants")
    REFUGEES = "refugees", _("Refugees and asylum seekers")
    MIGRANT_WOMEN = "migrant-women", _("Migrant women")
    YOUNG_PEOPLE = "young-people", _("Young people with a migrant background")
    ENTREPRENEURS = "entrepreneurs", _("Migrant entrepreneurs")
    JOBSEEKERS = "jobseekers", _("Migrant jobseekers")
    EMPLOYERS = "employers", _("Employers")
    CITY_STAFF = "city-staff", _("City staff")
    SERVICE_PROVIDERS = "service-providers", _("Service providers")
    RESIDENTS = "residents", _("All residents")
    COMMUNITY_ORGANISATIONS = "community-organisations", _("Migrant and community organisations")
    CHILDREN_FAMILIES = "children-families", _("Children and families")


class LinkKind(models.TextChoices):
    VIDEO = "video", _("Video")
    IMAGE = "image", _("Image")
    DOCUMENT = "document", _("Document")
    WEBSITE = "website", _("Web page")


class ToolkitState(models.TextChoices):
    """A toolkit is drafted, published for piloting during the schemes, then marked final."""

    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published for piloting")
    FINAL = "final", _("Final")


# Languages a practice may be written in: the EU's official languages and a few more that
# partner cities use. Codes are ISO 639-1.
PRACTICE_LANGUAGES = [
    ("bg", _("Bulgarian")),
    ("ca", _("Catalan")),
    ("cs", _("Czech")),
    ("da", _("Danish")),
    ("de", _("German")),
    ("el", _("Greek")),
    ("en", _("English")),
    ("es", _("Spanish")),
    ("et", _("Estonian")),
    ("fi", _("Finnish")),
    ("fr", _("French")),
    ("ga", _("Irish")),
    ("hr", _("Croatian")),
    ("hu", _("Hungarian")),
    ("it", _("Italian")),
    ("lt", _("Lithuanian")),
    ("lv", _("Latvian")),
    ("mt", _("Maltese")),
    ("nl", _("Dutch")),
    ("no", _("Norwegian")),
    ("pl", _("Polish")),
    ("pt", _("Portuguese")),
    ("ro", _("Romanian")),
    ("sk", _("Slovak")),
    ("sl", _("Slovenian")),
    ("sv", _("Swedish")),
    ("tr", _("Turkish")),
]
