"""The storage of the private files when they are in an S3-compatible object store
(MEDIA_STORAGE=s3 in base.py; the tests build the same one around their own bucket)."""

from typing import Any


def s3_media_storage(
    *,
    bucket: str,
    endpoint_url: str | None = None,
    region: str | None = None,
    access_key: str | None = None,
    secret_key: str | None = None,
    prefix: str = "",
) -> dict[str, Any]:
    """One private bucket (no public read: the platform never hands out the store's own links,
    every file is answered by the scoped view of its record), under an optional prefix."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint_url,
            "region_name": region,
            "access_key": access_key,
            "secret_key": secret_key,
            "location": prefix,
            "default_acl": "private",
            "querystring_auth": True,
            # A name is never reused: a second file with the same name gets another one.
            "file_overwrite": False,
        },
    }
