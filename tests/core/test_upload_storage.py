"""Where uploaded files live: never answered by a /media/ URL (in DEBUG as under the production
settings), only by the scoped view of their record; gone from storage once their record is
deleted or their file replaced; and purged daily when no record names them."""

import importlib
import os
import subprocess
import sys
import time
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import Resolver404, clear_url_caches, resolve, reverse

import config.urls
from action_plans.models import ProgressUpdate
from core.tasks import orphan_files_purge_daily
from core.uploads import EVIDENCE, orphan_files_purge, upload_check, upload_store
from finance.models import Receipt
from tests import upload_samples
from tests.core.upload_fields import targets
from tests.finance.test_claims import _claim

pytestmark = pytest.mark.django_db

TARGETS = {target.key: target for target in targets()}


def _on_disk(name: str) -> bool:
    return (Path(settings.MEDIA_ROOT) / name).is_file()


@pytest.fixture
def urls_in_debug():
    """The URLconf as `make run` builds it (DEBUG on), then as it was."""
    with override_settings(DEBUG=True):
        clear_url_caches()
        importlib.reload(config.urls)
        yield
    clear_url_caches()
    importlib.reload(config.urls)


# ---------------------------------------------------------------- never served by /media/


def _media_url(name: str) -> str:
    return f"{settings.MEDIA_URL}{name}"


def test_media_answers_404_in_debug_and_the_scoped_view_serves_the_file(
    user_of, client_of, urls_in_debug
):
    assert settings.DEBUG
    claim = _claim(user_of)
    receipt = claim.lines.first().receipts.get()
    assert _on_disk(receipt.file.name)
    with pytest.raises(Resolver404):
        resolve(_media_url(receipt.file.name))
    owner = client_of("birmingham-officer-1")
    assert owner.get(_media_url(receipt.file.name)).status_code == 404
    owner.logout()
    assert owner.get(_media_url(receipt.file.name)).status_code == 404
    owner = client_of("birmingham-officer-1")
    scoped = owner.get(reverse("finance:receipt", args=["cities-grow", claim.pk, receipt.pk]))
    assert scoped.status_code == 200
    assert b"".join(scoped.streaming_content).startswith(b"%PDF")


def test_media_answers_404_without_debug(user_of, client_of):
    claim = _claim(user_of)
    receipt = claim.lines.first().receipts.get()
    assert client_of("finance-1").get(_media_url(receipt.file.name)).status_code == 404


def test_media_answers_404_under_the_production_settings(tmp_path):
    """A process started with config.settings.production (its stored files in a test folder,
    its static files unhashed as no collectstatic ran) asks for a stored file by its path."""
    media = tmp_path / "media"
    (media / "receipts").mkdir(parents=True)
    stored = media / "receipts" / "0123456789abcdef0123456789abcdef.pdf"
    stored.write_bytes(upload_samples.pdf("Hotel Adlon"))
    (tmp_path / "production_here.py").write_text(
        "from config.settings.production import *  # noqa\n"
        f"MEDIA_ROOT = {str(media)!r}\n"
        'STORAGES = {**STORAGES, "staticfiles": '
        '{"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}\n'
    )
    script = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "from django.urls import Resolver404, resolve\n"
        "path = '/media/receipts/0123456789abcdef0123456789abcdef.pdf'\n"
        "try:\n    resolve(path); print('resolved')\nexcept Resolver404:\n    print('no route')\n"
        "response = Client(HTTP_HOST='platform.example').get(path, secure=True)\n"
        "print(response.status_code, b'Hotel Adlon' in response.content)\n"
    )
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(settings.BASE_DIR), str(tmp_path)]),
        "DJANGO_SETTINGS_MODULE": "production_here",
        "DJANGO_SECRET_KEY": "production-test-" + "k" * 60,
        "DJANGO_ALLOWED_HOSTS": "platform.example",
        "PLATFORM_BASE_URL": "https://platform.example",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
        "REDIS_URL": "redis://127.0.0.1:6379/15",  # named, never reached
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    answers = [line for line in result.stdout.splitlines() if not line.startswith("{")]
    assert answers[:2] == ["no route", "404 False"], result.stdout  # (the 404's JSON log line)


# ---------------------------------------------------------------- deleted with their record


def test_an_attachment_removed_leaves_storage(
    user_of, client_of, django_capture_on_commit_callbacks
):
    target = TARGETS["attachment"].setup(user_of, client_of)
    assert target.post("plan.pdf", upload_samples.pdf()).status_code == 302
    field, _name, url = target.latest()
    stored = field.name
    assert _on_disk(stored)
    with django_capture_on_commit_callbacks(execute=True):
        response = target.state["client"].post(url + "remove/")
    assert response.status_code == 302
    assert not _on_disk(stored)


