"""The real task queue: a matching run enqueued by one process, solved by a worker process
(`manage.py run_huey`), its progress read by a third process through the web view.

Every process shares a file SQLite database of its own (migrated and loaded by the enqueuing
process), so the session's test database stays as it is. The queue's storage is a SQLite file,
or Redis when it answers at 127.0.0.1:6379.
"""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = "redis://127.0.0.1:6379/0"

# Migrates the file database, loads the programme, and enqueues a run of 200 cities (generated
# as the benchmark does): big enough for the background and a few seconds of solving.
ENQUEUE = """
from django.core.management import call_command
call_command("migrate", verbosity=0)
from assessments.services.loading import DEFAULT_FILE, assessment_data_load_file
from programmes.services.loading import DATA_DIR, programme_load_file
programme_load_file(DATA_DIR / "cities-grow.json", with_demo_accounts=True)
assessment_data_load_file(DEFAULT_FILE)
from benchmarks.matching_benchmark import generate
from matching.models import MatchRun
from matching.services import RunSettings, match_run_create
from matching.tasks import match_run_enqueue
from programmes.models import Programme
from tests.conftest import email_of
from django.contrib.auth import get_user_model
coordinator = get_user_model().objects.get(username=email_of("coordinator-1"))
run = match_run_create(actor=coordinator, programme=Programme.objects.get(slug="cities-grow"),
    run_settings=RunSettings(pairs={"A": 2, "B": 2, "C": 2, "D": 2}))
run.problem, run.time_limit = generate(200, seed=1), 30
run.save(update_fields=["problem", "time_limit"])
print(json.dumps({"run": run.pk, "background": match_run_enqueue(run)}))
"""

# Another process, as a second web process would: polls the run's progress view until the run
# is finished, and prints every answer.
READ = """
from django.test.utils import setup_test_environment
setup_test_environment()
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from tests.conftest import email_of
client = Client()
client.force_login(get_user_model().objects.get(username=email_of("coordinator-1")))
url = reverse("matching:run_progress", args=["cities-grow", RUN])
seen, deadline = [], time.monotonic() + 60
while time.monotonic() < deadline:
    seen.append(client.get(url).json())
    if seen[-1]["finished"]:
        break
    time.sleep(0.2)
print(json.dumps(seen))
"""


def _redis_answers() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping())
    except redis.RedisError:
        return False


def _manage(env, *args):
    return subprocess.Popen(  # noqa: S603 - our own manage.py, arguments from this file
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _shell(env, code: str) -> str:
    code = "import json, time\n" + code
    process = _manage(env, "shell", "-c", code)
    # A fresh database's migrations and the programme's loading: about 20 s on a quiet machine,
    # several times that on a loaded one (CI runs the suite on 2 workers).
    out, err = process.communicate(timeout=360)
    assert process.returncode == 0, err
    return out.strip().splitlines()[-1]


def _queue_env(tmp_path, storage: dict[str, str]) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("HUEY_") and key not in ("REDIS_URL", "DATABASE_URL")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.test",
        DATABASE_URL=f"sqlite:///{tmp_path / 'platform.sqlite3'}",
        HUEY_IMMEDIATE="0",
        HUEY_NAME=f"cities-grow-test-{uuid.uuid4().hex[:8]}",
        HUEY_WORKERS="1",
        TEST_MEDIA_ROOT=str(tmp_path / "media"),
        **storage,
    )
    return env


def _run_through_the_queue(tmp_path, storage: dict[str, str]) -> None:
    env = _queue_env(tmp_path, storage)
    enqueued = json.loads(_shell(env, ENQUEUE))
    assert enqueued["background"] is True
    worker = _manage(env, "run_huey")
    try:
        seen = json.loads(_shell(env, READ.replace("RUN", str(enqueued["run"]))))
    finally:
        worker.terminate()
        worker.communicate(timeout=30)
    assert seen[-1]["finished"] is True, seen[-1]
    assert seen[-1]["status"] == "done"
    assert seen[-1]["progress"]["objective"] > 0
    # The reading process saw the solver's progress while the worker was still solving.
    during = [s["progress"] for s in seen if not s["finished"] and s["progress"]]
    assert during and during[0]["objective"] <= seen[-1]["progress"]["objective"]


def test_a_matching_runs_through_the_sqlite_queue_and_another_process_reads_its_progress(
    tmp_path,
):
    _run_through_the_queue(tmp_path, {"HUEY_SQLITE_PATH": str(tmp_path / "huey.sqlite3")})


# CI sets REQUIRE_REDIS=1 (its machines run Redis): there the test runs, never a silent skip.
@pytest.mark.skipif(
    not os.environ.get("REQUIRE_REDIS") and not _redis_answers(),
    reason="Redis does not answer at 127.0.0.1:6379",
)
def test_a_matching_runs_through_the_redis_queue_and_another_process_reads_its_progress(
    tmp_path,
):
    _run_through_the_queue(tmp_path, {"HUEY_REDIS_URL": REDIS_URL})


