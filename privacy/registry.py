"""What the platform holds about a person, model by model: how to select a person's rows, what
of them goes into their data export (GDPR art. 15), what a pseudonymisation erases, and what
must be kept (and so blocks deleting the person or their account).

Every model with a foreign key to Person or to the user model is listed here, each such key
as one of a kind's `paths` (tests/privacy/test_registry.py fails when a model or a key is
missing). The history tables of django-simple-history are covered by their model's kinds, and
their `history_user` by HISTORY: a person's changes are listed in the export, and keep their
author after a pseudonymisation (the user row stays, renamed).

A kind about someone else's record that the person only acted on (a timesheet they approved, an
invitation they sent) exports the fact (ids, dates, status), never the other person's data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

PERSON_MODEL = "programmes.Person"


class Retention(StrEnum):
    """Why rows of a kind are kept when their person leaves: they block a deletion, and a
    pseudonymisation keeps them under the pseudonym."""

    FINANCE = "finance"
    ROLES = "roles"
    AUDIT = "audit"
    FROZEN = "frozen"


RETENTION_REASONS: dict[Retention, Promise] = {
    Retention.FINANCE: _(
        "finance records, kept until their retention period ends after the programme's final "
        "payment"
    ),
    Retention.ROLES: _("roles are never deleted: the history keeps who held which role"),
    Retention.AUDIT: _("the audit trail of decisions and approvals keeps who made them"),
    Retention.FROZEN: _("saved versions never change (the database refuses it)"),
}

Selector = Callable[[Any, Any], Q]  # (person or None, user or None) -> the rows about them


@dataclass(frozen=True)
class Kind:
    """One kind of record about a person: the rows of `model` that one of `paths` (lookups
    ending at Person or the user model) ties to them, or that `select` returns."""

    name: str  # the export's file (<name>.json); "" when not exported (see `note`)
    model: str  # "app_label.ModelName"
    paths: tuple[str, ...] = ()
    select: Selector | None = None
    fields: tuple[str, ...] = ()  # the columns exported; empty: every column but `hidden`
    hidden: tuple[str, ...] = ()  # never exported (secrets, hashes)
    files: tuple[str, ...] = ()  # file columns whose files the archive carries
    retention: Retention | None = None
    erase: bool = False  # deleted by a pseudonymisation (nothing requires keeping it)
    note: str = ""
    optional: bool = False  # its model may be absent (an app's work still under way)

    def model_class(self) -> type[models.Model] | None:
        try:
            return apps.get_model(self.model)
        except LookupError:
            return None

    def condition(self, person: Any, user: Any) -> Q | None:
        """The filter of the rows about this person (None: there can be none)."""
        model = self.model_class()
        if model is None:
            return None
        found: Q | None = None
        for path in self.paths:
            target = target_of(model, path)
            value = person if target == PERSON_MODEL else user
            if value is None:
                continue
            found = Q(**{path: value}) if found is None else found | Q(**{path: value})
        if self.select is not None:
            extra = self.select(person, user)
            found = extra if found is None else found | extra
        return found

    def rows(self, person: Any, user: Any) -> QuerySet[Any]:
        model = self.model_class()
        if model is None:
            raise LookupError(self.model)
        condition = self.condition(person, user)
        if condition is None:
            return model._base_manager.none()
        # Through a subquery of keys: a path across a to-many relation never repeats a row.
        keys = model._base_manager.filter(condition).values("pk")
        return model._base_manager.filter(pk__in=keys).order_by("pk")


def target_of(model: type[models.Model], path: str) -> str:
    """The label of the model a lookup path ends at."""
    current: Any = model
    for part in path.split("__"):
        current = current._meta.get_field(part).related_model
    return str(current._meta.label)


def _self(person: Any, user: Any) -> Q:
    return Q(pk=person.pk) if person is not None else Q(pk__in=[])


def _account(person: Any, user: Any) -> Q:
    return Q(pk=user.pk) if user is not None else Q(pk__in=[])


def _invited(person: Any, user: Any) -> Q:
    """Invitations to their e-mail address, and the ones that made their roles."""
    if person is None:
        return Q(email__iexact=user.email) if user is not None and user.email else Q(pk__in=[])
    return Q(email__iexact=person.email) | Q(membership__person=person)


def _practice_contact(person: Any, user: Any) -> Q:
    """Practices naming them as the contact (with their consent to be shown, or not)."""
    email = person.email if person is not None else getattr(user, "email", "")
    return Q(contact_email__iexact=email) if email else Q(pk__in=[])


def _feedback_from(person: Any, user: Any) -> Q:
    """Accessibility feedback sent without signing in, with their address."""
    email = person.email if person is not None else getattr(user, "email", "")
    return Q(email__iexact=email) if email else Q(pk__in=[])


def _sign_ins(person: Any, user: Any) -> Q:
    """The log-in records of django-axes, kept by user name (their e-mail address)."""
    return Q(username__iexact=user.username) if user is not None else Q(pk__in=[])


_ACTED = ("id", "programme")  # the start of a kind that only records the person's act

KINDS: tuple[Kind, ...] = (
    # ---- who they are
    Kind("profile", PERSON_MODEL, paths=("user",), select=_self),
    Kind("account", settings.AUTH_USER_MODEL, select=_account, hidden=("password",)),
    Kind("account_groups", "accounts.User_groups", paths=("user",)),
    Kind("account_permissions", "accounts.User_user_permissions", paths=("user",)),
    # The audit of "sign out everywhere" (accounts' sessions work).
    Kind("sign_outs_everywhere", "accounts.SessionsEnded", paths=("user", "actor"), optional=True),
    # The second factor: which factors they have (never their secrets), erased with the account's
    # access; the audit of resets by platform admins (accounts.services.second_factor_reset).
    Kind(
        "authenticator_apps",
        "otp_totp.TOTPDevice",
        paths=("user",),
        fields=("id", "name", "confirmed", "created_at", "last_used_at"),
        erase=True,
    ),
    Kind(
        "recovery_codes",
        "otp_static.StaticDevice",
        paths=("user",),
        fields=("id", "name", "confirmed", "created_at", "last_used_at"),
        erase=True,
    ),
    Kind(
        "passkeys",
        "django_otp_webauthn.WebAuthnCredential",
        paths=("user",),
        fields=("id", "name", "confirmed", "created_at", "last_used_at", "transports"),
        erase=True,
    ),
    Kind(
        "",
        "django_otp_webauthn.WebAuthnUserHandle",
        paths=("user",),
        erase=True,
        note="the random handle of their passkeys, meaningless alone",
    ),
    Kind("second_factor_resets", "accounts.SecondFactorReset", paths=("user", "actor")),
    Kind(
        "sign_ins",
        "axes.AccessLog",
        select=_sign_ins,
        fields=("id", "attempt_time", "logout_time", "ip_address", "user_agent", "path_info"),
    ),
    Kind(
        "failed_sign_ins",
        "axes.AccessAttempt",
        select=_sign_ins,
        fields=("id", "attempt_time", "ip_address", "user_agent", "failures_since_start"),
    ),
    Kind(
        "failed_sign_ins_log",
        "axes.AccessFailureLog",
        select=_sign_ins,
        fields=("id", "attempt_time", "ip_address", "user_agent", "locked_out"),
    ),
    Kind(
        "admin_actions",
        "admin.LogEntry",
        paths=("user",),
        fields=("id", "action_time", "content_type", "object_id", "action_flag"),
    ),
    # ---- roles and invitations
    Kind("roles", "programmes.Membership", paths=("person",), retention=Retention.ROLES),
    Kind(
        "invitations_received",
        "programmes.Invitation",
        select=_invited,
        hidden=("token_hash",),
    ),
    Kind(
        "invitations_sent",
        "programmes.Invitation",
        paths=("invited_by", "proposed_by"),
        fields=(*_ACTED, "role", "city", "scheme", "invited_by", "proposed_by", "created_at"),
        retention=Retention.AUDIT,
    ),
    # ---- assessments, matching
    Kind(
        "self_assessments",
        "assessments.SelfAssessment",
        paths=("submitted_by", "reviewed_by"),
        fields=(
            *_ACTED,
            "city",
            "theme",
            "phase",
            "status",
            "submitted_at",
            "submitted_by",
            "reviewed_at",
            "reviewed_by",
            "review_comment",
        ),
        retention=Retention.AUDIT,
    ),
    Kind(
        "benchmarks_published",
        "assessments.Benchmark",
        paths=("published_by",),
        fields=("id", "theme", "version", "title", "status", "published_at", "published_by"),
        retention=Retention.AUDIT,
    ),
    Kind(
        "assessment_files_uploaded",
        "assessments.Attachment",
        paths=("uploaded_by",),
        fields=("id", "rating", "name", "size", "uploaded_at", "uploaded_by"),
    ),
    Kind(
        "matching_runs",
        "matching.MatchRun",
        paths=("created_by", "accepted_by"),
        fields=(
            *_ACTED,
            "number",
            "label",
            "status",
            "created_at",
            "created_by",
            "accepted_at",
            "accepted_by",
        ),
        retention=Retention.AUDIT,
    ),
    # ---- events
    Kind("events", "visits.Participant", paths=("person",), retention=Retention.FINANCE),
    Kind(
        "visit_reports",
        "visits.VisitReport",
        paths=("author",),
        fields=("id", "event", "author", "summary", "submitted_at"),
    ),
    Kind("calendar_feeds", "visits.CalendarFeed", paths=("user",), hidden=("token",), erase=True),
    # ---- the conference: a delegate's own registration, and the delegates a city officer
    # registered (the fact only, never the other person's data)
    Kind(
        "conference_registrations",
        "conference.Registration",
        paths=("person",),
        hidden=("token_hash",),
        erase=True,
    ),
    Kind(
        "conference_delegates_registered",
        "conference.Registration",
        paths=("registered_by",),
        fields=("id", "conference", "delegation", "status", "queued_at"),
        erase=False,
    ),
    Kind(
        "conference_attendance_recorded",
        "conference.Attendance",
        paths=("recorded_by",),
        fields=("id", "registration", "day", "session", "recorded_at"),
        erase=False,
    ),
    # ---- action plans
    Kind(
        "plan_versions_saved",
        "action_plans.PlanVersion",
        paths=("saved_by",),
        fields=("id", "plan", "number", "edition", "status", "saved_by", "saved_at", "note"),
        retention=Retention.FROZEN,
    ),
    Kind(
        "plan_comments",
        "action_plans.PlanComment",
        paths=("author",),
        hidden=("suggestion_base",),
    ),
    Kind(
        "plan_comments_handled",
        "action_plans.PlanComment",
        paths=("applied_by", "resolved_by"),
        fields=("id", "plan", "status", "applied_by", "applied_at", "resolved_by", "resolved_at"),
        retention=Retention.AUDIT,
    ),
    Kind(
        "plan_decisions",
        "action_plans.PlanTransition",
        paths=("actor",),
        fields=(
            "id",
            "plan",
            "edition",
            "transition",
            "from_status",
            "to_status",
            "actor",
            "at",
            "comment",
            "decision",
        ),
        retention=Retention.AUDIT,
    ),
    Kind(
        "plan_progress_updates",
        "action_plans.ProgressUpdate",
        paths=("author",),
        fields=("id", "action", "on", "state", "percent", "note", "author", "created_at"),
        retention=Retention.AUDIT,
    ),
    # ---- the work plan: the steps a coordinator recorded on a deliverable (submitted to the
    # funder, its answer) keep who recorded them.
    Kind(
        "deliverable_steps",
        "workplan.DeliverableStep",
        paths=("actor",),
        fields=("id", "deliverable", "step", "on", "comment", "at"),
        retention=Retention.AUDIT,
    ),
    # ---- the technical reports to the funder: who started, froze and asked for the files of
    # a report (the report itself is the programme's).
    Kind(
        "technical_reports",
        "reports.TechnicalReport",
        paths=("created_by", "frozen_by"),
        fields=(
            "id",
            "kind",
            "period_start",
            "period_end",
            "state",
            "number",
            "created_by",
            "created_at",
            "frozen_by",
            "frozen_at",
        ),
        retention=Retention.AUDIT,
    ),
    Kind(
        "report_files_requested",
        "reports.ReportFiles",
        paths=("requested_by",),
        fields=("id", "report", "language", "status", "requested_by", "requested_at"),
    ),
    # ---- infographics: who started one and who published each version (the infographic
    # itself is the programme's; a published version never changes).
    Kind(
        "infographics_started",
        "infographics.Infographic",
        paths=("created_by",),
        fields=("id", "theme", "pair", "language", "title", "created_by", "created_at"),
        retention=Retention.AUDIT,
    ),
    Kind(
        "infographics_published",
        "infographics.InfographicVersion",
        paths=("published_by",),
        fields=("id", "infographic", "number", "published_by", "published_at"),
        retention=Retention.FROZEN,
    ),
    # ---- knowledge
    Kind(
        "practices",
        "knowledge.GoodPractice",
        paths=("created_by",),
        fields=("id", "reference", "title", "state", "created_by", "created_at", "published_at"),
    ),
    Kind(
        "practice_contact",
        "knowledge.GoodPractice",
        select=_practice_contact,
        fields=("id", "reference", "title", "contact_name", "contact_email", "contact_consent"),
    ),
    Kind(
        "practice_decisions",
        "knowledge.PracticeTransition",
        paths=("actor",),
        retention=Retention.AUDIT,
    ),
    Kind(
        "toolkits",
        "knowledge.Toolkit",
        paths=("created_by",),
        fields=("id", "slug", "title", "state", "created_by", "published_at"),
    ),
    Kind("toolkit_feedback", "knowledge.ToolkitFeedback", paths=("author",)),
    Kind(
        "toolkit_decisions",
        "knowledge.ToolkitTransition",
        paths=("actor",),
        retention=Retention.AUDIT,
    ),
    # ---- finance
    Kind(
        "budget_transfers",
        "finance.BudgetTransfer",
        paths=("actor",),
        retention=Retention.FINANCE,
    ),
    Kind(
        "budget_overrides",
        "finance.BudgetOverride",
        paths=("granted_by",),
        retention=Retention.FINANCE,
    ),
    Kind("staff_rates", "finance.StaffRate", paths=("person",), retention=Retention.FINANCE),
    Kind("timesheets", "finance.Timesheet", paths=("person",), retention=Retention.FINANCE),
    Kind(
        "time_entries",
        "finance.TimeEntry",
        paths=("timesheet__person",),
        retention=Retention.FINANCE,
    ),
    Kind(
        "timesheets_approved",
        "finance.Timesheet",
        paths=("approved_by",),
        fields=(*_ACTED, "person", "month", "status", "approved_by", "approved_at"),
        retention=Retention.FINANCE,
    ),
    Kind(
        "other_grant_hours",
        "finance.OtherGrantHours",
        paths=("person",),
        retention=Retention.FINANCE,
    ),
    Kind(
        "other_grant_hours_declared",
        "finance.OtherGrantHours",
        paths=("declared_by",),
        fields=("id", "person", "year", "month", "grant", "declared_by", "declared_at"),
        retention=Retention.FINANCE,
    ),
    Kind(
        "expense_claims",
        "finance.ExpenseClaim",
        paths=("traveller",),
        retention=Retention.FINANCE,
    ),
    Kind(
        "claim_lines",
        "finance.ClaimLine",
        paths=("claim__traveller",),
        retention=Retention.FINANCE,
    ),
    Kind(
        "receipts",
        "finance.Receipt",
        paths=("line__claim__traveller",),
        files=("file",),
        retention=Retention.FINANCE,
    ),
    Kind(
        "expense_claims_handled",
        "finance.ExpenseClaim",
        paths=("checked_by", "approved_by", "reimbursed_by"),
        fields=(
            *_ACTED,
            "traveller",
            "status",
            "checked_by",
            "checked_at",
            "approved_by",
            "approved_at",
            "reimbursed_by",
            "reimbursed_on",
        ),
        retention=Retention.FINANCE,
    ),
    Kind(
        "receipts_uploaded",
        "finance.Receipt",
        paths=("uploaded_by",),
        fields=("id", "line", "name", "size", "uploaded_by", "uploaded_at"),
        retention=Retention.FINANCE,
    ),
    Kind(
        "statements_prepared",
        "finance.Statement",
        paths=("created_by",),
        fields=(*_ACTED, "kind", "period_end", "created_by", "created_at"),
        retention=Retention.FINANCE,
    ),
    Kind(
        "statements_signed_off",
        "finance.Statement",
        paths=("signed_off_by",),
        fields=(*_ACTED, "kind", "period_end", "status", "signed_off_by", "signed_off_at"),
        retention=Retention.FINANCE,
    ),
    Kind(
        "statement_files_requested",
        "finance.StatementFiles",
        paths=("requested_by",),
        fields=("id", "statement", "language", "status", "requested_by", "requested_at"),
    ),
    # ---- accessibility feedback: what they reported (signed in, or with their address)
    Kind(
        "accessibility_feedback",
        "accessibility.Feedback",
        paths=("person",),
        select=_feedback_from,
        erase=True,
    ),
    Kind(
        "",
        "accessibility.Feedback",
        paths=("answered_by",),
        note="feedback from others that the person answered: the answer stays with the feedback",
    ),
    # ---- notifications
    Kind("notifications", "notifications.Notification", paths=("recipient",), erase=True),
    Kind("emails", "notifications.OutgoingEmail", paths=("recipient",), erase=True),
    Kind(
        "notification_preferences",
        "notifications.Preference",
        paths=("person",),
        erase=True,
    ),
    Kind(
        "",
        "notifications.Notification",
        paths=("actor",),
        note="what others were told of the person's acts: the acts are in their own kinds",
    ),
    # ---- this app
    Kind(
        "pseudonymisation_requests",
        "privacy.PseudonymisationRequest",
        paths=("person", "requested_by", "confirmed_by", "cancelled_by"),
        fields=(
            "id",
            "person",
            "status",
            "requested_by",
            "requested_at",
            "confirmed_by",
            "confirmed_at",
            "cancelled_by",
            "cancelled_at",
        ),
        retention=Retention.AUDIT,
    ),
)

# The audit trail's author column, on every history table: a person's changes (exported as
# `changes_made`), attributed to their pseudonym after a pseudonymisation.
HISTORY_USER = "history_user"


def is_history_model(model: type[models.Model]) -> bool:
    """A table of django-simple-history (its rows copy a model's at each change)."""
    return hasattr(model, "instance_type") and hasattr(model, "history_id")


def history_models() -> list[type[models.Model]]:
    return [
        m
        for m in apps.get_models()
        if is_history_model(m) and any(f.name == HISTORY_USER for f in m._meta.fields)
    ]


def people_keys(model: type[models.Model]) -> list[str]:
    """The names of `model`'s foreign keys to Person or to the user model."""
    targets = {PERSON_MODEL, str(settings.AUTH_USER_MODEL)}
    keys = []
    for f in model._meta.get_fields():
        if not f.is_relation or f.auto_created or not f.concrete or f.related_model is None:
            continue
        related = f.related_model  # a label while the model is not yet resolved
        label = related if isinstance(related, str) else related._meta.label
        if str(label) in targets:
            keys.append(f.name)
    return keys


def kinds_of(label: str) -> list[Kind]:
    return [k for k in KINDS if k.model == label]


def exported_kinds() -> list[Kind]:
    return [k for k in KINDS if k.name and k.model_class() is not None]


def registry_gaps(models_: list[type[models.Model]]) -> list[str]:
    """The foreign keys to Person or the user model that no kind covers ("label.key"): a new
    model naming a person must say here how its rows are exported and what a pseudonymisation
    does with them. A history table is covered by its model's kinds (and HISTORY_USER)."""
    gaps = []
    for model in models_:
        keys = people_keys(model)
        if not keys:
            continue
        covered_by = model.instance_type if is_history_model(model) else model  # type: ignore[attr-defined]
        covered = {p for k in kinds_of(str(covered_by._meta.label)) for p in k.paths}
        if is_history_model(model):
            covered.add(HISTORY_USER)
        gaps += [f"{model._meta.label}.{key}" for key in keys if key not in covered]
    return gaps
