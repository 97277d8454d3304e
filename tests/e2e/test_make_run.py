"""`make run` from a fresh clone starts the web server and the queue's worker; a large matching
started in the browser goes to the background and the worker solves it while the page follows.

The platform runs as a user runs it: `make run` itself (setup, then `honcho start -f Procfile`),
with its own database and queue file in a temporary folder and the web server on a free port
(WEB_PORT, read by the Procfile). The demo's 16 cities are solved at once in the web request, so
an operator loads a larger programme next to it, as one would with real data: 60 cities generated
as the matching benchmark does (a hidden matching that uses every city, so one always exists),
loaded with the platform's own `load_programme` and `load_assessment_data` while it runs.

Every process `make run` starts is stopped when the test ends: make and honcho by their process
group, honcho's children (each in a session of its own) by the groups honcho reports.
"""

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from benchmarks.matching_benchmark import generate
from tests.conftest import email_of
from tests.second_factor import demo_totp_code

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "cities-grow-demo"
SLUG = "generated-sixty"
CITIES = 60  # at least MATCHING_BACKGROUND_FROM_CITIES (40 by default): a background run
# `make setup` migrates and loads the whole demo: about a minute on an idle 2-core machine, three
# when other test sessions share it.
SETUP_TIMEOUT = 420
ANSI = re.compile(r"\x1b\[[0-9;]*m")
STARTED = re.compile(r"system\s+\| (\w+\.\d+) started \(pid=(\d+)\)")
# Settings the test points at its own files: a .env must not lay others over them.
OWN_SETTINGS = {"DATABASE_URL", "HUEY_SQLITE_PATH", "HUEY_REDIS_URL", "REDIS_URL", "WEB_PORT"}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _names_in(path: Path) -> set[str]:
    """The variables an env file sets."""
    if not path.exists():
        return set()
    names = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip().removeprefix("export ").strip()
        if line and not line.startswith("#") and "=" in line:
            names.add(line.split("=", 1)[0].strip())
    return names


def _platform_env(tmp_path: Path, port: int) -> dict[str, str]:
    """A fresh clone's environment: none of the settings .env.example lists (so manage.py's
    default settings module, as `make run`, and no test run's queue or e-mail settings), nor a
    calling make's flags; the database and the queue's file in `tmp_path`."""
    settings = _names_in(ROOT / ".env.example") | {"DJANGO_SETTINGS_MODULE"}
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in settings and key not in {"MAKEFLAGS", "MFLAGS", "MAKELEVEL"}
    }
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'platform.sqlite3'}",
        HUEY_SQLITE_PATH=str(tmp_path / "huey.sqlite3"),
        WEB_PORT=str(port),
        PYTHONUNBUFFERED="1",  # honcho's and the processes' lines arrive as they are written
    )
    return env


