"""Restore a backup (backup_platform) into an empty installation and check it (core.backups)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.backups import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup_platform archive into this installation, whose database (created, "
        "not migrated) and MEDIA_ROOT must be empty; then check every table's rows and every "
        "file's checksum against the backup's manifest."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="The backup (.tar.gz) to restore.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = backup_restore(options["archive"])
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored the backup of {manifest.created}: {sum(manifest.tables.values())} rows "
            f"in {len(manifest.tables)} tables and {len(manifest.files)} files, each checked. "
            "Run `manage.py migrate` if this version of the platform has newer migrations."
        )
