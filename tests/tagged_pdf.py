"""What a screen reader gets from a PDF: its catalogue's marks and the tags of its structure tree
(read with pypdf), for the tests of every PDF the platform writes."""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

A4_POINTS = (595.28, 841.89)


@dataclass
class TaggedPdf:
    title: str
    language: str
    marked: bool
    tags: Counter  # structure type -> how many elements (H1, P, Table, TH, TD, Figure...)
    figures_with_alt: int
    page_sizes: list[tuple[float, float]]
    text: str


def _walk(node: object, tags: Counter, alts: list[str]) -> None:
    node = node.get_object() if hasattr(node, "get_object") else node
    if isinstance(node, ArrayObject):
        for child in node:
            _walk(child, tags, alts)
        return
    if not isinstance(node, DictionaryObject):
        return
    kind = node.get("/S")
    if kind is not None:
        tags[str(kind).lstrip("/")] += 1
        if str(kind) == "/Figure" and node.get("/Alt"):
            alts.append(str(node["/Alt"]))
    if "/K" in node:
        _walk(node["/K"], tags, alts)


def read_tagged_pdf(content: bytes) -> TaggedPdf:
    reader = PdfReader(io.BytesIO(content))
    root = reader.trailer["/Root"]
    tags: Counter = Counter()
    alts: list[str] = []
    if "/StructTreeRoot" in root:
        _walk(root["/StructTreeRoot"], tags, alts)
    mark_info = root.get("/MarkInfo") or {}
    return TaggedPdf(
        title=str((reader.metadata or {}).get("/Title", "")),
        language=str(root.get("/Lang", "")),
        marked=bool(mark_info.get("/Marked", False)),
        tags=tags,
        figures_with_alt=len(alts),
        page_sizes=[(float(p.mediabox.width), float(p.mediabox.height)) for p in reader.pages],
        text="\n".join(page.extract_text() or "" for page in reader.pages),
    )


def assert_accessible_pdf(
    content: bytes, *, title: str, language: str, tables: bool = True, figures: int = 0
) -> TaggedPdf:
    """Tagged (PDF/UA-1's structure tree and MarkInfo/Marked), titled, in its language, on A4,
    with tagged table headers when it has tables and alternative text on its figures."""
    pdf = read_tagged_pdf(content)
    assert pdf.marked, "MarkInfo/Marked is not set"
    assert pdf.tags, "the PDF has no structure tree"
    assert pdf.title == title, f"title {pdf.title!r}, expected {title!r}"
    assert pdf.language == language, f"language {pdf.language!r}, expected {language!r}"
    assert any(tag.startswith("H") and tag[1:].isdigit() for tag in pdf.tags), pdf.tags
    if tables:
        assert pdf.tags["Table"] and pdf.tags["TH"], f"no tagged table header: {pdf.tags}"
    assert pdf.figures_with_alt >= figures, f"{figures} figures need alternative text"
    for size in pdf.page_sizes:  # portrait or landscape
        short, long = sorted(size)
        assert abs(short - A4_POINTS[0]) < 1 and abs(long - A4_POINTS[1]) < 1, pdf.page_sizes
    return pdf
