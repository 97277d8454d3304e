"""Progress of a long task, written to its database row so that every web process reads it.

A solver reports progress from threads of its own, often many times a second. `RowProgress`
keeps only the latest report and a thread of its own writes it to the row at most every
`interval` seconds (one connection, closed when the task ends), so the task's own transaction
and connection are never touched from another thread.
"""

from __future__ import annotations

import logging
import threading
from types import TracebackType
from typing import Any

from django.db import connection, models

logger = logging.getLogger(__name__)


class RowProgress:
    """Use as a context manager around the work; call the instance with each progress report."""

    def __init__(
        self, queryset: models.QuerySet[Any], *, field: str = "progress", interval: float = 0.5
    ) -> None:
        self._queryset = queryset
        self._field = field
        self._interval = interval
        self._latest: dict[str, Any] | None = None
        self._written: dict[str, Any] | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True, name="row-progress")

    def __call__(self, progress: dict[str, Any]) -> None:
        with self._lock:
            self._latest = dict(progress)

    def __enter__(self) -> RowProgress:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join()

    def _loop(self) -> None:
        try:
            while not self._stop.wait(self._interval):
                self._write()
        finally:
            connection.close()  # this thread's own connection

    def _write(self) -> None:
        with self._lock:
            latest = self._latest
        if latest is None or latest == self._written:
            return
        try:
            self._queryset.update(**{self._field: latest})
            self._written = latest
        except Exception:  # progress is a courtesy: never let it break the work
            logger.warning("Progress could not be written", exc_info=True)
