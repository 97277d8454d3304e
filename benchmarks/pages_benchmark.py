"""Benchmark the server time and the SQL queries of every main page, per role, on the demo
programme (CITIES-GROW at month 18) and on the scale programme (load_scale_data), against a
trivial page measured in the same run.

By default it builds its own SQLite database in a temporary folder (migrations, the loaders of
`make setup`, then `load_scale_data --cities N`), under the test settings (fast password
hashing, files in a temporary folder, tasks run at once; DEBUG off), and keeps it: pass it back
with --database to measure again without loading. Run from the repository root:

    .venv/bin/python benchmarks/pages_benchmark.py --cities 400 [--runs 5]
        [--roles coordinator auditor ...] [--pages plans finance ...] [--database FILE]
        [--profile N]

Each page is requested once through Django's test Client, logged in as the role's person
(past the second factor with their authenticator app, as the tests do), to count its queries,
then --runs times to take the median server time. Targets: the scale page within 5x the trivial
page (the security policy page: static text in the site's layout) and within 2x the same page
on the demo; rows above either are flagged (T, D).
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TRIVIAL_LIMIT, DEMO_LIMIT = 5.0, 2.0
DEMO_SLUG = "cities-grow"

# The person of each role on the demo (its data file's e-mails) and on the scale programme
# (demo/scale.py's keys); None: not logged in. The city roles are those of an implementing
# city that has a plan (Athens; the scale programme's city 003).
DEMO_PEOPLE: dict[str, str | None] = {
    "coordinator": "isabelle.vermeulen@eurocities.demo.invalid",
    "facilitator": "helen.carter@migrationwork.demo.invalid",
    "city officer": "eleni.papadaki@athens.demo.invalid",
    "approver": "katerina.vlachou@athens.demo.invalid",
    "finance officer": "helene.dubois@eurocities.demo.invalid",
    "auditor": "geert.willems@example-audit.demo.invalid",
    "public": None,
}
SCALE_KEYS: dict[str, str | None] = {
    "coordinator": "coordinator-1",
    "facilitator": "facilitator-s001",
    "city officer": "{slug}-003-officer-1",
    "approver": "{slug}-003-approver-admin",
    "finance officer": "finance-1",
    "auditor": "auditor-1",
    "public": None,
}


@dataclass(frozen=True)
class Context:
    """What the pages of one programme are about: the officer's city, its scheme, pair, plan,
    a visit of its pair, its timesheet month and claim, the programme's statement."""

    slug: str
    city: str
    scheme: str
    pair: int
    event: int
    month: tuple[int, int]
    claim: int | None
    statement: int | None
    conference: str | None


Args = Callable[[Context], list[Any] | None]
# (label, URL name, its arguments): every list or home page of each app, and the main detail
# pages a role opens from them. None as arguments: the page does not exist in that programme.
PAGES: list[tuple[str, str, Args]] = [
    ("programme overview", "programmes:overview", lambda c: [c.slug]),
    ("scheme", "programmes:scheme", lambda c: [c.slug, c.scheme]),
    ("city", "programmes:city", lambda c: [c.slug, c.city]),
    ("people", "programmes:people", lambda c: [c.slug]),
    ("dashboard", "dashboard:programme", lambda c: [c.slug]),
    ("assessments home", "assessments:home", lambda c: [c.slug]),
    ("benchmark", "assessments:benchmark", lambda c: [c.slug, c.scheme]),
    ("city gaps", "assessments:city_gaps", lambda c: [c.slug, c.city]),
    ("theme gaps", "assessments:theme_gaps", lambda c: [c.slug, c.scheme]),
    ("matching home", "matching:home", lambda c: [c.slug]),
    ("calendar", "visits:calendar", lambda c: [c.slug]),
    ("event", "visits:event", lambda c: [c.slug, c.event]),
    ("visit plan", "visits:plan", lambda c: [c.slug]),
    ("pair timeline", "visits:pair", lambda c: [c.slug, c.pair]),
    ("city findings", "visits:findings", lambda c: [c.slug, c.city]),
    ("action plans", "action_plans:index", lambda c: [c.slug]),
    ("plans progress", "action_plans:dashboard", lambda c: [c.slug]),
    ("action plan", "action_plans:plan", lambda c: [c.slug, c.city]),
    ("finance home", "finance:home", lambda c: [c.slug]),
    ("finance inbox", "finance:inbox", lambda c: [c.slug]),
    ("claim", "finance:claim", lambda c: [c.slug, c.claim] if c.claim else None),
    ("budget", "finance:budget", lambda c: [c.slug]),
    ("exchange rates", "finance:rates", lambda c: [c.slug]),
    ("staff rates", "finance:salaries", lambda c: [c.slug]),
    ("money rules", "finance:settings", lambda c: [c.slug]),
    ("finance city", "finance:city", lambda c: [c.slug, c.city]),
    ("statements", "finance:statements", lambda c: [c.slug]),
    ("statement", "finance:statement", lambda c: [c.slug, c.statement] if c.statement else None),
    ("my time", "finance:my_time", lambda c: [c.slug]),
    ("timesheet week", "finance:week", lambda c: [c.slug, *c.month]),
    ("timesheet approvals", "finance:approvals", lambda c: [c.slug]),
    ("work plan", "workplan:plan", lambda c: [c.slug]),
    ("timeline", "workplan:timeline", lambda c: [c.slug]),
    ("reports", "reports:index", lambda c: [c.slug]),
    ("infographics", "infographics:index", lambda c: [c.slug]),
    ("videos", "videos:manage", lambda c: [c.slug]),
    ("conference", "conference:public", lambda c: [c.conference] if c.conference else None),
    ("conference organise", "conference:organise",
     lambda c: [c.conference] if c.conference else None),
    ("practices", "knowledge:practices", lambda c: []),
    ("toolkits", "knowledge:toolkits", lambda c: []),
    ("public plans", "action_plans:public_index", lambda c: []),
    ("public deliverables", "workplan:public_index", lambda c: []),
    ("public infographics", "infographics:public_list", lambda c: []),
    ("public videos", "videos:public_list", lambda c: []),
    ("inbox", "notifications:inbox", lambda c: []),
    ("home", "portal:home", lambda c: []),
]  # fmt: skip
# The reference: the security policy page, static text in the site's layout (navigation,
# language switcher, the signed-in person's menu), so what it costs is what every page pays.
# security.txt (plain text, no layout) is shown beside it for what a request costs at all.
TRIVIAL = ("trivial: security page", "portal:disclosure")
BARE = ("bare: security.txt", "portal:security_txt")


