from typing import Any

from django.core.management.base import BaseCommand

from action_plans.services.reminders import check_in_reminders_send


class Command(BaseCommand):
    help = "E-mail the reminders of the action plans' follow-up check-ins (run it daily)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = check_in_reminders_send()
        self.stdout.write(f"Check-in reminders sent: {sent}.")
