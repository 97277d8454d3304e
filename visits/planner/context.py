"""What every check shares: indexes, holidays, unavailable dates and the wording of messages."""

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from functools import cache, lru_cache
from typing import Any

import holidays
from babel import Locale

from .types import _MONTHS, _NUMBERS, STUDY, City, Pair, Rules, Visit, _pair_index

# --- wording ---------------------------------------------------------------------------------


def _day(d: date) -> str:
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


def _span(start: date, end: date) -> str:
    if start == end:
        return _day(start)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day} to {_day(end)}"
    return f"{_day(start)} to {_day(end)}"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _number(n: int) -> str:
    return _NUMBERS[n] if 0 <= n < len(_NUMBERS) else str(n)


@cache
def _country_name(code: str) -> str:
    name = Locale("en").territories.get(code.upper())
    return str(name) if name else code


class _Ctx:
    """Pairs, cities and names indexed once, with the wording shared by all messages."""

    def __init__(
        self,
        pairs: Iterable[Pair],
        cities: Iterable[City],
        rules: Rules,
        names: Mapping[str, str],
    ) -> None:
        self.pairs = _pair_index(pairs)
        self.cities = {c.id: c for c in cities}
        self.rules, self.names = rules, names
        for pair in self.pairs.values():
            for city in (pair.mentor, pair.implementer):
                if city not in self.cities:
                    raise ValueError(f"Pair {pair.id} names an unknown city {city!r}.")

    def city(self, city_id: str) -> str:
        return self.cities[city_id].name

    def host(self, pair_id: str, kind: str) -> str:
        pair = self.pairs[pair_id]
        return pair.mentor if kind == STUDY else pair.implementer

    def traveller(self, pair_id: str, kind: str) -> str:
        pair = self.pairs[pair_id]
        return pair.implementer if kind == STUDY else pair.mentor

    def visit(self, pair_id: str, kind: str, start: date | None = None, end: date | None = None):
        text = (
            f"the {kind} visit of {self.city(self.traveller(pair_id, kind))} "
            f"to {self.city(self.host(pair_id, kind))}"
        )
        return f"{text} ({_span(start, end)})" if start and end else text

    def pair(self, pair_id: str) -> str:
        pair = self.pairs[pair_id]
        theme = f", theme {pair.theme}" if pair.theme else ""
        return (
            f"the pair {self.city(pair.mentor)} (mentor) and "
            f"{self.city(pair.implementer)} (implementing{theme})"
        )

    def person(self, person_id: str) -> str:
        return self.names.get(person_id, person_id)


def _visit_params(v: Visit) -> dict[str, Any]:
    return {"pair": v.pair, "kind": v.kind, "start": str(v.start), "end": str(v.end)}


@lru_cache(maxsize=64)
def _holidays(country: str, subdivision: str) -> holidays.HolidayBase:
    """The country's holidays in English where the library has it; years load on demand."""
    try:
        base = holidays.country_holidays(country, subdiv=subdivision or None)
        language = "en_US" if "en_US" in base.supported_languages else None
        return holidays.country_holidays(country, subdiv=subdivision or None, language=language)
    except NotImplementedError as error:
        raise ValueError(f"No public holidays are known for country {country!r}.") from error


def _holiday(city: City, d: date) -> str | None:
    return _holidays(city.country.upper(), city.subdivision).get(d)


def _unavailable(city: City, d: date) -> tuple[date, date] | None:
    return next(((a, b) for a, b in city.unavailable if a <= d <= b), None)


def _days(start: date, end: date) -> list[date]:
    return [start + timedelta(n) for n in range((end - start).days + 1)]
