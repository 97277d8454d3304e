"""Infographics on the living demo (month 18): the Munich-Athens infographic generated from the
records, edited, published in five files (SVG parsed, PNG sizes read from their header, PDFs
tagged with their language), each item traced to its finding or plan action, and a published
version unchanged by a later change to the records. Scope: who may edit, who gets 404."""

import io
import struct
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from pypdf import PdfReader

from action_plans.models import PlanAction
from core.errors import DomainError
from infographics.choices import FileFormat, ItemKind
from infographics.models import Infographic, InfographicVersion
from infographics.rendering import render
from infographics.services import (
    ItemInput,
    infographic_publish,
    infographic_save,
    infographic_start,
)
from programmes.models import MentoringPair, Programme, Theme
from visits.models import Finding

SLUG = "cities-grow"
SVG = "{http://www.w3.org/2000/svg}"
FUNDING = "Co-funded by the European Union's Asylum, Migration and Integration Fund"


@pytest.fixture(scope="module")
def demo(living_demo):
    return living_demo


@pytest.fixture
def programme(demo):
    return Programme.objects.get(slug=SLUG)


@pytest.fixture
def pair(demo):
    return MentoringPair.objects.current().get(
        mentor__city__slug="munich", implementing__city__slug="athens"
    )


@pytest.fixture
def facilitator(demo, user_of):
    return user_of("facilitator-b")


def _start(facilitator, programme, pair, language="en"):
    return infographic_start(
        actor=facilitator,
        programme=programme,
        theme=pair.scheme.theme,
        pair=pair,
        language=language,
    )


def _png_size(content: bytes) -> tuple[int, int]:
    assert content[:8] == b"\x89PNG\r\n\x1a\n" and content[12:16] == b"IHDR"
    return struct.unpack(">II", content[16:24])


def _read(field_file) -> bytes:
    with field_file.open("rb") as handle:
        return handle.read()


def _published(facilitator, programme, pair):
    infographic = _start(facilitator, programme, pair)
    return infographic, infographic_publish(actor=facilitator, infographic=infographic)


def test_generated_selection_traces_each_item_to_its_finding_or_plan_action(
    facilitator, programme, pair
):
    infographic = _start(facilitator, programme, pair)
    items = list(infographic.items.all())
    kinds = {item.kind for item in items}
    assert kinds == {ItemKind.STRENGTH, ItemKind.CHALLENGE, ItemKind.ACTION}
    for item in items:
        if item.finding_id:
            finding = Finding.objects.get(pk=item.finding_id)
            assert finding.report.event.pair_id == pair.pk
            expected = {"strength": "strength", "challenge": "challenge"}.get(
                finding.kind, "action"
            )
            assert item.kind == expected
            assert item.text.rstrip("\u2026.")[:40] in finding.text
        else:
            action = PlanAction.objects.get(pk=item.plan_action_id)
            assert action.plan.city.slug == "athens"
            assert item.kind == ItemKind.ACTION and item.text.rstrip("\u2026")[:40] in action.title
    # Starting again returns the same working copy.
    assert _start(facilitator, programme, pair).pk == infographic.pk


