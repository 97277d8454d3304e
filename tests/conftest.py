"""The CITIES-GROW programme, its benchmarks, demo self-assessments and the illustrative
good-practice corpus are loaded once per test database; each test runs in a transaction that is
rolled back, so tests may change it freely."""

import json

import pytest
from django.utils import translation

from assessments.services.loading import DEFAULT_FILE as ASSESSMENT_DATA_FILE
from assessments.services.loading import assessment_data_load_file
from knowledge.services.exchange import CORPUS_FILE, practices_import
from programmes.services.loading import DATA_DIR, programme_load_file

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


def email_of(key: str) -> str:
    return PEOPLE[key]["email"]


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
