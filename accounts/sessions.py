"""What a signed-in session records about itself, and when it must end.

A session stores the moment it logged in (set by `session_start` on every log-in) and the
moment of its person's last activity, written at most once a minute so that requests do not
each write the session. It ends when:

- it has been idle longer than SESSION_IDLE_TIMEOUT_MINUTES (0: never);
- it has lived longer than SESSION_COOKIE_AGE since log-in (the absolute limit: Django's own
  expiry date moves with each write of the session, so it is checked here from the log-in);
- its person (or a platform admin) signed out everywhere after it logged in;
- it has no log-in moment (begun before this check existed): it is treated as expired.

Requests a page makes by itself (polling, reloading while it waits) are passive: they are
checked but never count as activity, so a page left open does not keep its session alive.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest

if TYPE_CHECKING:
    from .models import User

LOGIN_AT = "accounts_login_at"
ACTIVE_AT = "accounts_active_at"
# Activity is recorded at most this often: an idle sign-out may come this much early.
ACTIVITY_RESOLUTION_SECONDS = 60
# A page that reloads itself while it waits adds this to its address (static/js).
AUTO_REFRESH_PARAM = "auto-refresh"


class EndReason(StrEnum):
    IDLE = "idle"
    EXPIRED = "expired"
    ENDED = "ended"


def session_start(session: SessionBase, now: datetime) -> None:
    """Stamp a session that has just logged in."""
    session[LOGIN_AT] = now.timestamp()
    session[ACTIVE_AT] = int(now.timestamp())


def session_end_reason(session: SessionBase, user: User, now: datetime) -> EndReason | None:
    """Why this signed-in session must end now, or None while it is still valid."""
    login_at = session.get(LOGIN_AT)
    if not isinstance(login_at, int | float):
        return EndReason.EXPIRED
    if user.sessions_valid_after is not None and login_at < user.sessions_valid_after.timestamp():
        return EndReason.ENDED
    moment = now.timestamp()
    if moment - login_at > settings.SESSION_COOKIE_AGE:
        return EndReason.EXPIRED
    idle_limit = settings.SESSION_IDLE_TIMEOUT_MINUTES * 60
    active_at = session.get(ACTIVE_AT, login_at)
    if idle_limit and moment - active_at > idle_limit:
        return EndReason.IDLE
    return None


def session_touch(session: SessionBase, now: datetime) -> None:
    """Record activity, unless it was recorded less than a minute ago (no write per request)."""
    moment = int(now.timestamp())
    if moment - session.get(ACTIVE_AT, 0) >= ACTIVITY_RESOLUTION_SECONDS:
        session[ACTIVE_AT] = moment


def request_is_passive(request: HttpRequest) -> bool:
    """A request the page made by itself: a URL that is only ever polled
    (SESSION_PASSIVE_URL_NAMES), or a page reloading itself while it waits."""
    if request.method not in ("GET", "HEAD"):
        return False
    match = request.resolver_match
    if match is not None and match.view_name in settings.SESSION_PASSIVE_URL_NAMES:
        return True
    return request.GET.get(AUTO_REFRESH_PARAM) == "1"