def _setup(database: str | None, cities: int, seed: int, slug: str) -> None:
    if database is None:
        folder = tempfile.mkdtemp(prefix="pages-bench-")
        database = f"{folder}/bench.sqlite3"
    print(f"SQLite database: {database} (kept: pass --database {database} to measure again)")
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    import django

    django.setup()
    # Refused and missing pages are part of the walk: their log lines are noise here.
    logging.getLogger("django.request").setLevel(logging.CRITICAL)
    from django.core.management import call_command

    from programmes.models import Programme

    call_command("migrate", verbosity=0)
    if not Programme.objects.filter(slug=DEMO_SLUG).exists():
        started = time.monotonic()
        print("Loading the demo (the loaders of `make setup`)...", flush=True)
        for name, *args in (
            ("load_programme", "--demo-accounts"),
            ("load_assessment_data",),
            ("load_demo_events",),
            ("load_practices",),
            ("load_demo_finance",),
            ("load_demo_year",),
        ):
            call_command(name, *args, verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
        print(f"  demo loaded in {time.monotonic() - started:.1f} s")
    if not Programme.objects.filter(slug=slug).exists():
        print(f"Loading the scale programme ({cities} cities)...", flush=True)
        call_command("load_scale_data", cities=cities, seed=seed, slug=slug)


def _context(slug: str, officer: str | None) -> Context:
    from conference.models import Conference
    from finance.models import ExpenseClaim, Statement, Timesheet
    from programmes.models import MentoringPair, Person
    from visits.models import Event

    person = Person.objects.get(email=officer)
    membership = person.memberships.filter(programme__slug=slug, city__isnull=False).first()
    assert membership is not None and membership.city is not None  # noqa: S101
    city = membership.city
    pair = (
        MentoringPair.objects.current()
        .filter(scheme__programme__slug=slug, implementing__city=city)
        .select_related("scheme__theme")
        .get()
    )
    event = Event.objects.filter(pair=pair).order_by("starts_at").first()
    sheet = Timesheet.objects.filter(person=person, programme__slug=slug).order_by("month").first()
    month = sheet.month if sheet else event.starts_at.date() if event else None
    claim = ExpenseClaim.objects.filter(traveller=person, programme__slug=slug).first()
    statement = Statement.objects.filter(programme__slug=slug).first()
    conference = Conference.objects.filter(event__programme__slug=slug).first()
    return Context(
        slug=slug,
        city=city.slug,
        scheme=pair.scheme.theme.code,
        pair=pair.pk,
        event=event.pk if event else 0,
        month=(month.year, month.month) if month else (2017, 1),
        claim=claim.pk if claim else None,
        statement=statement.pk if statement else None,
        conference=conference.slug if conference else None,
    )


@dataclass
class Measure:
    status: int
    queries: int
    ms: float


def _measure(client: Any, url: str, runs: int) -> Measure:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    reset_queries()  # the log keeps the last 9,000 queries only
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    count = len(queries)  # now: the next request empties the log
    if response.status_code != 200:
        return Measure(response.status_code, count, 0.0)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    return Measure(200, count, statistics.median(times))


def _profile(client: Any, url: str, top: int) -> None:
    """The page's costliest functions on one request (by cumulative time, then by their own
    time), for finding where a slow page spends its time."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    client.get(url)
    profiler.disable()
    stats = pstats.Stats(profiler, stream=sys.stdout)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)  # where the time itself goes


def _client(email: str | None) -> Any:
    """A test Client logged in as the person, past the second factor when their role asks for
    one (through their authenticator app, enrolled now if they have none), as
    tests/second_factor.py does."""
    import django_otp
    from django.contrib.auth import get_user_model
    from django.http import HttpRequest
    from django.test import Client
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.selectors import has_factor, second_factor_required

    client = Client()
    if email is None:
        return client
    user = get_user_model().objects.get(username=email)
    client.force_login(user)
    if has_factor(user) or second_factor_required(user):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="benchmark", confirmed=True)
        request = HttpRequest()
        request.session = client.session
        request.user = user
        django_otp.login(request, device)
        request.session.save()
    return client


def _cell(measure: Measure | None) -> str:
    if measure is None:
        return "-"
    return f"{measure.ms:.0f}" if measure.status == 200 else str(measure.status)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cities", type=int, default=400)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--slug", default="scale", help="The scale programme's slug.")
    parser.add_argument("--runs", type=int, default=5, help="Timed requests per page (median).")
    parser.add_argument("--roles", nargs="*", default=list(DEMO_PEOPLE), choices=list(DEMO_PEOPLE))
    parser.add_argument("--pages", nargs="*", default=[], help="Only pages whose label has one.")
    parser.add_argument("--database", help="An SQLite file to use (made when missing).")
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="N",
        help="Also profile each page on the scale programme: its N costliest functions.",
    )
    options = parser.parse_args()
    _setup(options.database, options.cities, options.seed, options.slug)

    from django.urls import reverse

    scale_people = {
        role: key.format(slug=options.slug) + f"@{options.slug}.demo.invalid" if key else None
        for role, key in SCALE_KEYS.items()
    }
    contexts = {
        "demo": _context(DEMO_SLUG, DEMO_PEOPLE["city officer"]),
        "scale": _context(options.slug, scale_people["city officer"]),
    }
    pages = [p for p in PAGES if not options.pages or any(f in p[0] for f in options.pages)]
    header = (
        f"{'page':<22} {'role':<16} {'demo ms':>8} {'scale ms':>8} {'q demo':>7} {'q scale':>7} "
        f"{'sc/triv':>7} {'sc/demo':>7}  flag"
    )
    print(
        f"\nMedian of {options.runs} runs; q: SQL queries; flag: scale above "
        f"{TRIVIAL_LIMIT:g}x the trivial page (T) or {DEMO_LIMIT:g}x the demo (D).\n"
    )
    print(header)
    print("-" * len(header))
    flagged: list[tuple[float, str]] = []
    for role in options.roles:
        clients = {"demo": _client(DEMO_PEOPLE[role]), "scale": _client(scale_people[role])}
        for label, name in (BARE, TRIVIAL):
            trivial = {
                which: _measure(client, reverse(name), max(options.runs, 5))
                for which, client in clients.items()
            }
            print(
                f"{label:<22} {role:<16} {trivial['demo'].ms:>8.1f} {trivial['scale'].ms:>8.1f} "
                f"{trivial['demo'].queries:>7} {trivial['scale'].queries:>7}"
            )
        for label, name, arguments in pages:
            measures: dict[str, Measure | None] = {}
            for which, client in clients.items():
                args = arguments(contexts[which])
                measures[which] = (
                    None
                    if args is None
                    else _measure(client, reverse(name, args=args), options.runs)
                )
            demo, scale = measures["demo"], measures["scale"]
            if (demo is None or demo.status != 200) and (scale is None or scale.status != 200):
                continue  # not a page of this role (refused, redirected or absent)
            ratio_trivial = ratio_demo = ""
            flags = ""
            if scale is not None and scale.status == 200:
                over_trivial = scale.ms / max(trivial["scale"].ms, 0.01)
                ratio_trivial = f"{over_trivial:.1f}"
                flags += "T" if over_trivial > TRIVIAL_LIMIT else ""
                if demo is not None and demo.status == 200:
                    over_demo = scale.ms / max(demo.ms, 0.01)
                    ratio_demo = f"{over_demo:.1f}"
                    flags += "D" if over_demo > DEMO_LIMIT else ""
                if flags:
                    flagged.append((scale.ms, f"{label} ({role})"))
            print(
                f"{label:<22} {role:<16} {_cell(demo):>8} {_cell(scale):>8} "
                f"{demo.queries if demo else '-':>7} {scale.queries if scale else '-':>7} "
                f"{ratio_trivial:>7} {ratio_demo:>7}  {flags}",
                flush=True,
            )
            scale_args = arguments(contexts["scale"])
            if (
                options.profile
                and scale is not None
                and scale.status == 200
                and scale_args is not None
            ):
                _profile(clients["scale"], reverse(name, args=scale_args), options.profile)
    flagged.sort(reverse=True)
    print(f"\n{len(flagged)} rows flagged; slowest on the scale programme:")
    for ms, what in flagged[:15]:
        print(f"  {ms:8.0f} ms  {what}")


if __name__ == "__main__":
    main()
