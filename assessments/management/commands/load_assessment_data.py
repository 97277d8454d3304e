from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from assessments.services.loading import DEFAULT_FILE, assessment_data_load_file
from core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Load benchmarks (and demo theme wishes and self-assessments) from a data file; "
        "running it twice changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file",
            nargs="?",
            default=str(DEFAULT_FILE),
            help="Assessment data file (default: the CITIES-GROW benchmarks and demo data).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = assessment_data_load_file(Path(options["file"]))
        except DomainError as error:
            raise CommandError(error.message) from error
        if report.changed_anything:
            created = ", ".join(f"{n} {kind}" for kind, n in sorted(report.created.items()))
            self.stdout.write(f"Assessment data loaded: created {created}.")
        else:
            self.stdout.write("Assessment data is already up to date: nothing changed.")
        for label in report.differs:
            self.stderr.write(
                f"Benchmark {label} is published and frozen; the file differs from it. "
                "Give the changed benchmark a new version number to load it."
            )
