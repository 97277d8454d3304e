from base64 import b32encode
from urllib.parse import urlencode

import django_otp
import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_static.models import StaticDevice

from core.errors import DomainError
from programmes import selectors
from programmes.services.people import invitation_accept, invitation_for_token

from . import selectors as account_selectors
from .forms import (
    AuthenticatorAppForm,
    InvitationPasswordForm,
    SecondFactorCodeForm,
    SecondFactorResetForm,
)
from .selectors import SessionState
from .services import (
    authenticator_app_confirm,
    authenticator_app_start,
    recovery_codes_ensure,
    recovery_codes_replace,
    second_factor_check,
    second_factor_remove,
    second_factor_reset,
    user_sessions_end,
)

# The recovery codes just made, kept in the session until the person says they kept them.
RECOVERY_CODES_SESSION_KEY = "accounts_recovery_codes"


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    """The signed-in person's own record and roles; a POST with `sign_out_everywhere` ends every
    session of theirs, this one included, and sends them to the log-in page."""
    if request.method == "POST":
        if "sign_out_everywhere" in request.POST:
            user_sessions_end(user=request.user, actor=request.user)  # type: ignore[arg-type]
            logout(request)
            messages.success(request, _("You are signed out on every device, this one included."))
            return redirect("accounts:login")
        return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile.html",
        {
            "person": selectors.person_for_user(request.user),
            "memberships": selectors.memberships_of_user(request.user),
            "factors": account_selectors.factors_of(request.user),
            "factor_required": account_selectors.second_factor_required(request.user),
        },
    )


@never_cache
@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """An invitation's link: choose a password, then be signed in; a dead link says so."""
    pending = invitation_for_token(token)
    if pending is None:
        return render(request, "accounts/invitation_invalid.html", status=410)
    # The page speaks the language the invitation was written in (the invitee has no account).
    translation.activate(pending.language)
    request.LANGUAGE_CODE = pending.language
    form = InvitationPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_accept(raw_token=token, password=form.cleaned_data["password1"])
        except DomainError as error:
            for field, message in error.field_errors.items():
                form.add_error(field, message)
            if not error.field_errors:
                form.add_error(None, error.message)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome: your password is set."))
            if account_selectors.second_factor_required(user):
                # Their role requires a second factor: enrol it now, then go on.
                return redirect(_with_next("accounts:enrol", resolve_url("portal:home")))
            return redirect("portal:home")
    return render(
        request,
        "accounts/invitation.html",
        {"form": form, "invitation": pending, "programme_name": pending.programme.name},
    )


# ---------------------------------------------------------------- second factor


