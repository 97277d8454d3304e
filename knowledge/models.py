"""The knowledge base: good practices that cities share, and the toolkits built from them.

Practices exist before and beyond any programme, so they belong to no programme; the platform's
own cities are linked when a practice is theirs. A toolkit belongs to the programme whose
facilitators compose it. Search reads two derived stores the services keep in step with each
practice: `search_text` (plain text for the full-text index, see search/) and PracticeFacet rows
(one per facet value, so every filter and every facet count is the same indexed lookup).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from assessments.models import Benchmark, KeyFactor
from programmes.models import CharterCommitment, City, EuropeanModule, Programme, Theme

from .choices import (
    PRACTICE_LANGUAGES,
    BudgetRange,
    LinkKind,
    PracticeState,
    PracticeStatus,
    SourceKind,
    ToolkitState,
)


class PracticeTheme(models.Model):
    """One of the Integrating Cities toolkit themes (MIXITIES, ImpleMentoring, CITIES-GROW)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=200)
    source_name = models.CharField(_("toolkit"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    european_module = models.ForeignKey(
        EuropeanModule,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("European module"),
    )
    # A CITIES-GROW theme is also a programme theme, with a benchmark and key factors.
    programme_theme = models.OneToOneField(
        Theme,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="practice_theme",
        verbose_name=_("programme theme"),
    )

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("practice theme")
        verbose_name_plural = _("practice themes")

    def __str__(self) -> str:
        return self.title


class GoodPractice(models.Model):
    """A city's practice, documented so that another city can learn from it and adapt it.

    Its state changes only through knowledge.workflow; `description` is stored sanitised.
    """

    reference = models.SlugField(_("reference"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    city_name = models.CharField(_("city"), max_length=120)
    country = CountryField(_("country"))
    city = models.ForeignKey(
        City,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="practices",
        verbose_name=_("platform city"),
    )
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    summary = models.TextField(_("summary"), max_length=1000)
    description = models.TextField(_("description"), max_length=20000, blank=True)
    themes = models.ManyToManyField(
        PracticeTheme, related_name="practices", verbose_name=_("themes")
    )
    key_factors = models.ManyToManyField(
        KeyFactor, blank=True, related_name="practices", verbose_name=_("key factors")
    )
    commitments = models.ManyToManyField(
        CharterCommitment,
        blank=True,
        related_name="practices",
        verbose_name=_("charter commitments"),
    )
    european_module = models.ForeignKey(
        EuropeanModule,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="practices",
        verbose_name=_("European module"),
    )
    target_groups = models.JSONField(_("target groups"), default=list, blank=True)
    start_year = models.PositiveSmallIntegerField(_("start year"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=PracticeStatus.choices, default=PracticeStatus.ONGOING
    )
    results = models.TextField(_("results"), max_length=4000, blank=True)
    evidence = models.TextField(_("evidence"), max_length=4000, blank=True)
    budget_range = models.CharField(
        _("budget"), max_length=20, choices=BudgetRange.choices, default=BudgetRange.UNKNOWN
    )
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    # The contact is personal data: shown to the public only with the person's consent.
    contact_consent = models.BooleanField(_("the contact agrees to be shown"), default=False)
    language = models.CharField(
        _("language"), max_length=5, choices=PRACTICE_LANGUAGES, default="en"
    )
    source_kind = models.CharField(
        _("source"), max_length=20, choices=SourceKind.choices, default=SourceKind.TOOLKIT
    )
    source_name = models.CharField(_("source name"), max_length=200, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=PracticeState.choices, default=PracticeState.DRAFT
    )
    illustrative = models.BooleanField(_("illustrative"), default=False)
    review_comment = models.TextField(_("review comment"), max_length=4000, blank=True)
    search_text = models.TextField(editable=False, blank=True)
    # The same words stemmed in the practice's language, for SQLite's index (search/stemming.py).
    search_stems = models.TextField(editable=False, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    revision = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords(
        m2m_fields=[themes, key_factors, commitments], excluded_fields=["search_stems"]
    )

    class Meta:
        ordering = ["title"]
        verbose_name = _("good practice")
        verbose_name_plural = _("good practices")
        indexes = [
            models.Index(fields=["state", "title"], name="practice_state_title"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=PracticeState.values), name="practice_state_known"
            ),
            models.CheckConstraint(
                condition=Q(status__in=PracticeStatus.values), name="practice_status_known"
            ),
            models.CheckConstraint(
                condition=Q(budget_range__in=BudgetRange.values), name="practice_budget_known"
            ),
            models.CheckConstraint(
                condition=Q(start_year__isnull=True)
                | (Q(start_year__gte=1900) & Q(start_year__lte=2100)),
                name="practice_start_year_plausible",
            ),
            models.CheckConstraint(
                condition=~Q(state=PracticeState.PUBLISHED) | Q(published_at__isnull=False),
                name="practice_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.city_name})"

    @property
    def is_published(self) -> bool:
        return self.state == PracticeState.PUBLISHED


class PracticeLink(models.Model):
    """A video, image, document or web page about a practice (hosted elsewhere)."""

    practice = models.ForeignKey(GoodPractice, on_delete=models.CASCADE, related_name="links")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=LinkKind.choices)
    url = models.URLField(_("address"), max_length=500)
    title = models.CharField(_("title"), max_length=200)
    # The text alternative of an image (WCAG 1.1.1), or a short note on other media.
    description = models.CharField(_("description"), max_length=500, blank=True)

    class Meta:
        ordering = ["practice", "order"]
        verbose_name = _("link")
        verbose_name_plural = _("links")

    def __str__(self) -> str:
        return self.title


class PracticeTransition(models.Model):
    """One editorial step of a practice: who took it, when, and why."""

    practice = models.ForeignKey(GoodPractice, on_delete=models.CASCADE, related_name="transitions")
    step = models.CharField(_("step"), max_length=30)
    from_state = models.CharField(_("from"), max_length=20)
    to_state = models.CharField(_("to"), max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    comment = models.TextField(_("comment"), blank=True, max_length=4000)

    class Meta:
        ordering = ["practice", "at", "pk"]
        verbose_name = _("editorial step")
        verbose_name_plural = _("editorial steps")

    def __str__(self) -> str:
        return f"{self.step}: {self.from_state} → {self.to_state}"


class PracticeFacet(models.Model):
    """One facet value of a practice (its theme, country, year...): filters and counts read
    this one indexed table. Derived data, rebuilt by the services at every save."""

    practice = models.ForeignKey(GoodPractice, on_delete=models.CASCADE, related_name="facets")
    facet = models.CharField(max_length=20)
    value = models.CharField(max_length=120)

    class Meta:
        indexes = [
            models.Index(fields=["facet", "value", "practice"], name="practicefacet_lookup"),
            models.Index(fields=["practice", "facet"], name="practicefacet_practice"),
        ]

    def __str__(self) -> str:
        return f"{self.facet}={self.value}"


class SearchTerm(models.Model):
    """A word of the published practices: the vocabulary that typo correction draws from."""

    term = models.CharField(max_length=64, unique=True)

    def __str__(self) -> str:
        return self.term


class SearchVersion(models.Model):
    """One row: a fresh token after every change of the search data, so that each process
    knows when its in-memory search index is stale (a rolled-back change rolls it back too)."""

    token = models.UUIDField()

    def __str__(self) -> str:
        return str(self.token)


# ---------------------------------------------------------------- toolkits


class Toolkit(models.Model):
    """A theme's benchmark with recommendations and the practices that illustrate it.

    Composed by the programme's facilitators, published for piloting during the schemes (when
    implementing cities give feedback), then marked final: a final toolkit no longer changes.
    """

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="toolkits")
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    theme = models.ForeignKey(
        PracticeTheme, on_delete=models.PROTECT, related_name="toolkits", verbose_name=_("theme")
    )
    benchmark = models.ForeignKey(
        Benchmark,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="toolkits",
        verbose_name=_("benchmark"),
    )
    introduction = models.TextField(_("introduction"), max_length=20000, blank=True)
    # The language its facilitators write it in: its pages and documents declare it.
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    state = models.CharField(
        _("state"), max_length=20, choices=ToolkitState.choices, default=ToolkitState.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    finalised_at = models.DateTimeField(_("final since"), null=True, blank=True)
    revision = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "theme__order", "title"]
        verbose_name = _("toolkit")
        verbose_name_plural = _("toolkits")
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=ToolkitState.values), name="toolkit_state_known"
            ),
            models.CheckConstraint(
                condition=Q(state=ToolkitState.DRAFT) | Q(published_at__isnull=False),
                name="toolkit_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ToolkitRecommendation(models.Model):
    """Advice to cities, optionally attached to one key factor of the toolkit's benchmark."""

    toolkit = models.ForeignKey(Toolkit, on_delete=models.CASCADE, related_name="recommendations")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    key_factor = models.ForeignKey(
        KeyFactor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("key factor"),
    )
    text = models.TextField(_("recommendation"), max_length=4000)
    history = HistoricalRecords()

    class Meta:
        ordering = ["toolkit", "order", "pk"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")

    def __str__(self) -> str:
        return self.text[:60]


class ToolkitPractice(models.Model):
    """A practice chosen for a toolkit, shown under the key factor it illustrates."""

    toolkit = models.ForeignKey(Toolkit, on_delete=models.CASCADE, related_name="entries")
    practice = models.ForeignKey(
        GoodPractice, on_delete=models.PROTECT, related_name="toolkit_entries"
    )
    key_factor = models.ForeignKey(
        KeyFactor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("key factor"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    note = models.TextField(_("why it is here"), max_length=2000, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["toolkit", "order", "pk"]
        verbose_name = _("toolkit practice")
        verbose_name_plural = _("toolkit practices")
        constraints = [
            models.UniqueConstraint(
                fields=["toolkit", "practice"], name="toolkitpractice_once_per_toolkit"
            )
        ]

    def __str__(self) -> str:
        return f"{self.toolkit_id}: {self.practice_id}"


class ToolkitFeedback(models.Model):
    """What an implementing city learnt piloting the toolkit during its scheme."""

    toolkit = models.ForeignKey(Toolkit, on_delete=models.CASCADE, related_name="feedback")
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="+")
    key_factor = models.ForeignKey(
        KeyFactor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("key factor"),
    )
    text = models.TextField(_("feedback"), max_length=4000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("given at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["toolkit", "created_at", "pk"]
        verbose_name = _("toolkit feedback")
        verbose_name_plural = _("toolkit feedback")

    def __str__(self) -> str:
        return self.text[:60]


class ToolkitTransition(models.Model):
    """One step of a toolkit (publish, mark final): who, when."""

    toolkit = models.ForeignKey(Toolkit, on_delete=models.CASCADE, related_name="transitions")
    step = models.CharField(_("step"), max_length=30)
    from_state = models.CharField(_("from"), max_length=20)
    to_state = models.CharField(_("to"), max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["toolkit", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.step}: {self.from_state} → {self.to_state}"
