from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessibilityConfig(AppConfig):
    name = "accessibility"
    verbose_name = _("Accessibility")

    def ready(self) -> None:
        from notifications.kinds import register

        from .notification_kinds import KINDS

        register(*KINDS)
