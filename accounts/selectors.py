"""Reads on accounts: who must have a second factor, what a session still lacks, a person's
factors, and the people a platform admin may reset.

A factor is a confirmed authenticator app (TOTP) or passkey; recovery codes only stand in for
one when it is lost, so they never count as enrolment."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from programmes.models import Membership

from .models import SecondFactorReset, User

# The pseudo-role of MFA_REQUIRED_ROLES for the admin's staff and superusers.
PLATFORM_ADMIN = "platform_admin"
RECOVERY_DEVICE_NAME = "recovery codes"


class SessionState(StrEnum):
    """What a signed-in session may do about the second factor."""

    VERIFIED = "verified"  # a factor verified this session
    VERIFY = "verify"  # the person has a factor and must use it
    ENROL = "enrol"  # the person must enrol one (their role requires it) before anything else
    OPTIONAL = "optional"  # no factor and none required: the session goes on


def _required_role_filter() -> Q:
    roles = [r for r in settings.MFA_REQUIRED_ROLES if r != PLATFORM_ADMIN]
    return Q(role__in=roles)


def _admins_required() -> bool:
    return PLATFORM_ADMIN in settings.MFA_REQUIRED_ROLES


def _annotated(users: QuerySet[User]) -> QuerySet[User]:
    """Users with `has_factor` and `holds_required_role`, in the same query."""
    return users.annotate(
        has_totp=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
        has_passkey=Exists(WebAuthnCredential.objects.filter(user=OuterRef("pk"), confirmed=True)),
        holds_required_role=Exists(
            Membership.objects.current().filter(
                _required_role_filter(), person__user=OuterRef("pk")
            )
        ),
    )


def second_factor_required(user: Any) -> bool:
    """The person's roles (or their admin rights) require a second factor."""
    if not user.is_authenticated:
        return False
    if _admins_required() and (user.is_superuser or user.is_staff):
        return True
    return Membership.objects.current().filter(_required_role_filter(), person__user=user).exists()


def session_state(user: Any) -> SessionState:
    """For a signed-in person (one query when the session is not verified yet)."""
    if user.is_verified():
        return SessionState.VERIFIED
    row: dict[str, Any] = _annotated(User.objects.filter(pk=user.pk)).values(  # type: ignore[misc]
        "has_totp", "has_passkey", "holds_required_role"
    )[0]
    if row["has_totp"] or row["has_passkey"]:
        return SessionState.VERIFY
    admin = _admins_required() and (user.is_superuser or user.is_staff)
    if row["holds_required_role"] or admin:
        return SessionState.ENROL
    return SessionState.OPTIONAL


def has_factor(user: Any) -> bool:
    return (
        TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        or WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()
    )


@dataclass(frozen=True)
class Factors:
    """A person's factors as My account and the admin's reset page show them."""

    apps: list[TOTPDevice]
    passkeys: list[WebAuthnCredential]
    recovery_codes_left: int
    has_recovery_codes: bool

    @property
    def any(self) -> bool:
        return bool(self.apps or self.passkeys)

    def summary(self) -> str:
        """In English, for the audit record."""
        parts = []
        if self.apps:
            parts.append(f"{len(self.apps)} authenticator app(s)")
        if self.passkeys:
            parts.append(f"{len(self.passkeys)} passkey(s)")
        if self.has_recovery_codes:
            parts.append(f"recovery codes ({self.recovery_codes_left} unused)")
        return ", ".join(parts) or "nothing"


def factors_of(user: Any) -> Factors:
    recovery = StaticDevice.objects.filter(user=user, confirmed=True)
    return Factors(
        apps=list(TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk")),
        passkeys=list(WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("pk")),
        recovery_codes_left=StaticToken.objects.filter(device__in=recovery).count(),
        has_recovery_codes=recovery.exists(),
    )


def pending_app_of(user: Any) -> TOTPDevice | None:
    """The authenticator app being enrolled (not yet confirmed with a code)."""
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


def people_for_second_factor_admin(viewer: Any, query: str = "") -> QuerySet[User]:
    """Accounts with their factors and whether they need one: platform admins only (anyone
    else gets none). At most 100, searched by e-mail address or name."""
    if not viewer.is_superuser:
        return User.objects.none()
    users = _annotated(User.objects.filter(is_active=True)).annotate(
        passkeys=Count("webauthncredential", filter=Q(webauthncredential__confirmed=True)),
    )
    if query:
        users = users.filter(
            Q(email__icontains=query)
            | Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
        )
    return users.order_by("email")[:100]


def account_for_second_factor_admin(viewer: Any, pk: int) -> User | None:
    """One account for the reset page: a platform admin's only (None: a 404)."""
    if not viewer.is_superuser:
        return None
    return User.objects.filter(pk=pk, is_active=True).first()


def second_factor_resets_of(user: User) -> QuerySet[SecondFactorReset]:
    return SecondFactorReset.objects.filter(user=user).select_related("actor")[:10]
