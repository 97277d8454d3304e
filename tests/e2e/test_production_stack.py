"""The production stack as an operator runs it on several machines: two gunicorn servers on two
ports (each several processes), two queue workers (one of them the scheduler), one PostgreSQL and
one Redis, the production settings, nothing shared but those and the private storage.

A person logs in on one server and continues on the other (the session lives in the database,
not in a process); a coordinator starts a matching on one server, a worker solves it, and its
progress and result are read on the other (the run's row, not a process's memory). The client is
a plain HTTP client with its own cookie jar, as a reverse proxy ending TLS would forward it
(`X-Forwarded-Proto: https`; the production settings refuse plain HTTP otherwise).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import email_of
from tests.processes import POSTGRES, manage, platform_env, psql
from tests.second_factor import demo_totp_code

ROOT = Path(__file__).resolve().parents[2]
PYTHON = str(ROOT / ".venv/bin/python")
GUNICORN = str(ROOT / ".venv/bin/gunicorn")
REDIS = os.environ.get("STACK_REDIS_URL", "redis://127.0.0.1:6379/14")
SLUG = "cities-grow"


def _answers(host: str, port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=0.5):
        return True
    return False


# CI sets REQUIRE_REDIS=1 (its machines run PostgreSQL and have Redis): there it runs, never
# skips. The stack starts a Redis of its own (the tests stop it); the load benchmark uses REDIS.
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        not os.environ.get("REQUIRE_REDIS")
        and not (_answers("127.0.0.1", 5432) and shutil.which("redis-server")),
        reason="the production stack needs PostgreSQL on 127.0.0.1 and redis-server",
    ),
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Stack:
    """The processes of one deployment, each logging to its own file."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.database = f"cg_stack_{os.getpid()}_{secrets.token_hex(3)}"
        self.env = platform_env(
            DJANGO_SETTINGS_MODULE="config.settings.production",
            DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
            DJANGO_ALLOWED_HOSTS="127.0.0.1",
            PLATFORM_BASE_URL="https://platform.example.org",
            DATABASE_URL=f"{POSTGRES}/{self.database}",
            REDIS_URL=REDIS,
            HUEY_NAME=self.database,  # its own queue in the shared Redis
            MEDIA_ROOT=str(folder / "media"),
            STATIC_ROOT=str(folder / "static"),
            ALLOW_DEMO_ACCOUNTS="1",
            MATCHING_BACKGROUND_FROM_CITIES="2",  # the demo's 16 cities go to the queue
            WEB_CONCURRENCY="2",
            PYTHONUNBUFFERED="1",
        )
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self.log_files: list[Any] = []
        self.ports: list[int] = []

    def own_redis(self) -> None:
        """A Redis of its own, which a test may stop and start, instead of the machine's."""
        self.redis_port = _free_port()
        self.env["REDIS_URL"] = f"redis://127.0.0.1:{self.redis_port}/0"
        self.start_redis()

    def start_redis(self) -> None:
        server = shutil.which("redis-server") or pytest.fail("redis-server is needed")
        self.start(
            "redis",
            server,
            *("--port", str(self.redis_port), "--bind", "127.0.0.1"),
            *("--save", "", "--appendonly", "no"),  # a restart starts empty
        )
        deadline = time.monotonic() + 30
        while not _answers("127.0.0.1", self.redis_port):
            assert time.monotonic() < deadline, self.log("redis")
            time.sleep(0.1)

    def stop_redis(self) -> None:
        server = self.processes.pop("redis")
        server.terminate()
        server.wait(timeout=30)

    def manage(self, *args: str) -> None:
        done = manage(self.env, *args)
        assert done.returncode == 0, f"manage.py {' '.join(args)}:\n{done.stdout}\n{done.stderr}"

    def start(self, name: str, *command: str, **extra: str) -> None:
        log = (self.folder / f"{name}.log").open("wb")
        self.log_files.append(log)
        self.processes[name] = subprocess.Popen(  # noqa: S603 - the Procfile's own commands
            list(command),
            cwd=ROOT,
            env={**self.env, **extra},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def log(self, name: str) -> str:
        return (self.folder / f"{name}.log").read_text(encoding="utf-8", errors="replace")

    def logs(self) -> str:
        return "\n".join(f"--- {name}\n{self.log(name)[-3000:]}" for name in self.processes)

    def web(self, name: str) -> int:
        port = _free_port()
        self.start(
            name, GUNICORN, "--config", "config/gunicorn.conf.py", "config.wsgi", PORT=str(port)
        )
        self.ports.append(port)
        return port

    def wait_healthy(self, port: int, timeout: float = 120) -> dict[str, str]:
        deadline = time.monotonic() + timeout
        last: Any = None
        while time.monotonic() < deadline:
            for name, process in self.processes.items():
                if process.poll() is not None:
                    pytest.fail(f"{name} ended ({process.returncode}):\n{self.logs()}")
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/health/?format=json", timeout=10
                ) as answer:
                    return dict(json.load(answer))
            except urllib.error.HTTPError as error:  # 500: a check fails (no heartbeat yet)
                last = error.read().decode()
            except (urllib.error.URLError, OSError) as error:
                last = error
            time.sleep(0.5)
        pytest.fail(f"Port {port} not healthy within {timeout:.0f} s: {last}\n{self.logs()}")

    def stop(self) -> None:
        for process in self.processes.values():
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        for log in self.log_files:
            log.close()


