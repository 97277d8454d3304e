from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "privacy"
    verbose_name = _("Personal data")

    def ready(self) -> None:
        # The notification of a request waiting for a second coordinator's confirmation.
        from .notification_kinds import register_kinds

        register_kinds()