# ---------------------------------------------------------------- a statement's files

# Migrates, loads the programme, approves a month of hours with its staff rate, prepares a
# statement and asks for its files (en): the generation goes on the queue at commit.
STATEMENT_ENQUEUE = """
from datetime import date
from decimal import Decimal
from django.core.management import call_command
call_command("migrate", verbosity=0)
from programmes.services.loading import DATA_DIR, programme_load_file
programme_load_file(DATA_DIR / "cities-grow.json", with_demo_accounts=True)
from django.contrib.auth import get_user_model
from finance.models import StatementFiles
from finance.services.rates import staff_rate_save
from finance.services.statement_files import statement_files_request
from finance.services.statements import statement_create
from finance.services.timesheets import (
    EntryInput, timesheet_approve, timesheet_open, timesheet_save, timesheet_sign)
from programmes.models import Person, Programme
from tests.conftest import email_of
def user(key):
    return get_user_model().objects.get(username=email_of(key))
programme = Programme.objects.get(slug="cities-grow")
officer = user("athens-officer-1")
sheet = timesheet_open(actor=officer, programme=programme, month=date(2017, 3, 1))
entries = [EntryInput(date(2017, 3, d), "visit", Decimal("7.5")) for d in range(6, 11)]
sheet = timesheet_save(actor=officer, timesheet=sheet, entries=entries,
    days=[e.day for e in entries], revision=sheet.revision)
sheet = timesheet_sign(actor=officer, timesheet=sheet)
from tests.finance.test_timesheets import prepare_approval
prepare_approval(Person.objects.get(user=officer), user("finance-1"))
timesheet_approve(actor=user("athens-approver-admin"), timesheet=sheet)
statement = statement_create(actor=user("finance-1"), programme=programme, kind="interim",
    period_end=date(2017, 6, 30))
files = statement_files_request(actor=user("finance-1"), statement=statement, language="en")
print(json.dumps({"statement": statement.pk,
    "status": StatementFiles.objects.get(pk=files.pk).status}))
"""

# Another process, as a second web process would: an auditor polls the statement's page until
# it links the files, then downloads the XLSX; and the row as its own connection reads it.
STATEMENT_READ = """
from django.test.utils import setup_test_environment
setup_test_environment()
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from finance.models import StatementFiles
from tests.conftest import email_of
client = Client()
client.force_login(get_user_model().objects.get(username=email_of("auditor-1")))
page_url = reverse("finance:statement", args=["cities-grow", STATEMENT])
file_url = reverse("finance:statement_file", args=["cities-grow", STATEMENT, "xlsx"])
seen, deadline = [], time.monotonic() + 60
while time.monotonic() < deadline:
    page = client.get(page_url).content.decode()
    seen.append("done" if file_url in page else "waiting" if 'data-waiting="true"' in page
        else "other")
    if seen[-1] == "done":
        break
    time.sleep(0.2)
download = client.get(file_url)
body = b"".join(download.streaming_content) if download.streaming else b""
row = StatementFiles.objects.get(statement_id=STATEMENT, language="en")
print(json.dumps({"seen": seen, "zip": body[:2] == b"PK", "status": row.status,
    "progress": row.progress}))
"""


def _statement_through_the_queue(tmp_path, storage: dict[str, str]) -> None:
    env = _queue_env(tmp_path, storage)
    enqueued = json.loads(_shell(env, STATEMENT_ENQUEUE))
    assert enqueued["status"] == "queued"  # not generated in the web process
    worker = _manage(env, "run_huey")
    try:
        read = json.loads(
            _shell(env, STATEMENT_READ.replace("STATEMENT", str(enqueued["statement"])))
        )
    finally:
        worker.terminate()
        worker.communicate(timeout=30)
    assert read["seen"][-1] == "done", read
    assert set(read["seen"]) <= {"waiting", "done"}, read
    assert read["status"] == "done" and read["progress"] == 100
    assert read["zip"] is True  # the XLSX the worker stored, served to the other process


def test_a_statements_files_are_generated_by_a_worker_of_the_sqlite_queue(tmp_path):
    _statement_through_the_queue(tmp_path, {"HUEY_SQLITE_PATH": str(tmp_path / "huey.sqlite3")})


@pytest.mark.skipif(
    not os.environ.get("REQUIRE_REDIS") and not _redis_answers(),
    reason="Redis does not answer at 127.0.0.1:6379",
)
def test_a_statements_files_are_generated_by_a_worker_of_the_redis_queue(tmp_path):
    _statement_through_the_queue(tmp_path, {"HUEY_REDIS_URL": REDIS_URL})
