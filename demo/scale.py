"""A scale data set: a programme shaped like CITIES-GROW but of any size (400 cities by default),
beside the demo, for the page benchmark (benchmarks/pages_benchmark.py) and manual checks.

Every record is made through the owning app's services, as the demo year is: the programme, its
cities, themes, schemes, pairs, people and memberships through the programme loader; benchmarks,
wishes and baseline self-assessments through the assessment loader; the calendar, delegations,
attendance and visit reports, the mid-term self-assessments, action plans at every stage of the
endorsement workflow, the budget, staff-cost rates, timesheets, expense claims up to payment and
an interim statement through the services, acting as the person who would take each step (the
demo year's loader, demo.loading._YearLoader, runs the steps it shares with the demo).

The content is generated from a seed: two runs with the same seed and size make the same records
(names, dates, amounts, states). A programme whose slug exists is refused, never changed.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.translation import gettext as _

from assessments.services.loading import assessment_data_load
from core.errors import DomainError
from finance.models import BudgetLine
from finance.services.budget import budget_line_create
from finance.services.demo import DEMO_FILE as FINANCE_DEMO_FILE
from finance.services.rates import exchange_rate_save
from notifications.services import emails_withheld
from programmes.models import MentoringPair, MentoringScheme, Person, Programme, ProgrammePartner
from programmes.services.loading import programme_load
from visits.choices import EventFormat
from visits.models import Event
from visits.services.attendance import delegation_invite
from visits.services.events import EventInput, event_create

from .loading import PROGRAMME_FILE, _YearLoader
from .scale_specs import (
    COUNTRIES,
    KEY_FACTORS_PER_THEME,
    MENTORING_VISITS,
    PROGRAMME_END,
    PROGRAMME_START,
    STUDY_VISITS,
    SpecWriter,
    remapped,
    weekday_on_or_after,
)


@dataclass
class ScaleReport:
    programme: Programme | None = None
    created: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)


class _ScaleBuilder(SpecWriter):
    def __init__(self, *, cities: int, seed: int, slug: str) -> None:
        self.n_cities = cities
        self.n_schemes = cities // 4
        super().__init__(seed=seed, slug=slug)
        self.report = ScaleReport()
        self.factor = Decimal(cities) / Decimal(16)  # the size against CITIES-GROW's
        self.template = json.loads(PROGRAMME_FILE.read_text(encoding="utf-8"))
        self.cities: list[dict[str, Any]] = []
        self.schemes: list[dict[str, Any]] = []  # theme code, mentors, implementing, facilitator
        self.emails: dict[str, str] = {}  # person key: e-mail, as the demo year's loader wants

    def run(self) -> ScaleReport:
        self.programme()
        self.accounts()
        self.assessments()
        self.finance_books()
        self.calendar()
        assert self.report.programme is not None  # noqa: S101 - set by programme()
        loader = _YearLoader(self.report.programme, self.year(), self.emails)
        loader.events()
        loader.assessments()
        loader.plans()
        loader.finance()
        self.report.created.update(loader.report.created)
        self.report.warnings += loader.report.warnings
        return self.report

    def programme(self) -> None:
        """The programme file (format programme-data), loaded by the programme loader."""
        template = self.template
        network, audit = f"{self.slug}-network", f"{self.slug}-audit"
        experts = [f"{self.slug}-expert-{k + 1}" for k in range(max(1, self.n_schemes // 10))]
        organisations = [
            {"slug": network, "name": "Scale network", "kind": "coordinator", "country": "BE"},
            {"slug": audit, "name": "Scale audit", "kind": "other", "country": "BE"},
        ] + [
            {
                "slug": e,
                "name": f"Expert partner {k + 1}",
                "kind": "expert_partner",
                "country": "NL",
            }
            for k, e in enumerate(experts)
        ]
        used: set[str] = set()
        for index in range(self.n_cities):
            country, zone, currency, lat, lon = self.rng.choice(COUNTRIES)
            self.cities.append(
                {
                    "slug": f"{self.slug}-{index + 1:03d}",
                    "name": self.city_name(used),
                    "country": country,
                    "currency": currency,
                    "population": self.rng.randint(80_000, 2_000_000),
                    "timezone": zone,
                    "latitude": round(lat + self.rng.uniform(-2, 2), 2),
                    "longitude": round(lon + self.rng.uniform(-2, 2), 2),
                    "charter_signatory": self.rng.random() < 0.5,
                    "charter_illustrative": True,
                }
            )
        commitments = [
            c["code"]
            for role in template["reference"]["charter_roles"]
            for c in role["commitments"]
        ]
        themes, schemes, pairs = [], [], []
        people: list[dict[str, Any]] = [
            self.person(f"coordinator-{k}", network, [{"role": "coordinator"}]) for k in (1, 2)
        ] + [self.person(f"finance-{k}", network, [{"role": "finance_officer"}]) for k in (1, 2)]
        people.append(self.person("auditor-1", audit, [{"role": "auditor"}]))
        for number in range(self.n_schemes):
            code = f"S{number + 1:03d}"
            members = self.cities[4 * number : 4 * number + 4]
            themes.append(
                {
                    "code": code,
                    "title": f"Theme {code}: {self.words(5)}",
                    "short_title": f"{code} {self.words(2)}",
                    "facilitator": experts[number % len(experts)],
                    "european_module": 1 + number % 4,
                    "commitments": self.rng.sample(commitments, 3),
                }
            )
            roles = ["mentor", "mentor", "implementing", "implementing"]
            schemes.append(
                {
                    "theme": code,
                    "members": [
                        {"city": c["slug"], "role": r, "illustrative": True}
                        for c, r in zip(members, roles, strict=True)
                    ],
                }
            )
            for mentor, implementing in ((members[0], members[2]), (members[1], members[3])):
                pairs.append(
                    {
                        "theme": code,
                        "mentor": mentor["slug"],
                        "implementing": implementing["slug"],
                        "illustrative": True,
                    }
                )
            facilitator = f"facilitator-{code.lower()}"
            people.append(
                self.person(
                    facilitator,
                    experts[number % len(experts)],
                    [{"role": "facilitator", "theme": code}],
                )
            )
            self.schemes.append(
                {
                    "code": code,
                    "mentors": members[:2],
                    "implementing": members[2:],
                    "facilitator": facilitator,
                }
            )
        for city in self.cities:
            s = city["slug"]
            for key, membership in (
                ("officer-1", {"role": "city_officer"}),
                ("officer-2", {"role": "city_officer"}),
                ("approver-admin", {"role": "city_approver", "approval_level": "administrative"}),
                ("approver-political", {"role": "city_approver", "approval_level": "political"}),
            ):
                people.append(self.person(f"{s}-{key}", s, [{**membership, "city": s}]))
        total = (Decimal(template["programme"]["total_budget"]) * self.factor).quantize(
            Decimal("0.01")
        )
        data = {
            "format": "programme-data",
            "format_version": 1,
            "reference": template["reference"],
            "programme": {
                **template["programme"],
                "slug": self.slug,
                "name": f"SCALE-{self.n_cities}",
                "full_title": f"Scale data set: {self.n_cities} cities (generated)",
                "description": "Generated for benchmarks and manual checks; not a real programme.",
                "grant_reference": f"SCALE-{self.slug}-ILLUSTRATIVE",
                "grant_reference_illustrative": True,
                "start": PROGRAMME_START.isoformat(),
                "end": PROGRAMME_END.isoformat(),
                "total_budget": str(total),
            },
            "organisations": organisations,
            "cities": self.cities,
            "themes": themes,
            "schemes": schemes,
            "pairs": pairs,
            "people": people,
            # The demo's work plan, led by the network, its themes' deliverables on the first
            # schemes' themes.
            "work_plan": remapped(
                template["work_plan"],
                lead=lambda _old: network,
                theme=lambda old: f"S{(ord(old) - ord('A')) % self.n_schemes + 1:03d}",
            ),
        }
        self.emails = {p["key"]: p["email"] for p in people}
        loaded = programme_load(data, with_demo_accounts=False)
        self.report.programme = loaded.programme
        self.report.created["cities"] = self.n_cities
        self.report.created["mentoring schemes"] = self.n_schemes
        self.report.created["mentoring pairs"] = len(pairs)
        self.report.created["people"] = len(people)

    def accounts(self) -> None:
        """A log-in for every person, with the demo password. The loader hashes the password
        once per account (about 0.3 s with Argon2); here it is hashed once for all of them
        (the same demo password for every account, as in the demo), which is the only
        difference from load_programme --demo-accounts."""
        if not settings.ALLOW_DEMO_ACCOUNTS:
            raise DomainError(_("Demo accounts are disabled on this installation."))
        password = make_password(settings.DEMO_PASSWORD)
        user_model = get_user_model()
        people = Person.objects.filter(email__in=self.emails.values(), user__isnull=True)
        for person in people.order_by("pk"):
            user = user_model(
                username=person.email,
                email=person.email,
                first_name=person.first_name,
                last_name=person.last_name,
                password=password,
            )
            user.save()
            person.user = user
            person.save()
        self.report.created["accounts"] = len(self.emails)

    def assessments(self) -> None:
        """Benchmarks of every theme, the cities' wishes and their accepted baseline
        self-assessments (format assessment-data), loaded by the assessment loader."""
        benchmarks, wishes, assessments = [], [], []
        for scheme in self.schemes:
            code = scheme["code"]
            factors = [f"{code.lower()}k{k + 1}" for k in range(KEY_FACTORS_PER_THEME)]
            scheme["factors"] = factors
            benchmarks.append(
                {
                    "theme": code,
                    "version": 1,
                    "illustrative": True,
                    "title": f"Benchmark {code}",
                    "introduction": self.sentence(30),
                    "key_factors": [
                        {
                            "code": f,
                            "title": self.sentence(8),
                            "why_and_how": self.sentence(60),
                            "questions": [self.sentence(12)[:-1] + "?" for _ in range(3)],
                        }
                        for f in factors
                    ],
                    "additional_factors": [{"title": self.sentence(5), "description": ""}],
                }
            )
            for city in scheme["mentors"] + scheme["implementing"]:
                mentor = city in scheme["mentors"]
                wishes.append(
                    {
                        "city": city["slug"],
                        "mentor": [code] if mentor else [],
                        "implement": [] if mentor else [code],
                        "max_mentees": 1,
                        "illustrative": True,
                    }
                )
                assessments.append(
                    {
                        "city": city["slug"],
                        "theme": code,
                        "phase": "baseline",
                        "status": "accepted",
                        "submitted_on": "2017-07-14",
                        "reviewed_on": "2017-07-28",
                        "illustrative": True,
                        "ratings": {
                            f: [
                                self.rng.randint(2, 3) if mentor else self.rng.randint(0, 2),
                                self.rng.randint(1, 3),
                                self.sentence(10),
                            ]
                            for f in factors
                        },
                    }
                )
        loaded = assessment_data_load(
            {
                "format": "assessment-data",
                "format_version": 1,
                "programme": self.slug,
                "benchmarks": benchmarks,
                "wishes": wishes,
                "assessments": assessments,
            }
        )
        self.report.created.update(loaded.created)

    def finance_books(self) -> None:
        """The demo's budget per partner, the coordinator's lines scaled to the programme's size,
        and the demo's exchange rates, recorded by the first finance officer."""
        programme = self.report.programme
        assert programme is not None  # noqa: S101 - set by programme()
        officer = self.user("finance-1")
        data = json.loads(FINANCE_DEMO_FILE.read_text(encoding="utf-8"))
        for partner in ProgrammePartner.objects.filter(programme=programme).order_by("pk"):
            for category, amount in data["budget"].get(partner.role, {}).items():
                planned = Decimal(amount)
                if partner.role == "coordinator":
                    planned = (planned * self.factor).quantize(Decimal("0.01"))
                budget_line_create(
                    actor=officer,
                    programme=programme,
                    partner=partner,
                    category=category,
                    planned_eur=planned,
                )
        self.report.created["budget lines"] = BudgetLine.objects.filter(programme=programme).count()
        for row in data["rates"]:
            exchange_rate_save(
                actor=officer,
                programme=programme,
                currency=row["currency"],
                month=date.fromisoformat(f"{row['month']}-01"),
                rate=Decimal(row["rate"]),
            )
            self.report.created["exchange rates"] += 1

    def user(self, key: str) -> Any:
        return get_user_model().objects.get(username=self.emails[key])

    def _when(self, window: tuple[date, date], days: int, zone: str) -> tuple[datetime, datetime]:
        span = (window[1] - window[0]).days
        first = weekday_on_or_after(window[0] + timedelta(days=self.rng.randrange(span)))
        tz = ZoneInfo(zone)
        return (
            datetime.combine(first, clock(9), tzinfo=tz),
            datetime.combine(first + timedelta(days=days - 1), clock(17), tzinfo=tz),
        )

    def calendar(self) -> None:
        """The launch meeting, the final meeting and the conference; a study visit (to the
        mentor) and a mentoring visit (to the implementing city) per pair, with its usual
        delegation; a webinar and a training workshop per scheme."""
        programme = self.report.programme
        assert programme is not None  # noqa: S101 - set by programme()
        actor = self.user("coordinator-1")
        brussels = ZoneInfo("Europe/Brussels")

        def create(**kwargs: Any) -> Event:
            self.report.created["events"] += 1
            return event_create(
                actor=actor, programme=programme, data=EventInput(illustrative=True, **kwargs)
            )

        for format_, title, first, last in (
            (EventFormat.LAUNCH_MEETING, "Launch meeting", date(2017, 5, 15), date(2017, 5, 16)),
            (EventFormat.CONFERENCE, "Scale conference", date(2018, 11, 7), date(2018, 11, 8)),
            (EventFormat.FINAL_MEETING, "Final meeting", date(2018, 11, 9), date(2018, 11, 9)),
        ):
            create(
                format=format_,
                title=title,
                starts_at=datetime.combine(first, clock(9), tzinfo=brussels),
                ends_at=datetime.combine(last, clock(17), tzinfo=brussels),
                timezone="Europe/Brussels",
                venue="Brussels",
                objectives=self.sentence(),
            )
        pairs = (
            MentoringPair.objects.current()
            .filter(scheme__programme=programme)
            .select_related("scheme__theme", "mentor__city", "implementing__city")
            .order_by("scheme__theme__code", "implementing__city__slug")
        )
        for pair in pairs:
            mentor, implementing = pair.mentor.city, pair.implementing.city
            for format_, host, guest, window in (
                (EventFormat.STUDY_VISIT, mentor, implementing, STUDY_VISITS),
                (EventFormat.MENTORING_VISIT, implementing, mentor, MENTORING_VISITS),
            ):
                starts_at, ends_at = self._when(window, 3, host.timezone)
                event = create(
                    format=format_,
                    title=f"{EventFormat(format_).label} of {guest.name} to {host.name}",
                    starts_at=starts_at,
                    ends_at=ends_at,
                    host_city=host,
                    pair=pair,
                    venue=f"{host.name} city hall",
                    objectives=self.sentence(),
                )
                delegation_invite(actor=actor, event=event)
        schemes = MentoringScheme.objects.filter(programme=programme).select_related("theme")
        for scheme in schemes.order_by("theme__code"):
            for format_, window in (
                (EventFormat.WEBINAR, STUDY_VISITS),
                (EventFormat.TRAINING_WORKSHOP, MENTORING_VISITS),
            ):
                starts_at, _ends = self._when(window, 1, "Europe/Brussels")
                create(
                    format=format_,
                    title=f"{EventFormat(format_).label}: scheme {scheme.theme.code}",
                    starts_at=starts_at,
                    ends_at=starts_at + timedelta(hours=2),
                    timezone="Europe/Brussels",
                    scheme=scheme,
                    online_url="https://meet.example.invalid/scale",
                    objectives=self.sentence(),
                )

    def year(self) -> dict[str, Any]:
        """What the demo year's loader does next, in its format (demo/data/year.json)."""
        launch = ["coordinator-1", "coordinator-2"] + [s["facilitator"] for s in self.schemes]
        launch += [f"{c['slug']}-officer-1" for c in self.cities]
        visits: list[dict[str, Any]] = []
        assessments: list[dict[str, Any]] = []
        plans: list[dict[str, Any]] = []
        rates: list[dict[str, Any]] = []
        sheets: list[tuple[str, str, int]] = []  # person, event, index
        claims: list[tuple[str, dict[str, Any], str, int]] = []  # person, city, event, index
        for number, scheme in enumerate(self.schemes):
            factors = scheme["factors"]
            for mentor, implementing in zip(scheme["mentors"], scheme["implementing"], strict=True):
                m, i = mentor["slug"], implementing["slug"]
                for format_, reported in (("study_visit", True), ("mentoring_visit", number % 2)):
                    visits.append(
                        {
                            "format": format_,
                            "pair_of": i,
                            "author": scheme["facilitator"],
                            "report": bool(reported),
                            "summary": self.sentence(40),
                            "findings": [
                                {
                                    "kind": kind,
                                    "city": city,
                                    "key_factor": self.rng.choice(factors),
                                    "text": self.sentence(20),
                                }
                                for kind, city in (
                                    ("strength", m),
                                    ("challenge", i),
                                    ("recommendation", i),
                                )
                            ],
                        }
                    )
                if number % 2 == 0:
                    assessments.append(
                        {
                            "city": i,
                            "theme": scheme["code"],
                            "phase": "mid_term",
                            "author": f"{i}-officer-1",
                            "submit": number % 4 == 0,
                            "ratings": {
                                f: {
                                    "level": self.rng.randint(1, 3),
                                    "priority": self.rng.randint(1, 3),
                                    "evidence": self.sentence(10),
                                }
                                for f in factors
                            },
                        }
                    )
                plans.append(self.plan(implementing, scheme, len(plans)))
                for city, format_ in ((implementing, "study_visit"), (mentor, "mentoring_visit")):
                    key = f"{city['slug']}-officer-1"
                    rates.append(
                        {
                            "person": key,
                            "currency": "EUR",
                            "annual_cost": {
                                "2017": f"{self.rng.randint(24, 60) * 1000}.00",
                                "2018": f"{self.rng.randint(24, 60) * 1000}.00",
                            },
                        }
                    )
                    event = f"{format_}:{i}"
                    sheets.append((key, event, len(sheets)))
                    claims.append((key, city, event, len(claims)))
        return {
            "events": {
                "coordinator": "coordinator-1",
                "launch_participants": launch,
                "launch_absent": launch[-1:],
                "confirm_only": [],
                "visits": visits,
            },
            "assessments": assessments,
            "plans": plans,
            "finance": {
                "officer": "finance-1",
                "second_officer": "finance-2",
                "staff_rates": rates,
                "timesheets": [self.timesheet(k, self._event(e), e, n) for k, e, n in sheets],
                "claims": [self.claim(k, city, self._event(e), e, n) for k, city, e, n in claims],
                "statement": {"kind": "interim", "period_end": "2018-06-30"},
            },
        }

    def _event(self, name: str) -> Event:
        format_, _sep, city = name.partition(":")
        return Event.objects.get(
            programme=self.report.programme, format=format_, pair__implementing__city__slug=city
        )


def scale_data_load(*, cities: int = 400, seed: int = 1, slug: str = "scale") -> ScaleReport:
    """Build the scale programme `slug` of `cities` cities (a multiple of 4, at least 8) in one
    transaction; refused (DomainError) when a programme with that slug exists."""
    if cities < 8 or cities % 4:
        raise DomainError(_("Give a number of cities that is a multiple of 4, at least 8."))
    if Programme.objects.filter(slug=slug).exists():
        raise DomainError(
            _("The programme “%(slug)s” exists already: nothing was changed.") % {"slug": slug}
        )
    started = time.monotonic()
    # The generated notifications stay in the inboxes; no e-mail leaves for generated people.
    with transaction.atomic(), emails_withheld():
        report = _ScaleBuilder(cities=cities, seed=seed, slug=slug).run()
    report.seconds = time.monotonic() - started
    return report
