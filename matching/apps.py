from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = _("Matching")

    def ready(self) -> None:
        # The notifications of runs and their acceptance (matching.notification_kinds).
        from .notification_kinds import register_kinds

        register_kinds()
