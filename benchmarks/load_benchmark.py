"""Load the production stack with concurrent clients: a realistic mix of the main pages against
the trivial page, measured in the same run, on the same stack, by the same clients.

The stack is tests/e2e/test_production_stack.py's (its helpers are reused): the production
settings, a fresh PostgreSQL database on 127.0.0.1:5432 holding the demo of `make setup`
(2-3 minutes to load), one gunicorn (config/gunicorn.conf.py) and one queue worker on Redis
(127.0.0.1:6379). It connects to 127.0.0.1 only, and stops everything and drops the database at
the end, on Ctrl-C or SIGTERM too. Run from the repository root:

    .venv/bin/python benchmarks/load_benchmark.py --clients 8 --duration 30
        [--warmup 5] [--web-processes N] [--seed 1]

Each client is a thread with its own cookie jar, logged in through the log-in page (and the
second factor where asked) as a coordinator (one client in four) or as a city officer of a city
with an action plan, sending its next request when the last one is answered (no think time).
Two phases, each after --warmup seconds not counted: the trivial page (pages_benchmark.py's
TRIVIAL, signed in), then MIX below. Printed for each: requests/s, p50/p95/p99 and errors (a
5xx, a connection error, any other status or content type than the page's) over --duration
seconds; their ratio; each page of the mix. The clients take some of the machine's CPU (shown).
Target for the mix on 2 cores: >= 100 requests/s, p95 <= 250 ms, no error. Exit status 0
whether or not it is met; 1 when the stack could not run or the clients not log in.
"""

from __future__ import annotations

import argparse
import http.client
import importlib
import json
import os
import random
import re
import shutil
import signal
import statistics
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pages_benchmark import PAGES, TRIVIAL, Context

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SLUG = "cities-grow"
PASSWORD = "cities-grow-demo"  # noqa: S105 - the demo accounts' published password
TARGET_RPS, TARGET_P95_MS = 100.0, 250.0
SEARCHES = ["employment", "language courses", "housing", "women entrepreneurs", "youth", "schools"]
ASSESSMENT, SEARCH, POST = "own assessment", "practice search", "POST notification settings"
PDF, DOCX = "action plan PDF", "action plan DOCX"
# What a person of each role opens in a working session, weights out of 100; the other labels
# are pages_benchmark.py's (its URL names and arguments).
MIX: dict[str, dict[str, int]] = {
    "coordinator": {"dashboard": 25, "programme overview": 20, "matching home": 15,
                    "action plans": 20, SEARCH: 10, POST: 5, PDF: 3, DOCX: 2},
    "city officer": {ASSESSMENT: 25, "action plan": 25, "timesheet week": 20, SEARCH: 15,
                     POST: 10, PDF: 3, DOCX: 2},
}  # fmt: skip
# What counts as a success: the status, the content type's start.
WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
EXPECT = {POST: (302, ""), PDF: (200, "application/pdf"), DOCX: (200, WORD)}
SCHEMA = [("migrate", "--no-input", "-v", "0"), ("collectstatic", "--no-input", "-v", "0")]
Sample = tuple[float, float, str, bool]  # sent, answered (monotonic s), page, as expected


class SetupError(Exception):
    pass


def helpers() -> Any:
    """tests/e2e/test_production_stack.py, imported by name (mypy leaves the tests unchecked)."""
    return importlib.import_module("tests.e2e.test_production_stack")


@dataclass
class Agent:
    """One client: its cookie jar (the stack test's Client), its pages' paths, its samples."""

    role: str
    email: str
    client: Any
    paths: dict[str, str] = field(default_factory=dict)
    form: list[tuple[str, str]] = field(default_factory=list)
    samples: list[Sample] = field(default_factory=list)
    first_errors: dict[str, str] = field(default_factory=dict)


def fetch(client: Any, port: int, path: str, data: list[tuple[str, str]] | None = None) -> Any:
    """The stack test's Client.exchange: status, content type and the body as bytes."""
    status, headers, body = client.exchange(port, path, data)
    return status, headers.get("Content-Type", ""), body


