from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "finance"
    verbose_name = _("Grant finance")

    def ready(self) -> None:
        # The first screen's "Waiting for you" asks each app what waits (core.work).
        from core.work import register

        from .selectors import finance_work

        register(finance_work)

        # The notifications of the finance steps and reminders (finance.notification_kinds).
        from .notification_kinds import register_kinds

        register_kinds()

        # A new programme period may not leave recorded months or statements outside it.
        from programmes.services.settings import period_check_register

        from .services.settings import period_problems

        period_check_register(period_problems)
