"""Places under concurrent registrations and cancellations: the conference never holds more
confirmed delegates than its places, a workshop never more than its own, nobody is lost between
confirmed and waiting, and a cancellation moves up exactly the longest waiting.

Threads need committed data they can all see, and the session's test database must stay as it
is for the other tests (a transactional test would flush the programme loaded once per
session). So each test runs on a throw-away copy of the session database: a file copied with
SQLite's backup API (WAL and BEGIN IMMEDIATE as configured, so concurrency is the real one of
a file database), or a PostgreSQL database made from the test database as a template (CI's
second run, DATABASE_URL). Every thread, the test's own included, points its connection at
the copy; the copy is dropped at the end.
"""

from __future__ import annotations

import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import connection, connections

from conference.choices import PlaceStatus
from conference.models import Conference, Registration, SessionChoice
from conference.services import Placed, register, registration_cancel
from tests.conference.builders import delegate, icc, workshop

CAPACITY = 5
WORKSHOP_PLACES = 2
REGISTRANTS = 12
CANCELLING = 3

# The mark has the session's database set up; the test itself works on its copy.
pytestmark = pytest.mark.django_db


@contextmanager
def _connected_to(name: str) -> Iterator[None]:
    """Point this thread's default connection at the database `name` while inside."""
    original = connections["default"]
    settings_dict = {**original.settings_dict, "NAME": name}
    if original.vendor == "sqlite":
        # A loaded CI machine may keep a writer waiting more than the default 5 s.
        settings_dict["OPTIONS"] = {**settings_dict.get("OPTIONS", {}), "timeout": 60}
    copy = original.__class__(settings_dict, alias="default")
    connections["default"] = copy
    try:
        yield
    finally:
        copy.close()
        connections["default"] = original


@pytest.fixture(scope="module")
def database_copy(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[str]:
    """The name of a throw-away copy of the session's test database, made before any test of
    the module opens its transaction (a PostgreSQL template takes no other connection)."""
    with django_db_blocker.unblock():
        if connection.vendor == "sqlite":
            path = str(tmp_path_factory.mktemp("concurrency") / "platform.sqlite3")
            connection.ensure_connection()
            target = sqlite3.connect(path)
            try:
                connection.connection.backup(target)
            finally:
                target.close()
            yield path
            return
        if connection.vendor != "postgresql":
            pytest.skip(f"no copy made for {connection.vendor}")
        template = connection.settings_dict["NAME"]
        name = f"{template}_concurrency_{uuid.uuid4().hex[:8]}"
        connection.close()  # a template database takes no other connection while copied
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        try:
            yield name
        finally:
            with connection._nodb_cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


def _all_at_once(database: str, jobs: list[Callable[[], Any]]) -> list[Any]:
    """Run every job in its own thread, released together; their results in order. A job's
    exception fails the test."""
    barrier = threading.Barrier(len(jobs))
    results: list[Any] = [None] * len(jobs)
    errors: list[BaseException] = []

    def run(index: int, job: Callable[[], Any]) -> None:
        try:
            with _connected_to(database):
                barrier.wait(timeout=60)
                results[index] = job()
        except BaseException as error:  # reported by the test
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(thread.is_alive() for thread in threads), "a thread never finished"
    assert not errors, errors
    return results


class _Watch:
    """Reads the confirmed counts over and over from its own connection while the threads
    work: the highest ever seen, conference and workshop."""

    def __init__(self, database: str, conference_pk: int, session_pk: int) -> None:
        self.database, self.conference_pk, self.session_pk = database, conference_pk, session_pk
        self.most = (0, 0)
        self.reads = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run)
        self.errors: list[BaseException] = []

    def _run(self) -> None:
        try:
            with _connected_to(self.database):
                while not self._stop.is_set():
                    confirmed = Registration.objects.filter(
                        conference_id=self.conference_pk, status=PlaceStatus.CONFIRMED
                    ).count()
                    in_workshop = SessionChoice.objects.filter(
                        session_id=self.session_pk,
                        status=PlaceStatus.CONFIRMED,
                        registration__status=PlaceStatus.CONFIRMED,
                    ).count()
                    self.most = (max(self.most[0], confirmed), max(self.most[1], in_workshop))
                    self.reads += 1
        except BaseException as error:  # reported by the test
            self.errors.append(error)

    def __enter__(self) -> _Watch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=60)