def log_in(port: int, email: str) -> Any:
    """A Client past the log-in page and, where asked, the second factor (the demo's key)."""
    _path, code = helpers()._path, importlib.import_module("tests.second_factor").demo_totp_code
    client = helpers().Client()
    fields = {"username": email, "password": PASSWORD}
    status, headers, _ = client.post_form(port, "/accounts/login/", "username", fields)
    if status != 302:
        raise SetupError(f"{email}: the log-in page answered {status}")
    status, headers, _ = client.get(port, _path(headers["Location"]))
    if status == 302 and "/second-factor/" in headers["Location"]:
        asked = _path(headers["Location"])
        for _ in range(3):  # a code is taken once: when refused, the next step's
            if client.post_form(port, asked, "code", {"code": code()})[0] == 302:
                break
            time.sleep(30.5 - time.time() % 30)
    status, _, page = client.get(port, "/")
    if status != 200 or "Log out" not in page:
        raise SetupError(f"{email}: not logged in ({status})")
    return client


def _found(client: Any, port: int, path: str, pattern: str) -> list[str]:
    status, headers, page = client.get(port, path)
    if status == 302:
        return [str(helpers()._path(headers["Location"]))]
    found = re.findall(pattern, page)
    if status != 200 or not found:
        raise SetupError(f"{path}: {status}, nothing like {pattern}")
    return found


def agents_log_in(port: int, count: int) -> list[Agent]:
    """A coordinator for one client in four (the first included), city officers of the cities
    with an action plan for the others; a person already logged in lends their session."""
    from django.urls import resolve, reverse

    data = json.loads((ROOT / "programmes/data/cities-grow.json").read_text(encoding="utf-8"))
    people = {
        role: [p for p in data["people"] if role.replace(" ", "_") in str(p["memberships"])]
        for role in MIX
    }
    sessions = {people["coordinator"][0]["email"]: log_in(port, people["coordinator"][0]["email"])}
    plans = reverse("action_plans:index", args=[SLUG])
    found = _found(next(iter(sessions.values())), port, plans, rf'href="{plans}([\w-]+)/"')
    cities = sorted(set(found))
    people["city officer"] = sorted(  # each city's first officer, then the second ones
        (p for p in people["city officer"] if p["memberships"][0]["city"] in cities),
        key=lambda p: (p["key"][-1], p["key"]),
    )
    urls = {label: (name, arguments) for label, name, arguments in PAGES}
    agents = []
    for index in range(count):
        role = "city officer" if index % 4 else "coordinator"
        rank = index - index // 4 - 1 if index % 4 else index // 4
        person = people[role][rank % len(people[role])]
        email, city = person["email"], person["memberships"][0].get("city")
        if email in sessions:
            client = type(sessions[email])()
            client.cookies = dict(sessions[email].cookies)
        else:
            client = sessions[email] = log_in(port, email)
        agent, scheme, month = Agent(role, email, client), "", (0, 0)
        if city is None:  # a coordinator downloads the cities' plans in turn
            city = cities[index % len(cities)]
        else:
            home = reverse("assessments:home", args=[SLUG])
            own = _found(client, port, home, rf'href="({home}{city}/[\w-]+/[\w-]+/)"')[0]
            agent.paths[ASSESSMENT], scheme = own, resolve(own).kwargs["code"]
            week = resolve(_found(client, port, reverse("finance:my_time", args=[SLUG]), "^$")[0])
            month = (week.kwargs["year"], week.kwargs["month"])
        context = Context(SLUG, city, scheme, 0, 0, month, None, None, None)
        agent.paths |= {
            label: reverse(urls[label][0], args=urls[label][1](context))
            for label in MIX[role]
            if label in urls
        }
        agent.paths |= {
            SEARCH: reverse("knowledge:practices") + "?q=",
            POST: reverse("notifications:settings"),
            PDF: reverse("action_plans:pdf", args=[SLUG, city]),
            DOCX: reverse("action_plans:docx", args=[SLUG, city]),
            TRIVIAL[0]: reverse(TRIVIAL[1]),
        }
        parser = helpers().FormFields("language")
        parser.feed(client.get(port, agent.paths[POST])[2])
        forms = [f for f in parser.forms if any(n.startswith("kind__") for n, _ in f["fields"])]
        if not forms:
            raise SetupError(f"{email}: no notification settings form")
        agent.form = forms[0]["fields"]
        agents.append(agent)
    return agents