def test_munich_athens_is_edited_published_and_rendered_in_every_format(
    facilitator, programme, pair
):
    infographic = _start(facilitator, programme, pair)
    items = list(infographic.items.order_by("order", "pk"))
    first, hidden = items[0], items[1]
    infographic_save(
        actor=facilitator,
        infographic=infographic,
        revision=infographic.revision,
        title="Munich and Athens: one list of young people",
        items=[
            ItemInput(pk=first.pk, text="Schools and employers meet monthly.", order=0, shown=True),
            ItemInput(pk=hidden.pk, text=hidden.text, order=1, shown=False),
        ],
    )
    infographic.refresh_from_db()
    version = infographic_publish(actor=facilitator, infographic=infographic)
    assert version.number == 1
    snapshot = version.snapshot
    shown = [text for section in snapshot["sections"] for text in section["items"]]
    assert "Schools and employers meet monthly." in shown
    assert hidden.text not in shown
    assert snapshot["heading"] == "Munich \u2013 Athens"
    assert FUNDING in snapshot["credits"]
    # Each source the version shows is a finding of the pair's visits or an action of the plan.
    for source in snapshot["sources"]:
        kind, pk = source.split("-")
        if kind == "finding":
            assert Finding.objects.get(pk=pk).report.event.pair_id == pair.pk
        else:
            assert PlanAction.objects.get(pk=pk).plan.city.slug == "athens"

    svg = _read(version.svg)
    root = ET.fromstring(svg)  # noqa: S314 (our own file)
    assert root.get("role") == "img"
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title.text == "Munich and Athens: one list of young people"
    assert "Schools and employers meet monthly." in desc.text
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    texts = [t.text for t in root.iter(f"{SVG}text")]
    # Each real text sits where the template drew it: on the page, top to bottom.
    layer = list(root.iter(f"{SVG}text"))
    assert all(0 <= float(t.get("x")) < 810 and 0 < float(t.get("y")) < 1012.5 for t in layer)
    heading = next(t for t in layer if t.text == "Munich \u2013 Athens")
    item = next(t for t in layer if t.text == "Schools and employers meet monthly.")
    assert float(heading.get("y")) < float(item.get("y"))
    assert "Schools and employers meet monthly." in texts and "Munich: Mentor city" in texts

    assert _png_size(_read(version.png_portrait)) == (1080, 1350)
    assert _png_size(_read(version.png_landscape)) == (1200, 630)
    for field, width_mm in (("pdf_a4", 210), ("pdf_a3", 297)):
        reader = PdfReader(io.BytesIO(_read(getattr(version, field))))
        catalogue = reader.trailer["/Root"]
        assert bool(catalogue["/MarkInfo"]["/Marked"])
        assert "/StructTreeRoot" in catalogue
        assert catalogue["/Lang"] == "en"
        assert b"pdfuaid:part" in _read(getattr(version, field))  # PDF/UA-1 declared
        assert len(reader.pages) == 1
        assert round(float(reader.pages[0].mediabox.width) / 72 * 25.4) == width_mm
        text = reader.pages[0].extract_text()
        assert "Athens" in text and "Schools and employers meet monthly." in text
        assert reader.metadata.title == "Munich and Athens: one list of young people"


def test_a_later_change_to_a_finding_does_not_alter_the_published_version(
    facilitator, programme, pair
):
    infographic, version = _published(facilitator, programme, pair)
    item = infographic.items.filter(finding__isnull=False, shown=True).first()
    before = (version.snapshot, _read(version.svg), _read(version.pdf_a4))
    Finding.objects.filter(pk=item.finding_id).update(text="Rewritten after publication.")
    item.text = "Rewritten after publication."
    item.save()
    version = InfographicVersion.objects.get(pk=version.pk)
    assert (version.snapshot, _read(version.svg), _read(version.pdf_a4)) == before
    # The next publication is version 2 and shows the new wording; version 1 stays as it was.
    second = infographic_publish(actor=facilitator, infographic=infographic)
    assert second.number == 2
    assert "Rewritten after publication." in second.snapshot["description"]
    assert "Rewritten after publication." not in version.snapshot["description"]


