from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from core.errors import DomainError
from core.roles import Role
from notifications.services import emails_withheld
from programmes.models import Person, Programme
from visits.services.demo import demo_events_load


class Command(BaseCommand):
    help = (
        "Create the demo calendar of a programme (its known meetings and a planned visit for "
        "every pair), on behalf of a coordinator; a programme with events is left alone."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--programme", default="cities-grow")
        parser.add_argument(
            "--as",
            dest="actor",
            default="",
            help="E-mail of the coordinator the events are created by (default: the first).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        programme = Programme.objects.filter(slug=options["programme"]).first()
        people = Person.objects.filter(user__isnull=False).select_related("user")
        if options["actor"]:
            people = people.filter(email=options["actor"])
        elif programme is not None:
            people = people.filter(
                memberships__programme=programme, memberships__role=Role.COORDINATOR
            ).order_by("pk")
        person = people.first()
        if programme is None or person is None or person.user is None:
            raise CommandError(
                "Load the programme with its demo accounts first (load_programme --demo-accounts)."
            )
        try:
            # Invitations notify the participants (inboxes), without e-mails about the demo.
            with transaction.atomic(), emails_withheld():
                count = demo_events_load(actor=person.user, programme=programme)
        except DomainError as error:
            raise CommandError(error.message) from error
        if count:
            self.stdout.write(f"Demo calendar loaded: {count} events.")
        else:
            self.stdout.write("The programme already has events: nothing changed.")
