from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.errors import DomainError
from demo.loading import DEFAULT_FILE, demo_year_load


class Command(BaseCommand):
    help = (
        "Bring the demo programme forward to month 18 (mid-2018): an accepted matching, visits "
        "held and reported, action plans at every stage, toolkits, timesheets, claims and an "
        "interim statement, each made through the apps' services by the demo person who would "
        "do it. Run after the other demo loaders; running it twice changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file",
            nargs="?",
            default=str(DEFAULT_FILE),
            help="Demo year file (default: demo/data/year.json).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = demo_year_load(Path(options["file"]))
        except DomainError as error:
            raise CommandError(error.message) from error
        for warning in report.warnings:
            self.stderr.write(warning)
        if report.changed_anything:
            created = "; ".join(f"{kind}: {n}" for kind, n in sorted(report.created.items()))
            self.stdout.write(f"Demo year (mid-2018) loaded: {created}.")
        else:
            self.stdout.write("The demo year is already up to date: nothing changed.")