def hit(agent: Agent, port: int, label: str, rng: random.Random) -> str | None:
    """Send the page's request: None when it answered as expected, else what went wrong."""
    path = agent.paths[label]
    if label == SEARCH:
        path += urllib.parse.quote_plus(rng.choice(SEARCHES))
    expect, kind = EXPECT.get(label, (200, "text/html"))
    try:
        status, answered, _ = fetch(agent.client, port, path, agent.form if label == POST else None)
    except (OSError, http.client.HTTPException) as error:
        return f"{path}: {type(error).__name__}: {error}"
    if status != expect or not answered.startswith(kind):
        return f"{path}: {status} {answered}"
    return None


def run_phase(
    agents: list[Agent], port: int, mix: dict[str, dict[str, int]], options: Any
) -> float:
    """Every client in a closed loop through the warm-up and the measured window; the samples
    sent and answered inside the window are kept. Returns the window's length in seconds."""
    stop = threading.Event()

    def loop(agent: Agent, rng: random.Random) -> None:
        labels, weights = list(mix[agent.role]), list(mix[agent.role].values())
        while not stop.is_set():
            label = rng.choices(labels, weights)[0]
            started = time.monotonic()
            error = hit(agent, port, label, rng)
            agent.samples.append((started, time.monotonic(), label, error is None))
            if error:
                agent.first_errors.setdefault(label, error)

    threads = []
    for index, agent in enumerate(agents):
        agent.samples, agent.first_errors = [], {}
        rng = random.Random(options.seed * 1000 + index)  # noqa: S311 - a load mix, no secret
        threads.append(threading.Thread(target=loop, args=(agent, rng), daemon=True))
    try:
        for thread in threads:
            thread.start()
        time.sleep(options.warmup)
        start = time.monotonic()
        time.sleep(options.duration)
        end = time.monotonic()
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=70)
    for agent in agents:
        agent.samples = [s for s in agent.samples if s[0] >= start and s[1] <= end]
    return end - start


def stats(samples: list[Sample]) -> tuple[int, float, float, float, int]:
    """Count, p50, p95, p99 (ms) and errors of the samples."""
    ms = sorted((answered - sent) * 1000 for sent, answered, _, _ in samples) or [0.0]
    cuts = statistics.quantiles(ms, n=100, method="inclusive") if len(ms) > 1 else ms * 99
    return len(samples), cuts[49], cuts[94], cuts[98], sum(not s[3] for s in samples)


def _table(line: str, *header: str) -> None:
    head = line.replace(".1f", "").format(*header)
    print("\n" + head + "\n" + "-" * len(head))