def _by_queue(conference: Conference) -> list[Registration]:
    return list(conference.registrations.order_by("queued_at", "pk").prefetch_related("choices"))


def test_concurrent_registrations_and_cancellations_keep_the_places_exact(database_copy):
    with _connected_to(database_copy):
        conference = icc(capacity=CAPACITY, workshop_places=WORKSHOP_PLACES)
        session = workshop(conference)

        # 12 delegates register at the same moment, each choosing the same workshop.
        with _Watch(database_copy, conference.pk, session.pk) as watch:
            placed: list[Placed] = _all_at_once(
                database_copy,
                [
                    lambda n=n: register(
                        conference=conference, data=delegate(n, session_ids=(session.pk,))
                    )
                    for n in range(REGISTRANTS)
                ],
            )
        assert not watch.errors, watch.errors
        assert watch.reads > 0
        assert watch.most[0] <= CAPACITY and watch.most[1] <= WORKSHOP_PLACES

        queue = _by_queue(conference)
        assert sorted(r.pk for r in queue) == sorted(p.registration.pk for p in placed)
        assert len(queue) == REGISTRANTS  # nobody lost
        # The first five to take the lock are confirmed, the others wait in their order.
        assert [r.status for r in queue] == ["confirmed"] * CAPACITY + ["waiting"] * (
            REGISTRANTS - CAPACITY
        )
        assert all(len(r.choices.all()) == 1 for r in queue)  # every choice kept
        workshop_places = [r.choices.all()[0].status for r in queue[:CAPACITY]]
        assert workshop_places == ["confirmed"] * WORKSHOP_PLACES + ["waiting"] * (
            CAPACITY - WORKSHOP_PLACES
        )
        assert not any(c.status == "confirmed" for r in queue[CAPACITY:] for c in r.choices.all())

        # The first three confirmed (both workshop places among them) cancel at once.
        tokens = {p.registration.pk: p.token for p in placed}
        leaving = queue[:CANCELLING]
        with _Watch(database_copy, conference.pk, session.pk) as watch:
            cancelled: list[Placed] = _all_at_once(
                database_copy,
                [lambda r=r: registration_cancel(raw_token=tokens[r.pk]) for r in leaving],
            )
        assert not watch.errors, watch.errors
        assert watch.most[0] <= CAPACITY and watch.most[1] <= WORKSHOP_PLACES

        moved_up = {r.pk for c in cancelled for r in c.moved_up}
        waited_longest = queue[CAPACITY : CAPACITY + CANCELLING]
        # Exactly the three who waited longest moved up to the conference (the others moved
        # up into the workshop: the two confirmed delegates who had waited for it).
        assert {r.pk for r in waited_longest} <= moved_up
        after = {r.pk: r for r in _by_queue(conference)}
        assert len(after) == REGISTRANTS
        statuses = [after[r.pk].status for r in queue]
        assert statuses == (
            ["cancelled"] * CANCELLING
            + ["confirmed"] * (CAPACITY - CANCELLING)
            + ["confirmed"] * CANCELLING
            + ["waiting"] * (REGISTRANTS - CAPACITY - CANCELLING)
        )
        # The workshop: its two places went to the confirmed delegates who chose it first.
        holders = [
            r.pk
            for r in queue
            if after[r.pk].status == "confirmed"
            and after[r.pk].choices.all()[0].status == "confirmed"
        ]
        assert holders == [r.pk for r in queue[CANCELLING:CAPACITY]]
        # Moved up: those three, the workshop's new holders, and maybe a delegate given the
        # workshop by an earlier cancellation just before cancelling too.
        expected = {r.pk for r in waited_longest} | set(holders)
        assert expected <= moved_up <= expected | {r.pk for r in leaving}
        assert all(c.status == "cancelled" for r in leaving for c in after[r.pk].choices.all())
