from typing import Any

from django.core.management.base import BaseCommand

from conference.services.retention import expired_conferences_erase


class Command(BaseCommand):
    help = (
        "Erase the delegates' personal data of the conferences whose retention period is over "
        "(the queue's worker does it daily; this runs the same by hand)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        results = expired_conferences_erase()
        for result in results:
            self.stdout.write(
                f"{result.conference.slug}: {result.registrations} registrations erased, "
                f"{result.history_rows} earlier versions and {result.emails} e-mails deleted."
            )
        self.stdout.write(f"Conferences erased: {len(results)}.")