def report(agents: list[Agent], results: dict[str, tuple[list[Sample], float]]) -> None:
    line = "{:<34} {:>8} {:>8.1f} {:>8.1f} {:>8.1f} {:>8.1f} {:>7}"
    _table(line, "phase", "requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors")
    rows = {}
    for phase, (samples, seconds) in results.items():
        count, p50, p95, p99, errors = stats(samples)
        rows[phase] = (count / seconds, p95, errors)
        print(line.format(phase, count, count / seconds, p50, p95, p99, errors))
    (rps, p95, errors), (trivial_rps, trivial_p95, _) = rows["mix"], next(iter(rows.values()))
    ratios = f"requests/s {rps / (trivial_rps or 1):.2f}, p95 {p95 / (trivial_p95 or 1):.2f}"
    print(f"\nRatio mix/trivial: {ratios}")
    missed = [
        f"{rps:.1f} requests/s < {TARGET_RPS:g}" if rps < TARGET_RPS else "",
        f"p95 {p95:.0f} ms > {TARGET_P95_MS:g} ms" if p95 > TARGET_P95_MS else "",
        f"{errors} errors" if errors else "",
    ]
    verdict = "MISSED (" + "; ".join(m for m in missed if m) + ")" if any(missed) else "MET"
    print(
        f"Target for the mix (>= {TARGET_RPS:g} requests/s, p95 <= {TARGET_P95_MS:g} ms, "
        f"0 errors; here on {os.cpu_count()} cores): {verdict}"
    )
    weights: dict[str, list[str]] = {}
    for role, pages in MIX.items():
        for label, weight in pages.items():
            weights.setdefault(label, []).append(f"{role.split()[-1]} {weight}")
    line = "{:<28} {:<26} {:>8} {:>6} {:>8.1f} {:>8.1f} {:>7}"
    _table(line, "mix page", "weights /100", "requests", "share", "p50 ms", "p95 ms", "errors")
    samples = results["mix"][0]
    by_page = [(stats([s for s in samples if s[2] == label]), label) for label in weights]
    for (count, p50, p95, _, errors), label in sorted(by_page, key=lambda row: -row[0][2]):
        share = f"{100 * count / max(len(samples), 1):.1f}%"
        print(line.format(label, ", ".join(weights[label]), count, share, p50, p95, errors))
    for label, error in {k: e for a in agents for k, e in a.first_errors.items()}.items():
        print(f"  first error of {label} (warm-up included): {error}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=8, help="Concurrent clients (threads).")
    parser.add_argument("--duration", type=float, default=30, help="Seconds measured per phase.")
    parser.add_argument("--warmup", type=float, default=5, help="Seconds not counted, per phase.")
    parser.add_argument("--web-processes", type=int, help="WEB_CONCURRENCY (default: the conf's)")
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="load-bench-"))
    # The helpers' modules import Django's models: this process is configured, never connected.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    os.environ.setdefault("TEST_MEDIA_ROOT", str(folder / "client-media"))
    import django
    import pytest

    django.setup()

    signal.signal(signal.SIGTERM, signal.default_int_handler)  # cleaned up as on Ctrl-C
    stack, _psql = helpers().Stack(folder), helpers().psql
    stack.env.pop("TEST_MEDIA_ROOT", None)
    stack.env.pop("WEB_CONCURRENCY", None)  # the stack test's 2; unset, the conf decides
    if options.web_processes:
        stack.env["WEB_CONCURRENCY"] = str(options.web_processes)
    processes = options.web_processes or (os.cpu_count() or 1) * 2 + 1
    print(f"Database {stack.database} on 127.0.0.1:5432, logs in {folder}", flush=True)
    _psql(f'CREATE DATABASE "{stack.database}"')
    failed = True
    try:
        started = time.monotonic()
        # The schema, then the demo loaders of `make setup` in its order (tests/conftest.py's).
        for command in SCHEMA + importlib.import_module("tests.conftest").DEMO_LOADERS:
            print(f"  manage.py {' '.join(command)}", flush=True)
            stack.manage(*command)
        print(f"  set up in {time.monotonic() - started:.0f} s", flush=True)
        port = stack.web("web")
        stack.start("worker", helpers().PYTHON, "manage.py", "run_huey")
        stack.wait_healthy(port)
        agents = agents_log_in(port, options.clients)
        roles = ", ".join(f"{sum(a.role == r for a in agents)} {r}" for r in MIX)
        print(
            f"gunicorn on 127.0.0.1:{port}: {processes} processes x "
            f"{os.environ.get('GUNICORN_THREADS', '4')} threads (WEB_CONCURRENCY "
            f"{options.web_processes or 'unset: 2 x cores + 1'}), one queue worker\n"
            f"{len(agents)} clients ({roles}; {len({a.email for a in agents})} people), closed "
            f"loop; warm-up {options.warmup:g} s, then {options.duration:g} s measured per "
            f"phase; load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores",
            flush=True,
        )
        results = {}
        trivial = f"trivial ({agents[0].paths[TRIVIAL[0]]}, signed in)"
        for phase, mix in ((trivial, {role: {TRIVIAL[0]: 1} for role in MIX}), ("mix", MIX)):
            cpu = time.process_time()
            seconds = run_phase(agents, port, mix, options)
            results[phase] = ([s for a in agents for s in a.samples], seconds)
            share = 100 * (time.process_time() - cpu) / (options.warmup + seconds)
            load = os.getloadavg()[0]
            print(
                f"Phase {phase}: the clients' process used {share:.0f} per cent of a core; "
                f"load average {load:.2f}",
                flush=True,
            )
        report(agents, results)
        failed = False
    except (Exception, pytest.fail.Exception) as error:  # the helpers assert or pytest.fail
        print(f"The stack could not run: {type(error).__name__}: {error}", file=sys.stderr)
    except KeyboardInterrupt:
        print("Interrupted: stopping the stack", file=sys.stderr)
    finally:
        stack.stop()
        _psql(f'DROP DATABASE IF EXISTS "{stack.database}" WITH (FORCE)')
        if not failed:
            shutil.rmtree(folder, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
