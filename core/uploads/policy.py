"""The upload policy: which kinds of file each file field takes, how large, and the checks of
their content (core.uploads.inspection) before anything is stored.

One table (POLICIES) names every kind of upload of the platform; a model field declares its kind
(core.uploads.fields.PolicyFileField), a form field too (UploadField), and a service checks the
file once more before storing it (`upload_check`), so that no caller (a view, the API, a loader)
can store a file the policy refuses. The name a person gave a file is only ever shown: the file is
stored under a random name in its kind's folder.
"""

import re
import unicodedata
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.utils.functional import lazy
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from core.errors import DomainError

MB = 1024 * 1024


@dataclass(frozen=True)
class FileType:
    """A kind of file the platform accepts: its extensions (the first is the stored one), the
    content type it is served with, and the family of checks its content goes through."""

    key: str
    label: str
    mime: str
    extensions: tuple[str, ...]
    family: str  # "pdf", "image", "office", "text", "video" or "subtitles"

    @property
    def extension(self) -> str:
        return self.extensions[0]


PDF = FileType("pdf", "PDF", "application/pdf", (".pdf",), "pdf")
PNG = FileType("png", "PNG", "image/png", (".png",), "image")
JPEG = FileType("jpeg", "JPEG", "image/jpeg", (".jpg", ".jpeg"), "image")
_OOXML = "application/vnd.openxmlformats-officedocument"
DOCX = FileType("docx", "DOCX", f"{_OOXML}.wordprocessingml.document", (".docx",), "office")
XLSX = FileType("xlsx", "XLSX", f"{_OOXML}.spreadsheetml.sheet", (".xlsx",), "office")
PPTX = FileType("pptx", "PPTX", f"{_OOXML}.presentationml.presentation", (".pptx",), "office")
_ODF = "application/vnd.oasis.opendocument"
ODT = FileType("odt", "ODT", f"{_ODF}.text", (".odt",), "office")
ODS = FileType("ods", "ODS", f"{_ODF}.spreadsheet", (".ods",), "office")
ODP = FileType("odp", "ODP", f"{_ODF}.presentation", (".odp",), "office")
CSV = FileType("csv", "CSV", "text/csv", (".csv", ".txt"), "text")
MP4 = FileType("mp4", "MP4", "video/mp4", (".mp4",), "video")
WEBM = FileType("webm", "WebM", "video/webm", (".webm",), "video")
VTT = FileType("vtt", "WebVTT", "text/vtt", (".vtt",), "subtitles")
FILE_TYPES = (PDF, PNG, JPEG, DOCX, XLSX, PPTX, ODT, ODS, ODP, CSV, MP4, WEBM, VTT)


@dataclass(frozen=True)
class UploadPolicy:
    """One kind of upload: the types it takes and its size limit (settings.UPLOAD_MAX_MB, by
    key, else the default). A stored kind keeps its files in the folder named by its key."""

    key: str
    types: tuple[FileType, ...]
    default_max_mb: int
    stored: bool = True

    @property
    def folder(self) -> str:
        return self.key

    @property
    def max_megabytes(self) -> int:
        return int(getattr(settings, "UPLOAD_MAX_MB", {}).get(self.key, self.default_max_mb))

    @property
    def max_bytes(self) -> int:
        return self.max_megabytes * MB

    @property
    def extensions(self) -> tuple[str, ...]:
        return tuple(extension for kind in self.types for extension in kind.extensions)

    def type_for(self, extension: str) -> FileType | None:
        return next((kind for kind in self.types if extension in kind.extensions), None)

    @property
    def accept(self) -> str:
        """The file input's `accept` attribute: a hint to the browser's file chooser only."""
        return ",".join(
            dict.fromkeys([*self.extensions, *(kind.mime for kind in self.types)]).keys()
        )

    @property
    def streamed(self) -> bool:
        """A kind whose files are too large to be read whole: only their head is inspected,
        their size is taken from the file (a temporary file on disk for a large upload)."""
        return all(kind.family == "video" for kind in self.types)

    def description(self) -> str:
        """The types in words, in the active language: "PDF, PNG or JPEG"."""
        return str(get_text_list([kind.label for kind in self.types], _("or")))


RECEIPTS = UploadPolicy("receipts", (PDF, PNG, JPEG), default_max_mb=5)
ATTACHMENTS = UploadPolicy(
    "attachments", (PDF, DOCX, XLSX, PPTX, ODT, ODS, ODP, PNG, JPEG), default_max_mb=10
)
DECISIONS = UploadPolicy("decisions", (PDF, DOCX, ODT, PNG, JPEG), default_max_mb=10)
EVIDENCE = UploadPolicy("evidence", (PDF, DOCX, XLSX, ODT, ODS, PNG, JPEG), default_max_mb=10)
# A deliverable as submitted to the funder (a report, an infographic, slides), or the funder's
# letter accepting or returning it.
DELIVERABLES = UploadPolicy(
    "deliverables", (PDF, DOCX, XLSX, PPTX, ODT, ODS, ODP, PNG, JPEG), default_max_mb=10
)
# A video of the catalogue (videos app): MP4 or WebM, never read whole (see `streamed`).
VIDEOS = UploadPolicy("videos", (MP4, WEBM), default_max_mb=500)
# A video's captions: WebVTT text with no markup beyond the cue tags (inspection._subtitles).
SUBTITLES = UploadPolicy("subtitles", (VTT,), default_max_mb=1)
# The signed consent form of a person filmed (never public).
CONSENTS = UploadPolicy("consents", (PDF, PNG, JPEG), default_max_mb=10)
# Read at once and never stored: the monthly exchange rates of a programme.
EXCHANGE_RATES = UploadPolicy("exchange_rates", (CSV,), default_max_mb=1, stored=False)

