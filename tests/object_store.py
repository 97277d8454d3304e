"""An S3-compatible object store on 127.0.0.1 for the tests (moto's server, in this process),
and the settings or the environment that put the platform's private files in one of its buckets
(MEDIA_STORAGE=s3, config/settings/base.py)."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from typing import Any

import boto3
from moto.server import ThreadedMotoServer

from config.settings.media import s3_media_storage

REGION = "us-east-1"
KEYS = {"MEDIA_S3_ACCESS_KEY_ID": "testing", "MEDIA_S3_SECRET_ACCESS_KEY": "testing"}


class ObjectStore:
    def __init__(self, endpoint: str) -> None:
        self.endpoint = endpoint
        self.client = boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name=REGION,
            aws_access_key_id=KEYS["MEDIA_S3_ACCESS_KEY_ID"],
            aws_secret_access_key=KEYS["MEDIA_S3_SECRET_ACCESS_KEY"],
        )

    def new_bucket(self) -> str:
        name = f"media-{secrets.token_hex(6)}"
        self.client.create_bucket(Bucket=name)
        return name

    def objects(self, bucket: str) -> dict[str, bytes]:
        listed = self.client.list_objects_v2(Bucket=bucket).get("Contents", [])
        return {
            item["Key"]: self.client.get_object(Bucket=bucket, Key=item["Key"])["Body"].read()
            for item in listed
        }

    def env(self, bucket: str) -> dict[str, str]:
        """The environment of a platform process whose files are in `bucket`."""
        return {
            "MEDIA_STORAGE": "s3",
            "MEDIA_S3_BUCKET": bucket,
            "MEDIA_S3_ENDPOINT_URL": self.endpoint,
            "MEDIA_S3_REGION": REGION,
            **KEYS,
        }

    def storages(self, bucket: str, base: dict[str, Any]) -> dict[str, Any]:
        """settings.STORAGES with the default storage in `bucket`, as MEDIA_STORAGE=s3 sets it."""
        default = s3_media_storage(
            bucket=bucket,
            endpoint_url=self.endpoint,
            region=REGION,
            access_key=KEYS["MEDIA_S3_ACCESS_KEY_ID"],
            secret_key=KEYS["MEDIA_S3_SECRET_ACCESS_KEY"],
        )
        return {**base, "default": default}


def object_store_started() -> Iterator[ObjectStore]:
    """The store for the session (the `object_store` fixture of tests/conftest.py)."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield ObjectStore(f"http://{host}:{port}")
    finally:
        server.stop()
