"""End-to-end tests in Debian's Chromium, driven by Playwright (no browser is downloaded).

They run in their own pytest session (`make test` runs them after the rest) because a live
server needs committed data, which Django flushes after each such test; each test loads the demo
data again.

Every page of every test runs under the platform's Content-Security-Policy, enforced as in
production, and a test fails when the browser reports a violation (see `csp_violations`).
"""

import logging
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"

# Playwright's sync API runs an event loop in this thread; the test's own ORM calls are still
# plain synchronous code, so Django's guard against async contexts does not apply here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite, a file database instead of Django's shared in-memory one: the live server
    shares the in-memory connection, but a matching run's progress writer opens its own, and
    SQLite's shared cache refuses (rather than waits for) a table another connection is using."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        test_name = tmp_path_factory.mktemp("e2e-db") / "e2e.sqlite3"
        database.setdefault("TEST", {})["NAME"] = str(test_name)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Debian's chromium is needed at {CHROMIUM}: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield CspWatchedBrowser(browser)
        browser.close()


# What the browser says when the policy refuses something: Chromium's own console message
# ("Refused to apply inline style because it violates the following Content Security Policy
# directive: ...") and the one the watcher script below logs for each `securitypolicyviolation`.
CSP_MARKERS = ("Content Security Policy", "Content-Security-Policy")
_CSP_WATCHER = """
document.addEventListener("securitypolicyviolation", function (event) {
  console.error("Content-Security-Policy violation: " + event.effectiveDirective + " blocked " +
    (event.blockedURI || "inline") + " on " + event.documentURI + " (" + event.sourceFile + ":" +
    event.lineNumber + ") " + event.sample);
});
"""
# The violations seen since the current test started (the `csp_violations` fixture's list).
_seen: list[str] = []


def _watch(context: Any) -> Any:
    """Every page of the context logs each violation, and every console message that tells of
    one is recorded for the running test."""
    context.add_init_script(_CSP_WATCHER)

    def on_console(message: Any) -> None:
        if any(marker in message.text for marker in CSP_MARKERS):
            _seen.append(f"{message.page.url if message.page else '?'}: {message.text}")

    context.on("console", on_console)
    return context


class CspWatchedBrowser:
    """The session's browser: every context a test opens (through `page` or by itself) is
    watched for violations of the Content-Security-Policy."""

    def __init__(self, browser: Any) -> None:
        self._browser = browser

    def new_context(self, *args: Any, **kwargs: Any) -> Any:
        return _watch(self._browser.new_context(*args, **kwargs))

    def new_page(self, *args: Any, **kwargs: Any) -> Any:
        context = self.new_context(*args, **kwargs)
        page = context.new_page()
        page.on("close", lambda _page: context.close())
        return page

    def __getattr__(self, name: str) -> Any:
        return getattr(self._browser, name)


class _ReportsReceived(logging.Handler):
    """The reports the platform's own endpoint logs (core.views.csp_report, logger "core.csp"):
    the live server runs in this process."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@pytest.fixture(scope="session")
def csp_reports_received():
    handler = _ReportsReceived()
    csp_logger = logging.getLogger("core.csp")
    csp_logger.addHandler(handler)
    yield handler.messages
    csp_logger.removeHandler(handler)
    # A report that arrived after its test ended still fails the session.
    assert not handler.messages, f"Content-Security-Policy reports received: {handler.messages}"


@pytest.fixture(autouse=True)
def csp_violations(csp_reports_received):
    """Fails the test when the browser refused anything under the Content-Security-Policy, or
    the platform's report endpoint received a report. It is set up before the browser's page
    and torn down after it is closed, so the last messages of the test are counted. A test of the
    watcher itself empties the list."""
    _seen.clear()
    reports_before = len(csp_reports_received)
    yield _seen
    reports = csp_reports_received[reports_before:]
    violations = list(_seen)
    _seen.clear()
    del csp_reports_received[reports_before:]
    if violations or reports:
        pytest.fail(
            "Content-Security-Policy violations in the browser:\n"
            + "\n".join(violations + [f"report received: {r}" for r in reports])
        )


@pytest.fixture
def demo_data(transactional_db):
    """CITIES-GROW as `make run` loads it: a live-server test flushes the database when it
    ends, so each one loads the (idempotent) data files again."""
    from assessments.services.loading import DEFAULT_FILE, assessment_data_load_file
    from programmes.services.loading import DATA_DIR, programme_load_file

    programme_load_file(DATA_DIR / "cities-grow.json", with_demo_accounts=True)
    assessment_data_load_file(DEFAULT_FILE)


@pytest.fixture
def page(browser, live_server, demo_data):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
