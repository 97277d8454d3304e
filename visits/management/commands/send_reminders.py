from typing import Any

from django.core.management.base import BaseCommand

from visits.services.reminders import reminders_send


class Command(BaseCommand):
    help = "Send the due event reminders and overdue-report reminders (run it daily, e.g. by cron)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = reminders_send()
        self.stdout.write(
            f"Reminders sent: {sent.before} before events, {sent.overdue} for overdue reports."
        )
