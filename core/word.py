"""The platform's Word documents (a plan for a council's papers, a technical report for the
funder), all from one template built here: A4 portrait with 25 mm margins, the platform's
styles, the document's language on its properties and on its styles (what spell checkers and
screen readers read), a header naming the programme and the document, a footer with the EU
funding statement and "Page N of M", and tables whose header row is marked as such and repeats
on every page."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from core.funding import funding_statement
from core.typst_document import Heading, Image, PageBreak, Paragraph, Table


def _field(paragraph: Any, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that the reader's application fills in."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = instruction
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    shown = OxmlElement("w:t")
    shown.text = "1"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, text, separate, shown, end):
        run._r.append(element)


def _language(document: Any, language: str) -> None:
    """The language of every run unless a run says otherwise: on the document's defaults and on
    the Normal style (Word reads the style, LibreOffice the defaults)."""
    targets = [document.styles["Normal"].element.get_or_add_rPr()]
    defaults = document.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        run_defaults = defaults.find(qn("w:rPrDefault"))
        if run_defaults is not None and run_defaults.find(qn("w:rPr")) is not None:
            targets.append(run_defaults.find(qn("w:rPr")))
    for properties in targets:
        for old in properties.findall(qn("w:lang")):
            properties.remove(old)
        tag = OxmlElement("w:lang")
        for attribute in ("w:val", "w:eastAsia", "w:bidi"):
            tag.set(qn(attribute), language)
        properties.append(tag)


def word_document(*, title: str, language: str, programme: str, subject: str = "") -> Any:
    """A new document from the platform's template (call it with `language` active)."""
    document = Document()
    document.core_properties.title = title
    document.core_properties.language = language
    document.core_properties.subject = subject or programme
    document.styles["Normal"].font.size = Pt(10.5)
    _language(document, language)
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(25)
    section.top_margin, section.bottom_margin = Mm(25), Mm(22)
    section.header.paragraphs[0].text = f"{programme} \u00b7 {title}"
    footer = section.footer.paragraphs[0]
    footer.text = funding_statement()
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    numbers = section.footer.add_paragraph()
    numbers.alignment = WD_ALIGN_PARAGRAPH.CENTER
    numbers.add_run(_("Page") + " ")
    _field(numbers, "PAGE")
    numbers.add_run(" " + _("of") + " ")
    _field(numbers, "NUMPAGES")
    return document


def _repeat_header(row: Any) -> None:
    """The table's first row repeats on every page and is read as its header."""
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(header)


def word_table(
    document: Any,
    headings: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths_mm: Sequence[float] | None = None,
) -> Any:
    table = document.add_table(rows=1, cols=len(headings))
    table.style = "Table Grid"
    _repeat_header(table.rows[0])
    for cell, text in zip(table.rows[0].cells, headings, strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    for values in rows:
        for cell, text in zip(table.add_row().cells, values, strict=True):
            cell.text = text
    if widths_mm:
        for column, width in zip(table.columns, widths_mm, strict=True):
            for cell in column.cells:
                cell.width = Mm(width)
    return table


def word_bytes(document: Any) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def word_blocks(document: Any, blocks: Sequence[Any]) -> None:
    """The blocks of a document (core.typst_document: headings, paragraphs, tables), so that a
    document's Word file and PDF say the same thing. An image goes to the PDF and the web page
    only: its alternative text stands in for it here."""
    for block in blocks:
        if isinstance(block, Heading):
            document.add_heading(block.text, level=block.level)
        elif isinstance(block, Paragraph):
            paragraph = document.add_paragraph()
            if block.bold_label:
                paragraph.add_run(f"{block.bold_label}: ").bold = True
            paragraph.add_run(block.text)
            if block.style == "italic":
                for run in paragraph.runs:
                    run.italic = True
        elif isinstance(block, Table):
            word_table(document, block.headings, block.rows, block.widths)
        elif isinstance(block, Image):
            document.add_paragraph(block.alt)
        elif isinstance(block, PageBreak):
            document.add_page_break()
        # The contents: Word builds its own from the heading styles when asked.
