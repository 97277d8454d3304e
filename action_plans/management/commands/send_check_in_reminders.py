from typing import Any

from django.core.management.base import BaseCommand

from action_plans.services.reminders import check_in_reminders_send


class Command(BaseCommand):
    help = (
        "Raise the notifications of the action plans' follow-up check-ins now due (the queue's "
        "worker does it daily; this runs the same by hand)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = check_in_reminders_send()
        self.stdout.write(f"Check-ins reminded: {sent}.")
