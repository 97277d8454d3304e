"""Backups of a whole installation, and their restore into an empty one (`manage.py
backup_platform`, `manage.py restore_platform`; docs/operators.md, "Backups").

A backup is one tar archive (gzip) holding:
- `manifest.json`: when, from which database engine, the last migration of each app, the rows of
  every table and the SHA-256 of every private file;
- the database, consistent at one instant: PostgreSQL's `pg_dump` (custom format) taken inside an
  exported snapshot, the same snapshot in which the rows are counted; SQLite's online backup;
- `media/`: the private files (uploads, generated documents) of the file storage (MEDIA_ROOT, or
  the object store's bucket), read through the storage after the database. Files are written once
  under random names and never changed, so every file the database names is there, except one
  whose record was deleted during the copy.

A restore refuses a database or a file storage that is not empty, loads the database and the files,
then checks the rows of every table and every file's checksum against the manifest. It restores
into the same database engine (PostgreSQL to PostgreSQL, SQLite to SQLite); the files may go to
another kind of storage (a folder's backup restores into a bucket, and back).
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection

FORMAT = "cities-grow-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA = "media"
DUMPS = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}


class BackupError(Exception):
    """A backup or a restore could not be done; the message says why and what to do."""


@dataclass
class Manifest:
    created: str
    engine: str
    tables: dict[str, int]
    files: dict[str, str]  # a file's name in the storage (POSIX) -> SHA-256
    migrations: dict[str, str] = field(default_factory=dict)

    def as_json(self) -> bytes:
        return json.dumps(
            {"format": FORMAT, "format_version": FORMAT_VERSION, **self.__dict__}, indent=1
        ).encode()

    @classmethod
    def read(cls, raw: bytes) -> Manifest:
        data = json.loads(raw)
        if data.get("format") != FORMAT or data.get("format_version") != FORMAT_VERSION:
            raise BackupError("This file is not a backup of this platform (or of a newer one).")
        return cls(
            created=data["created"],
            engine=data["engine"],
            tables=data["tables"],
            files=data["files"],
            migrations=data.get("migrations", {}),
        )


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in DUMPS:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {vendor}.")
    return vendor


def _files(storage: Any, folder: str = "") -> Iterator[str]:
    """Every file's name in the storage (a folder or a bucket), in order."""
    try:
        directories, files = storage.listdir(folder)
    except FileNotFoundError:  # a MEDIA_ROOT not created yet
        return
    prefix = f"{folder}/" if folder else ""
    for name in sorted(files):
        yield prefix + name
    for directory in sorted(directories):
        yield from _files(storage, prefix + directory)


