"""Checks of an uploaded file before it is stored: its size, its extension, and that its content
is what the extension says (the `filetype` library reads the file's signature), so an executable
renamed to .pdf is refused."""

from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

import filetype
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class UploadRule:
    # extension -> the MIME types its content may have
    kinds: dict[str, tuple[str, ...]]
    max_bytes: int
    description: Any  # for the message: "PDF or images"

    @property
    def max_megabytes(self) -> int:
        return self.max_bytes // (1024 * 1024)


_OFFICE_ZIP = ("application/zip",)  # DOCX, XLSX, ODT are zip files inside
DOCUMENTS = UploadRule(
    kinds={
        ".pdf": ("application/pdf",),
        ".png": ("image/png",),
        ".jpg": ("image/jpeg",),
        ".jpeg": ("image/jpeg",),
        ".docx": (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            *_OFFICE_ZIP,
        ),
        ".odt": ("application/vnd.oasis.opendocument.text", *_OFFICE_ZIP),
    },
    max_bytes=10 * 1024 * 1024,
    description="PDF, DOCX, ODT, PNG or JPEG",
)


def upload_problem(upload: Any, rule: UploadRule) -> str | None:
    """What is wrong with the upload, in words for its author; None when it is acceptable."""
    name = PurePath(upload.name or "").name
    extension = PurePath(name).suffix.lower()
    if extension not in rule.kinds:
        return _("“%(name)s” is not an accepted kind of file (%(kinds)s).") % {
            "name": name,
            "kinds": rule.description,
        }
    if (upload.size or 0) > rule.max_bytes:
        return _("“%(name)s” is larger than %(n)d MB.") % {"name": name, "n": rule.max_megabytes}
    if not upload.size:
        return _("“%(name)s” is empty.") % {"name": name}
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in rule.kinds[extension]:
        return _("“%(name)s” does not contain what its name says (%(extension)s).") % {
            "name": name,
            "extension": extension,
        }
    return None
