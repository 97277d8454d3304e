"""The health endpoint (core.health): 200 when the database, the cache, the storage, the
queue (and Redis where used) answer; 500 naming the check that failed otherwise, never a
secret; a worker's heartbeat older than the limit fails it where workers are required."""

import time

import pytest
from django.db import connections
from huey.contrib.djhuey import HUEY

from core import tasks
from core.health import HEARTBEAT_KEY, last_heartbeat

pytestmark = pytest.mark.django_db


def test_healthy_answers_200_with_each_check(client):
    response = client.get("/health/?format=json")
    assert response.status_code == 200
    body = response.json()
    assert {"Database", "Cache", "Storage", "QueueStorage"} <= {
        label.split("(")[0] for label in body
    }
    assert all(status == "OK" for status in body.values())
    assert "no-cache" in response["Cache-Control"]


def test_a_database_that_does_not_answer_fails_it_without_a_secret(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise connections["default"].Database.OperationalError("password=hunter2 refused")

    monkeypatch.setattr("health_check.checks.Database.run", refuse)
    response = client.get("/health/?format=json")
    assert response.status_code == 500
    failed = {k: v for k, v in response.json().items() if v != "OK"}
    assert [k.split("(")[0] for k in failed] == ["Database"]
    assert "hunter2" not in response.content.decode()


def test_a_queue_storage_that_does_not_answer_fails_it(client, monkeypatch):
    def down():
        raise ConnectionError("redis down")

    monkeypatch.setattr(HUEY, "pending_count", down)
    response = client.get("/health/?format=json")
    assert response.status_code == 500
    assert "down" not in response.content.decode()
    assert any(k.startswith("QueueStorage") and v != "OK" for k, v in response.json().items())


def test_workers_are_required_by_their_heartbeat(client, settings, monkeypatch):
    settings.HEALTH_CHECK_WORKERS = True
    settings.HEALTH_WORKER_STALE_SECONDS = 180
    monkeypatch.setattr(HUEY, "immediate", False)
    HUEY.delete(HEARTBEAT_KEY)
    assert last_heartbeat() is None
    assert client.get("/health/?format=json").status_code == 500  # no worker ever ran

    tasks.worker_heartbeat.call_local()
    assert last_heartbeat() == pytest.approx(time.time(), abs=5)
    assert client.get("/health/?format=json").status_code == 200

    HUEY.put(HEARTBEAT_KEY, time.time() - 181)  # the last worker stopped three minutes ago
    response = client.get("/health/?format=json")
    assert response.status_code == 500
    assert any(k.startswith("QueueWorkers") and v != "OK" for k, v in response.json().items())


def test_the_operators_page_names_each_check(client, monkeypatch):
    monkeypatch.setattr(HUEY, "pending_count", lambda: 1 / 0)
    response = client.get("/health/", HTTP_ACCEPT="text/html")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Not healthy" in page
    assert "QueueStorage" in page
    assert "The task queue&#x27;s storage does not answer." in page
