from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "programmes"
    verbose_name = _("Programmes")

    def ready(self) -> None:
        # The notifications of a city's team proposals and of handovers (notification_kinds).
        from .notification_kinds import register_kinds

        register_kinds()
