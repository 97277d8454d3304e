from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from privacy.services import person_export_write
from programmes.models import Person


class Command(BaseCommand):
    help = (
        "Write everything the platform holds about a person (or an account without one) into a "
        "ZIP of JSON files with their receipts: the archive of a subject access request."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="The person's (or the account's) e-mail address.")
        parser.add_argument("output", help="The ZIP file to write (refused if it exists).")

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["email"].strip()
        person = Person.objects.select_related("user").filter(email__iexact=email).first()
        user = (
            person.user
            if person is not None
            else get_user_model().objects.filter(email__iexact=email).first()
        )
        if person is None and user is None:
            raise CommandError(f"Nobody has the e-mail address {email}.")
        output = Path(options["output"])
        if output.exists():
            raise CommandError(f"{output} exists already.")
        with output.open("xb") as out:
            counts = person_export_write(person=person, user=user, out=out)
        records = sum(counts.values())
        self.stdout.write(f"Wrote {records} records in {len(counts)} files to {output}.")
