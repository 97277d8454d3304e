"""A4 documents from blocks, through Typst (core/typst/document.typ): tagged PDF/UA-1.

The `typst` wheel compiles in-process (no system library, no network), with the DejaVu fonts of
FONT_PATHS and system fonts ignored, so every machine prints the same; Typst refuses to write a
PDF/UA-1 document without a title, a language or alternative text for an image. A document is a
list of blocks, the same ones a report's Word file and preview are made of:

    typst_pdf(title="Interim report", language="el", programme="CITIES-GROW", blocks=[
        Heading("Interim report", 0), Paragraph("…", bold_label="Period"),
        Table(("Deliverable", "Due"), rows, widths=(120, 40), caption="Deliverables"),
        Image(svg, alt="Timeline of the work packages", width_mm=160),
    ])
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, ClassVar

import matplotlib
import typst
from django.utils.translation import gettext as _

from core.funding import funding_statement

TEMPLATE = Path(__file__).parent / "typst" / "document.typ"
FONT_PATHS = [str(Path(matplotlib.get_data_path()) / "fonts" / "ttf")]


@dataclass
class Heading:
    text: str
    level: int  # 0 for the document's title, 1 for a section, 2 and 3 below
    outlined: bool = True  # in the contents and the PDF's bookmarks (a cover's title is not)
    kind: ClassVar[str] = "heading"


@dataclass
class Paragraph:
    text: str
    bold_label: str = ""  # shown in bold before the text: "Period: 1 January ..."
    style: str = ""  # "italic"
    kind: ClassVar[str] = "paragraph"


@dataclass
class Table:
    headings: tuple[str, ...]
    rows: Sequence[tuple[str, ...]]
    widths: tuple[int, ...]  # relative widths of the columns (millimetres on 160 mm of text)
    caption: str = ""
    numeric_from: int | None = None  # the columns from this one hold figures, aligned right
    strong_rows: tuple[int, ...] = ()  # rows in bold: subtotals and totals
    font_size: float = 8.5
    row_height_mm: float = 0  # at least this tall (a row to sign in)
    kind: ClassVar[str] = "table"


@dataclass
class Image:
    svg: str  # an SVG document
    alt: str  # what it shows, for a screen reader (required by PDF/UA)
    width_mm: float = 160
    height_mm: float | None = None  # at most this tall, keeping its proportions
    kind: ClassVar[str] = "image"


@dataclass
class Contents:
    """The table of contents, with page numbers (the PDF's bookmarks come from the headings)."""

    title: str
    kind: ClassVar[str] = "contents"


@dataclass
class PageBreak:
    kind: ClassVar[str] = "page_break"


Block = Heading | Paragraph | Table | Image | Contents | PageBreak


def paragraphs(text: str, style: str = "") -> list[Paragraph]:
    """A text typed in a form, one paragraph per non-empty line."""
    return [Paragraph(line.strip(), style=style) for line in text.splitlines() if line.strip()]


def _block(block: Block) -> dict[str, Any]:
    data = asdict(block)
    if isinstance(block, Table):
        data["rows"] = [[str(value) for value in row] for row in block.rows]
        data["headings"] = [str(value) for value in block.headings]
        data["strong_rows"] = list(block.strong_rows)
    return {**data, "kind": block.kind}


def typst_pdf(
    *,
    title: str,
    language: str,
    programme: str,
    blocks: Sequence[Block],
    landscape: bool = False,
) -> bytes:
    """The document as a tagged A4 PDF (PDF/UA-1): the programme and the title on top of every
    page, the EU funding statement and the page number at the foot."""
    data = {
        "title": title,
        "language": language,
        "programme": programme,
        "header": f"{programme} \u00b7 {title}",
        "landscape": landscape,
        "funding": funding_statement(),
        # Translated here, the numbers filled in by the template.
        "page_label": _("Page %(n)s of %(total)s") % {"n": "{page}", "total": "{pages}"},
        "blocks": [_block(block) for block in blocks],
    }
    return typst_template_pdf(TEMPLATE, data)


def typst_template_pdf(template: Path, data: dict[str, Any]) -> bytes:
    """One tagged PDF (PDF/UA-1) from a Typst template, its data given as the JSON input
    `data`: this document's template, the badges', the lists', the certificates'."""
    result: Any = typst.compile(
        str(template),
        format="pdf",
        font_paths=FONT_PATHS,
        ignore_system_fonts=True,
        pdf_standards="ua-1",
        sys_inputs={"data": json.dumps(data)},
    )
    return bytes(result)
