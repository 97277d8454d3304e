"""Signs out a session that was idle too long, outlived its absolute age, or was ended
everywhere; records its person's activity (accounts.sessions holds the rules). Holds a session
that has not given its second factor to the pages that ask for it."""

from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, resolve_url
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .selectors import SessionState, session_state
from .sessions import (
    AUTO_REFRESH_PARAM,
    EndReason,
    request_is_passive,
    session_end_reason,
    session_touch,
)


class SessionTimeoutMiddleware:
    """After the authentication and message middleware. A session that must end is signed out:
    a page is sent to the log-in page with a message and `next` back to where the person was;
    a polled or API request gets a 401 in the API's error format. Any other signed-in request
    counts as activity, except passive ones (polling, self-reloading pages)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        # Checked here rather than in __call__: the URL's name (polling or not) is known now.
        user = request.user
        if not user.is_authenticated:
            return None
        now = timezone.now()
        passive = request_is_passive(request)
        reason = session_end_reason(request.session, user, now)
        if reason is None:
            if not passive:
                session_touch(request.session, now)
            return None
        logout(request)
        message = _end_message(reason)
        messages.warning(request, message)
        if _is_polled_or_api(request):
            return JsonResponse({"error": {"message": message, "fields": {}}}, status=401)
        return redirect_to_login(_back_to(request), resolve_url(settings.LOGIN_URL))


def _end_message(reason: EndReason) -> str:
    if reason is EndReason.IDLE:
        minutes = settings.SESSION_IDLE_TIMEOUT_MINUTES
        return ngettext(
            "You were signed out after %(minutes)d minute without activity. Please log in again.",
            "You were signed out after %(minutes)d minutes without activity. Please log in again.",
            minutes,
        ) % {"minutes": minutes}
    if reason is EndReason.ENDED:
        return _("You were signed out on every device. Please log in again.")
    return _("Your session has expired. Please log in again.")


def _is_polled_or_api(request: HttpRequest) -> bool:
    """A request that a script reads (not a page shown): it gets JSON, not a redirect."""
    match = request.resolver_match
    return match is not None and (
        match.view_name in settings.SESSION_PASSIVE_URL_NAMES or "api" in match.namespaces
    )


def _back_to(request: HttpRequest) -> str:
    """Where to go after logging in again: the page asked for; for a form sent (its data is not
    kept), the page it was sent from; never the log-in or log-out page itself."""
    if request.method in ("GET", "HEAD"):
        target = request.get_full_path()
    else:
        referer = request.headers.get("referer", "")
        safe = url_has_allowed_host_and_scheme(
            referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        target = referer if safe else ""
    parts = urlsplit(target)
    query = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != AUTO_REFRESH_PARAM
    ]
    if not parts.path or parts.path in (
        resolve_url(settings.LOGIN_URL),
        resolve_url("accounts:logout"),
    ):
        return resolve_url(settings.LOGIN_REDIRECT_URL)
    return parts.path + (f"?{urlencode(query)}" if query else "")


class SecondFactorMiddleware:
    """After the session timeout. A signed-in session whose second factor is not verified yet
    reaches only the pages that verify or enrol one, the passkey ceremonies and log-out: a
    person with a factor is sent to give it, one whose role requires a factor and who has none
    to enrol one (with `next` back to the page asked for); a request of the API or a page's
    script gets a 403 in the API's error format. People without a factor whose roles do not
    require one go on. Every URL is covered here, not view by view."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated or _reachable_unverified(request):
            return None
        state = session_state(user)
        if state in (SessionState.VERIFIED, SessionState.OPTIONAL):
            return None
        if _is_polled_or_api(request):
            message = _("Give your second factor first: log in again on the platform's pages.")
            return JsonResponse({"error": {"message": message, "fields": {}}}, status=403)
        target = "accounts:second_factor" if state is SessionState.VERIFY else "accounts:enrol"
        return redirect(f"{resolve_url(target)}?{urlencode({'next': _back_to(request)})}")


# What an unverified session may open: giving or enrolling the factor, the passkey ceremonies
# (django-otp-webauthn's namespace), log-out, the language switch and CSP reports.
SECOND_FACTOR_OPEN_URL_NAMES = frozenset(
    {
        "accounts:second_factor",
        "accounts:enrol",
        "accounts:logout",
        "set_language",
        "portal:csp_report",
    }
)


def _reachable_unverified(request: HttpRequest) -> bool:
    match = request.resolver_match
    if match is None:
        return False
    return match.view_name in SECOND_FACTOR_OPEN_URL_NAMES or "otp_webauthn" in match.namespaces
