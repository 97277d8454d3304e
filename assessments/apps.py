from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Benchmarks and self-assessments")

    def ready(self) -> None:
        # The first screen's "Waiting for you" asks each app what waits (core.work).
        from core.work import register

        from .selectors import assessments_work

        register(assessments_work)

        # The notifications of the self-assessment workflow (assessments.notification_kinds).
        from .notification_kinds import register_kinds

        register_kinds()
