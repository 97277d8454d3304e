"""Riding out a lost database connection: PostgreSQL restarted, a failover, a network drop.

A connection kept between requests is tested before a request uses it (CONN_HEALTH_CHECKS);
this covers the connection cut while a request or a task is using it:
- a read (GET, HEAD, OPTIONS) is answered again on a new connection, a few times over about
  four seconds, instead of a 500 (LostDatabaseRetryMiddleware); a write is never repeated, as
  it may have committed part of its work;
- a task of the queue re-raises (`database_lost`), and Huey tries it again (its `retries`).
"""

from __future__ import annotations

import contextlib
import logging
import sys
import time
from collections.abc import Callable
from typing import Any

from django.core.signals import got_request_exception
from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
RETRY_DELAYS = (0.1, 0.5, 1.0, 2.5)  # seconds before each new try of a read


def database_lost(error: BaseException) -> bool:
    """The error is a connection that went away (or could not be made), not a refused query."""
    if isinstance(error, InterfaceError):
        return True
    if not isinstance(error, OperationalError):
        return False
    opened = [c for c in connections.all(initialized_only=True) if c.connection is not None]
    return not opened or any(not c.is_usable() for c in opened)


def connections_reset() -> None:
    """Drop every connection of this thread: the next query opens a new one."""
    for alias in connections:
        with contextlib.suppress(DatabaseError):
            connections[alias].close()


def _mark_lost(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    error = sys.exc_info()[1]
    if request is not None and error is not None and database_lost(error):
        request.database_lost = True  # type: ignore[attr-defined]


got_request_exception.connect(_mark_lost, dispatch_uid="core.resilience.mark_lost")


class LostDatabaseRetryMiddleware:
    """Outermost: a read that failed because the database connection was lost runs again."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        safe = request.method in SAFE_METHODS
        request.database_retries_left = len(RETRY_DELAYS) if safe else 0  # type: ignore[attr-defined]
        response = self.get_response(request)
        if not safe:
            return response
        for delay in RETRY_DELAYS:
            if not getattr(request, "database_lost", False):
                break
            request.database_lost = False  # type: ignore[attr-defined]
            request.database_retries_left -= 1  # type: ignore[attr-defined]
            logger.warning("Database connection lost during %s: trying again", request.path)
            connections_reset()
            time.sleep(delay)
            response = self.get_response(request)
        return response


class RetriedReadFilter(logging.Filter):
    """On Django's request logger: the 500 of a read that is about to be answered again is not
    an error (the middleware logs a warning instead); the last try's failure still is."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        retried = getattr(request, "database_lost", False) and getattr(
            request, "database_retries_left", 0
        )
        return not retried
