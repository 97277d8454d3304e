"""The CITIES-GROW programme, its benchmarks, demo self-assessments and the illustrative
good-practice corpus are loaded once per test database; each test runs in a transaction that is
rolled back, so tests may change it freely."""

import io
import json

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import translation

from assessments.services.loading import DEFAULT_FILE as ASSESSMENT_DATA_FILE
from assessments.services.loading import assessment_data_load_file
from knowledge.services.exchange import CORPUS_FILE, practices_import
from programmes.services.loading import DATA_DIR, programme_load_file
from tests import second_factor

# The test client's force_login also passes the second factor with a real device (see
# tests/second_factor.py): tests sign people in as they are, not around the platform's rules.
second_factor.install()

DATA_FILE = DATA_DIR / "cities-grow.json"
PEOPLE = {p["key"]: p for p in json.loads(DATA_FILE.read_text(encoding="utf-8"))["people"]}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        programme_load_file(DATA_FILE, with_demo_accounts=True)
        assessment_data_load_file(ASSESSMENT_DATA_FILE)
        practices_import(
            actor=None, content=CORPUS_FILE.read_text(encoding="utf-8"), file_format="json"
        )


# The setup target of the Makefile, in its order (the programme with its demo accounts first).
DEMO_LOADERS = [
    ("load_programme", "--demo-accounts", "--quiet-accounts"),
    ("load_assessment_data",),
    ("load_demo_events",),
    ("load_practices",),
    ("load_demo_finance",),
    ("load_demo_year",),
]


def load_demo_as_make_setup_does() -> tuple[str, str]:
    """Every demo loader of `make setup`: what they printed and what they warned."""
    out, err = io.StringIO(), io.StringIO()
    for name, *args in DEMO_LOADERS:
        call_command(name, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def living_demo(django_db_setup, django_db_blocker):
    """The living demo (month 18) as `make run` shows it, loaded once for a test module inside
    a transaction rolled back at its end: the other modules keep the session database as it
    was. Tests of the module use it without a database mark of their own."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield load_demo_as_make_setup_does()
        transaction.set_rollback(True)


def email_of(key: str) -> str:
    return PEOPLE[key]["email"]


@pytest.fixture(scope="session")
def object_store():
    """An S3-compatible object store on 127.0.0.1 (tests/object_store.py), started on first use."""
    from tests.object_store import object_store_started

    yield from object_store_started()


@pytest.fixture
def user_of(django_user_model):
    def get(key: str):
        return django_user_model.objects.get(username=email_of(key))

    return get


@pytest.fixture
def client_of(client, user_of):
    """A test client logged in as the demo person with this data-file key."""

    def log_in(key: str):
        client.force_login(user_of(key))
        return client

    return log_in


@pytest.fixture(autouse=True)
def _default_language():
    """A request in French leaves French active in the thread; the next test starts in English."""
    yield
    translation.activate("en")