class MakeRun:
    """`make run` as a subprocess, its output collected line by line."""

    def __init__(self, env: dict[str, str], port: int) -> None:
        self.env, self.port = env, port
        self.url = f"http://127.0.0.1:{port}"
        self.lines: list[str] = []
        self.groups: dict[str, int] = {}  # honcho's process name -> its process group
        self._lock = threading.Lock()
        make = shutil.which("make") or pytest.fail("`make run` needs make")
        self.process = subprocess.Popen(  # noqa: S603 - the README's own command
            [make, "run"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
            start_new_session=True,  # make, its shell and honcho: one group to signal
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for raw in self.process.stdout:
            line = ANSI.sub("", raw.rstrip("\n"))
            with self._lock:
                self.lines.append(line)
                if started := STARTED.search(line):
                    self.groups[started[1]] = int(started[2])

    def output(self, prefix: str = "") -> list[str]:
        """The lines so far; with `prefix` ("web.1", "worker.1") only that process's."""
        with self._lock:
            lines = list(self.lines)
        if not prefix:
            return lines
        marker = re.compile(rf"^\S+ {re.escape(prefix)}\s+\| ")
        return [line for line in lines if marker.search(line)]

    def tail(self, count: int = 60) -> str:
        return "\n".join(self.output()[-count:])

    def wait_for(self, what: str, found: Any, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not found():
            if self.process.poll() is not None:
                pytest.fail(
                    f"`make run` ended ({self.process.returncode}) before {what}:\n" + self.tail()
                )
            if time.monotonic() > deadline:
                pytest.fail(f"No {what} within {timeout:.0f} s:\n" + self.tail())
            time.sleep(0.25)

    def serving(self) -> bool:
        if not any(f"Starting development server at {self.url}/" in x for x in self.output()):
            return False  # answers from another program on the port do not count
        try:
            with urllib.request.urlopen(f"{self.url}/accounts/login/", timeout=5) as answer:  # noqa: S310
                return bool(answer.status == 200)
        except (urllib.error.URLError, OSError):
            return False

    def groups_alive(self) -> list[str]:
        """Those of honcho's processes whose group still has a process."""
        return [name for name, group in dict(self.groups).items() if _group_alive(group)]

    def interrupt(self) -> None:
        """Ctrl-C in the terminal: SIGINT to make and honcho (not to honcho's children, which
        run in sessions of their own: honcho stops them)."""
        os.killpg(self.process.pid, signal.SIGINT)

    def stop(self) -> None:
        """What is still running ends: SIGTERM to make and honcho (honcho stops its children),
        then SIGKILL to whatever is left after 20 s."""
        if self.process.poll() is None:
            _signal_group(self.process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and (
            self.process.poll() is None or _group_alive(self.process.pid) or self.groups_alive()
        ):
            time.sleep(0.2)
        for group in [self.process.pid, *(self.groups[name] for name in self.groups_alive())]:
            _signal_group(group, signal.SIGKILL)
        self.process.wait(timeout=10)
        self._reader.join(timeout=10)
        if self.process.stdout is not None:
            self.process.stdout.close()


def _group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _signal_group(group: int, number: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(group, number)


@pytest.fixture
def make_run(tmp_path: Path) -> Iterator[MakeRun]:
    clashing = _names_in(ROOT / ".env") & OWN_SETTINGS  # honcho reads .env over the environment
    if clashing:
        pytest.skip(
            f"The checkout's .env sets {', '.join(sorted(clashing))}: honcho would lay it over "
            "the test's own database and queue."
        )
    port = _free_port()
    running = MakeRun(_platform_env(tmp_path, port), port)
    try:
        yield running
    finally:
        running.stop()


def _generated_programme(folder: Path) -> tuple[Path, Path, dict[str, Any]]:
    """A programme of CITIES generated cities (the benchmark's problem: every city can take part),
    its benchmarks, wishes and self-assessments, as the platform's data files; the demo's
    coordinator coordinates it too."""
    problem = generate(CITIES, seed=1)
    demo = json.loads((ROOT / "programmes/data/cities-grow.json").read_text(encoding="utf-8"))
    coordinator = next(p for p in demo["people"] if p["key"] == "coordinator-1")
    facilitator = demo["themes"][0]["facilitator"]
    top = max(level["level"] for level in demo["programme"]["rating_scale"])
    factors = {t["id"]: 6 for t in problem["themes"]}
    for city in problem["cities"]:
        factors.update({theme: len(levels) for theme, levels in city["scores"].items()})

    def codes(theme: str) -> list[str]:
        return [f"{theme.lower()}{n}" for n in range(1, factors[theme] + 1)]

    programme = {
        "format": demo["format"],
        "format_version": demo["format_version"],
        "reference": demo["reference"],
        "programme": {
            **{k: v for k, v in demo["programme"].items() if k != "key_dates"},
            "slug": SLUG,
            "name": "Generated sixty",
            "full_title": f"{CITIES} generated cities",
            "description": "",
            "grant_reference": "GENERATED-60",
            "grant_reference_illustrative": True,
        },
        "organisations": [
            o
            for o in demo["organisations"]
            if o["slug"] in {coordinator["organisation"], facilitator}
        ],
        "cities": [
            {
                "slug": f"generated-{c['id']}",
                "name": f"Generated {c['id']}",
                "country": c["country"],
                "currency": "EUR",
                "charter_signatory": False,
            }
            for c in problem["cities"]
        ],
        "themes": [
            {"code": t["id"], "title": f"Generated theme {t['id']}", "facilitator": facilitator}
            for t in problem["themes"]
        ],
        "schemes": [],
        "pairs": [],
        "people": [{**coordinator, "memberships": [{"role": "coordinator"}]}],
    }
    assessments = {
        "format": "assessment-data",
        "format_version": 1,
        "programme": SLUG,
        "benchmarks": [
            {
                "theme": t["id"],
                "version": 1,
                "title": f"Generated benchmark {t['id']}",
                "key_factors": [
                    {"code": code, "title": code, "why_and_how": "Generated.", "questions": []}
                    for code in codes(t["id"])
                ],
            }
            for t in problem["themes"]
        ],
        "wishes": [
            {
                "city": f"generated-{c['id']}",
                "mentor": c["mentor_themes"],
                "implement": c["implement_themes"],
                "max_mentees": c["max_mentees"],
            }
            for c in problem["cities"]
        ],
        "assessments": [
            {
                "city": f"generated-{c['id']}",
                "theme": theme,
                "phase": "baseline",
                "status": "submitted",
                "submitted_on": "2017-03-01",
                "ratings": {
                    code: [min(level, top), None, ""]
                    for code, level in zip(codes(theme), levels, strict=True)
                },
            }
            for c in problem["cities"]
            for theme, levels in c["scores"].items()
        ],
    }
    programme_file, assessment_file = folder / "programme.json", folder / "assessments.json"
    programme_file.write_text(json.dumps(programme), encoding="utf-8")
    assessment_file.write_text(json.dumps(assessments), encoding="utf-8")
    return programme_file, assessment_file, problem


def _manage(env: dict[str, str], *args: str) -> None:
    done = subprocess.run(  # noqa: S603 - our own manage.py, arguments from this file
        [str(ROOT / ".venv/bin/python"), "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, f"manage.py {' '.join(args)}:\n{done.stdout}\n{done.stderr}"


def _run_row(database: Path) -> dict[str, Any]:
    """The run's row, read as a third party: straight from the platform's database file."""
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
        status, solver_status, problem = connection.execute(
            "SELECT r.status, r.solver_status, r.problem FROM matching_matchrun r "
            "JOIN programmes_programme p ON p.id = r.programme_id WHERE p.slug = ?",
            [SLUG],
        ).fetchone()
    connection.close()
    return {"status": status, "solver_status": solver_status, "problem": json.loads(problem)}


def _goto(page: Any, path: str) -> None:
    """Open a page; while the development server restarts (it reloads when a source file of the
    checkout changes), try again for a while."""
    deadline = time.monotonic() + 60
    while True:
        try:
            page.goto(path)
            return
        except PlaywrightError as error:
            if "ERR_CONNECTION_REFUSED" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(1)


def test_make_run_serves_the_platform_and_its_worker_solves_a_background_matching(
    make_run, browser, tmp_path
):
    timings: dict[str, float] = {}
    started = time.monotonic()

    # 1. `make run` sets up the platform (migrations, demo data) and starts web and worker.
    make_run.wait_for("web server answering", make_run.serving, SETUP_TIMEOUT)
    make_run.wait_for(
        "queue worker",
        lambda: any("Huey consumer started" in x for x in make_run.output("worker.1")),
        60,
    )
    timings["make run serving"] = time.monotonic() - started

    # 2. The operator loads a larger programme next to the demo, while the platform runs.
    programme_file, assessment_file, problem = _generated_programme(tmp_path)
    _manage(make_run.env, "load_programme", str(programme_file))
    _manage(make_run.env, "load_assessment_data", str(assessment_file))
    timings["programme loaded"] = time.monotonic() - started

    # 3. The demo's coordinator starts a matching of its 60 cities in the browser.
    context = browser.new_context(base_url=make_run.url, locale="en-GB")
    try:
        page = context.new_page()
        page.set_default_timeout(30_000)
        polls: list[str] = []
        page.on("request", lambda r: polls.append(r.url) if "/progress/" in r.url else None)
        _goto(page, "/accounts/login/")
        page.get_by_label("E-mail address").fill(email_of("coordinator-1"))
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        # The demo's coordinator has the demo's authenticator app (load_programme).
        page.get_by_label("Code").fill(demo_totp_code())
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_role("button", name="Log out").first).to_be_visible()
        _goto(page, f"/programmes/{SLUG}/matching/")
        page.get_by_label("Name of this run").fill("Through the worker")
        for theme in problem["themes"]:
            field = page.get_by_label(re.compile(rf"^Pairs in theme {theme['id']}:?$"))
            field.fill(str(theme["pairs"]))
        page.get_by_role("button", name="Run the matching").click()
        expect(page.get_by_text("The matching runs in the background.")).to_be_visible()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Matching run 1")
        first_seen = page.locator("#run-status").inner_text()

        # 4. The page follows the run by itself (it polls, then reloads) until the result.
        expect(page.locator("#run-status")).to_have_text("Best possible (proven)", timeout=60_000)
        pairs = page.get_by_role("heading", level=3, name=re.compile(r"^Theme \w+: .+ mentors "))
        expect(pairs).to_have_count(sum(t["pairs"] for t in problem["themes"]))
        expect(page.get_by_role("button", name="Accept this run")).to_be_visible()
        timings["run shown"] = time.monotonic() - started
    finally:
        context.close()

    # 5. The worker process solved it; the web process only put it on the queue.
    def solved_by_worker() -> bool:
        return any(
            # Huey names a task with retries left as "<id> 5 retries".
            re.search(r"match_run_solve: \S+( \d+ retries)? executed in", x)
            for x in make_run.output("worker.1")
        )

    make_run.wait_for("worker's log of the solved run", solved_by_worker, 20)
    assert any("Executing matching.tasks.match_run_solve" in x for x in make_run.output("worker.1"))
    assert not [x for x in make_run.output("web.1") if "match_run_solve" in x]
    row = _run_row(tmp_path / "platform.sqlite3")
    assert row["status"] == "done" and row["solver_status"] == "optimal"
    assert len(row["problem"]["cities"]) == CITIES
    # Queued or running when the page first showed it, unless the worker was quicker.
    assert first_seen in {"Waiting to start", "Running", "Best possible (proven)"}, first_seen
    assert polls or first_seen == "Best possible (proven)"

    # 6. Ctrl-C stops both: honcho stops web and worker, and make ends.
    make_run.interrupt()
    make_run.process.wait(timeout=30)
    deadline = time.monotonic() + 15
    while make_run.groups_alive() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert make_run.groups_alive() == [], make_run.tail()
    assert set(make_run.groups) == {"web.1", "worker.1"}
    timings["stopped"] = time.monotonic() - started
    print("Timings (s):", {k: round(v, 1) for k, v in timings.items()})
