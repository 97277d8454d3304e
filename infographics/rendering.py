"""Every file of an infographic from one Typst template (typst/infographic.typ) and its snapshot.

The `typst` wheel compiles in-process: no system library, no browser, no network. Fonts: the
DejaVu family that matplotlib's wheel ships (every European alphabet, Greek and Latvian
included), and Typst's own; system fonts are ignored so that every machine renders the same.

Sizes: the portrait PNG is 810 x 1012.5 pt at 96 ppi = 1080 x 1350 px, the landscape one
900 x 472.5 pt = 1200 x 630 px; the PDFs are A4 and A3 (tagged, with the document's language
and title; PDF/UA-1, which Typst checks as it writes). Typst's SVG draws glyphs as paths, so the web
SVG gets an accessible layer here: a <title> and <desc>, role="img" with aria-labelledby, and the
same text as real, transparent <text> elements placed where the template drew each text (their
positions are queried from the same template), so it can be searched and selected."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import typst

from core.typst_document import FONT_PATHS

from .choices import FileFormat

TEMPLATE = Path(__file__).parent / "typst" / "infographic.typ"
PX_PER_PT = 96 / 72


@dataclass(frozen=True)
class Size:
    layout: str
    width_pt: float
    height_pt: float


PORTRAIT = Size("portrait", 810, 1012.5)  # 1080 x 1350 px at 96 ppi
LANDSCAPE = Size("landscape", 900, 472.5)  # 1200 x 630 px at 96 ppi
A4 = Size("portrait", 595.28, 841.89)
A3 = Size("portrait", 841.89, 1190.55)

SIZES = {
    FileFormat.SVG: PORTRAIT,
    FileFormat.PNG_PORTRAIT: PORTRAIT,
    FileFormat.PNG_LANDSCAPE: LANDSCAPE,
    FileFormat.PDF_A4: A4,
    FileFormat.PDF_A3: A3,
}
CONTENT_TYPES = {
    FileFormat.SVG: "image/svg+xml",
    FileFormat.PNG_PORTRAIT: "image/png",
    FileFormat.PNG_LANDSCAPE: "image/png",
    FileFormat.PDF_A4: "application/pdf",
    FileFormat.PDF_A3: "application/pdf",
}
EXTENSIONS = {
    FileFormat.SVG: "svg",
    FileFormat.PNG_PORTRAIT: "png",
    FileFormat.PNG_LANDSCAPE: "png",
    FileFormat.PDF_A4: "pdf",
    FileFormat.PDF_A3: "pdf",
}


def _compile(snapshot: dict[str, Any], size: Size, output: str) -> bytes:
    result: Any = typst.compile(  # type: ignore[call-overload]  # format: svg, png or pdf
        str(TEMPLATE),
        format=output,
        ppi=96 if output == "png" else None,
        font_paths=FONT_PATHS,
        ignore_system_fonts=True,
        # PDF/UA-1: Typst checks it (a title, a language, tagged structure) or refuses.
        pdf_standards="ua-1" if output == "pdf" else None,
        sys_inputs=_inputs(snapshot, size),
    )
    if isinstance(result, list):  # several pages: the template keeps to one
        raise RuntimeError("The infographic ran over one page.")
    return bytes(result)


def _inputs(snapshot: dict[str, Any], size: Size) -> dict[str, str]:
    return {
        "data": json.dumps(snapshot),
        "layout": size.layout,
        "width": str(size.width_pt),
        "height": str(size.height_pt),
    }


def _text_positions(snapshot: dict[str, Any]) -> list[dict[str, Any]]:
    """Each text of the portrait page with where it starts (the template's `mark`s), in pt,
    which are the SVG's user units."""
    found = typst.query(
        str(TEMPLATE),
        "<tx>",
        font_paths=FONT_PATHS,
        ignore_system_fonts=True,
        sys_inputs=_inputs(snapshot, PORTRAIT),
    )
    return [entry["value"] for entry in json.loads(found)]


def accessible_svg(svg: bytes, snapshot: dict[str, Any]) -> bytes:
    """Typst's SVG with a title, a description and the text as real <text> elements."""
    text = svg.decode("utf-8")
    title, desc = escape(snapshot["title"]), escape(snapshot["description"])
    lang = escape(snapshot["language"], {'"': "&quot;"})
    opening = re.match(r"<svg\b[^>]*>", text)
    if opening is None:
        raise ValueError("Not an SVG document.")
    root = opening.group(0)[:-1] + (
        f' role="img" aria-labelledby="infographic-title infographic-desc" xml:lang="{lang}"'
        f' lang="{lang}">'
    )
    layer = "".join(
        f'<text x="{p["x"]:.1f}" y="{p["y"] + 0.8 * p["size"]:.1f}" '
        f'font-size="{p["size"]:.1f}">{escape(p["t"])}</text>'
        for p in _text_positions(snapshot)
    )
    accessible = (
        f'{root}<title id="infographic-title">{title}</title>'
        f'<desc id="infographic-desc">{desc}</desc>'
        f'<g class="text-layer" fill="transparent" fill-opacity="0">{layer}</g>'
    )
    return (text[: opening.start()] + accessible + text[opening.end() :]).encode("utf-8")


def render(snapshot: dict[str, Any], file_format: str) -> bytes:
    """One file of the infographic."""
    fmt = FileFormat(file_format)
    size = SIZES[fmt]
    output = EXTENSIONS[fmt]
    content = _compile(snapshot, size, output)
    if fmt == FileFormat.SVG:
        content = accessible_svg(content, snapshot)
    return content


def render_all(snapshot: dict[str, Any]) -> dict[str, bytes]:
    return {fmt.value: render(snapshot, fmt) for fmt in FileFormat}
