from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.errors import DomainError
from programmes.services import programme_load_file
from programmes.services.loading import DATA_DIR


class Command(BaseCommand):
    help = "Load or update a programme from its data file; running it twice changes nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file",
            nargs="?",
            default=str(DATA_DIR / "cities-grow.json"),
            help="Programme data file (default: the CITIES-GROW file shipped with the platform).",
        )
        parser.add_argument(
            "--demo-accounts",
            action="store_true",
            help="Create log-ins for the people in the file, with the shared demo password.",
        )
        parser.add_argument(
            "--quiet-accounts", action="store_true", help="Do not print the demo log-ins."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = programme_load_file(
                Path(options["file"]), with_demo_accounts=options["demo_accounts"]
            )
        except DomainError as error:
            raise CommandError(error.message) from error
        programme = report.programme
        if report.changed_anything:
            created = ", ".join(f"{n} {name}" for name, n in sorted(report.created.items()))
            updated = ", ".join(f"{n} {name}" for name, n in sorted(report.updated.items()))
            self.stdout.write(
                f"Loaded {programme}: created {created or 'nothing'}; "
                f"updated {updated or 'nothing'}."
            )
        else:
            self.stdout.write(f"{programme} is already up to date: nothing changed.")
        if options["demo_accounts"] and not options["quiet_accounts"]:
            self.stdout.write("")
            self.stdout.write(f"Demo log-ins (password for all: {settings.DEMO_PASSWORD}):")
            width = max(len(email) for email, _, _ in report.accounts)
            for email, name, roles in report.accounts:
                self.stdout.write(f"  {email.ljust(width)}  {name}: {roles}")
