"""Writes on accounts: ending a person's sessions everywhere; their second factor (enrolling an
authenticator app, checking a code, recovery codes, removing a factor, an admin's reset)."""

import re
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from core.errors import DomainError

from .models import SecondFactorReset, SessionsEnded, User
from .notification_kinds import SECOND_FACTOR_RESET
from .selectors import RECOVERY_DEVICE_NAME, factors_of, second_factor_required

APP_DEVICE_NAME = "authenticator app"
_TOTP_CODE = re.compile(r"^\d{6}$")


def user_sessions_end(*, user: User, actor: User) -> SessionsEnded:
    """End every session of `user` on every device, the actor's current one included when it is
    theirs. Each session is signed out at its next request (accounts.middleware), by comparing
    its log-in moment with `sessions_valid_after`: no session table is scanned, so it works the
    same for any session engine. The person themself or a platform admin; recorded for audit."""
    if actor.pk != user.pk and not actor.is_superuser:
        raise DomainError(_("Only the person or a platform administrator can end their sessions."))
    now = timezone.now()
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(sessions_valid_after=now)
        record = SessionsEnded.objects.create(user=user, actor=actor, at=now)
    user.sessions_valid_after = now
    return record


# ---------------------------------------------------------------- second factor


def authenticator_app_start(*, user: User) -> TOTPDevice:
    """The authenticator app being enrolled: its key is kept (unconfirmed) until the person
    confirms it with a code, so showing the page again shows the same key."""
    pending = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if pending is not None:
        return pending
    return TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)


def authenticator_app_confirm(*, user: User, code: str) -> TOTPDevice:
    """Confirm the pending authenticator app with a code it shows. A wrong code is refused at
    the field (and throttled by the device like any code)."""
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=user, confirmed=False)
            .order_by("-pk")
            .first()
        )
        if device is None:
            raise DomainError(_("Start again: this set-up has expired."))
        allowed, _info = device.verify_is_allowed()
        if not allowed:
            raise DomainError(_("Too many wrong codes: wait a minute, then try again."))
        if not device.verify_token(_clean(code)):
            raise DomainError(
                _("This code is not the one your app shows now."),
                field_errors={"code": _("This code is not the one your app shows now.")},
            )
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        # Any other pending set-up of the person is dropped.
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return device


def recovery_codes_replace(*, user: User) -> list[str]:
    """New recovery codes (MFA_RECOVERY_CODES, each usable once): the old ones stop working.
    Returned once in clear for the person to keep."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
        codes = [StaticToken.random_token() for _i in range(settings.MFA_RECOVERY_CODES)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def recovery_codes_ensure(*, user: User) -> list[str]:
    """After a first factor is enrolled: recovery codes if the person has none yet, else []."""
    if StaticDevice.objects.filter(user=user, confirmed=True).exists():
        return []
    return recovery_codes_replace(user=user)


def second_factor_check(*, user: User, code: str, request: HttpRequest) -> Device:
    """The device that accepts `code`: six digits are an authenticator app's code, anything
    else a recovery code (used up by this check). A wrong code is a failed log-in for the
    lock-out (django-axes, by the person's user name and address, as a wrong password) and is
    throttled by the device (django-otp: 1, 2, 4... seconds before the next try)."""
    token = _clean(code)
    model: type[Device] = TOTPDevice if _TOTP_CODE.match(token) else StaticDevice
    throttled = False
    with transaction.atomic():
        devices = list(
            model.objects.select_for_update().filter(user=user, confirmed=True).order_by("pk")
        )
        for device in devices:
            allowed, _info = device.verify_is_allowed()
            if not allowed:
                throttled = True
                continue
            if device.verify_token(token):
                return device
    user_login_failed.send(
        sender=__name__, credentials={"username": user.get_username()}, request=request
    )
    if throttled:
        raise DomainError(
            _("Too many wrong codes: wait a minute, then try again."),
            field_errors={"code": _("Too many wrong codes: wait a minute, then try again.")},
        )
    raise DomainError(
        _("This code is not valid."),
        field_errors={
            "code": _(
                "This code is not valid: type the code your app shows now, "
                "or one of your unused recovery codes."
            )
        },
    )


def second_factor_remove(*, user: User, actor: User, kind: str, pk: int) -> None:
    """The person removes one of their authenticator apps or passkeys. The last one of a person
    whose role requires a second factor stays (an admin's reset is the way to start over)."""
    if actor.pk != user.pk:
        raise DomainError(_("Only the person can remove their own factors."))
    model: type[Any] = {"app": TOTPDevice, "passkey": WebAuthnCredential}.get(kind) or TOTPDevice
    with transaction.atomic():
        device = model.objects.select_for_update().filter(user=user, pk=pk, confirmed=True).first()
        if device is None:
            raise DomainError(_("This factor no longer exists."))
        factors = factors_of(user)
        if len(factors.apps) + len(factors.passkeys) <= 1 and second_factor_required(user):
            raise DomainError(
                _("Your role requires a second factor: add another one before removing this one.")
            )
        device.delete()
        if len(factors.apps) + len(factors.passkeys) <= 1:
            # No factor left: recovery codes would stand in for nothing.
            StaticDevice.objects.filter(user=user).delete()


def second_factor_reset(*, user: User, actor: User, reason: str) -> SecondFactorReset:
    """A platform admin removes every factor of a person (a lost phone, a passkey gone): their
    sessions end, and at the next log-in they enrol again if their role requires it. Recorded
    (who, when, whose, what, why) and the person is notified."""
    from notifications.services import notify  # accounts sits below notifications

    if not actor.is_superuser:
        raise DomainError(_("Only a platform administrator can reset a second factor."))
    reason = reason.strip()
    if not reason:
        raise DomainError(
            _("Say why."), field_errors={"reason": _("Say why the second factor is reset.")}
        )
    with transaction.atomic():
        removed = factors_of(user).summary()
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        WebAuthnCredential.objects.filter(user=user).delete()
        record = SecondFactorReset.objects.create(
            user=user, actor=actor, at=timezone.now(), reason=reason[:300], removed=removed
        )
        if actor.pk != user.pk:
            user_sessions_end(user=user, actor=actor)
        person = getattr(user, "person", None)
        if person is not None:
            notify(
                kind=SECOND_FACTOR_RESET,
                recipients=[person],
                url=reverse("accounts:profile"),
                actor=actor,
                params={"reason": reason[:300]},
                message=reason[:300],
            )
    return record


def demo_authenticator_enrol(*, user: User, key: str) -> bool:
    """The demo only (`load_programme --demo-accounts`): a person whose role requires a second
    factor and who has none gets an authenticator app with the demo's shared key, so the demo's
    log-ins work with one entry in an authenticator app. True when one was added."""
    if not second_factor_required(user) or TOTPDevice.objects.filter(user=user).exists():
        return False
    TOTPDevice.objects.create(user=user, name="demo authenticator", key=key, confirmed=True)
    return True


def _clean(code: str) -> str:
    return re.sub(r"[\s-]", "", code or "").lower()
