"""Serving a privately stored file (evidence, decisions, attachments)."""

from typing import Any

from django.http import FileResponse, Http404


def private_file_response(field: Any, filename: str = "") -> FileResponse:
    """The file as a download; call it only with an object fetched within the viewer's reach.
    A file missing from storage is a 404, not a 500."""
    try:
        handle = field.open("rb")
    except FileNotFoundError as error:
        raise Http404("The file is missing") from error
    name = filename or field.name.rsplit("/", 1)[-1]
    return FileResponse(handle, as_attachment=True, filename=name)
