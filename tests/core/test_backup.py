"""A backup restores: an installation is backed up (`backup_platform`) and restored into an empty
one (`restore_platform`), on SQLite and on PostgreSQL; the restored installation has the same
rows in every table and the same private files, and a person logs in on it. Each installation is
its own processes and database, as an operator's two machines would be."""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import socket
import subprocess
import tarfile
from pathlib import Path

import pytest

from tests.conftest import email_of
from tests.processes import POSTGRES, manage, platform_env, psql

ROOT = Path(__file__).resolve().parents[2]
FILES = {
    "receipts/5f0c9e.pdf": b"%PDF-1.7 a hotel's receipt",
    "deliverables/2017/d3-1.docx": os.urandom(4096),
    "videos/c0ffee.mp4": os.urandom(70_000),
}


def _postgres_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=0.5):
            return True
    except OSError:
        return False


class Installation:
    """One installation of the platform: its database, MEDIA_ROOT and queue file."""

    def __init__(self, folder: Path, engine: str, storage: dict[str, str] | None = None) -> None:
        folder.mkdir(parents=True)
        self.folder, self.engine, self.media = folder, engine, folder / "media"
        self.pg_name = f"cg_backup_{os.getpid()}_{secrets.token_hex(3)}"
        database = (
            f"{POSTGRES}/{self.pg_name}"
            if engine == "postgresql"
            else f"sqlite:///{folder / 'platform.sqlite3'}"
        )
        self.env = platform_env(
            DJANGO_SETTINGS_MODULE="config.settings.base",
            DATABASE_URL=database,
            MEDIA_ROOT=str(self.media),
            HUEY_SQLITE_PATH=str(folder / "huey.sqlite3"),
            **(storage or {}),  # its files in a bucket rather than in MEDIA_ROOT
        )
        if engine == "postgresql":
            psql(f'CREATE DATABASE "{self.pg_name}"')

    def drop(self) -> None:
        if self.engine == "postgresql":
            psql(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')

    def manage(self, *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
        done = manage(self.env, *args)
        if ok:
            assert done.returncode == 0, f"{args}:\n{done.stdout}\n{done.stderr}"
        return done

    def python(self, code: str) -> str:
        return self.manage("shell", "-c", code).stdout

    def rows(self) -> dict[str, int]:
        code = (
            "import json; from core.backups import table_counts; print(json.dumps(table_counts()))"
        )
        return dict(json.loads(self.python(code).strip().splitlines()[-1]))

    def files(self) -> dict[str, str]:
        return {
            path.relative_to(self.media).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in self.media.rglob("*")
            if path.is_file()
        }


LOG_IN = f"""
from django.test import Client
person = Client(HTTP_HOST="127.0.0.1")
answer = person.post("/accounts/login/", {{"username": "{email_of("athens-officer-1")}",
                                           "password": "cities-grow-demo"}})
home = person.get("/")
print(answer.status_code, answer["Location"], home.status_code, "Log out" in home.content.decode())
"""


@pytest.mark.parametrize(
    "engine",
    [
        "sqlite",
        pytest.param(
            "postgresql",
            marks=pytest.mark.skipif(
                not os.environ.get("REQUIRE_REDIS") and not _postgres_answers(),
                reason="PostgreSQL does not answer on 127.0.0.1:5432",
            ),
        ),
    ],
)
def test_a_backup_restores_into_an_empty_installation(tmp_path, engine):
    source = Installation(tmp_path / "source", engine)
    target = Installation(tmp_path / "target", engine)
    try:
        source.manage("migrate", "--no-input", "-v", "0")
        source.manage("load_programme", "--demo-accounts")
        for name, content in FILES.items():
            (source.media / name).parent.mkdir(parents=True, exist_ok=True)
            (source.media / name).write_bytes(content)
        archive = tmp_path / "backups" / "nightly.tar.gz"
        said = source.manage("backup_platform", "--output", str(archive)).stdout
        assert f"and {len(FILES)} files to {archive}" in said

        restored = target.manage("restore_platform", str(archive)).stdout
        assert "each checked" in restored

        rows = source.rows()
        assert rows["programmes_person"] > 0 and rows["programmes_membership"] > 0
        assert target.rows() == rows  # every table, row for row
        assert target.files() == source.files()
        assert len(target.files()) == len(FILES)
        status, location, home, logged_in = target.python(LOG_IN).splitlines()[-1].split()
        assert (status, location, home, logged_in) == ("302", "/", "200", "True")

        # A second restore into what is now a full installation is refused, and changes nothing.
        logged = target.rows()
        again = target.manage("restore_platform", str(archive), ok=False)
        assert again.returncode != 0
        assert "The database is not empty" in again.stderr
        assert target.rows() == logged
    finally:
        source.drop()
        target.drop()


def test_a_file_that_is_not_a_backup_is_refused(tmp_path):
    target = Installation(tmp_path / "target", "sqlite")
    stray = tmp_path / "holiday.tar.gz"

    with tarfile.open(stray, "w:gz") as archive:
        archive.add(__file__, arcname="photo.jpg")
    refused = target.manage("restore_platform", str(stray), ok=False)
    assert refused.returncode != 0
    assert "not a backup of this platform" in refused.stderr


def test_a_folders_backup_restores_into_a_bucket_and_the_buckets_backs_up(tmp_path, object_store):
    source = Installation(tmp_path / "source", "sqlite")
    bucket = object_store.new_bucket()
    target = Installation(tmp_path / "target", "sqlite", storage=object_store.env(bucket))
    source.manage("migrate", "--no-input", "-v", "0")
    source.manage("load_programme", "--demo-accounts")
    for name, content in FILES.items():
        (source.media / name).parent.mkdir(parents=True, exist_ok=True)
        (source.media / name).write_bytes(content)
    archive = tmp_path / "folder.tar.gz"
    source.manage("backup_platform", "--output", str(archive))

    assert "each checked" in target.manage("restore_platform", str(archive)).stdout
    assert object_store.objects(bucket) == FILES
    assert not target.media.exists()  # nothing went to a local folder
    assert target.rows() == source.rows()
    status, location, home, logged_in = target.python(LOG_IN).splitlines()[-1].split()
    assert (status, location, home, logged_in) == ("302", "/", "200", "True")

    # The bucket's installation backs up its files from the bucket, checksums and all.
    again = tmp_path / "bucket.tar.gz"
    target.manage("backup_platform", "--output", str(again))
    with tarfile.open(again) as backup:
        manifest = json.loads(backup.extractfile("manifest.json").read())
        copied = {
            m.name.removeprefix("media/"): backup.extractfile(m).read()
            for m in backup.getmembers()
            if m.name.startswith("media/")
        }
    assert copied == FILES
    assert manifest["files"] == {n: hashlib.sha256(c).hexdigest() for n, c in FILES.items()}
    # Restoring into the bucket again is refused: it is not empty.
    other = Installation(tmp_path / "other", "sqlite", storage=object_store.env(bucket))
    refused = other.manage("restore_platform", str(again), ok=False)
    assert refused.returncode != 0
    assert "The file storage (MEDIA_ROOT, or the bucket) is not empty" in refused.stderr