POLICIES: dict[str, UploadPolicy] = {
    policy.key: policy
    for policy in (
        RECEIPTS,
        ATTACHMENTS,
        DECISIONS,
        EVIDENCE,
        DELIVERABLES,
        EXCHANGE_RATES,
        VIDEOS,
        SUBTITLES,
        CONSENTS,
    )
}


def _help_text(policy_key: str, each: bool) -> str:
    policy = POLICIES[policy_key]
    values = {"kinds": policy.description(), "n": policy.max_megabytes}
    if each:
        return _("%(kinds)s, at most %(n)d MB each.") % values
    return _("%(kinds)s, at most %(n)d MB.") % values


upload_help_text = lazy(_help_text, str)


class UploadRefused(DomainError):
    """The file breaks the policy; the message says which file and why, for its author."""


@dataclass(frozen=True)
class CheckedUpload:
    """An upload the policy accepted: its type as found in its content, the name to show for
    it (never a path), its size."""

    file: Any
    type: FileType
    name: str
    size: int

    @property
    def storage_hint(self) -> str:
        """What the storage is given as the file's name: only the found type's extension is
        kept (core.uploads.fields puts it under a random name in its kind's folder)."""
        return f"upload{self.type.extension}"


_SPACES = re.compile(r"\s+")


def display_name(raw: str, fallback: str = "file") -> str:
    """The name a person gave a file, fit to be shown and to be a download's name: the last
    part of any path, without control or direction-changing characters, no leading dot, at most
    200 characters with its extension kept."""
    name = re.split(r"[\\/]", raw or "")[-1]
    name = unicodedata.normalize("NFC", name)
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] not in "CZ" or ch == " ")
    name = _SPACES.sub(" ", name).strip()
    suffix = PurePath(name).suffix[:20] if name not in ("", ".", "..") else ""
    stem = name[: len(name) - len(PurePath(name).suffix)] if suffix else name
    stem = stem.strip(". ") or fallback
    return stem[: 200 - len(suffix)].rstrip() + suffix


def _read(upload: Any, limit: int) -> bytes:
    """At most `limit` + 1 bytes of the upload, from its start (it is left rewound)."""
    upload.seek(0)
    chunks, total = [], 0
    while total <= limit:
        chunk = upload.read(min(MB, limit + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    upload.seek(0)
    return b"".join(chunks)


def upload_check(upload: Any, policy: UploadPolicy) -> CheckedUpload:
    """The upload as the policy accepts it, or UploadRefused with a message for its author.

    The extension must be one the policy takes, the size within its limit, and the content what
    the extension says, with no web page, SVG image, script or second file hidden inside
    (core.uploads.inspection)."""
    from .inspection import inspect_content

    name = display_name(getattr(upload, "name", "") or "")
    extension = PurePath(name).suffix.lower()
    declared = policy.type_for(extension)
    if declared is None:
        raise UploadRefused(
            _("“%(name)s” is not an accepted kind of file (%(kinds)s).")
            % {"name": name, "kinds": policy.description()}
        )
    too_large = _("“%(name)s” is larger than %(n)d MB.") % {
        "name": name,
        "n": policy.max_megabytes,
    }
    if (getattr(upload, "size", 0) or 0) > policy.max_bytes:
        raise UploadRefused(too_large)
    if policy.streamed:
        return _check_streamed(upload, policy, declared, name, too_large)
    content = _read(upload, policy.max_bytes)
    if len(content) > policy.max_bytes:
        raise UploadRefused(too_large)
    if not content:
        raise UploadRefused(_("“%(name)s” is empty.") % {"name": name})
    found = inspect_content(content, declared, name)
    return CheckedUpload(file=upload, type=found, name=name, size=len(content))


def _size(upload: Any) -> int:
    """The upload's size in bytes, from the file itself (not from what the client said)."""
    upload.seek(0, 2)
    size = int(upload.tell())
    upload.seek(0)
    return size


def _check_streamed(
    upload: Any, policy: UploadPolicy, declared: FileType, name: str, too_large: str
) -> CheckedUpload:
    """A video: its head is sniffed, the rest stays where Django streamed it (on disk)."""
    from .inspection import inspect_content

    size = _size(upload)
    if size > policy.max_bytes:
        raise UploadRefused(too_large)
    if not size:
        raise UploadRefused(_("“%(name)s” is empty.") % {"name": name})
    head = _read(upload, 8191)
    found = inspect_content(head, declared, name)
    return CheckedUpload(file=upload, type=found, name=name, size=size)


def upload_problem(upload: Any, policy: UploadPolicy) -> str | None:
    """What is wrong with the upload, in words for its author; None when it is acceptable."""
    try:
        upload_check(upload, policy)
    except UploadRefused as refusal:
        return refusal.message
    return None
