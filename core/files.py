"""Serving a privately stored file (receipts, attachments, decisions, evidence, statements).

No URL serves MEDIA_ROOT: a file is answered only by the view of its record, which fetched the
record within the viewer's scope. It is always a download (never shown in the browser's page),
with the content type of what the file really is, which the browser must not guess again."""

from typing import Any

import filetype
from django.http import FileResponse, Http404

from core.uploads import FILE_TYPES

_BY_EXTENSION = {extension: kind for kind in FILE_TYPES for extension in kind.extensions}
_ZIP_FAMILY = {"application/zip", *(kind.mime for kind in FILE_TYPES if kind.family == "office")}


def served_content_type(head: bytes, name: str) -> str:
    """The content type of a stored file, from its first bytes: a PDF or a picture as such; a
    zip as the office document its name says; anything else as bytes to save."""
    kind = filetype.guess(head)
    mime = kind.mime if kind is not None else None
    extension = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    named = _BY_EXTENSION.get(extension)
    if mime in ("application/pdf", "image/png", "image/jpeg", "video/mp4", "video/webm"):
        return mime
    if mime is None and named is not None and named.family == "subtitles":
        return named.mime
    if mime in _ZIP_FAMILY and named is not None and named.family == "office":
        return named.mime
    return "application/octet-stream"


def private_file_response(field: Any, filename: str = "") -> FileResponse:
    """The file as a download; call it only with an object fetched within the viewer's reach.
    A file missing from storage is a 404, not a 500."""
    try:
        handle = field.open("rb")
    except FileNotFoundError as error:
        raise Http404("The file is missing") from error
    head = handle.read(8192)
    handle.seek(0)
    name = filename or field.name.rsplit("/", 1)[-1]
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=name,
        content_type=served_content_type(head, field.name),
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Even opened by mistake in the browser, the file runs nothing and loads nothing.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
