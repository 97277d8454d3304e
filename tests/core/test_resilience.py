"""A read whose database connection was lost mid-request is answered again on a new connection
instead of a 500; a write is never repeated; a refused query (the connection still usable) is
not a lost connection."""

import logging

import pytest
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.test import RequestFactory

from core import resilience
from core.resilience import LostDatabaseRetryMiddleware, database_lost


class Flaky:
    """A site whose first `failures` answers lose the database (as Django's handler turns the
    error into a 500 and signals it), then answer 200."""

    def __init__(self, failures: int, error: Exception) -> None:
        self.failures, self.error, self.calls = failures, error, 0

    def __call__(self, request):
        self.calls += 1
        if self.calls <= self.failures:
            try:
                raise self.error
            except Exception:
                got_request_exception.send(sender=None, request=request)
                logging.getLogger("django.request").error(
                    "Internal Server Error: %s", request.path, extra={"request": request}
                )
            return HttpResponseServerError()
        return HttpResponse("fine")


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch):
    resets = []
    monkeypatch.setattr(resilience, "connections_reset", lambda: resets.append(1))
    monkeypatch.setattr(resilience.time, "sleep", lambda seconds: None)
    return resets


def _errors(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


def test_a_read_whose_connection_was_lost_is_answered_again(no_waiting, caplog):
    site = Flaky(2, InterfaceError("connection already closed"))
    response = LostDatabaseRetryMiddleware(site)(RequestFactory().get("/programmes/"))
    assert (response.status_code, site.calls, len(no_waiting)) == (200, 3, 2)
    assert _errors(caplog) == []  # answered: two warnings, no error
    assert len([r for r in caplog.records if r.levelno == logging.WARNING]) == 2


def test_it_gives_up_after_its_tries(caplog):
    site = Flaky(99, InterfaceError("connection already closed"))
    response = LostDatabaseRetryMiddleware(site)(RequestFactory().get("/programmes/"))
    assert response.status_code == 500
    assert site.calls == 1 + len(resilience.RETRY_DELAYS)
    assert _errors(caplog) == ["Internal Server Error: /programmes/"]  # the last try's


def test_a_write_is_never_repeated(caplog):
    site = Flaky(1, InterfaceError("connection already closed"))
    response = LostDatabaseRetryMiddleware(site)(RequestFactory().post("/claims/", {"a": "1"}))
    assert (response.status_code, site.calls) == (500, 1)
    assert _errors(caplog) == ["Internal Server Error: /claims/"]


def test_any_other_error_is_not_repeated():
    site = Flaky(1, ValueError("a bug"))
    response = LostDatabaseRetryMiddleware(site)(RequestFactory().get("/programmes/"))
    assert (response.status_code, site.calls) == (500, 1)


@pytest.mark.django_db
def test_a_refused_query_on_a_usable_connection_is_not_a_lost_connection():
    from django.db import connection

    connection.ensure_connection()
    assert database_lost(OperationalError("no such column: x")) is False
    assert database_lost(InterfaceError("connection already closed")) is True
