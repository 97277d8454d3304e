from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.errors import DomainError
from demo.scale import scale_data_load


class Command(BaseCommand):
    help = (
        "Build a large programme shaped like CITIES-GROW beside the demo (slug 'scale' by "
        "default) for benchmarks and manual checks: cities in schemes of 4 (2 mentors, 2 "
        "implementing, 2 pairs), 4 people per city, benchmarks and self-assessments, visits "
        "held and reported, action plans at every stage, timesheets, expense claims and a "
        "statement, all through the apps' services. The same seed and size make the same "
        "data; a programme with that slug is refused, never changed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--cities", type=int, default=400, help="Cities (a multiple of 4; default 400)."
        )
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument("--slug", default="scale", help="Programme slug (default 'scale').")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = scale_data_load(
                cities=options["cities"], seed=options["seed"], slug=options["slug"]
            )
        except DomainError as error:
            raise CommandError(error.message) from error
        for warning in report.warnings:
            self.stderr.write(warning)
        created = "; ".join(f"{kind}: {n}" for kind, n in sorted(report.created.items()))
        self.stdout.write(
            f"Scale programme '{options['slug']}' created in {report.seconds:.1f} s: {created}."
        )
