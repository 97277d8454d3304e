from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "knowledge"
    verbose_name = _("Good practices and toolkits")

    def ready(self) -> None:
        from . import signals  # noqa: F401 - registers the receivers

        # The notifications of the editorial workflow and of toolkits (notification_kinds).
        from .notification_kinds import register_kinds

        register_kinds()
