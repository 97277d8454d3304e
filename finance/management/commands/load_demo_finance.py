from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.errors import DomainError
from core.roles import Role
from finance.services.demo import demo_finance_load
from programmes.models import Person, Programme


class Command(BaseCommand):
    help = (
        "Record the demo budget lines and exchange rates of a programme on behalf of its "
        "finance officer; what is already recorded is left alone."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--programme", default="cities-grow")

    def handle(self, *args: Any, **options: Any) -> None:
        programme = Programme.objects.filter(slug=options["programme"]).first()
        person = (
            Person.objects.filter(
                user__isnull=False,
                memberships__programme=programme,
                memberships__role=Role.FINANCE_OFFICER,
            )
            .select_related("user")
            .order_by("pk")
            .first()
        )
        if programme is None or person is None:
            raise CommandError(
                "Load the programme with its demo accounts first (load_programme --demo-accounts)."
            )
        try:
            lines, rates = demo_finance_load(person.user, programme)
        except DomainError as error:
            raise CommandError(error.message) from error
        self.stdout.write(f"Demo finance: {lines} budget lines and {rates} exchange rates added.")
