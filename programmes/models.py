"""The programme model: who takes part in a mentoring programme, in what theme, paired with whom.

Invariants that span one row are CHECK or UNIQUE constraints; those that span tables (a pair's
cities belong to its scheme with the right roles) are database triggers created in
0002_consistency_triggers, for both SQLite and PostgreSQL.
"""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from core.roles import CITY_ROLES, PROGRAMME_ROLES, SCHEME_ROLES, ApprovalLevel, Role

from .choices import (
    CoFinancingModel,
    CoFinancingSplit,
    Currency,
    IndirectCostBase,
    IneligibleCosts,
    OrganisationKind,
    PartnerRole,
    SchemeRole,
)

# ---------------------------------------------------------------- reference data


class CharterRole(models.Model):
    """One of the four roles in which Integrating Cities Charter signatories commit."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), unique=True)
    wording_confirmed = models.BooleanField(_("wording confirmed"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order"]
        verbose_name = _("charter role")
        verbose_name_plural = _("charter roles")

    def __str__(self) -> str:
        return self.title


class CharterCommitment(models.Model):
    """A commitment of the charter, under one of its roles."""

    role = models.ForeignKey(
        CharterRole, on_delete=models.PROTECT, related_name="commitments", verbose_name=_("role")
    )
    code = models.SlugField(_("code"), max_length=20, unique=True)
    text = models.TextField(_("text"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["role__order", "order"]
        verbose_name = _("charter commitment")
        verbose_name_plural = _("charter commitments")

    def __str__(self) -> str:
        return f"{self.code}: {self.text[:60]}"


class EuropeanModule(models.Model):
    """One of the three European Modules on Migrant Integration (EU frame of reference, 2014)."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["number"]
        verbose_name = _("European module")
        verbose_name_plural = _("European modules")
        constraints = [
            models.CheckConstraint(
                condition=Q(number__gte=1) & Q(number__lte=3), name="europeanmodule_number_1_to_3"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


# ---------------------------------------------------------------- the programme


class Programme(models.Model):
    """A funded mentoring programme. Its money rules (EU rate, flat rate) are data, not code."""

    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)
    full_title = models.CharField(_("full title"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    funder = models.CharField(_("funder"), max_length=300)
    grant_reference = models.CharField(_("grant reference"), max_length=100)
    grant_reference_illustrative = models.BooleanField(
        _("grant reference is illustrative"), default=False
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    currency = models.CharField(
        _("currency"), max_length=3, choices=Currency.choices, default=Currency.EUR
    )
    total_budget = models.DecimalField(_("total budget"), max_digits=14, decimal_places=2)
    max_eu_rate = models.DecimalField(
        _("maximum EU co-financing rate"),
        max_digits=5,
        decimal_places=4,
        validators=[MinValueValidator(Decimal("0.0001")), MaxValueValidator(Decimal("1"))],
        help_text=_("The share of eligible costs the funder pays at most, e.g. 0.90 for 90%."),
    )
    indirect_cost_rate = models.DecimalField(
        _("indirect cost flat rate"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("0.07"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("0.25"))],
    )
    # The officers' time: recorded hours become days with `hours_per_day`, and each city's days
    # count against `officer_days_per_city` (the days its officers are funded for).
    hours_per_day = models.DecimalField(
        _("hours in a working day"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("8"),
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("24"))],
    )
    officer_days_per_city = models.PositiveIntegerField(
        _("officers' days per city"),
        default=30,
        help_text=_("The working days each city's officers are funded for over the programme."),
    )
    # The grant's other money rules, edited by its finance officers (docs/finance.md). A
    # statement keeps the rules it was computed with (finance.Statement), so changing them
    # never changes a statement already prepared.
    indirect_cost_base = models.CharField(
        _("base of the flat rate"),
        max_length=20,
        choices=IndirectCostBase.choices,
        default=IndirectCostBase.DIRECT,
    )
    co_financing_model = models.CharField(
        _("co-financing model"),
        max_length=20,
        choices=CoFinancingModel.choices,
        default=CoFinancingModel.CITY_STAFF,
    )
    co_financing_split = models.CharField(
        _("co-financing target split"),
        max_length=20,
        choices=CoFinancingSplit.choices,
        default=CoFinancingSplit.EQUAL,
    )
    default_productive_hours = models.DecimalField(
        _("productive hours in a year"),
        max_digits=6,
        decimal_places=1,
        default=Decimal("1720"),
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("3000"))],
    )
    # Costs and hours count only inside the eligibility period (the programme's dates when
    # blank); outside it they are refused or flagged, as `ineligible_costs` says.
    eligible_from = models.DateField(_("costs eligible from"), null=True, blank=True)
    eligible_until = models.DateField(_("costs eligible until"), null=True, blank=True)
    ineligible_costs = models.CharField(
        _("costs outside the eligible dates are"),
        max_length=20,
        choices=IneligibleCosts.choices,
        default=IneligibleCosts.REFUSE,
    )
    event_travel_margin_days = models.PositiveSmallIntegerField(
        _("travel days allowed around an event"), default=2
    )
    overspend_warning_percent = models.PositiveSmallIntegerField(
        _("warn when a budget line reaches (%)"),
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    separate_duties = models.BooleanField(
        _("separate the finance duties"),
        default=True,
        help_text=_(
            "The person who checks a claim does not approve it, the one who approves it does "
            "not record its payment, and a statement is signed off by another finance officer."
        ),
    )
    # Whether a city's officers may propose people for their own city's team (the coordinators
    # confirm each proposal before the invitation leaves).
    officers_propose_team = models.BooleanField(
        _("city officers may propose their team"),
        default=True,
        help_text=_(
            "A city's officers propose new officers and approvers of their own city; a "
            "coordinator confirms each proposal before the invitation is sent."
        ),
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gt=F("start_date")), name="programme_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(total_budget__gte=0), name="programme_budget_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(max_eu_rate__gt=0) & Q(max_eu_rate__lte=1),
                name="programme_eu_rate_in_0_1",
            ),
            models.CheckConstraint(
                condition=Q(indirect_cost_rate__gte=0) & Q(indirect_cost_rate__lt=1),
                name="programme_indirect_rate_in_0_1",
            ),
            models.CheckConstraint(
                condition=Q(currency__in=Currency.values), name="programme_currency_known"
            ),
            models.CheckConstraint(
                condition=Q(hours_per_day__gte=1) & Q(hours_per_day__lte=24),
                name="programme_hours_per_day_in_1_24",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def max_eu_rate_percent(self) -> Decimal:
        return self.max_eu_rate * 100

    @property
    def max_eu_contribution(self) -> Decimal:
        return (self.total_budget * self.max_eu_rate).quantize(Decimal("0.01"))

    @property
    def co_financing_target(self) -> Decimal:
        return self.total_budget - self.max_eu_contribution

    @property
    def eligibility_start(self) -> date:
        return self.eligible_from or self.start_date

    @property
    def eligibility_end(self) -> date:
        return self.eligible_until or self.end_date


class RatingLevel(models.Model):
    """A step of a programme's self-assessment scale: stored as an ordered level, shown by label."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="rating_levels")
    level = models.PositiveSmallIntegerField(_("level"))
    label = models.CharField(_("label"), max_length=60)
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "level"]
        verbose_name = _("rating level")
        verbose_name_plural = _("rating levels")
        constraints = [
            models.UniqueConstraint(fields=["programme", "level"], name="ratinglevel_unique_level"),
            models.UniqueConstraint(fields=["programme", "label"], name="ratinglevel_unique_label"),
        ]

    def __str__(self) -> str:
        return f"{self.level}: {self.label}"


class KeyDate(models.Model):
    """A date the programme plans around: meetings, visits, reports due."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="key_dates")
    title = models.CharField(_("title"), max_length=200)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    illustrative = models.BooleanField(_("illustrative"), default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["start_date", "title"]
        verbose_name = _("key date")
        verbose_name_plural = _("key dates")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="keydate_ends_after_start"
            ),
            models.UniqueConstraint(fields=["programme", "title"], name="keydate_unique_title"),
        ]

    def __str__(self) -> str:
        return self.title


# ---------------------------------------------------------------- organisations and cities


class Organisation(models.Model):
    """A body taking part: the coordinating network, an expert partner, a city administration."""

    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    country = CountryField(_("country"))
    website = models.URLField(_("website"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=OrganisationKind.values), name="organisation_kind_known"
            )
        ]

    def __str__(self) -> str:
        return self.name


