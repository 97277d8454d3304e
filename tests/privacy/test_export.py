"""A person's data export (GDPR art. 15): every kind of record about them, as JSON that parses,
with their receipts; nothing secret; only for them, or their programme's coordinators."""

import io
import json
import zipfile

import pytest
from django.urls import reverse

from privacy.registry import exported_kinds
from tests.privacy.builders import EMAIL, FULL_NAME, PDF, PHONE

pytestmark = pytest.mark.django_db

# The kinds a person with data everywhere has (the others are about what they did to others'
# records, or about roles they never held).
EXPECTED = {
    "profile",
    "account",
    "sign_ins",
    "failed_sign_ins",
    "roles",
    "invitations_received",
    "staff_rates",
    "timesheets",
    "time_entries",
    "expense_claims",
    "claim_lines",
    "receipts",
    "receipts_uploaded",
    "events",
    "plan_comments",
    "plan_versions_saved",
    "notifications",
    "notification_preferences",
    "calendar_feeds",
    "changes_made",
    "profile_history",
}


def _archive(response) -> zipfile.ZipFile:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def _records(archive: zipfile.ZipFile) -> dict[str, list]:
    return {
        name.removesuffix(".json"): json.loads(archive.read(name).decode("utf-8"))
        for name in archive.namelist()
        if name.endswith(".json")
    }


def test_the_export_holds_each_kind_of_record_and_parses(built, client):
    client.force_login(built.user)
    archive = _archive(client.get(reverse("privacy:my_data_archive")))
    records = _records(archive)
    # One file per kind of the registry, each a list; the manifest counts them.
    assert {k.name for k in exported_kinds()} <= set(records)
    assert records["manifest"]["files"] == {
        f"{name}.json": len(rows) for name, rows in records.items() if name != "manifest"
    }
    empty = sorted(name for name in EXPECTED if not records[name])
    assert empty == []
    profile = records["profile"][0]
    assert (profile["first_name"], profile["email"], profile["phone"]) == (
        FULL_NAME.split(" ")[0],
        EMAIL,
        PHONE,
    )
    assert records["roles"][0]["ended_on"]  # ended roles are theirs too
    assert len(records["time_entries"]) == 3 and len(records["claim_lines"]) == 2
    assert records["events"][0]["attended"] is True
    assert {c["body"] for c in records["plan_comments"]} == {"Shall we name the partners?"}
    assert records["notification_preferences"][0]["channel"] == "inbox"
    assert any(c["record"] == "finance.Timesheet" for c in records["changes_made"])


def test_the_export_carries_the_receipts_under_safe_names(built, client):
    client.force_login(built.user)
    archive = _archive(client.get(reverse("privacy:my_data_archive")))
    receipts = _records(archive)["receipts"]
    members = [r["file"] for r in receipts]
    assert len(members) == 2
    for member in members:
        assert member.startswith("files/receipts/") and ".." not in member
        assert member.endswith("Hotel_bill_Munich.pdf")
        assert archive.read(member) == PDF


def test_the_export_keeps_secrets_out(built, client):
    client.force_login(built.user)
    archive = _archive(client.get(reverse("privacy:my_data_archive")))
    records = _records(archive)
    assert "password" not in records["account"][0]
    assert all("token_hash" not in i for i in records["invitations_received"])
    assert all("token" not in f for f in records["calendar_feeds"])
    text = " ".join(archive.read(n).decode("utf-8") for n in archive.namelist() if ".json" in n)
    assert built.user.password not in text


def test_a_coordinator_exports_a_person_of_their_programme_and_no_one_else_does(
    built, client, client_of
):
    url = reverse("privacy:person_archive", args=[built.person.pk])
    assert client.get(url).status_code == 302  # anonymous: log in
    records = _records(_archive(client_of("coordinator-1").get(url)))
    assert records["profile"][0]["id"] == built.person.pk
    assert records["expense_claims"]
    for key in ("athens-officer-1", "finance-1", "auditor-1"):
        assert client_of(key).get(url).status_code == 404, key
    assert _records(_archive(client_of("platform-admin").get(url)))["profile"]


def test_my_data_page_offers_the_download(client_of):
    page = client_of("athens-officer-1").get(reverse("privacy:my_data"))
    assert page.status_code == 200
    assert reverse("privacy:my_data_archive") in page.content.decode()


def test_an_account_without_a_person_exports_its_account(client, django_user_model):
    user = django_user_model.objects.create_user("alone@test.invalid", "alone@test.invalid")
    client.force_login(user)
    records = _records(_archive(client.get(reverse("privacy:my_data_archive"))))
    assert records["profile"] == [] and records["account"][0]["email"] == "alone@test.invalid"


def test_the_operators_command_writes_the_archive(built, tmp_path):
    from django.core.management import call_command

    output = tmp_path / "export.zip"
    call_command("export_person_data", EMAIL, str(output), stdout=io.StringIO())
    records = _records(zipfile.ZipFile(output))
    assert records["profile"][0]["email"] == EMAIL and records["receipts"]
