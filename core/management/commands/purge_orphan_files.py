"""Delete the stored files that no record names (the queue's worker does it daily)."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from core.uploads import orphan_files_purge


class Command(BaseCommand):
    help = (
        "Delete the files of the upload folders that no record names, older than the grace "
        "period (UPLOAD_ORPHAN_GRACE_HOURS)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--grace-hours",
            type=int,
            default=settings.UPLOAD_ORPHAN_GRACE_HOURS,
            help="Keep files younger than this (an upload in progress).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be deleted, delete nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = orphan_files_purge(
            grace=timedelta(hours=options["grace_hours"]), dry_run=options["dry_run"]
        )
        verb = "Would delete" if options["dry_run"] else "Deleted"
        for name in report.deleted:
            self.stdout.write(f"{verb} {name}")
        self.stdout.write(
            f"{verb} {len(report.deleted)} files; kept {report.referenced} named by a record "
            f"and {len(report.too_recent)} too recent."
        )
