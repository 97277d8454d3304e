"""End-to-end tests in Debian's Chromium, driven by Playwright (no browser is downloaded).

They run in their own pytest session (`make test` runs them after the rest) because a live
server needs committed data, which Django flushes after each such test; each test loads the demo
data again.
"""

import os
import shutil
from pathlib import Path

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
        yield browser
        browser.close()


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
