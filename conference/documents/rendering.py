"""The badges and the participants' list as PDF, from the Typst templates in typst/.

As for the infographics (infographics/rendering.py): the `typst` wheel compiles in-process, with
the DejaVu fonts matplotlib's wheel ships (every European alphabet: Gdańsk, Αθήνα, Rīga) and
system fonts ignored, so every machine prints the same; the PDF is tagged PDF/UA-1 (a title, a
language, the structure), which Typst checks as it writes. The data reaches a template as one
JSON input; each badge's QR code (drawn by `segno`) travels inside it as an SVG document."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import segno

from core.typst_document import typst_template_pdf

TEMPLATES = Path(__file__).parent / "typst"


def qr_svg(text: str) -> str:
    """The QR code of `text` as a small SVG document (black modules, no border: the badge
    leaves its own quiet zone around it)."""
    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="svg", xmldecl=False, nl=False, border=2)
    return out.getvalue().decode("ascii")


def compile_pdf(template: str, data: dict[str, Any]) -> bytes:
    """One PDF from a template and its data (tagged, PDF/UA-1)."""
    return typst_template_pdf(TEMPLATES / template, data)


def badges_pdf(data: dict[str, Any]) -> bytes:
    """A4 sheets of four A6 badges; `data["badges"]` each with name, organisation, country and
    `url`, the address its QR code opens."""
    badges = [{**badge, "qr": qr_svg(badge["url"])} for badge in data["badges"]]
    return compile_pdf("badges.typ", {**data, "badges": badges})


def participants_pdf(data: dict[str, Any]) -> bytes:
    return compile_pdf("participants.typ", data)
