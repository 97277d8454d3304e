from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        # Every way in (the log-in page, an invitation, the admin, a test's force_login) goes
        # through django.contrib.auth.login: the session records its log-in moment there.
        user_logged_in.connect(_stamp_session, dispatch_uid="accounts.session_start")

        # The notification of a second factor reset (accounts.notification_kinds).
        from .notification_kinds import register_kinds

        register_kinds()


def _stamp_session(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    from django.utils import timezone

    from .sessions import session_start

    if request is not None and hasattr(request, "session"):
        session_start(request.session, timezone.now())