def _next_of(request: HttpRequest) -> str:
    """Where to go once the factor is given: a safe `next`, else the home page."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if safe and target else resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_next(url_name: str, target: str) -> str:
    return f"{resolve_url(url_name)}?{urlencode({'next': target})}"


def _verified(request: HttpRequest, device: object) -> None:
    """The session is verified by this device: a new session key, as at log-in."""
    request.session.cycle_key()
    django_otp.login(request, device)


@never_cache
@login_required
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def second_factor(request: HttpRequest) -> HttpResponse:
    """After the password: a code from the authenticator app, a recovery code, or a passkey."""
    target = _next_of(request)
    state = account_selectors.session_state(request.user)
    if state is not SessionState.VERIFY:
        return redirect(
            _with_next("accounts:enrol", target) if state is SessionState.ENROL else target
        )
    form = SecondFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = second_factor_check(
                user=request.user,  # type: ignore[arg-type]
                code=form.cleaned_data["code"],
                request=request,
            )
        except DomainError as error:
            if getattr(request, "axes_locked_out", False):
                # Too many wrong codes: locked out like too many wrong passwords (the lock-out
                # page comes from django-axes' middleware).
                logout(request)
                return HttpResponse(status=403)
            for field, message in error.field_errors.items():
                form.add_error(field, message)
        else:
            _verified(request, device)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(
                    request,
                    ngettext(
                        "You used a recovery code: %(count)d is left. Make new ones in My account.",
                        "You used a recovery code: %(count)d are left. Make new ones in My "
                        "account.",
                        left,
                    )
                    % {"count": left},
                )
            return redirect(target)
    factors = account_selectors.factors_of(request.user)
    return render(
        request,
        "accounts/second_factor.html",
        {"form": form, "next": target, "has_passkey": bool(factors.passkeys)},
    )


@never_cache
@login_required
@sensitive_post_parameters("code")
@sensitive_variables("device")
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    """Set up a second factor: an authenticator app (QR code, or its key typed by hand),
    confirmed with a code, or a passkey; then the recovery codes, shown once. At the first
    log-in of a person whose role requires it, and from My account for anyone."""
    target = _next_of(request)
    state = account_selectors.session_state(request.user)
    if state is SessionState.VERIFY:
        return redirect(_with_next("accounts:second_factor", target))
    user = request.user
    if request.method == "POST" and "passkey_registered" in request.POST:
        # The passkey script registered one (django-otp-webauthn verified the session).
        if not (user.is_verified() and account_selectors.factors_of(user).passkeys):  # type: ignore[union-attr]
            return redirect(_with_next("accounts:enrol", target))
        messages.success(request, _("Your passkey is set up."))
        return _after_enrolment(request, target)
    device = authenticator_app_start(user=user)  # type: ignore[arg-type]
    form = AuthenticatorAppForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            confirmed = authenticator_app_confirm(user=user, code=form.cleaned_data["code"])  # type: ignore[arg-type]
        except DomainError as error:
            form.add_error("code", error.field_errors.get("code", error.message))
        else:
            if not user.is_verified():  # type: ignore[union-attr]
                _verified(request, confirmed)
            messages.success(request, _("Your authenticator app is set up."))
            return _after_enrolment(request, target)
    key = b32encode(device.bin_key).decode()
    return render(
        request,
        "accounts/enrol.html",
        {
            "form": form,
            "next": target,
            "first": state is SessionState.ENROL,
            "qr_svg": mark_safe(  # noqa: S308 - SVG drawn by segno from the key URI, no user text
                segno.make(device.config_url, error="m").svg_inline(
                    scale=4, title=_("QR code of your key"), dark="#000", light="#fff"
                )
            ),
            "key_groups": [key[i : i + 4] for i in range(0, len(key), 4)],
        },
    )


def _after_enrolment(request: HttpRequest, target: str) -> HttpResponse:
    codes = recovery_codes_ensure(user=request.user)  # type: ignore[arg-type]
    if not codes:
        return redirect(target)
    request.session[RECOVERY_CODES_SESSION_KEY] = codes
    return redirect(_with_next("accounts:recovery_codes", target))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """The recovery codes just made, shown once (to download or print). A POST `kept` ends the
    showing; a POST `replace` makes new ones (the old ones stop working)."""
    target = _next_of(request)
    if request.method == "POST":
        if "replace" in request.POST:
            if not account_selectors.has_factor(request.user):
                return redirect("accounts:profile")
            request.session[RECOVERY_CODES_SESSION_KEY] = recovery_codes_replace(
                user=request.user  # type: ignore[arg-type]
            )
            return redirect(_with_next("accounts:recovery_codes", target))
        request.session.pop(RECOVERY_CODES_SESSION_KEY, None)
        return redirect(target)
    codes = request.session.get(RECOVERY_CODES_SESSION_KEY)
    return render(
        request,
        "accounts/recovery_codes.html",
        {"codes": codes, "next": target, "factors": account_selectors.factors_of(request.user)},
    )


@never_cache
@login_required
@require_http_methods(["GET"])
def recovery_codes_download(request: HttpRequest) -> HttpResponse:
    """The codes being shown, as a text file (only while they are shown)."""
    codes = request.session.get(RECOVERY_CODES_SESSION_KEY)
    if not codes:
        raise Http404
    lines = [
        _("Recovery codes for %(user)s on %(site)s")
        % {
            "user": request.user.get_username(),
            "site": settings.MFA_ISSUER,
        },
        _("Each code works once, in place of your authenticator app or passkey."),
        "",
        *codes,
        "",
    ]
    response = HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="recovery-codes.txt"'
    return response


@login_required
@require_POST
def factor_remove(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    try:
        second_factor_remove(user=request.user, actor=request.user, kind=kind, pk=pk)  # type: ignore[arg-type]
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The factor is removed."))
    return redirect("accounts:profile")


@login_required
@require_http_methods(["GET"])
def second_factor_people(request: HttpRequest) -> HttpResponse:
    """Platform admins: every account's second factor, to reset one."""
    if not request.user.is_superuser:
        raise Http404
    query = request.GET.get("q", "").strip()[:100]
    return render(
        request,
        "accounts/second_factor_people.html",
        {
            "people": account_selectors.people_for_second_factor_admin(request.user, query),
            "q": query,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def second_factor_reset_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Platform admins: remove every factor of one person, saying why (audited, notified)."""
    account = account_selectors.account_for_second_factor_admin(request.user, pk)
    if account is None:
        raise Http404
    form = SecondFactorResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            second_factor_reset(
                user=account,
                actor=request.user,  # type: ignore[arg-type]
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            for field, message in error.field_errors.items():
                form.add_error(field, message)
            if not error.field_errors:
                form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _(
                    "The second factor of %(name)s is reset: they set it up again at their "
                    "next log-in."
                )
                % {"name": account.get_full_name() or account.email},
            )
            return redirect("accounts:second_factor_people")
    return render(
        request,
        "accounts/second_factor_reset.html",
        {
            "account": account,
            "form": form,
            "factors": account_selectors.factors_of(account),
            "required": account_selectors.second_factor_required(account),
            "resets": account_selectors.second_factor_resets_of(account),
        },
    )