def _sha256(storage: Any, name: str) -> str:
    digest = hashlib.sha256()
    with storage.open(name, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class _Hashing:
    """A file read once into the archive, its SHA-256 taken on the way."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream, self.digest = stream, hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        block = self.stream.read(size)
        self.digest.update(block)
        return block


def _libpq() -> tuple[str, dict[str, str]]:
    """The database's connection string for pg_dump and pg_restore (the password, if any, in
    their environment, never on a command line)."""
    db = settings.DATABASES["default"]
    parts = {"dbname": db["NAME"], "host": db.get("HOST"), "port": db.get("PORT")}
    parts["user"] = db.get("USER")
    conninfo = " ".join(f"{k}={v}" for k, v in parts.items() if v)
    env = {**os.environ, **({"PGPASSWORD": db["PASSWORD"]} if db.get("PASSWORD") else {})}
    return conninfo, env


def _tool(name: str) -> str:
    found = os.environ.get(name.upper().replace("_", "")) or shutil.which(name)
    if not found:
        raise BackupError(f"{name} is needed (PostgreSQL's client tools, the server's version).")
    return found


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {done.stderr.strip()[-2000:]}")


def _count(cursor: Any, tables: list[str], quote: Any) -> dict[str, int]:
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT count(*) FROM {quote(table)}")  # noqa: S608 - a table's own name
        counts[table] = int(cursor.fetchone()[0])
    return counts


def _dump_postgresql(target: Path) -> dict[str, int]:
    """pg_dump inside an exported snapshot, the rows counted in the same snapshot."""
    conninfo, env = _libpq()
    with connection.cursor() as cursor:
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        try:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
            tables = [row[0] for row in cursor.fetchall()]
            counts = _count(cursor, tables, connection.ops.quote_name)
            _run(
                [
                    _tool("pg_dump"),
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    f"--file={target}",
                    f"--dbname={conninfo}",
                ],
                env,
            )
        finally:
            cursor.execute("ROLLBACK")
    return counts


def _sqlite_tables(database: sqlite3.Connection) -> list[str]:
    rows = database.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).fetchall()
    return [row[0] for row in rows]


def _sqlite_counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as database:
        cursor = database.cursor()
        counts = _count(cursor, _sqlite_tables(database), lambda name: f'"{name}"')
    database.close()
    return counts


def _dump_sqlite(target: Path) -> dict[str, int]:
    source = sqlite3.connect(settings.DATABASES["default"]["NAME"])
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)  # consistent: SQLite's online backup
    finally:
        copy.close()
        source.close()
    return _sqlite_counts(target)


def _migrations() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
        return dict(cursor.fetchall())


def backup_create(output: Path) -> Manifest:
    """Write a backup of the database and the private files to `output` (a .tar.gz)."""
    engine, storage = _engine(), default_storage
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="platform-backup-") as work:
        dump = Path(work) / DUMPS[engine]
        migrations = _migrations()
        tables = _dump_postgresql(dump) if engine == "postgresql" else _dump_sqlite(dump)
        partial = output.with_name(output.name + ".partial")
        files: dict[str, str] = {}
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(dump, arcname=dump.name)
            for name in _files(storage):
                with storage.open(name, "rb") as stream:
                    info = tarfile.TarInfo(f"{MEDIA}/{name}")
                    info.size = storage.size(name)
                    info.mtime = int(storage.get_modified_time(name).timestamp())
                    hashing = _Hashing(stream)
                    archive.addfile(info, hashing)
                files[name] = hashing.digest.hexdigest()
            manifest = Manifest(
                created=datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
                engine=engine,
                tables=tables,
                files=files,
                migrations=migrations,
            )
            raw = manifest.as_json()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(raw), int(datetime.datetime.now(datetime.UTC).timestamp())
            archive.addfile(info, io.BytesIO(raw))
        partial.replace(output)  # never a half-written backup under the final name
    return manifest


def _safe_member(member: tarfile.TarInfo) -> bool:
    path = PurePosixPath(member.name)
    return member.isfile() and not path.is_absolute() and ".." not in path.parts


def _empty_database() -> bool:
    return not connection.introspection.table_names()


def backup_restore(source: Path) -> Manifest:
    """Restore the backup at `source` into this installation, whose database and file storage
    must be empty; then check every table's rows and every file's checksum."""
    engine, storage = _engine(), default_storage
    if not _empty_database():
        raise BackupError(
            "The database is not empty: restore into a new, empty database (created, not migrated)."
        )
    if next(_files(storage), None) is not None:
        raise BackupError(
            "The file storage (MEDIA_ROOT, or the bucket) is not empty: restore into an empty one."
        )
    with (
        tempfile.TemporaryDirectory(prefix="platform-restore-") as work,
        tarfile.open(source, "r:*") as archive,
    ):
        members = {m.name: m for m in archive.getmembers() if _safe_member(m)}
        if MANIFEST not in members:
            raise BackupError("This file is not a backup of this platform: it has no manifest.")
        manifest = Manifest.read(_read(archive, members[MANIFEST]))
        if manifest.engine != engine:
            raise BackupError(
                f"This backup is of a {manifest.engine} database; this installation uses "
                f"{engine}. Restore it into the same engine."
            )
        dump = Path(work) / DUMPS[engine]
        _extract(archive, members[DUMPS[engine]], dump)
        if engine == "postgresql":
            conninfo, env = _libpq()
            connection.close()
            _run(
                [
                    _tool("pg_restore"),
                    "--no-owner",
                    "--no-privileges",
                    "--exit-on-error",
                    "--single-transaction",
                    f"--dbname={conninfo}",
                    str(dump),
                ],
                env,
            )
        else:
            connection.close()
            name = Path(settings.DATABASES["default"]["NAME"])
            for leftover in (name, Path(f"{name}-wal"), Path(f"{name}-shm")):
                leftover.unlink(missing_ok=True)  # the empty file the check above opened
            shutil.copyfile(dump, name)
        for member_name, member in members.items():
            if member_name.startswith(f"{MEDIA}/"):
                _store(archive, member, storage, member_name.removeprefix(f"{MEDIA}/"))
    _verify(manifest, storage)
    return manifest


def _extract(archive: tarfile.TarFile, member: tarfile.TarInfo, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with _open(archive, member) as stream, target.open("wb") as out:
        shutil.copyfileobj(stream, out)


def _store(archive: tarfile.TarFile, member: tarfile.TarInfo, storage: Any, name: str) -> None:
    with _open(archive, member) as stream:
        content = File(stream, name=name)
        content.size = member.size
        saved = storage.save(name, content)
    if saved != name:
        raise BackupError(f"The storage kept {name} as {saved}: restore into an empty storage.")


def _open(archive: tarfile.TarFile, member: tarfile.TarInfo) -> IO[bytes]:
    stream = archive.extractfile(member)
    if stream is None:
        raise BackupError(f"The backup's {member.name} cannot be read.")
    return stream


def _read(archive: tarfile.TarFile, member: tarfile.TarInfo) -> bytes:
    with _open(archive, member) as stream:
        return stream.read()


def table_counts() -> dict[str, int]:
    """Every table's rows in this installation's database, now."""
    with connection.cursor() as cursor:
        return _count(cursor, connection.introspection.table_names(), connection.ops.quote_name)


def _verify(manifest: Manifest, storage: Any) -> None:
    counts = table_counts()
    wrong_rows = {
        table: (rows, counts.get(table))
        for table, rows in manifest.tables.items()
        if counts.get(table) != rows
    }
    files = set(_files(storage))
    wrong_files = sorted(
        name
        for name, digest in manifest.files.items()
        if name not in files or _sha256(storage, name) != digest
    )
    if wrong_rows or wrong_files:
        raise BackupError(
            "The restored installation differs from the backup: "
            f"tables {wrong_rows or 'all equal'}; files {wrong_files or 'all equal'}."
        )