@pytest.fixture(scope="module")
def stack(tmp_path_factory) -> Iterator[Stack]:
    running = Stack(tmp_path_factory.mktemp("stack"))
    running.env["QUEUE_REQUEUE_AFTER_SECONDS"] = "5"  # work a Redis restart lost, soon found
    psql(f'CREATE DATABASE "{running.database}"')
    try:
        running.own_redis()
        running.manage("migrate", "--no-input", "-v", "0")
        running.manage("collectstatic", "--no-input", "-v", "0")
        running.manage("load_programme", "--demo-accounts")
        running.manage("load_assessment_data")
        running.web("web-a")
        running.web("web-b")
        # On two "machines": one worker, and one that also schedules the periodic tasks.
        running.start("worker", PYTHON, "manage.py", "run_huey", "--no-periodic")
        running.start("scheduler", PYTHON, "manage.py", "run_huey")
        yield running
    finally:
        running.stop()
        psql(f'DROP DATABASE IF EXISTS "{running.database}" WITH (FORCE)')


class FormFields(HTMLParser):
    """The fields a browser submits from the POST form holding `marker` (a field's name): each
    input's value (checked boxes and radios only), each select's selected (or first) option."""

    def __init__(self, marker: str) -> None:
        super().__init__()
        self.marker = marker
        self.forms: list[dict[str, Any]] = []
        self._form: dict[str, Any] | None = None
        self._select: str | None = None
        self._select_first: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "").lower() == "post":
            self._form = {"action": a.get("action", ""), "fields": []}
            self.forms.append(self._form)
        if self._form is None:
            return
        fields = self._form["fields"]
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "button", "file"):
                fields.append((name, a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select" and name:
            self._select, self._select_first = name, None
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in a:
                fields.append((self._select, value))
                self._select = None
        elif tag == "textarea" and name:
            fields.append((name, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select and self._form is not None:
            self._form["fields"].append((self._select, self._select_first or ""))
            self._select = None
        elif tag == "form":
            self._form = None

    def form(self) -> dict[str, Any]:
        found = [f for f in self.forms if any(n == self.marker for n, _ in f["fields"])]
        assert found, f"no form with a field {self.marker!r}"
        return found[0]


class Client:
    """One person's browser, reduced to HTTP: a cookie jar (host-wide, as browsers keep cookies
    whatever the port) and the headers a TLS-ending proxy adds."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}
        self.opener = urllib.request.build_opener(NoRedirect)

    def request(
        self, port: int, path: str, data: list[tuple[str, str]] | None = None
    ) -> tuple[int, dict[str, str], str]:
        status, headers, body = self.exchange(port, path, data)
        return status, headers, body.decode()

    def exchange(
        self, port: int, path: str, data: list[tuple[str, str]] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        """One request, its body left as bytes (a document is binary)."""
        origin = f"https://127.0.0.1:{port}"
        headers = {
            "X-Forwarded-Proto": "https",
            "Accept-Language": "en",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        body = None
        if data is not None:
            headers.update(Origin=origin, Referer=origin + path)
            body = urllib.parse.urlencode(data).encode()
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}{path}", data=body, headers=headers
        )
        try:
            answer = self.opener.open(request, timeout=60)
        except urllib.error.HTTPError as error:
            answer = error
        with answer:
            for value in answer.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(value).items():
                    self.cookies[name] = morsel.value
            return answer.status, dict(answer.headers), answer.read()

    def get(self, port: int, path: str) -> tuple[int, dict[str, str], str]:
        return self.request(port, path)

    def post_form(
        self, port: int, path: str, marker: str, values: dict[str, str]
    ) -> tuple[int, dict[str, str], str]:
        """Open the page on `port` and submit its form holding `marker` with `values` typed."""
        status, _, page = self.get(port, path)
        assert status == 200, (path, status)
        parser = FormFields(marker)
        parser.feed(page)
        form = parser.form()
        fields = [(n, v) for n, v in form["fields"] if n not in values] + list(values.items())
        return self.request(port, form["action"] or path, fields)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # the test follows each redirect itself, on the port it chooses


def _path(location: str) -> str:
    parts = urllib.parse.urlsplit(location)
    return parts.path + (f"?{parts.query}" if parts.query else "")


@pytest.fixture(scope="module")
def coordinator(stack) -> Client:
    """The coordinator, logged in on A with the password and on B with the second factor (an
    authenticator's code is good once: one log-in for the module)."""
    a, b = stack.ports
    stack.wait_healthy(a)
    stack.wait_healthy(b)
    person = Client()
    status, headers, _ = person.post_form(
        a,
        "/accounts/login/",
        "username",
        {"username": email_of("coordinator-1"), "password": "cities-grow-demo"},
    )
    assert status == 302, status
    status, headers, _ = person.get(b, _path(headers["Location"]))
    assert status == 302 and "/second-factor/" in headers["Location"], (status, headers)
    status, headers, _ = person.post_form(
        b, _path(headers["Location"]), "code", {"code": demo_totp_code()}
    )
    assert status == 302, status
    return person


def test_two_servers_and_two_workers_behave_as_one(stack, coordinator):
    a, b = stack.ports
    health = stack.wait_healthy(a)
    assert all(status == "OK" for status in health.values()), health
    assert any(name.startswith("QueueWorkers") for name in health)  # a worker ran the heartbeat
    assert any(name.startswith("Redis") for name in health)
    stack.wait_healthy(b)

    # Logged in on A (the password), the second factor given on B (the fixture `coordinator`):
    # A knows the session B completed.
    person = coordinator
    status, _, page = person.get(a, "/")
    assert status == 200 and "Log out" in page

    # Start a matching on B: it goes to the queue, and a worker solves it.
    status, headers, page = person.post_form(
        b, f"/programmes/{SLUG}/matching/", "label", {"label": "Across the stack"}
    )
    assert status == 302, page[-2000:]
    run_path = _path(headers["Location"])
    assert re.fullmatch(rf"/programmes/{SLUG}/matching/runs/\d+/", run_path), run_path

    # Its progress and its end, read on A.
    deadline = time.monotonic() + 120
    seen: list[dict[str, Any]] = []
    while True:
        status, _, body = person.get(a, run_path + "progress/")
        assert status == 200, body
        seen.append(json.loads(body))
        if seen[-1]["finished"] or time.monotonic() > deadline:
            break
        time.sleep(0.3)
    assert seen[-1]["finished"], (seen[-3:], stack.logs())
    assert seen[-1]["status"] == "done", seen[-1]
    assert seen[-1]["progress"].get("objective") is not None, seen[-1]
    solved_by = [
        name
        for name in stack.processes
        if "Executing matching.tasks.match_run_solve" in stack.log(name)
    ]
    assert solved_by in (["worker"], ["scheduler"]), stack.logs()  # a worker, not a web process
    status, _, page = person.get(b, run_path)
    assert status == 200 and "Across the stack" in page

    # One log line per request, as JSON, from both servers.
    for name in ("web-a", "web-b"):
        requests = [
            json.loads(line)
            for line in stack.log(name).splitlines()
            if line.startswith("{") and '"request"' in line
        ]
        assert requests and all("status" in r for r in requests), stack.log(name)[-2000:]


def _officer(port: int, key: str) -> Client:
    person = Client()
    status, _, _ = person.post_form(
        port,
        "/accounts/login/",
        "username",
        {"username": email_of(key), "password": "cities-grow-demo"},
    )
    assert status == 302, (key, status)
    return person


class Readers:
    """Officers reading pages on both servers, one thread each, every answer's status kept."""

    PAGES = ("/", f"/programmes/{SLUG}/", "/accounts/profile/")

    def __init__(self, a: int, b: int) -> None:
        people = ("athens-officer-1", "athens-officer-2")
        self.readers = [(port, _officer(port, key)) for port in (a, b) for key in people]
        self.statuses: list[int] = []
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self._read, args=r) for r in self.readers]

    def _read(self, port: int, person: Client) -> None:
        turn = 0
        while not self.stop.is_set():
            status, _, _ = person.get(port, self.PAGES[turn % len(self.PAGES)])
            self.statuses.append(status)
            turn += 1

    def __enter__(self) -> Readers:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=90)

    def assert_no_server_error(self, stack: Stack) -> None:
        assert len(self.statuses) > 50, len(self.statuses)
        errors = [s for s in self.statuses if s >= 500]
        assert not errors, f"{len(errors)} of {len(self.statuses)} were 5xx:\n{stack.logs()}"
        assert set(self.statuses) == {200}, sorted(set(self.statuses))


def _start_matching(coordinator: Client, port: int, label: str) -> str:
    status, headers, page = coordinator.post_form(
        port, f"/programmes/{SLUG}/matching/", "label", {"label": label}
    )
    assert status == 302, page[-2000:]
    return _path(headers["Location"])


def _wait_finished(stack: Stack, coordinator: Client, port: int, run_path: str) -> str:
    deadline = time.monotonic() + 150
    while time.monotonic() < deadline:
        status, _, body = coordinator.get(port, run_path + "progress/")
        if status == 200 and json.loads(body)["finished"]:
            return str(json.loads(body)["status"])
        time.sleep(0.5)
    pytest.fail(f"{run_path} not finished:\n{stack.logs()}")


def test_database_connections_cut_under_load_give_no_server_error(stack, coordinator):
    """PostgreSQL's connections to the platform's database are cut again and again (as by a
    restart or a failover) while officers read pages on both servers and a matching runs on a
    worker: no answer is a 5xx, and the matching still finishes."""
    import psycopg

    a, b = stack.ports
    stack.wait_healthy(a)
    cut = 0
    with Readers(a, b) as readers:
        time.sleep(1)
        run_path = _start_matching(coordinator, b, "Through the cuts")
        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
            for _ in range(16):
                time.sleep(0.7)
                killed = admin.execute(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = %s AND pid <> pg_backend_pid()",
                    [stack.database],
                ).fetchone()
                cut += killed[0] if killed else 0

    assert cut >= 5, cut  # connections were cut, again and again
    readers.assert_no_server_error(stack)
    assert _wait_finished(stack, coordinator, a, run_path) == "done"


def test_a_redis_restart_loses_no_work_and_gives_no_server_error(stack, coordinator):
    """The stack's Redis (the queue, the cache) stops, without persistence, while officers read
    pages on both servers; a matching is started while it is down; Redis starts again, empty:
    no answer was a 5xx, the health endpoint said Redis was down and is well again, and the
    matching, whose task was never queued, is put on the queue by the scheduler's sweep and
    finishes."""
    a, b = stack.ports
    stack.wait_healthy(a)
    with Readers(a, b) as readers:
        time.sleep(1)
        stack.stop_redis()
        time.sleep(1)
        run_path = _start_matching(coordinator, b, "While Redis was down")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{a}/health/?format=json", timeout=30):
                pytest.fail("healthy while Redis is down")
        except urllib.error.HTTPError as error:
            health = json.loads(error.read())
            assert error.code == 500
        assert [k for k, v in health.items() if v != "OK" and k.startswith("Redis")], health
        time.sleep(3)
        stack.start_redis()
        time.sleep(3)

    readers.assert_no_server_error(stack)
    assert _wait_finished(stack, coordinator, a, run_path) == "done"
    stack.wait_healthy(a, timeout=150)  # the next minute's heartbeat, in the new Redis
