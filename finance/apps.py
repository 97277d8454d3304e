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