def test_the_database_refuses_a_change_to_a_published_version(facilitator, programme, pair):
    _infographic, version = _published(facilitator, programme, pair)
    for change in (
        {"snapshot": {"title": "Changed behind its back"}},
        {"number": 7},
        {"svg": "infographics/other.svg"},
        {"published_at": version.published_at - timedelta(days=1)},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            InfographicVersion.objects.filter(pk=version.pk).update(**change)
    # The publisher's account going away empties `published_by`, which stays allowed.
    InfographicVersion.objects.filter(pk=version.pk).update(published_by=None)
    assert InfographicVersion.objects.get(pk=version.pk).snapshot == version.snapshot


def test_greek_and_latvian_names_typeset(facilitator, programme, pair):
    infographic = _start(facilitator, programme, pair)
    from infographics.services import infographic_snapshot

    snapshot = infographic_snapshot(actor=facilitator, infographic=infographic)
    snapshot["heading"] = "Μόναχο \u2013 Αθήνα"
    snapshot["cities"] = [
        {"name": "Αθήνα", "role": "Implementing city"},
        {"name": "Rīga", "role": "Mentor city"},
    ]
    text = PdfReader(io.BytesIO(render(snapshot, FileFormat.PDF_A4))).pages[0].extract_text()
    assert "Αθήνα" in text and "Rīga" in text and "Μόναχο" in text


def test_only_the_schemes_facilitator_and_coordinators_start_and_publish(user_of, programme, pair):
    for key in ("athens-officer-1", "munich-officer-1", "facilitator-a", "auditor-1"):
        with pytest.raises(DomainError):
            _start(user_of(key), programme, pair)
    infographic = _start(user_of("coordinator-1"), programme, pair, language="fr")
    assert infographic.language == "fr"
    with pytest.raises(DomainError):
        infographic_publish(actor=user_of("facilitator-a"), infographic=infographic)


def test_the_scheme_infographic_gathers_every_pair_of_the_scheme(facilitator, programme):
    theme = Theme.objects.get(programme=programme, code="B")
    infographic = infographic_start(
        actor=facilitator, programme=programme, theme=theme, pair=None, language="en"
    )
    version = infographic_publish(actor=facilitator, infographic=infographic)
    names = [c["name"] for c in version.snapshot["cities"]]
    assert {"Munich", "Athens"} <= set(names)
    assert Infographic.objects.filter(theme=theme, pair=None).count() == 1


def test_a_crowded_infographic_keeps_to_one_page_in_every_format():
    """Long items and many key factors shrink to fit: never a second page (render refuses)."""
    long = "A long finding written in full by the visit's rapporteur, " * 3
    snapshot = {
        "language": "lv",
        "title": "Rīga",
        "heading": "Barcelona \u2013 Rīga",
        "programme": "CITIES-GROW",
        "theme": "C \u2013 Services for migrant entrepreneurs",
        "description": "Rīga",
        "cities": [{"name": "Barcelona", "role": "Mentor"}, {"name": "Rīga", "role": "Īsteno"}],
        "figures": [{"label": "visits", "value": "2"}],
        "sections": [
            {"kind": kind, "heading": kind, "items": [long[:240]] * 6}
            for kind in ("strength", "challenge", "action")
        ],
        "sources": [],
        "gaps": {
            "heading": "Gaps",
            "before_label": "Baseline",
            "after_label": "Final",
            "scale_label": "0-3",
            "none_label": "-",
            "top": 3,
            "rows": [
                {
                    "code": f"c{n}",
                    "label": f"C{n} A key factor",
                    "before": 1,
                    "after": 2,
                    "before_text": "1.0",
                    "after_text": "2.0",
                }
                for n in range(20)
            ],
        },
        "credits": ["CITIES-GROW", FUNDING],
        "labels": {"kind": "Pair", "theme": "Theme"},
    }
    assert _png_size(render(snapshot, FileFormat.PNG_PORTRAIT)) == (1080, 1350)
    assert _png_size(render(snapshot, FileFormat.PNG_LANDSCAPE)) == (1200, 630)
    for fmt in (FileFormat.PDF_A4, FileFormat.PDF_A3):
        reader = PdfReader(io.BytesIO(render(snapshot, fmt)))
        assert len(reader.pages) == 1 and reader.trailer["/Root"]["/Lang"] == "lv"
        assert "Rīga" in reader.pages[0].extract_text()


def test_a_stale_save_is_refused_and_changes_are_audited(facilitator, programme, pair, user_of):
    from core.errors import ConcurrentEditError

    infographic = _start(facilitator, programme, pair, language="fr")
    opened = infographic.revision
    infographic_save(
        actor=user_of("coordinator-1"),
        infographic=infographic,
        revision=opened,
        title="Munich et Athènes",
        items=[],
    )
    with pytest.raises(ConcurrentEditError):
        infographic_save(
            actor=facilitator, infographic=infographic, revision=opened, title="Old", items=[]
        )
    infographic.refresh_from_db()
    assert infographic.title == "Munich et Athènes"
    latest = infographic.history.first()
    assert latest.history_user == user_of("coordinator-1")
    version = infographic_publish(actor=facilitator, infographic=infographic)
    assert version.history.first().history_user == facilitator
    reader = PdfReader(io.BytesIO(_read(version.pdf_a4)))
    assert reader.trailer["/Root"]["/Lang"] == "fr"
    assert version.snapshot["language"] == "fr"


def test_the_api_lists_published_infographics_with_every_format(
    facilitator, programme, pair, client
):
    from django.urls import reverse

    infographic = _start(facilitator, programme, pair)
    assert client.get(reverse("api:infographic", args=[infographic.pk])).status_code == 404
    infographic_publish(actor=facilitator, infographic=infographic)
    second = infographic_publish(actor=facilitator, infographic=infographic)
    listed = [
        i for i in client.get(reverse("api:infographics")).json() if i["id"] == infographic.pk
    ]
    assert [i["version"] for i in listed] == [2]  # the latest version only
    assert listed[0]["description"] == second.snapshot["description"]
    assert sorted(listed[0]["files"]) == sorted(FileFormat.values)
    pdf = listed[0]["files"]["pdf-a4"]
    assert pdf.endswith(reverse("infographics:download", args=[infographic.pk, 2, "pdf-a4"]))
    assert client.get(pdf).content.startswith(b"%PDF")
    versions = client.get(reverse("api:infographic", args=[infographic.pk])).json()
    assert [v["version"] for v in versions] == [2, 1]
