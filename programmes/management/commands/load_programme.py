from base64 import b32encode
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.services import demo_authenticator_enrol
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
        if options["demo_accounts"]:
            # People whose role requires a second factor share the demo's authenticator key.
            for user in get_user_model().objects.filter(
                username__in=[email for email, _, _ in report.accounts]
            ):
                demo_authenticator_enrol(user=user, key=settings.DEMO_TOTP_KEY)
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
            key = b32encode(bytes.fromhex(settings.DEMO_TOTP_KEY)).decode()
            self.stdout.write(
                "Coordinators, finance officers, auditors and platform admins also give a second "
                f"factor: add the key {key} (time-based, 6 digits, 30 s) to an authenticator "
                "app once; its codes work for each of them."
            )
