"""A person's data as a machine-readable archive (GDPR art. 15): a ZIP with one JSON file per
kind of record (privacy.registry), the files the person gave (the receipts of their claims,
under their original names made safe), the changes they made (from every history table) and
the history of their profile, with a manifest that counts each file's records.

Generated on request, in the request: a person's records are a few hundred rows and their
receipts a few megabytes, written to a temporary file that spills to disk past 10 MB. One query
per kind and per history table, whatever the data size.
"""

from __future__ import annotations

import json
import logging
import zipfile
from pathlib import PurePath
from tempfile import SpooledTemporaryFile
from typing import IO, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.text import get_valid_filename

from programmes.models import Person

from ..registry import HISTORY_USER, Kind, exported_kinds, history_models

logger = logging.getLogger(__name__)

SPOOL_BYTES = 10 * 1024 * 1024
FILES_FOLDER = "files"


def _columns(kind: Kind, model: type[models.Model]) -> list[models.Field[Any, Any]]:
    fields = [f for f in model._meta.concrete_fields if f.name not in kind.hidden]
    if kind.fields:
        chosen = [f for f in fields if f.name in kind.fields]
        missing = set(kind.fields) - {f.name for f in chosen}
        if missing:
            raise LookupError(f"{kind.model} has no fields {sorted(missing)}")
        return chosen
    return fields


def safe_file_name(name: str, *, prefix: str) -> str:
    """A stored file's original name as an archive member: no folders, no odd characters."""
    base = get_valid_filename(PurePath(name.replace("\\", "/")).name) or "file"
    return f"{prefix}-{base[-120:]}"


def kind_records(
    kind: Kind, person: Person | None, user: Any, archive: zipfile.ZipFile | None = None
) -> list[dict[str, Any]]:
    """The rows of one kind about the person, as plain values (foreign keys as ids); files of
    its `files` columns are written into `archive` and named by their member path."""
    model = kind.model_class()
    if model is None:  # an optional app not installed
        return []
    columns = _columns(kind, model)
    records = []
    for row in kind.rows(person, user).values(*[f.attname for f in columns]):
        record: dict[str, Any] = {}
        for field in columns:
            value = row[field.attname]
            if isinstance(field, models.FileField):
                value = _file_member(kind, field, row, archive) if value else ""
            record[field.name] = value
        records.append(record)
    return records


def _file_member(
    kind: Kind,
    field: models.FileField,
    row: dict[str, Any],
    archive: zipfile.ZipFile | None,
) -> str:
    """Copy a stored file into the archive; its member name, or its stored base name when
    the kind carries no files (or the file is missing from storage)."""
    stored = str(row[field.attname])
    if field.name not in kind.files or archive is None:
        return PurePath(stored).name
    original = str(row.get("name") or stored)
    member = f"{FILES_FOLDER}/{kind.name}/" + safe_file_name(original, prefix=str(row["id"]))
    try:
        with field.storage.open(stored, "rb") as handle, archive.open(member, "w") as out:
            for chunk in iter(lambda: handle.read(64 * 1024), b""):
                out.write(chunk)
    except FileNotFoundError:
        logger.warning("Export: %s %s has no file in storage", kind.model, row["id"])
        return ""
    return member


def changes_made(user: Any) -> list[dict[str, Any]]:
    """Every change the person made that the audit trail keeps: which record, when, how, why
    (not the record's content, which may be someone else's)."""
    if user is None:
        return []
    changes: list[dict[str, Any]] = []
    for model in history_models():
        base = model.instance_type  # type: ignore[attr-defined]
        key = base._meta.pk.attname
        for row in model._base_manager.filter(**{HISTORY_USER: user}).values(
            key, "history_date", "history_type", "history_change_reason"
        ):
            changes.append(
                {
                    "record": str(base._meta.label),
                    "id": row[key],
                    "at": row["history_date"],
                    "change": row["history_type"],
                    "reason": row["history_change_reason"] or "",
                }
            )
    changes.sort(key=lambda c: (c["at"], c["record"], c["id"]))
    return changes


def profile_history(person: Person | None) -> list[dict[str, Any]]:
    """The earlier versions of their profile (the history of their Person row)."""
    if person is None:
        return []
    history = Person.history.model
    hidden = {HISTORY_USER, "history_user_id"}
    return [
        {k: v for k, v in row.items() if k not in hidden}
        for row in history._base_manager.filter(id=person.pk).order_by("history_date").values()
    ]


def _dump(archive: zipfile.ZipFile, name: str, records: Any) -> None:
    text = json.dumps(records, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    archive.writestr(name, text.encode("utf-8"))


def person_export_write(*, person: Person | None, user: Any, out: IO[bytes]) -> dict[str, int]:
    """Write the archive of everything about the person (or the account alone) into `out`;
    returns the manifest's counts (file -> records)."""
    counts: dict[str, int] = {}
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for kind in exported_kinds():
            records = kind_records(kind, person, user, archive)
            _dump(archive, f"{kind.name}.json", records)
            counts[f"{kind.name}.json"] = len(records)
        for name, records in (
            ("changes_made", changes_made(user)),
            ("profile_history", profile_history(person)),
        ):
            _dump(archive, f"{name}.json", records)
            counts[f"{name}.json"] = len(records)
        manifest = {
            "generated_at": timezone.now(),
            "person": person.pk if person is not None else None,
            "account": user.pk if user is not None else None,
            "files": counts,
        }
        _dump(archive, "manifest.json", manifest)
    return counts


def person_export(*, person: Person | None, user: Any) -> IO[bytes]:
    """The archive as a file positioned at its start (in memory, on disk past SPOOL_BYTES)."""
    out: IO[bytes] = SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - returned open
    person_export_write(person=person, user=user, out=out)
    out.seek(0)
    return out
