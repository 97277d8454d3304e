"""Import good practices from a CSV or JSON file (format: docs/practices-format.md)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from knowledge.services.exchange import practices_import


class Command(BaseCommand):
    help = (
        "Import good practices from a CSV or JSON file. Every row is checked first: if one is "
        "wrong, nothing is written and every problem is listed with its row number."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--format", choices=["csv", "json"], help="By default, the file's extension."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and write nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        file_format = options["format"] or path.suffix.lstrip(".").lower()
        if file_format not in ("csv", "json"):
            raise CommandError("Give --format csv or --format json.")
        try:
            content = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as error:
            raise CommandError(f"The file is not UTF-8 text: {error}") from error
        result = practices_import(
            actor=None, content=content, file_format=file_format, dry_run=options["dry_run"]
        )
        if not result.ok:
            for problem in result.errors:
                self.stderr.write(str(problem))
            raise CommandError(f"{len(result.errors)} problem(s): nothing was imported.")
        if options["dry_run"]:
            self.stdout.write("The file is valid: nothing was written (dry run).")
            return
        if not (result.created or result.updated):
            self.stdout.write(f"Practices already up to date ({result.unchanged} unchanged).")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported: {result.created} new, {result.updated} updated, "
                f"{result.unchanged} unchanged."
            )
        )