def test_a_claim_line_removed_takes_its_receipts_from_storage(
    user_of, client_of, django_capture_on_commit_callbacks
):
    claim = _claim(user_of)
    line = claim.lines.first()
    stored = [receipt.file.name for receipt in line.receipts.all()]
    assert stored and all(_on_disk(name) for name in stored)
    url = reverse("finance:claim_line_remove", args=["cities-grow", claim.pk, line.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert client_of("birmingham-officer-1").post(url).status_code == 302
    assert not any(_on_disk(name) for name in stored)
    # The other lines' receipts stay.
    assert all(_on_disk(r.file.name) for r in Receipt.objects.filter(line__claim=claim))


def test_a_replaced_file_leaves_storage_and_the_new_one_stays(
    user_of, client_of, django_capture_on_commit_callbacks
):
    target = TARGETS["evidence"].setup(user_of, client_of)
    update = target.service("minutes.pdf", upload_samples.pdf())
    update = ProgressUpdate.objects.get(pk=update.pk)  # as a later request loads it
    old = update.evidence.name
    checked = upload_check(ContentFile(upload_samples.png(), name="photo.png"), EVIDENCE)
    with django_capture_on_commit_callbacks(execute=True):
        upload_store(update.evidence, checked)
        update.evidence_name = checked.name
        update.save()
    assert not _on_disk(old)
    assert _on_disk(update.evidence.name) and update.evidence.name != old
    # Deleting the record takes the new file too.
    new = update.evidence.name
    with django_capture_on_commit_callbacks(execute=True):
        update.delete()
    assert not _on_disk(new)


def test_a_file_still_named_by_another_record_is_kept(user_of, django_capture_on_commit_callbacks):
    claim = _claim(user_of)
    first = claim.lines.first().receipts.get()
    twin = Receipt.objects.create(
        line=claim.lines.last(), file=first.file.name, name="copy.pdf", size=first.size
    )
    with django_capture_on_commit_callbacks(execute=True):
        first.delete()
    assert _on_disk(twin.file.name)


def test_a_deletion_rolled_back_keeps_the_file(user_of, django_capture_on_commit_callbacks):
    claim = _claim(user_of)
    receipt = claim.lines.first().receipts.get()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                Receipt.objects.get(pk=receipt.pk).delete()
                raise RuntimeError("the request failed after the delete")
        except RuntimeError:
            pass
    assert callbacks == []
    assert _on_disk(receipt.file.name)


# ---------------------------------------------------------------- the daily purge


def _write(root: Path, name: str, *, hours_old: float) -> str:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"%PDF-1.4 orphan")
    moment = time.time() - hours_old * 3600
    os.utime(path, (moment, moment))
    return name


def test_the_purge_removes_orphans_and_keeps_what_records_name(user_of, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    claim = _claim(user_of)
    referenced = claim.lines.first().receipts.get().file.name
    os.utime(tmp_path / referenced, (time.time() - 90 * 3600,) * 2)
    orphan = _write(tmp_path, "receipts/5f0c6d8d2f9b4e3a9c1d2e3f4a5b6c7d.pdf", hours_old=48)
    legacy = _write(tmp_path, "action-plans/12/evidence/minutes.pdf", hours_old=400)
    in_flight = _write(tmp_path, "attachments/0a1b2c3d4e5f60718293a4b5c6d7e8f9.pdf", hours_old=1)
    elsewhere = _write(tmp_path, "backups/platform.sqlite3", hours_old=400)

    out = StringIO()
    call_command("purge_orphan_files", "--dry-run", stdout=out)
    assert f"Would delete {orphan}" in out.getvalue()
    assert (tmp_path / orphan).exists()

    report = orphan_files_purge()
    assert sorted(report.deleted) == sorted([orphan, legacy])
    assert in_flight in report.too_recent
    assert report.referenced >= 3  # the claim's three receipts
    for name in (referenced, in_flight, elsewhere):
        assert (tmp_path / name).exists(), name
    for name in (orphan, legacy):
        assert not (tmp_path / name).exists(), name
    assert not (tmp_path / "action-plans" / "12").exists()  # its empty folders too

    # The queue's daily task runs the same purge, with the grace period of the settings.
    settings.UPLOAD_ORPHAN_GRACE_HOURS = 0
    orphan_files_purge_daily.call_local()
    assert not (tmp_path / in_flight).exists()
    assert (tmp_path / referenced).exists()
    assert orphan_files_purge(grace=timedelta(0)).deleted == []


def test_a_file_deleted_while_the_purge_runs_is_passed_over(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    gone = _write(tmp_path, "receipts/aa00aa00aa00aa00aa00aa00aa00aa00.pdf", hours_old=48)
    orphan = _write(tmp_path, "receipts/bb11bb11bb11bb11bb11bb11bb11bb11.pdf", hours_old=48)
    from django.core.files.storage import default_storage

    modified_time = default_storage.get_modified_time

    def removed_meanwhile(name):
        if name == gone:  # its record was deleted after the listing: on commit, so is the file
            (tmp_path / name).unlink()
        return modified_time(name)

    monkeypatch.setattr(default_storage, "get_modified_time", removed_meanwhile)
    report = orphan_files_purge()
    assert report.deleted == [orphan]
    assert not (tmp_path / orphan).exists()