class City(models.Model):
    """A city; its administration is an Organisation of kind city (its officers' employer)."""

    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.PROTECT,
        related_name="city",
        verbose_name=_("administration"),
    )
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)
    country = CountryField(_("country"))
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    timezone = models.CharField(_("time zone"), max_length=60, default="Europe/Brussels")
    latitude = models.DecimalField(
        _("latitude"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    charter_signatory = models.BooleanField(_("signatory of the Integrating Cities Charter"))
    charter_signed_on = models.DateField(_("charter signed on"), null=True, blank=True)
    charter_illustrative = models.BooleanField(_("charter data is illustrative"), default=False)
    description = models.TextField(_("description"), blank=True, max_length=4000)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        constraints = [
            models.CheckConstraint(
                condition=Q(charter_signed_on__isnull=True) | Q(charter_signatory=True),
                name="city_signature_date_needs_signatory",
            ),
            models.CheckConstraint(
                condition=Q(currency__in=Currency.values), name="city_currency_known"
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | (Q(latitude__gte=-90) & Q(latitude__lte=90)),
                name="city_latitude_valid",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True)
                | (Q(longitude__gte=-180) & Q(longitude__lte=180)),
                name="city_longitude_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ProgrammePartner(models.Model):
    """An organisation's part in a programme; a programme has exactly one coordinator."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="partnerships"
    )
    role = models.CharField(_("role"), max_length=20, choices=PartnerRole.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "role", "organisation__name"]
        verbose_name = _("programme partner")
        verbose_name_plural = _("programme partners")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "organisation"], name="partner_once_per_programme"
            ),
            models.UniqueConstraint(
                fields=["programme"],
                condition=Q(role=PartnerRole.COORDINATOR),
                name="partner_one_coordinator",
            ),
            models.CheckConstraint(
                condition=Q(role__in=PartnerRole.values), name="partner_role_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"


# ---------------------------------------------------------------- people


class Person(models.Model):
    """Someone who works in a programme; may or may not have an account. Personal data (GDPR)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("e-mail"), unique=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="people",
        verbose_name=_("organisation"),
    )
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    languages = models.CharField(
        _("languages"), max_length=100, blank=True, help_text=_("Comma-separated ISO codes")
    )
    # The platform language this person reads: their e-mails and notifications are written in it,
    # and the interface follows it once they sign in. Chosen by them (or at invitation).
    language = models.CharField(
        _("platform language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


# A role and its scope, as a membership or an invitation to one holds them: a programme role has
# no scheme or city, a scheme role its scheme, a city role its city; only approvers have a level.
SCOPE_MATCHES_ROLE = (
    Q(role__in=PROGRAMME_ROLES, scheme__isnull=True, city__isnull=True)
    | Q(role__in=SCHEME_ROLES, scheme__isnull=False, city__isnull=True)
    | Q(role__in=CITY_ROLES, scheme__isnull=True, city__isnull=False)
)
APPROVAL_LEVEL_FOR_APPROVERS = Q(
    role=Role.CITY_APPROVER, approval_level__in=ApprovalLevel.values
) | (~Q(role=Role.CITY_APPROVER) & Q(approval_level=""))


class MembershipQuerySet(models.QuerySet["Membership"]):
    def current(self) -> "MembershipQuerySet":
        """The roles in force today: an ended role (ended on or before today) grants nothing."""
        return self.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=timezone.localdate()))


class Membership(models.Model):
    """A person's role in a programme, with its scope: the programme, one scheme, or one city.

    A role is never deleted: ending it sets `ended_on` (and why), so the history keeps who held
    what; access reads only the current roles (`Membership.objects.current()`).
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="memberships")
    scheme = models.ForeignKey(
        "MentoringScheme",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
    )
    city = models.ForeignKey(
        City, on_delete=models.CASCADE, null=True, blank=True, related_name="memberships"
    )
    approval_level = models.CharField(
        _("approval level"), max_length=20, choices=ApprovalLevel.choices, blank=True
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(_("why it ended"), max_length=200, blank=True)
    history = HistoricalRecords()

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["programme", "role"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=SCOPE_MATCHES_ROLE,
                name="membership_scope_matches_role",
            ),
            models.CheckConstraint(
                condition=APPROVAL_LEVEL_FOR_APPROVERS,
                name="membership_approval_level_for_approvers",
            ),
            models.UniqueConstraint(
                fields=["person", "role", "programme"],
                condition=Q(scheme__isnull=True, city__isnull=True, ended_on__isnull=True),
                name="membership_unique_programme_role",
            ),
            models.UniqueConstraint(
                fields=["person", "role", "scheme"],
                condition=Q(scheme__isnull=False, ended_on__isnull=True),
                name="membership_unique_scheme_role",
            ),
            models.UniqueConstraint(
                fields=["person", "role", "city", "programme"],
                condition=Q(city__isnull=False, ended_on__isnull=True),
                name="membership_unique_city_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_role_display()}"


# ---------------------------------------------------------------- themes, schemes, pairs


class Theme(models.Model):
    """A programme theme; one mentoring scheme works on it, facilitated by an expert partner."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="themes")
    code = models.CharField(_("code"), max_length=10)
    title = models.CharField(_("title"), max_length=300)
    short_title = models.CharField(_("short title"), max_length=80, blank=True)
    facilitator = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="facilitated_themes",
        verbose_name=_("facilitating partner"),
    )
    european_module = models.ForeignKey(
        EuropeanModule,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="themes",
        verbose_name=_("European module"),
    )
    commitments = models.ManyToManyField(
        CharterCommitment, blank=True, related_name="themes", verbose_name=_("charter commitments")
    )
    history = HistoricalRecords(m2m_fields=[commitments])

    class Meta:
        ordering = ["programme", "code"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="theme_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.short_title or self.title}"


class MentoringScheme(models.Model):
    """The group of cities that mentor and implement in one theme of a programme."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="schemes")
    theme = models.OneToOneField(Theme, on_delete=models.PROTECT, related_name="scheme")
    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "theme__code"]
        verbose_name = _("mentoring scheme")
        verbose_name_plural = _("mentoring schemes")

    def __str__(self) -> str:
        return str(_("Scheme %(code)s") % {"code": self.theme.code})


class SchemeMemberQuerySet(models.QuerySet["SchemeMember"]):
    def current(self) -> "SchemeMemberQuerySet":
        """The memberships in force (not ended): what current work reads."""
        return self.filter(ended_on__isnull=True)


class SchemeMember(models.Model):
    """A city in a scheme, as mentor or implementing city; a city is in one scheme per programme
    at a time.

    `programme` repeats the scheme's programme so that the database can enforce that rule. A
    membership that a pair refers to never changes scheme or role and is never deleted: when an
    accepted matching moves the city or leaves it out, the membership is ended (`ended_on`) and,
    if the city stays, a new one starts. Ended pairs thus keep naming the city in the role it had.
    """

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    scheme = models.ForeignKey(MentoringScheme, on_delete=models.CASCADE, related_name="members")
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="scheme_memberships")
    role = models.CharField(_("role"), max_length=20, choices=SchemeRole.choices)
    illustrative = models.BooleanField(_("illustrative"), default=False)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(_("why it ended"), max_length=200, blank=True)
    history = HistoricalRecords()

    objects = SchemeMemberQuerySet.as_manager()

    class Meta:
        ordering = ["scheme", "role", "city__name"]
        verbose_name = _("scheme member")
        verbose_name_plural = _("scheme members")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "city"],
                condition=Q(ended_on__isnull=True),
                name="schememember_one_scheme_per_programme",
            ),
            models.CheckConstraint(
                condition=Q(role__in=SchemeRole.values), name="schememember_role_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.city} ({self.get_role_display()})"


# The audit reason of a pair ended by a manual change of mentor (services.pairs).
PAIR_END_MENTOR_CHANGED = "mentor changed"


class MentoringPairQuerySet(models.QuerySet["MentoringPair"]):
    def current(self) -> "MentoringPairQuerySet":
        """The pairs in force (not ended): what current work reads by default."""
        return self.filter(ended_on__isnull=True)

    def past(self) -> "MentoringPairQuerySet":
        """Pairs that an accepted matching (or a change of mentor) ended."""
        return self.filter(ended_on__isnull=False)


class MentoringPair(models.Model):
    """A mentor city and the implementing city it mentors, both members of the pair's scheme.

    Pairs have a history: an accepted matching that no longer wants a pair ends it (`ended_on`,
    the run that ended it, why) instead of deleting it, so its events, findings and action plan
    stay attached. The rules of a pairing (an implementing city has one mentor) hold among the
    current pairs only. Runs are named by their number in the programme (matching sits above
    programmes and is not referred to by a foreign key).
    """

    scheme = models.ForeignKey(MentoringScheme, on_delete=models.CASCADE, related_name="pairs")
    mentor = models.ForeignKey(
        SchemeMember, on_delete=models.PROTECT, related_name="pairs_as_mentor"
    )
    implementing = models.ForeignKey(
        SchemeMember, on_delete=models.PROTECT, related_name="pairs_as_implementing"
    )
    illustrative = models.BooleanField(_("illustrative"), default=False)
    created_by_run = models.PositiveIntegerField(
        _("created by matching run number"), null=True, blank=True
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    ended_by_run = models.PositiveIntegerField(
        _("ended by matching run number"), null=True, blank=True
    )
    end_reason = models.CharField(_("why it ended"), max_length=200, blank=True)
    history = HistoricalRecords()

    objects = MentoringPairQuerySet.as_manager()

    class Meta:
        ordering = ["scheme", "implementing__city__name"]
        verbose_name = _("mentoring pair")
        verbose_name_plural = _("mentoring pairs")
        constraints = [
            models.CheckConstraint(
                condition=~Q(mentor=F("implementing")), name="pair_two_different_members"
            ),
            models.UniqueConstraint(
                fields=["implementing"],
                condition=Q(ended_on__isnull=True),
                name="pair_one_current_mentor",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=False)
                | (Q(ended_by_run__isnull=True) & Q(end_reason="")),
                name="pair_end_details_only_when_ended",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentor.city} → {self.implementing.city}"

    @property
    def is_current(self) -> bool:
        return self.ended_on is None

    @property
    def end_reason_display(self) -> str:
        """Why it ended, for people (the stored reason is the audit trail's wording)."""
        if self.ended_by_run:
            return gettext("Matching run %(n)d was accepted.") % {"n": self.ended_by_run}
        if self.end_reason == PAIR_END_MENTOR_CHANGED:
            return gettext("A coordinator gave the city another mentor.")
        return self.end_reason


# ---------------------------------------------------------------- invitations


class InvitationLanguage(models.TextChoices):
    """The platform's languages (settings.LANGUAGES), for the invitation's e-mail."""

    CATALAN = "ca", _("Catalan")
    GERMAN = "de", _("German")
    GREEK = "el", _("Greek")
    ENGLISH = "en", _("English")
    SPANISH = "es", _("Spanish")
    FINNISH = "fi", _("Finnish")
    FRENCH = "fr", _("French")
    LATVIAN = "lv", _("Latvian")
    DUTCH = "nl", _("Dutch")
    POLISH = "pl", _("Polish")
    PORTUGUESE = "pt", _("Portuguese")
    TURKISH = "tr", _("Turkish")


class InvitationState(models.TextChoices):
    """Where an invitation stands (computed from its dates, see Invitation.state)."""

    PROPOSED = "proposed", _("Proposed, waiting for a coordinator")
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    REVOKED = "revoked", _("Revoked")
    DECLINED = "declined", _("Proposal declined")
    EXPIRED = "expired", _("Expired")


class Invitation(models.Model):
    """A coordinator's offer of a role (with its scope) to someone, by e-mail.

    Only the SHA-256 of the link's token is stored: a copy of the database opens no account. An
    invitation is usable while it is neither accepted, revoked nor expired; accepting it creates
    the account, the person (if new) and the membership it describes.

    A city's officer may propose someone for their own city's team (`proposed_by`): the
    invitation then waits, with no e-mail sent and a token nobody holds, until a coordinator
    confirms it (`confirmed_at`, a new token, the e-mail leaves) or declines it with a reason.
    """

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    scheme = models.ForeignKey(
        "MentoringScheme", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    city = models.ForeignKey(
        City, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    approval_level = models.CharField(
        _("approval level"), max_length=20, choices=ApprovalLevel.choices, blank=True
    )
    language = models.CharField(
        _("language of the e-mail"), max_length=2, choices=InvitationLanguage.choices
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    membership = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    proposed_by = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    declined_at = models.DateTimeField(_("proposal declined at"), null=True, blank=True)
    decline_reason = models.CharField(
        _("why the proposal was declined"), max_length=300, blank=True
    )
    history = HistoricalRecords(excluded_fields=["token_hash"])

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.CheckConstraint(
                condition=SCOPE_MATCHES_ROLE,
                name="invitation_scope_matches_role",
            ),
            models.CheckConstraint(
                condition=APPROVAL_LEVEL_FOR_APPROVERS,
                name="invitation_approval_level_for_approvers",
            ),
            models.CheckConstraint(
                condition=Q(language__in=InvitationLanguage.values),
                name="invitation_language_known",
            ),
            # Only a proposal is confirmed or declined, and never both.
            models.CheckConstraint(
                condition=Q(proposed_by__isnull=False)
                | Q(confirmed_at__isnull=True, declined_at__isnull=True),
                name="invitation_decided_only_if_proposed",
            ),
            models.CheckConstraint(
                condition=Q(confirmed_at__isnull=True) | Q(declined_at__isnull=True),
                name="invitation_confirmed_or_declined",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email}: {self.get_role_display()}"

    @property
    def is_proposal_open(self) -> bool:
        """Proposed by a city's officer and not yet confirmed, declined or withdrawn."""
        return (
            self.proposed_by_id is not None
            and self.confirmed_at is None
            and self.declined_at is None
            and self.revoked_at is None
            and self.accepted_at is None
        )

    @property
    def is_pending(self) -> bool:
        """Its link can be used: sent (a proposal once confirmed), unanswered, not expired."""
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.declined_at is None
            and (self.proposed_by_id is None or self.confirmed_at is not None)
            and self.expires_at > timezone.now()
        )

    @property
    def state(self) -> str:
        if self.accepted_at is not None:
            return InvitationState.ACCEPTED
        if self.declined_at is not None:
            return InvitationState.DECLINED
        if self.revoked_at is not None:
            return InvitationState.REVOKED
        if self.is_proposal_open:
            return InvitationState.PROPOSED
        if self.expires_at <= timezone.now():
            return InvitationState.EXPIRED
        return InvitationState.PENDING

    def get_state_display(self) -> str:
        return str(InvitationState(self.state).label)
