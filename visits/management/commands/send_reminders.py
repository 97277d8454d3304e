from typing import Any

from django.core.management.base import BaseCommand

from visits.services.reminders import reminders_send


class Command(BaseCommand):
    help = (
        "Raise the due event reminders and overdue-report reminders now, as notifications, each "
        "once. No cron is needed: the queue's worker (run_huey) raises them daily."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        raised = reminders_send()
        self.stdout.write(
            f"Reminders raised: {raised.before} before events, "
            f"{raised.overdue} for overdue reports."
        )
