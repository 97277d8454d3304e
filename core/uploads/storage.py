"""Storing a checked upload, and the daily purge of stored files that no record names.

Files live in MEDIA_ROOT (var/media in the embedded mode), or in an object store's private bucket
(MEDIA_STORAGE=s3), which no URL serves: a file is only ever answered by the scoped view of its
record (core.files.private_file_response)."""

import logging
import os
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone

from .fields import GeneratedFileField, governed_fields
from .policy import POLICIES, CheckedUpload

logger = logging.getLogger(__name__)

# Where files were stored before the upload policy (a folder per file, or per plan): still
# purged of what no record names.
LEGACY_FOLDERS = ("receipts", "assessments", "action-plans", "statements")


def upload_store(field_file: Any, checked: CheckedUpload) -> None:
    """Put a checked upload into a record's file field (not saving the record): the storage gets
    a random name in the field's folder, with the extension of the type found in the file."""
    checked.file.seek(0)
    field_file.save(checked.storage_hint, checked.file, save=False)


def upload_folders() -> list[str]:
    """The folders of MEDIA_ROOT the platform's files live in."""
    folders = [policy.folder for policy in POLICIES.values() if policy.stored]
    folders += [f.folder for _model, f in governed_fields() if isinstance(f, GeneratedFileField)]
    return sorted(set(folders) | set(LEGACY_FOLDERS))


@dataclass
class PurgeReport:
    deleted: list[str] = field(default_factory=list)
    too_recent: list[str] = field(default_factory=list)  # within the grace period
    referenced: int = 0


def _walk(storage: Any, folder: str) -> list[str]:
    try:
        directories, files = storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return []
    names = [f"{folder}/{name}" for name in files]
    for directory in directories:
        names += _walk(storage, f"{folder}/{directory}")
    return names


def _prune_empty_directories(storage: Any, folder: str) -> None:
    """The legacy layout had a folder per file: remove those left empty (local storage only)."""
    try:
        root = storage.path(folder)
    except NotImplementedError:
        return
    for directory, _subdirectories, _files in os.walk(root, topdown=False):
        if directory != root:
            try:
                os.rmdir(directory)  # only succeeds when empty
            except OSError:
                continue


def orphan_files_purge(*, grace: timedelta | None = None, dry_run: bool = False) -> PurgeReport:
    """Delete the files of the upload folders that no record names, once they are older than
    the grace period (settings.UPLOAD_ORPHAN_GRACE_HOURS): an upload whose record is not
    committed yet is never touched."""
    if grace is None:
        grace = timedelta(hours=settings.UPLOAD_ORPHAN_GRACE_HOURS)
    storage = default_storage
    referenced: set[str] = set()
    for model, file_field in governed_fields():
        referenced.update(
            model._base_manager.exclude(**{file_field.name: ""})
            .values_list(file_field.name, flat=True)
            .iterator()
        )
    cutoff = timezone.now() - grace
    report = PurgeReport()
    for folder in upload_folders():
        for name in _walk(storage, folder):
            if name in referenced:
                report.referenced += 1
                continue
            try:
                modified = storage.get_modified_time(name)
            except FileNotFoundError:  # deleted with its record since the listing
                continue
            if modified > cutoff:
                report.too_recent.append(name)
            else:
                if not dry_run:
                    storage.delete(name)
                report.deleted.append(name)
        if not dry_run:
            _prune_empty_directories(storage, folder)
    if report.deleted:
        logger.info("Purged %d stored files that no record names", len(report.deleted))
    return report
