"""Reading a request's files: a file larger than any upload the platform takes is not kept in
full. Django streams every upload to memory or to a temporary file before any view runs; this
handler, first in settings.FILE_UPLOAD_HANDLERS, passes on a file's bytes only up to one byte past
the largest limit of the upload policy, so the policy still sees it as too large (and says so
next to the field) while a gigabyte sent never reaches the disk."""

from typing import Any

from django.core.files.uploadhandler import FileUploadHandler

from .policy import POLICIES


def largest_upload_bytes() -> int:
    return max(policy.max_bytes for policy in POLICIES.values())


class BoundedUploadHandler(FileUploadHandler):
    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.passed = 0
        self.ceiling = largest_upload_bytes() + 1

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        room = self.ceiling - self.passed
        if room <= 0:
            return None  # the handlers after this one never see the rest
        kept = raw_data[:room]
        self.passed += len(kept)
        return kept

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler (in memory or a temporary file) gives the file
