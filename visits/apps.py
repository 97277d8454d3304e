from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    name = "visits"
    verbose_name = _("Visits and meetings")

    def ready(self) -> None:
        # A pair that a matching ends asks visits about its events (programmes.pair_ending).
        from programmes.pair_ending import register

        from .pair_ending import PROVIDER

        register(PROVIDER)

        # A leaving city officer hands their events still ahead over (programmes.handover).
        from programmes.handover import register as register_handover

        from .handover import PROVIDER as HANDOVER_PROVIDER

        register_handover(HANDOVER_PROVIDER)

        # The first screen's "Waiting for you" asks each app what waits (core.work).
        from core.work import register as register_work

        from .selectors import visits_work

        register_work(visits_work)

        # The notifications of the events' steps and reminders (visits.notification_kinds).
        from .notification_kinds import register_kinds

        register_kinds()
