"""Load the toolkit themes and the illustrative corpus of good practices (idempotent)."""

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from knowledge.services.exchange import CORPUS_FILE


class Command(BaseCommand):
    help = "Load the eleven toolkit themes and the illustrative good-practice corpus."

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("import_practices", str(CORPUS_FILE), stdout=self.stdout, stderr=self.stderr)
