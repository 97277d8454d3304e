"""Aggregates that give the same answer on SQLite and PostgreSQL."""

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Sum


class ExactSum(Sum):
    """The sum of a decimal column, to that column's decimal places on every database.

    SQLite returns an aggregate of decimals as a 15-digit number (144.370000000000), not as
    the column's two places; the sum is quantized back, half up, as PostgreSQL gives it.
    """

    def get_db_converters(self, connection: Any) -> list[Any]:
        return [*super().get_db_converters(connection), self._to_places]

    def _to_places(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None:
            return None
        places = Decimal(1).scaleb(-(getattr(self.output_field, "decimal_places", 0) or 0))
        return Decimal(value).quantize(places, rounding=ROUND_HALF_UP)
