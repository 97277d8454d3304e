from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionPlansConfig(AppConfig):
    name = "action_plans"
    verbose_name = _("Local action plans")

    def ready(self) -> None:
        # The first screen's "Waiting for you" asks each app what waits (core.work).
        from core.work import register

        from .selectors import plans_work

        register(plans_work)

        # The notifications of the plan's workflow and reminders (action_plans.notification_kinds).
        from .notification_kinds import register_kinds

        register_kinds()
