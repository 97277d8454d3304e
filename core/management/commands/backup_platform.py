"""Back up the database and the private files into one archive (core.backups)."""

import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.backups import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Write a consistent backup of the database and the private files (MEDIA_ROOT) to one "
        ".tar.gz, with a manifest of every table's rows and every file's checksum."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            help="The archive to write (default: platform-backup-<UTC time>.tar.gz here).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
        output = options["output"] or Path(f"platform-backup-{stamp}.tar.gz")
        try:
            manifest = backup_create(output)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Backed up {sum(manifest.tables.values())} rows in {len(manifest.tables)} tables "
            f"({manifest.engine}) and {len(manifest.files)} files to {output}"
        )
