"""The generated content of the scale data set (demo/scale.py): names, texts and the specs of
plans, timesheets and claims in the demo year's format, all drawn from one seeded generator."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from visits.models import Event

# (country, time zone, currency, latitude, longitude) of the generated cities.
COUNTRIES = [
    ("FR", "Europe/Paris", "EUR", 46.5, 2.5),
    ("DE", "Europe/Berlin", "EUR", 51.0, 10.0),
    ("IT", "Europe/Rome", "EUR", 42.5, 12.5),
    ("ES", "Europe/Madrid", "EUR", 40.0, -3.7),
    ("NL", "Europe/Amsterdam", "EUR", 52.2, 5.3),
    ("BE", "Europe/Brussels", "EUR", 50.8, 4.4),
    ("PL", "Europe/Warsaw", "PLN", 52.0, 19.0),
    ("GB", "Europe/London", "GBP", 53.0, -1.5),
    ("SE", "Europe/Stockholm", "SEK", 59.3, 18.0),
    ("PT", "Europe/Lisbon", "EUR", 39.5, -8.0),
    ("GR", "Europe/Athens", "EUR", 38.0, 23.7),
    ("FI", "Europe/Helsinki", "EUR", 61.0, 25.0),
]
SYLLABLES = [
    "ber", "lin", "mar", "sel", "ost", "val", "dor", "ric", "nan", "tes", "gra", "nor",
    "ves", "pol", "kir", "ada", "bru", "lem", "sto", "var", "mon", "tal", "lis", "hel",
]  # fmt: skip
SUFFIXES = ["burg", "stad", "ville", "polis", "mouth", "field", "haven", "dorf", "ona", "ia"]
WORDS = [
    "integration", "employment", "migrants", "entrepreneurs", "language", "training", "housing",
    "health", "schools", "employers", "placements", "mentoring", "partnership", "council",
    "services", "outreach", "skills", "recognition", "volunteers", "networks", "procurement",
    "diversity", "guidance", "youth", "women", "newcomers", "community",
]  # fmt: skip
PROGRAMME_START, PROGRAMME_END = date(2017, 1, 1), date(2018, 12, 31)
# Visits in the window the demo's planner uses: study visits in the autumn and winter, the
# mentors' return visits in the spring.
STUDY_VISITS = (date(2017, 9, 4), date(2018, 2, 23))
MENTORING_VISITS = (date(2018, 3, 5), date(2018, 6, 22))
KEY_FACTORS_PER_THEME = 5
PLAN_TARGETS = ["draft", "in_review", "changes_requested", "submitted", "approved", "adopted"]
CLAIM_STATES = ["submitted", "checked", "approved", "reimbursed"]


def remapped(value: Any, **changes: Callable[[Any], Any]) -> Any:
    """A copy of the data with the value of every key named in `changes` changed by it."""
    if isinstance(value, dict):
        return {
            k: changes[k](v) if k in changes and v else remapped(v, **changes)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [remapped(v, **changes) for v in value]
    return value


def weekday_on_or_after(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


class SpecWriter:
    """Names, texts and specs drawn from the seeded generator, in the order they are asked."""

    def __init__(self, *, seed: int, slug: str) -> None:
        self.slug = slug
        self.rng = random.Random(seed)  # noqa: S311 - generated data, not secrets

    def email(self, key: str) -> str:
        return f"{key}@{self.slug}.demo.invalid"

    def words(self, n: int) -> str:
        return " ".join(self.rng.choice(WORDS) for _ in range(n))

    def sentence(self, n: int = 12) -> str:
        return self.words(n).capitalize() + "."

    def city_name(self, used: set[str]) -> str:
        while True:
            name = (
                "".join(self.rng.choice(SYLLABLES) for _ in range(self.rng.randint(1, 2)))
                + self.rng.choice(SUFFIXES)
            ).capitalize()
            if name not in used:
                used.add(name)
                return name

    # ------------------------------------------------------------ the steps

    def person(self, key: str, organisation: str, memberships: list[Any]) -> dict[str, Any]:
        return {
            "key": key,
            "first_name": self.rng.choice(["Ana", "Jan", "Lea", "Omar", "Ines", "Piet", "Mia"]),
            "last_name": key.replace("-", " ").title(),
            "email": self.email(key),
            "organisation": organisation,
            "job_title": "Officer (generated)",
            "languages": ["en"],
            "memberships": memberships,
        }

    def plan(self, city: dict[str, Any], scheme: dict[str, Any], index: int) -> dict[str, Any]:
        s = city["slug"]
        target = PLAN_TARGETS[index % len(PLAN_TARGETS)]
        spec: dict[str, Any] = {
            "city": s,
            "author": f"{s}-officer-1",
            "target": target,
            "publish": True,
            "title": f"{city['name']}: {self.words(4)}",
            "context": self.sentence(60),
            "vision": self.sentence(25),
            "objectives": "\n".join(f"{k}. {self.sentence(10)}" for k in (1, 2, 3)),
            "risks": [
                {
                    "description": self.sentence(8),
                    "likelihood": "medium",
                    "impact": "high",
                    "mitigation": self.sentence(10),
                }
            ],
            "actions": [
                {
                    "title": f"Action {k}: {self.words(4)}",
                    "description": self.sentence(20),
                    "lead_department": "Department of social affairs (generated)",
                    "start": "2018-09-01",
                    "end": "2019-12-31",
                    "budget_eur": f"{self.rng.randint(5, 80) * 1000}.00",
                    "staff_days": "20.0",
                    "funding_source": "municipal",
                    "key_factors": [self.rng.choice(scheme["factors"])],
                    "indicators": [
                        {"name": self.words(3), "unit": "people", "baseline": "0", "target": "100"}
                    ],
                    "progress": [
                        {"on": "2018-10-15", "state": "on_track", "percent": 20, "note": ""}
                    ],
                }
                for k in (1, 2)
            ],
            "comments": [],
            "reviewer": scheme["facilitator"],
            "approver": f"{s}-approver-admin",
            "endorser": f"{s}-approver-political",
            "changes_requested": self.sentence(15),
            "endorsement": {
                "body": f"{city['name']} City Council",
                "decided_on": "2018-10-01",
                "reference": f"Decision 2018/{index:04d} (generated)",
            },
        }
        return spec

    def timesheet(self, key: str, visit: Event, event: str, index: int) -> dict[str, Any]:
        """The month of the visit: its days, booked to the event, and a day of planning."""
        zone = ZoneInfo(visit.timezone)
        first = visit.starts_at.astimezone(zone).date()
        days = [first + timedelta(days=k) for k in range(3)]
        entries = [
            {"day": d.isoformat(), "activity": "visit", "event": event, "hours": "7.5"}
            for d in days
            if d.month == first.month
        ]
        other = first.replace(day=1) if first.day > 5 else first.replace(day=28)
        entries.append({"day": other.isoformat(), "activity": "action_planning", "hours": "4"})
        return {
            "person": key,
            "month": first.strftime("%Y-%m"),
            "status": ["draft", "signed", "approved", "approved"][index % 4],
            "entries": entries,
        }

    def claim(
        self, key: str, city: dict[str, Any], visit: Event, event: str, index: int
    ) -> dict[str, Any]:
        status = CLAIM_STATES[index % len(CLAIM_STATES)]
        paid = visit.ends_at.date() + timedelta(days=30)
        return {
            "traveller": key,
            "event": event,
            "purpose": f"{visit.title} ({city['slug']})",
            "lines": [
                {
                    "on": "start",
                    "offset": -1,
                    "kind": "travel",
                    "supplier": f"Airline (generated {index})",
                    "amount": f"{self.rng.randint(120, 480)}.{self.rng.randint(0, 99):02d}",
                    "currency": "EUR",
                },
                {
                    "on": "end",
                    "offset": 0,
                    "kind": "accommodation",
                    "supplier": f"Hotel (generated {index})",
                    "amount": f"{self.rng.randint(200, 390)}.00",
                    "currency": "EUR",
                },
            ],
            "status": status,
            "paid_on": paid.isoformat(),
            "reference": f"SC-{index:05d} (generated)",
        }
