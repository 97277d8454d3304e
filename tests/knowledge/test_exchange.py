"""Import and export of practices: every bad row reported, nothing written; lossless round trip."""

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from knowledge.choices import PracticeState
from knowledge.models import GoodPractice
from knowledge.services.exchange import (
    CORPUS_FILE,
    practice_record,
    practices_export,
    practices_for_export,
    practices_import,
)

pytestmark = pytest.mark.django_db


def _row(reference, **overrides):
    row = {
        "reference": reference,
        "title": f"Practice {reference}",
        "city": "Ghent",
        "country": "BE",
        "summary": "A summary.",
        "description": "<p>Text</p>",
        "themes": ["mixities-anti-discrimination"],
        "key_factors": [],
        "commitments": ["PM2"],
        "european_module": 2,
        "target_groups": ["residents"],
        "start_year": 2015,
        "status": "ongoing",
        "budget_range": "unknown",
        "contact": {"name": "", "email": "", "consent": False},
        "links": [],
        "language": "en",
        "source": {"kind": "toolkit", "name": "MIXITIES toolkit (2012)"},
        "state": "published",
        "illustrative": True,
    }
    row.update(overrides)
    return row


def _json(*rows):
    return json.dumps({"format": "cities-grow-practices", "format_version": 1, "practices": rows})


def test_a_file_with_errors_reports_every_bad_row_and_writes_nothing():
    before = GoodPractice.objects.count()
    content = _json(
        _row("fine-one"),
        _row("bad-country", country="XX"),
        _row("fine-two"),
        _row("bad-theme", themes=["no-such-theme"], start_year="soon"),
        _row("bad-factor", themes=["cities-grow-a"], key_factors=["c1"]),
        _row("fine-one"),  # the same reference twice
        _row("bad link", links=[{"kind": "image", "url": "ftp://x", "title": "Photo"}]),
    )
    result = practices_import(actor=None, content=content, file_format="json")
    found = {(e.row, e.field) for e in result.errors}
    assert found == {
        (2, "country"),
        (4, "themes"),
        (4, "start_year"),
        (5, "key_factors"),
        (6, "reference"),
        (7, "reference"),
        (7, "links"),
    }
    assert GoodPractice.objects.count() == before


def test_csv_errors_carry_the_spreadsheet_row_number(tmp_path):
    path = tmp_path / "practices.csv"
    rows = [
        {
            "reference": "csv-ok",
            "title": "Fine",
            "city": "Riga",
            "country": "LV",
            "summary": "S",
            "themes": "mixities-introductory-language",
        },
        {
            "reference": "csv-bad",
            "title": "",
            "city": "Riga",
            "country": "LV",
            "summary": "S",
            "themes": "mixities-introductory-language",
            "contact_consent": "maybe",
        },
    ]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=[*rows[0], "contact_consent"])
        writer.writeheader()
        writer.writerows(rows)
    errors = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_practices", str(path), stderr=errors)
    assert "Row 3, title" in errors.getvalue()
    assert "Row 3, contact_consent" in errors.getvalue()
    assert not GoodPractice.objects.filter(reference="csv-ok").exists()


def test_a_clean_file_imports_every_row_and_again_changes_nothing(tmp_path):
    path = tmp_path / "clean.json"
    path.write_text(_json(*[_row(f"clean-{n}", city=f"City {n}") for n in range(5)]))
    out = io.StringIO()
    call_command("import_practices", str(path), stdout=out)
    assert "5 new" in out.getvalue()
    assert GoodPractice.objects.filter(reference__startswith="clean-").count() == 5
    again = io.StringIO()
    call_command("import_practices", str(path), stdout=again)
    assert "already up to date" in again.getvalue()


@pytest.mark.parametrize("file_format", ["json", "csv"])
def test_export_then_import_is_lossless(file_format):
    practices = list(practices_for_export())
    before = {p.reference: (practice_record(p), p.revision) for p in practices}
    text = practices_export(practices, file_format)
    # Re-import into an empty base: every practice comes back exactly.
    GoodPractice.objects.all().delete()
    result = practices_import(actor=None, content=text, file_format=file_format)
    assert result.ok, result.errors[:3]
    assert result.created == len(before)
    after = {p.reference: practice_record(p) for p in practices_for_export()}
    assert after == {reference: record for reference, (record, _rev) in before.items()}
    # And importing the same export over it changes nothing.
    again = practices_import(actor=None, content=text, file_format=file_format)
    assert (again.created, again.updated, again.unchanged) == (0, 0, len(before))


def test_rich_text_is_sanitised_on_import():
    content = _json(
        _row(
            "hostile",
            description='<p onmouseover="steal()">Hi<script>alert(1)</script>'
            '<a href="javascript:alert(2)">x</a><img src=x onerror=alert(3)></p>',
        )
    )
    assert practices_import(actor=None, content=content, file_format="json").ok
    stored = GoodPractice.objects.get(reference="hostile").description
    for payload in ("script", "onmouseover", "onerror", "javascript:", "<img"):
        assert payload not in stored
    assert stored.startswith("<p>Hi")


def test_an_unreadable_file_is_refused_with_a_message():
    result = practices_import(actor=None, content="{not json", file_format="json")
    assert not result.ok and result.errors[0].field == "file"
    result = practices_import(actor=None, content="a,b\n1,2\n", file_format="csv")
    assert "no column" in result.errors[0].message


def test_the_illustrative_corpus_is_as_large_and_varied_as_the_toolkits():
    practices = json.loads(CORPUS_FILE.read_text(encoding="utf-8"))["practices"]
    assert len(practices) >= 134
    assert len({(p["city"], p["country"]) for p in practices}) >= 34
    assert len({p["country"] for p in practices}) >= 17
    themes = {t for p in practices for t in p["themes"]}
    assert len(themes) == 11
    assert all(p["illustrative"] for p in practices)
    # Loaded in the test database (conftest) and published.
    published = GoodPractice.objects.filter(state=PracticeState.PUBLISHED, illustrative=True)
    assert published.count() >= len(practices)
