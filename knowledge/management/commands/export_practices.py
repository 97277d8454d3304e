"""Export good practices to a CSV or JSON file that import_practices reads back unchanged."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from knowledge.choices import PracticeState
from knowledge.services.exchange import practices_export, practices_for_export


class Command(BaseCommand):
    help = "Export good practices (all of them, or those in one state) to CSV or JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="Where to write; - for standard output.")
        parser.add_argument("--format", choices=["csv", "json"])
        parser.add_argument("--state", choices=PracticeState.values)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        file_format = options["format"] or path.suffix.lstrip(".").lower()
        if file_format not in ("csv", "json"):
            raise CommandError("Give --format csv or --format json.")
        practices = practices_for_export(options["state"])
        text = practices_export(practices, file_format)
        if str(path) == "-":
            self.stdout.write(text, ending="")
            return
        path.write_text(text, encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"Exported {len(practices)} practices to {path}."))
