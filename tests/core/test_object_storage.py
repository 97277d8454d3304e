"""Private files in an S3-compatible object store (MEDIA_STORAGE=s3): every file field of the
platform stores into the bucket through its real view and is answered by its scoped view only
(the bucket refuses an anonymous read); a video streams by byte ranges from it; generated
documents go there; a deleted record takes its object with it; the daily purge and the health
check work on it. The store is moto's S3 server on 127.0.0.1, a real HTTP endpoint."""

from datetime import timedelta
from urllib.error import HTTPError
from urllib.request import urlopen

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from core.uploads import orphan_files_purge
from core.uploads.policy import POLICIES
from reports.choices import FilesStatus
from reports.models import ReportFiles
from reports.records import period_of_months
from reports.services.files import report_files_request
from reports.services.reports import ReportInput, technical_report_start
from tests import upload_samples
from tests.core.upload_fields import targets
from tests.finance.test_claims import _claim
from tests.videos.builders import athens_video, consent, with_captions
from videos.services import video_publish

pytestmark = pytest.mark.django_db

TARGETS = {target.key: target for target in targets()}


@pytest.fixture
def bucket(object_store, settings):
    name = object_store.new_bucket()
    settings.STORAGES = object_store.storages(name, settings.STORAGES)
    return name


def _anonymous_read(object_store, bucket, key) -> int:
    try:
        with urlopen(f"{object_store.endpoint}/{bucket}/{key}") as answer:  # noqa: S310
            return answer.status
    except HTTPError as refused:
        return refused.code


@pytest.mark.parametrize("key", [k for k, t in TARGETS.items() if t.policy != "exchange_rates"])
def test_every_file_field_stores_in_the_bucket_and_only_its_view_answers_it(
    key,
    bucket,
    object_store,
    user_of,
    client_of,
):
    target = TARGETS[key].setup(user_of, client_of)
    kind = POLICIES[target.policy].types[0].key
    name, make = upload_samples.GOOD[kind]
    content = make()
    response = target.post(name, content)
    assert response.status_code == 302
    field, _shown, url = target.latest()
    objects = object_store.objects(bucket)
    assert objects[field.name] == content  # in the bucket, under the field's random name
    download = target.state["client"].get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == content
    assert _anonymous_read(object_store, bucket, field.name) == 403


def test_a_video_streams_by_byte_ranges_from_the_bucket(bucket, object_store, client, user_of):
    coordinator = user_of("coordinator-1")
    video = with_captions(coordinator, athens_video(coordinator))
    consent(coordinator, video, "Eleni Demo")
    video = video_publish(actor=coordinator, video=video)
    stored = object_store.objects(bucket)[video.file.name]
    url = reverse("videos:stream", args=[video.pk])
    part = client.get(url, HTTP_RANGE="bytes=10-19")
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 10-19/{len(stored)}"
    assert b"".join(part.streaming_content) == stored[10:20]
    tail = client.get(url, HTTP_RANGE="bytes=-5")
    assert b"".join(tail.streaming_content) == stored[-5:]


def test_a_generated_report_is_written_to_the_bucket(
    bucket,
    object_store,
    user_of,
    client_of,
    django_capture_on_commit_callbacks,
):
    coordinator = user_of("coordinator-1")
    programme = coordinator.person.memberships.first().programme
    start, end = period_of_months(programme, 1, 6)
    report = technical_report_start(
        actor=coordinator,
        programme=programme,
        data=ReportInput(kind="interim", period_start=start, period_end=end),
        language="en",
    )
    with django_capture_on_commit_callbacks(execute=True):
        report_files_request(actor=coordinator, report=report, language="en")
    files = ReportFiles.objects.get(report=report, language="en")
    assert files.status == FilesStatus.DONE, files.error
    objects = object_store.objects(bucket)
    assert objects[files.pdf.name].startswith(b"%PDF")
    assert objects[files.docx.name].startswith(b"PK")


def test_a_deleted_record_takes_its_object_with_it(
    bucket,
    object_store,
    user_of,
    client_of,
    django_capture_on_commit_callbacks,
):
    claim = _claim(user_of)
    line = claim.lines.first()
    stored = [receipt.file.name for receipt in line.receipts.all()]
    assert stored and set(stored) <= set(object_store.objects(bucket))
    url = reverse("finance:claim_line_remove", args=["cities-grow", claim.pk, line.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert client_of("birmingham-officer-1").post(url).status_code == 302
    assert not set(stored) & set(object_store.objects(bucket))


def test_the_purge_deletes_the_buckets_orphans_and_keeps_what_records_name(
    bucket,
    object_store,
    user_of,
):
    claim = _claim(user_of)
    named = {receipt.file.name for line in claim.lines.all() for receipt in line.receipts.all()}
    orphan = default_storage.save(
        "receipts/0f0c6d8d2f9b4e3a9c1d2e3f4a5b6c7d.pdf", ContentFile(b"x")
    )
    elsewhere = default_storage.save("backups/notes.txt", ContentFile(b"kept"))

    fresh = orphan_files_purge()  # the grace period of the settings: nothing old enough yet
    assert fresh.deleted == [] and orphan in fresh.too_recent

    report = orphan_files_purge(grace=timedelta(0))
    assert report.deleted == [orphan]
    assert report.referenced == len(named)
    assert set(object_store.objects(bucket)) == named | {elsewhere}


def test_the_health_check_reads_and_writes_the_bucket(bucket, object_store, client):
    healthy = client.get("/health/?format=json")
    assert healthy.status_code == 200, healthy.content
    assert object_store.objects(bucket) == {}  # its probe file is gone again

    object_store.client.delete_bucket(Bucket=bucket)
    broken = client.get("/health/?format=json")
    assert broken.status_code == 500
    failed = [label for label, status in broken.json().items() if status != "OK"]
    assert [label.split("(")[0] for label in failed] == ["Storage"]
    assert "testing" not in broken.content.decode()  # never a credential
